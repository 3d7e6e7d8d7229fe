// Consolidated exports of a partner's managed clients (DOMAIN.md "Exports users ask for":
// every client's billing history, by history type and period, all clients or a selection).
// Who is covered is planned in client-export-plan.ts, the rows are read in
// client-export-rows.ts; this module lays them out as files.
//
// The files are written by the same CSV/XLSX writers as the invoice exports: same profiles,
// formula guard, typed cells and per-currency totals.
import fs from 'node:fs';
import path from 'node:path';
import type { ClientHistoryType, ExportClients } from '#common/client-exports.schema';
import type { Column, ExportLocale } from '../export/csv/columns';
import { writeCsv, writeCsvFile } from '../export/csv/csv-writer';
import {
  currencyColumn,
  date,
  header,
  invoiceColumns,
  invoiceNumberColumn,
  money,
  text,
} from '../export/invoice-columns';
import { writeXlsx, writeXlsxFile, type XlsxSheet } from '../export/xlsx/xlsx-writer';
import { type ClientExportPlan, planClientExport } from './client-export-plan';
import {
  type ClientCashbackRow,
  type ClientCells,
  type ClientInvoiceRow,
  type ClientPaymentRow,
  clientCashbackRows,
  clientInvoiceRows,
  clientPaymentRows,
} from './client-export-rows';
import type { Ctx } from './context';
import { assertWritableTarget, type ExportRunOptions } from './exports.service';

// The client comes first: it is what these files are sorted and filtered by, and the XLSX
// totals row puts its label in the first text column.
function clientColumns<Row extends ClientCells>(): Column<Row>[] {
  return [
    text('client', 'client', (r) => r.clientName, 32),
    text('clientId', 'clientId', (r) => r.clientId, 38),
  ];
}

export const CLIENT_INVOICE_COLUMNS: Column<ClientInvoiceRow>[] = [
  ...clientColumns<ClientInvoiceRow>(),
  ...invoiceColumns<ClientInvoiceRow>(),
];

export const CLIENT_PAYMENT_COLUMNS: Column<ClientPaymentRow>[] = [
  ...clientColumns<ClientPaymentRow>(),
  date('receivedOn', (r) => r.receivedOn),
  invoiceNumberColumn(),
  text('method', 'method', (r) => r.method, 16),
  currencyColumn(),
  money('amount', 'amount', (r) => r.amountMinor),
  text('reference', 'reference', (r) => r.reference, 32),
];

export const CLIENT_CASHBACK_COLUMNS: Column<ClientCashbackRow>[] = [
  ...clientColumns<ClientCashbackRow>(),
  date('bookedOn', (r) => r.bookedOn),
  invoiceNumberColumn(),
  currencyColumn(),
  money('cashback', 'cashback', (r) => r.amountMinor),
];

const SHEET_NAMES: Record<ClientHistoryType, Record<ExportLocale, string>> = {
  invoices: header('sheet.invoices'),
  payments: header('sheet.payments'),
  cashback: header('sheet.cashback'),
};

export interface ClientExportResult {
  format: 'csv' | 'xlsx';
  rows: number;
  history: { type: ClientHistoryType; rows: number }[];
}

interface Part {
  type: ClientHistoryType;
  sheet: XlsxSheet<unknown>;
  tally: { rows: number };
}

async function* counted<Row>(rows: AsyncIterable<Row>, tally: { rows: number }): AsyncGenerator<Row> {
  for await (const row of rows) {
    tally.rows++;
    yield row;
  }
}

function part<Row>(
  type: ClientHistoryType,
  plan: ClientExportPlan,
  columns: Column<Row>[],
  rows: AsyncIterable<Row>,
): Part {
  const tally = { rows: 0 };
  const sheet: XlsxSheet<Row> = {
    name: SHEET_NAMES[type][plan.locale],
    columns,
    rows: counted(rows, tally),
    totals: true,
  };
  // A sheet's row type only matters between its own columns and rows, which match here.
  return { type, sheet: sheet as unknown as XlsxSheet<unknown>, tally };
}

function partsOf(ctx: Ctx, plan: ClientExportPlan): Part[] {
  const build: Record<ClientHistoryType, () => Part> = {
    invoices: () => part('invoices', plan, CLIENT_INVOICE_COLUMNS, clientInvoiceRows(ctx, plan)),
    payments: () => part('payments', plan, CLIENT_PAYMENT_COLUMNS, clientPaymentRows(ctx, plan)),
    cashback: () => part('cashback', plan, CLIENT_CASHBACK_COLUMNS, clientCashbackRows(ctx, plan)),
  };
  return plan.history.map((type) => build[type]());
}

function resultOf(plan: ClientExportPlan, parts: Part[]): ClientExportResult {
  const history = parts.map((p) => ({ type: p.type, rows: p.tally.rows }));
  return { format: plan.format, rows: history.reduce((a, h) => a + h.rows, 0), history };
}

/** The export to a file, renamed into place only when complete. */
export async function exportClients(
  ctx: Ctx,
  input: ExportClients,
  options: ExportRunOptions = {},
): Promise<ClientExportResult & { file: string }> {
  const plan = planClientExport(ctx, input);
  const out = assertWritableTarget(input.out, 'file');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const parts = partsOf(ctx, plan);
  const onProgress = (n: number) => options.onProgress?.(n, null);
  if (plan.format === 'csv') {
    const only = parts[0] as Part;
    await writeCsvFile(out, only.sheet.rows, only.sheet.columns, plan.profile, {
      locale: plan.locale,
      signal: options.signal,
      onProgress,
    });
  } else {
    await writeXlsxFile<unknown[]>(
      out,
      parts.map((p) => p.sheet),
      { locale: plan.locale, signal: options.signal, onProgress },
    );
  }
  return { file: out, ...resultOf(plan, parts) };
}

/** The same export into a stream (the web host's downloads); `plan` comes from planClientExport. */
export async function streamClients(
  ctx: Ctx,
  plan: ClientExportPlan,
  out: NodeJS.WritableStream,
  options: ExportRunOptions = {},
): Promise<ClientExportResult> {
  const parts = partsOf(ctx, plan);
  if (plan.format === 'csv') {
    const only = parts[0] as Part;
    await writeCsv(only.sheet.rows, only.sheet.columns, plan.profile, out, {
      locale: plan.locale,
      signal: options.signal,
    });
    out.end();
  } else {
    await writeXlsx<unknown[]>(
      parts.map((p) => p.sheet),
      out,
      { locale: plan.locale, signal: options.signal },
    );
  }
  return resultOf(plan, parts);
}

/** The name a browser saves the download under. */
export function clientExportFileName(plan: ClientExportPlan): string {
  const what = plan.format === 'csv' ? plan.history[0] : 'history';
  return `clients-${what}-${plan.from}-${plan.to}.${plan.format}`;
}
