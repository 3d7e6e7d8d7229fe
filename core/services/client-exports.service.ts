// Consolidated exports of a partner's managed clients (DOMAIN.md "Exports users ask for":
// every client's billing history, by history type and period, all clients or a selection).
//
// What a partner may see (DOMAIN.md "Invoice visibility"): its managed clients are the
// organizations with an ACTIVE partnership where it is the partner (limited or complete
// access). Of their billing it sees only what lives with it:
//  - invoices it PAYS for their products (organization = partner, products organization =
//    the client), issued in the period. Invoices the client pays live with the client only
//    and never appear here;
//  - the payments applied to those invoices, received in the period (whatever the invoice's
//    own date: a January payment of a December invoice is January's money);
//  - the cashback credited to it for those clients' orders, booked in the period.
// The set is computed here with one query rather than shared with the screens' visibility
// rules, so an export never depends on what a screen happens to show.
//
// Rows are read in keyset chunks, each a finished query (the connection stays free between
// chunks and memory holds one chunk), and written by the same CSV/XLSX writers as the
// invoice exports: same profiles, formula guard, typed cells and per-currency totals.
import { printedReference } from '#common/payment-reference';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Currency, InvoiceKind, InvoiceStatus, PaymentMethod } from '#db/schema/index';
import { organizations } from '#db/schema/index';
import {
  CLIENT_HISTORY_TYPES,
  type ClientExportOptions,
  type ClientHistoryType,
  type ExportClients,
} from '#common/client-exports.schema';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import type { Column, ExportLocale } from '../export/csv/columns';
import { type CsvProfileId, writeCsv, writeCsvFile } from '../export/csv/csv-writer';
import {
  currencyColumn,
  date,
  header,
  invoiceColumns,
  type InvoiceColumnsRow,
  invoiceNumberColumn,
  listedAmounts,
  money,
  text,
} from '../export/invoice-columns';
import { writeXlsx, writeXlsxFile, type XlsxSheet } from '../export/xlsx/xlsx-writer';
import type { Ctx } from './context';
import { assertWritableTarget, type ExportRunOptions } from './exports.service';
import { isOverdue } from './invoices.service';
import { getOrganization } from './organizations.service';
import { CASHBACK_NOTE } from './partners.service';
import { clientsOf } from './visibility';
import { nameOrder } from './query-helpers';

interface ClientCells {
  clientId: string;
  clientName: string;
}

export interface ClientInvoiceRow extends ClientCells, InvoiceColumnsRow {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  currency: Currency;
}

export interface ClientPaymentRow extends ClientCells {
  id: string;
  receivedOn: string;
  invoiceNumber: string;
  method: PaymentMethod;
  currency: Currency;
  amountMinor: number;
  reference: string;
}

export interface ClientCashbackRow extends ClientCells {
  id: string;
  bookedOn: string;
  invoiceNumber: string;
  currency: Currency;
  amountMinor: number;
}

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

// ---------------------------------------------------------------------------------------
// Who and what.

export interface ManagedClient {
  id: string;
  name: string;
}

/** The partner's managed clients: the same rule that decides what it may see (visibility.ts). */
export function managedClients(ctx: Ctx, partnerOrganizationId: string): ManagedClient[] {
  return ctx.db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(sql`${organizations.id} in (${clientsOf(partnerOrganizationId)})`)
    .orderBy(nameOrder('organizations'), organizations.id)
    .all();
}

export interface ClientExportPlan {
  partner: ManagedClient;
  clients: ManagedClient[];
  history: ClientHistoryType[];
  from: string;
  to: string;
  format: 'csv' | 'xlsx';
  profile: CsvProfileId;
  locale: ExportLocale;
}

/**
 * Checks a request before any byte is written (a browser download must fail before its
 * headers go out): the partner exists, the period is a period, a CSV asks for one history
 * type, and every selected client is managed by this partner.
 */
export function planClientExport(ctx: Ctx, input: ClientExportOptions): ClientExportPlan {
  const partner = getOrganization(ctx, input.partnerOrganizationId);
  if (input.from > input.to) fail('export_period_invalid', { from: input.from, to: input.to });
  const asked = input.history ?? (input.format === 'xlsx' ? [...CLIENT_HISTORY_TYPES] : []);
  const history = CLIENT_HISTORY_TYPES.filter((type) => asked.includes(type));
  if (input.format === 'csv' && history.length !== 1) fail('export_csv_one_history');
  const managed = managedClients(ctx, partner.id);
  let clients = managed;
  if (input.clientIds.length > 0) {
    const byId = new Map(managed.map((c) => [c.id, c]));
    clients = [];
    for (const id of new Set(input.clientIds)) {
      const client = byId.get(id);
      if (!client) {
        const name = (
          ctx.raw.prepare('select name from organizations where id = ?').get(id) as
            | { name: string }
            | undefined
        )?.name;
        fail('not_managed_client', { client: name ?? id, partner: partner.name });
      }
      clients.push(client);
    }
  }
  return {
    partner: { id: partner.id, name: partner.name },
    clients,
    history,
    from: input.from,
    to: input.to,
    format: input.format,
    profile: input.profile,
    locale: input.locale,
  };
}

// ---------------------------------------------------------------------------------------
// Rows.

/**
 * Runs `sql` chunk after chunk, keyset on (date, id): the statement takes its parameters,
 * then the last (date, id) seen, then the chunk size.
 */
async function* keyset<Raw extends { id: string }>(
  ctx: Ctx,
  sql: string,
  params: unknown[],
  dateOf: (row: Raw) => string,
  chunk: number,
): AsyncGenerator<Raw> {
  const statement = ctx.raw.prepare(sql);
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = statement.all(...params, after[0], after[1], chunk) as Raw[];
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < chunk) return;
    after = [dateOf(last), last.id];
  }
}

const scopeOf = (plan: ClientExportPlan) => JSON.stringify(plan.clients.map((c) => c.id));

interface RawInvoice {
  id: string;
  number: string | null;
  kind: InvoiceKind;
  status: InvoiceStatus;
  issued_on: string;
  due_on: string | null;
  currency: Currency;
  net_minor: number;
  vat_minor: number;
  gross_minor: number;
  paid_minor: number;
  payment_reference: string | null;
  client_id: string;
  client_name: string;
}

/** Partner-paid invoices and credit notes for the clients' products, issued in the period, oldest first. */
export async function* clientInvoiceRows(
  ctx: Ctx,
  plan: ClientExportPlan,
  chunk = 2_000,
): AsyncGenerator<ClientInvoiceRow> {
  const today = todayIso(ctx.clock.now());
  const rows = keyset<RawInvoice>(
    ctx,
    `select i.id, i.number, i.kind, i.status, i.issued_on, i.due_on, i.currency, i.net_minor,
            i.vat_minor, i.gross_minor, i.paid_minor, i.payment_reference,
            i.products_organization_id as client_id, o.name as client_name
       from invoices i join organizations o on o.id = i.products_organization_id
      where i.organization_id = ? and i.issued_on between ? and ?
        and i.products_organization_id in (select value from json_each(?))
        and i.deleted_at is null and i.status <> 'draft' and i.kind in ('invoice', 'credit_note')
        and (i.issued_on, i.id) > (?, ?)
      order by i.issued_on, i.id limit ?`,
    [plan.partner.id, plan.from, plan.to, scopeOf(plan)],
    (r) => r.issued_on,
    chunk,
  );
  for await (const r of rows) {
    yield {
      clientId: r.client_id,
      clientName: r.client_name,
      id: r.id,
      number: r.number ?? '',
      kind: r.kind,
      status: r.status,
      overdue: isOverdue({ kind: r.kind, status: r.status, dueOn: r.due_on }, today),
      issuedOn: r.issued_on,
      dueOn: r.due_on,
      currency: r.currency,
      ...listedAmounts({
        kind: r.kind,
        status: r.status,
        netMinor: r.net_minor,
        vatMinor: r.vat_minor,
        grossMinor: r.gross_minor,
        paidMinor: r.paid_minor,
      }),
      paymentReference: printedReference(r.payment_reference),
    };
  }
}

interface RawPayment {
  id: string;
  received_on: string;
  method: PaymentMethod;
  amount_minor: number;
  currency: Currency;
  reference: string | null;
  invoice_number: string | null;
  client_id: string;
  client_name: string;
}

/**
 * Payments applied to those invoices, received in the period. A payment that did not match
 * its invoice was deposited to the partner's prepaid account instead: it is the partner's
 * money, not the client's billing, and stays out.
 */
export async function* clientPaymentRows(
  ctx: Ctx,
  plan: ClientExportPlan,
  chunk = 2_000,
): AsyncGenerator<ClientPaymentRow> {
  const rows = keyset<RawPayment>(
    ctx,
    `select p.id, p.received_on, p.method, p.amount_minor, p.currency, p.reference,
            i.number as invoice_number, i.products_organization_id as client_id, o.name as client_name
       from payments p
       join invoices i on i.id = p.invoice_id
       join organizations o on o.id = i.products_organization_id
      where p.organization_id = ? and p.received_on between ? and ? and p.outcome = 'applied'
        and i.organization_id = p.organization_id
        and i.products_organization_id in (select value from json_each(?))
        and (p.received_on, p.id) > (?, ?)
      order by p.received_on, p.id limit ?`,
    [plan.partner.id, plan.from, plan.to, scopeOf(plan)],
    (r) => r.received_on,
    chunk,
  );
  for await (const r of rows) {
    yield {
      clientId: r.client_id,
      clientName: r.client_name,
      id: r.id,
      receivedOn: r.received_on,
      invoiceNumber: r.invoice_number ?? '',
      method: r.method,
      currency: r.currency,
      amountMinor: r.amount_minor,
      reference: printedReference(r.reference),
    };
  }
}

interface RawCashback {
  id: string;
  booked_on: string;
  amount_minor: number;
  currency: Currency;
  invoice_number: string | null;
  client_id: string;
  client_name: string;
}

/**
 * The partner's cashback entries booked in the period, per client: an entry names the
 * partnership that earned it (partners.service creditCashback), and so its client.
 */
export async function* clientCashbackRows(
  ctx: Ctx,
  plan: ClientExportPlan,
  chunk = 2_000,
): AsyncGenerator<ClientCashbackRow> {
  const rows = keyset<RawCashback>(
    ctx,
    `select e.id, e.booked_on, e.amount_minor, e.currency, i.number as invoice_number,
            ps.client_organization_id as client_id, o.name as client_name
       from ledger_entries e
       join partnerships ps on ps.id = substr(e.note, ${CASHBACK_NOTE.length + 1})
       join organizations o on o.id = ps.client_organization_id
       left join invoices i on i.id = e.invoice_id
      where e.organization_id = ? and e.kind = 'cashback' and e.booked_on between ? and ?
        and e.note like '${CASHBACK_NOTE}%' and ps.partner_organization_id = e.organization_id
        and ps.client_organization_id in (select value from json_each(?))
        and (e.booked_on, e.id) > (?, ?)
      order by e.booked_on, e.id limit ?`,
    [plan.partner.id, plan.from, plan.to, scopeOf(plan)],
    (r) => r.booked_on,
    chunk,
  );
  for await (const r of rows) {
    yield {
      clientId: r.client_id,
      clientName: r.client_name,
      id: r.id,
      bookedOn: r.booked_on,
      invoiceNumber: r.invoice_number ?? '',
      currency: r.currency,
      amountMinor: r.amount_minor,
    };
  }
}

// ---------------------------------------------------------------------------------------
// Files.

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
