import { formatIban, printedReference } from '#common/payment-reference';
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { invoices, organizations } from '#db/schema/index';
import type { Currency, InvoiceStatus } from '#db/schema/index';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import type { ExportInvoices, InvoiceFilters } from '#common/invoices.schema';
import type { Column, ExportLocale } from '../export/csv/columns';
import { type CsvProfileId, writeCsv, writeCsvFile } from '../export/csv/csv-writer';
import { exportWords } from '#common/i18n/exports';
import { translate } from '#common/i18n/translate';
import { type InvoiceColumnsRow, invoiceColumns, listedAmounts, text } from '../export/invoice-columns';
import { writeXlsx, writeXlsxFile } from '../export/xlsx/xlsx-writer';
import type { Ctx } from './context';
import { assertActingFilters, filterSql, isOverdue } from './invoices.service';

export interface InvoiceExportRow extends InvoiceColumnsRow {
  id: string;
  status: InvoiceStatus;
  organizationName: string;
  country: string;
  vatNumber: string;
  currency: Currency;
  /** The number of the invoice a credit note corrects. */
  corrects: string;
  /** The bill-to address's postal code and city, as an address prints them ("01000 Bourg-en-Bresse"). */
  locality: string;
  /** The account the invoice is paid to (the issuer's IBAN when issued), in groups of four. */
  payTo: string;
}

/** The invoice list names the paying organization, its country and VAT number after the dates. */
export const INVOICE_COLUMNS: Column<InvoiceExportRow>[] = invoiceColumns<InvoiceExportRow>([
  text('organization', 'organization', (r) => r.organizationName, 32),
  text('country', 'country', (r) => r.country, 8),
  text('vatNumber', 'vatNumber', (r) => r.vatNumber, 18),
]).concat([
  // After the shared columns, so a file from before them still reads column by column.
  text('corrects', 'corrects', (r) => r.corrects, 26),
  // The postal code with its city: a lone "01000" is a number to every spreadsheet reading a
  // CSV (1000), with its city it is text to all of them, and it is how an address prints it.
  text('locality', 'locality', (r) => r.locality, 28),
  text('payTo', 'payTo', (r) => r.payTo, 32),
]);

/**
 * The invoices matching `filters`, oldest first, read in keyset chunks. Each chunk is a
 * finished query, so the connection is free between chunks (an open iterate() would block
 * every other call while an export streams) and memory holds one chunk at a time.
 */
export async function* invoiceExportRows(
  ctx: Ctx,
  filters: InvoiceFilters,
  chunk = 2_000,
): AsyncGenerator<InvoiceExportRow> {
  const today = todayIso(ctx.clock.now());
  let after: [string, string] | null = null;
  for (;;) {
    const where = filterSql(filters, today);
    if (after) where.push(sql`(${invoices.issuedOn}, ${invoices.id}) > (${after[0]}, ${after[1]})`);
    const rows = ctx.db
      .select({
        id: invoices.id,
        number: invoices.number,
        kind: invoices.kind,
        status: invoices.status,
        issuedOn: invoices.issuedOn,
        dueOn: invoices.dueOn,
        organizationName: organizations.name,
        country: organizations.country,
        vatNumber: organizations.vatNumber,
        uid: organizations.uid,
        currency: invoices.currency,
        netMinor: invoices.netMinor,
        vatMinor: invoices.vatMinor,
        grossMinor: invoices.grossMinor,
        paidMinor: invoices.paidMinor,
        paymentReference: invoices.paymentReference,
        corrects: sql<
          string | null
        >`(select c.number from invoices c where c.id = ${invoices.correctsInvoiceId})`,
        postalCode: sql<string | null>`json_extract(${invoices.billTo}, '$.postalCode')`,
        city: sql<string | null>`json_extract(${invoices.billTo}, '$.city')`,
        payTo: sql<string | null>`json_extract(${invoices.issuer}, '$.iban')`,
      })
      .from(invoices)
      .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
      .where(and(...where))
      .orderBy(asc(invoices.issuedOn), asc(invoices.id))
      .limit(chunk)
      .all();
    for (const r of rows) {
      yield {
        id: r.id,
        number: r.number ?? '',
        kind: r.kind,
        status: r.status,
        overdue: isOverdue(r, today),
        issuedOn: r.issuedOn,
        dueOn: r.dueOn,
        organizationName: r.organizationName,
        country: r.country,
        vatNumber: r.vatNumber ?? r.uid ?? '',
        currency: r.currency,
        ...listedAmounts(r),
        paymentReference: printedReference(r.paymentReference),
        corrects: r.corrects ?? '',
        locality: [r.postalCode, r.city].filter(Boolean).join(' '),
        payTo: r.payTo ? formatIban(r.payTo) : '',
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < chunk) return;
    after = [last.issuedOn, last.id];
  }
}

/**
 * Checks an output path before any work starts: inside a real, writable folder, never a
 * kernel file system (Node's recursive mkdir never returns on some /proc paths, which would
 * freeze the process), never an existing folder when a file is wanted.
 */
export function assertWritableTarget(out: string, kind: 'file' | 'folder'): string {
  const target = path.resolve(out);
  if (/^\/(proc|sys|dev)(\/|$)/.test(target)) fail('export_path_invalid', { path: out });
  if (kind === 'file' && fs.existsSync(target) && fs.statSync(target).isDirectory())
    fail('export_path_invalid', { path: out });
  let dir = kind === 'file' ? path.dirname(target) : target;
  while (!fs.existsSync(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) fail('export_path_invalid', { path: out });
    dir = parent;
  }
  if (!fs.statSync(dir).isDirectory()) fail('export_path_invalid', { path: out });
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    fail('export_path_invalid', { path: out });
  }
  return target;
}

/**
 * The filters an export runs with: `actingOrganizationId` given beside the filters (the
 * export's own field) or inside them means the same; two different ones are refused rather
 * than guessed between. The acting organization must exist.
 */
export function scopedFilters(
  ctx: Ctx,
  input: { filters: InvoiceFilters; actingOrganizationId?: string },
): InvoiceFilters {
  const inner = input.filters.actingOrganizationId;
  if (input.actingOrganizationId && inner && inner !== input.actingOrganizationId)
    fail('invalid_input', { field: 'actingOrganizationId' });
  const filters = { ...input.filters, actingOrganizationId: input.actingOrganizationId ?? inner };
  assertActingFilters(ctx, filters);
  return filters;
}

/**
 * A pack goes to the accountant or the auditor: issued documents only. A draft's PDF has no
 * number and says DRAFT across the page; it stays out of the PDFs and the spreadsheets alike.
 */
export function issuedOnly(filters: InvoiceFilters): InvoiceFilters {
  if (filters.statuses.length > 0 && filters.statuses.every((s) => s === 'draft')) fail('pack_only_drafts');
  return { ...filters, issuedOnly: true };
}

export interface ExportRunOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | null) => void;
}

export function countInvoices(ctx: Ctx, filters: InvoiceFilters): number {
  return (
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(invoices)
      .where(and(...filterSql(filters, todayIso(ctx.clock.now()))))
      .get()?.n ?? 0
  );
}

/** The filtered invoices as CSV or XLSX, to a file (renamed into place only when complete). */
export async function exportInvoices(
  ctx: Ctx,
  input: z.infer<typeof ExportInvoices>,
  options: ExportRunOptions = {},
): Promise<{ file: string; rows: number }> {
  const filters = scopedFilters(ctx, input);
  const total = countInvoices(ctx, filters);
  const onProgress = (n: number) => options.onProgress?.(n, total);
  const rows = invoiceExportRows(ctx, filters);
  const locale = input.locale as ExportLocale;
  const out = assertWritableTarget(input.out, 'file');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const result =
    input.format === 'csv'
      ? await writeCsvFile(out, rows, INVOICE_COLUMNS, input.profile as CsvProfileId, {
          locale,
          signal: options.signal,
          onProgress,
        })
      : await writeXlsxFile<[InvoiceExportRow]>(
          out,
          [{ name: sheetName(locale), columns: INVOICE_COLUMNS, rows, totals: true }],
          { locale, signal: options.signal, onProgress },
        );
  return { file: out, rows: result.rows };
}

/** The same export into a stream (the web host's downloads). */
export async function streamInvoices(
  ctx: Ctx,
  input: Omit<z.infer<typeof ExportInvoices>, 'out'>,
  out: NodeJS.WritableStream,
  options: ExportRunOptions = {},
): Promise<{ rows: number }> {
  const rows = invoiceExportRows(ctx, scopedFilters(ctx, input));
  const locale = input.locale as ExportLocale;
  if (input.format === 'csv') {
    const result = await writeCsv(rows, INVOICE_COLUMNS, input.profile as CsvProfileId, out, {
      locale,
      signal: options.signal,
    });
    out.end();
    return result;
  }
  return writeXlsx<[InvoiceExportRow]>(
    [{ name: sheetName(locale), columns: INVOICE_COLUMNS, rows, totals: true }],
    out,
    {
      locale,
      signal: options.signal,
    },
  );
}

function sheetName(locale: ExportLocale): string {
  return translate(exportWords, locale, 'sheet.invoices');
}
