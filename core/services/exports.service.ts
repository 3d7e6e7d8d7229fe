import { formatIban, printedReference } from '#common/payment-reference';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { invoices, organizations } from '#db/schema/index';
import type { Currency, InvoiceStatus } from '#db/schema/index';
import { countryName } from '#common/countries';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import { invoiceTotals } from '#common/invoice-math';
import type { ExportInvoices, ExportPack, InvoiceFilters } from '#common/invoices.schema';
import type { Column, ExportLocale } from '../export/csv/columns';
import { type CsvProfileId, writeCsv, writeCsvFile } from '../export/csv/csv-writer';
import { exportWords } from '#common/i18n/exports';
import { translate } from '#common/i18n/translate';
import { type InvoiceColumnsRow, invoiceColumns, listedAmounts, text } from '../export/invoice-columns';
import type { DocumentParty, InvoiceDocument } from '../export/invoice-document';
import { writeXlsx, writeXlsxFile } from '../export/xlsx/xlsx-writer';
import type { Ctx } from './context';
import { packEinvoiceXml } from './einvoices.service';
import {
  assertActingFilters,
  filterSql,
  getInvoice,
  getInvoiceByNumber,
  isOverdue,
  linesOf,
} from './invoices.service';
import { initialsOf } from '#common/organization-display';

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
function issuedOnly(filters: InvoiceFilters): InvoiceFilters {
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

function party(
  snapshot: NonNullable<ReturnType<typeof getInvoice>['billTo']>,
  locale: string,
): DocumentParty {
  const lines = [
    ...(snapshot.recipient && snapshot.recipient !== snapshot.name ? [snapshot.recipient] : []),
    snapshot.street,
    ...(snapshot.line2 ? [snapshot.line2] : []),
    `${snapshot.postalCode} ${snapshot.city}`.trim(),
    countryName(snapshot.country, locale),
  ].filter(Boolean);
  return {
    name: snapshot.name,
    lines,
    country: snapshot.country,
    postalCode: snapshot.postalCode,
    city: snapshot.city,
    street: snapshot.street,
    streetName: snapshot.streetName ?? null,
    buildingNumber: snapshot.buildingNumber ?? null,
    shortName: snapshot.shortName ?? null,
    vatNumber: snapshot.vatNumber,
    uid: snapshot.uid,
    email: snapshot.email,
  };
}

/**
 * What a PDF is rendered from. An issued document uses the snapshots taken when it was
 * issued (so later edits to addresses never reach it); a draft uses today's data and prints
 * as a draft.
 */
export function invoiceDocument(
  ctx: Ctx,
  idOrNumber: { id?: string; number?: string; issuerOrganizationId?: string },
): InvoiceDocument {
  const invoice = idOrNumber.id
    ? getInvoice(ctx, idOrNumber.id)
    : getInvoiceByNumber(ctx, idOrNumber.number ?? '', undefined, idOrNumber.issuerOrganizationId);
  const issuerOrg = ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, invoice.issuerOrganizationId))
    .get();
  const payerOrg = ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, invoice.organizationId))
    .get();
  if (!issuerOrg || !payerOrg) fail('organization_not_found');
  const fallback = (org: typeof issuerOrg) => ({
    name: org.name,
    recipient: org.name,
    street: '',
    line2: null,
    postalCode: '',
    city: '',
    country: org.country,
    vatNumber: org.vatNumber,
    uid: org.uid,
    email: null,
    iban: org.iban,
  });
  const issuerSnap = invoice.issuer ?? fallback(issuerOrg);
  const billSnap = invoice.billTo ?? fallback(payerOrg);
  const lines = linesOf(ctx, invoice.id);
  const totals = invoiceTotals(lines);
  const corrects = invoice.correctsInvoiceId
    ? ctx.db
        .select({ number: invoices.number })
        .from(invoices)
        .where(eq(invoices.id, invoice.correctsInvoiceId))
        .get()
    : undefined;
  const settled =
    invoice.kind !== 'invoice' || invoice.status === 'cancelled' || invoice.status === 'refunded';
  return {
    kind: invoice.kind,
    locale: invoice.locale,
    currency: invoice.currency,
    number: invoice.status === 'draft' ? null : invoice.number,
    issuedOn: invoice.issuedOn,
    dueOn: invoice.dueOn,
    issuer: {
      ...party(issuerSnap, invoice.locale),
      logo: issuerOrg.logo,
      initials: initialsOf(issuerOrg.name),
      color: issuerOrg.color,
      // An issued document prints the footer it was issued with; a draft, today's.
      footer: invoice.issuer ? (invoice.issuer.footer ?? null) : issuerOrg.invoiceFooter,
      // A draft is not a request for payment: no payment part until it has its number and
      // its reference.
      // A QR reference is paid to the QR-IBAN when the issuer keeps one beside its IBAN.
      iban:
        invoice.status === 'draft'
          ? null
          : invoice.referenceType === 'QRR'
            ? (('qrIban' in issuerSnap ? issuerSnap.qrIban : null) ?? issuerSnap.iban)
            : issuerSnap.iban,
    },
    billTo: party(billSnap, invoice.locale),
    lines: lines.map((l) => ({
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      discountBp: l.discountBp,
      vatRateBp: l.vatRateBp,
      netMinor: l.netMinor,
      vatMinor: l.vatMinor,
      grossMinor: l.grossMinor,
    })),
    vatSummary: totals.vatSummary,
    totals: {
      netMinor: invoice.netMinor,
      vatMinor: invoice.vatMinor,
      grossMinor: invoice.grossMinor,
      paidMinor: invoice.kind === 'invoice' ? invoice.paidMinor : 0,
      dueMinor: settled ? 0 : Math.max(0, invoice.grossMinor - invoice.paidMinor),
    },
    reverseCharge: invoice.reverseCharge,
    paymentReference: { type: invoice.referenceType ?? 'NON', value: invoice.paymentReference },
    correctsNumber: corrects?.number ?? null,
    notes: invoice.notes,
  };
}

export function pdfFileName(doc: Pick<InvoiceDocument, 'number' | 'kind'>, id: string): string {
  return `${(doc.number ?? `draft-${id.slice(-8)}`).replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}

/**
 * The PDF renderer comes in with the first PDF: its libraries (pdfkit, fontkit, swissqrbill)
 * take ~0.8 s to load, which no command or host that never renders one should pay at start.
 */
async function renderPdf(doc: InvoiceDocument): Promise<Buffer> {
  const { invoicePdfBuffer } = await import('../export/pdf/invoice-pdf');
  return invoicePdfBuffer(doc);
}

export async function invoicePdf(
  ctx: Ctx,
  ref: { id?: string; number?: string; issuerOrganizationId?: string; actingOrganizationId?: string },
): Promise<{ fileName: string; bytes: Buffer }> {
  const invoice = ref.id
    ? getInvoice(ctx, ref.id, ref.actingOrganizationId)
    : getInvoiceByNumber(ctx, ref.number ?? '', ref.actingOrganizationId, ref.issuerOrganizationId);
  const doc = invoiceDocument(ctx, { id: invoice.id });
  return { fileName: pdfFileName(doc, invoice.id), bytes: await renderPdf(doc) };
}

export interface PackManifest {
  generatedAt: string;
  filters: InvoiceFilters;
  invoices: number;
  files: { path: string; bytes: number; sha256: string }[];
  totals: { currency: string; grossMinor: number; paidMinor: number }[];
  /**
   * Numbers consumed for the documents of the pack but carrying none (an issue that lost a race
   * to another device's issue of the same draft): with them every number is accounted for.
   */
  voids: {
    number: string;
    series: string;
    sequence: number;
    voidedOn: string;
    reason: string;
    invoiceId: string;
    winningNumber: string | null;
  }[];
}

function voidsOf(ctx: Ctx, ids: ReadonlySet<string>): PackManifest['voids'] {
  const rows = ctx.raw
    .prepare(
      `SELECT number, series, sequence, voided_on, reason, invoice_id, winning_number FROM invoice_voids
       WHERE invoice_id IN (SELECT value FROM json_each(?)) ORDER BY series, sequence`,
    )
    .all(JSON.stringify([...ids])) as {
    number: string;
    series: string;
    sequence: number;
    voided_on: string;
    reason: string;
    invoice_id: string;
    winning_number: string | null;
  }[];
  return rows.map((r) => ({
    number: r.number,
    series: r.series,
    sequence: r.sequence,
    voidedOn: r.voided_on,
    reason: r.reason,
    invoiceId: r.invoice_id,
    winningNumber: r.winning_number,
  }));
}

/**
 * A period pack: every PDF of the filtered invoices, the CSV, the XLSX and a manifest with a
 * checksum per file — in a folder, or zipped when `out` ends in .zip. Built in a staging
 * folder first and moved into place at the end, so a cancelled pack leaves nothing behind;
 * PDFs are rendered one at a time, so memory stays flat however many there are.
 */
export async function exportPack(
  ctx: Ctx,
  input: z.infer<typeof ExportPack>,
  options: ExportRunOptions = {},
): Promise<{ out: string; manifest: PackManifest }> {
  const filters = issuedOnly(scopedFilters(ctx, input));
  const zip = input.out.toLowerCase().endsWith('.zip');
  const out = assertWritableTarget(input.out, zip ? 'file' : 'folder');
  const staging = `${zip ? out.slice(0, -4) : out}.partial-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.join(staging, 'pdf'), { recursive: true });
  const total = countInvoices(ctx, filters);
  // Each PDF counts one step; the two spreadsheets count as a tenth of the rows each.
  const steps = total + Math.ceil(total / 5) + 1;
  let done = 0;
  const tick = (n = 1) => {
    done += n;
    options.onProgress?.(Math.min(done, steps), steps);
  };
  try {
    const totals = new Map<string, { grossMinor: number; paidMinor: number }>();
    // Two documents may share a number (several issuers' imported history, numbers from
    // before issuer codes): each still gets its own file, never one over the other.
    const written = new Set<string>();
    const packedIds = new Set<string>();
    for await (const row of invoiceExportRows(ctx, filters, 500)) {
      options.signal?.throwIfAborted();
      packedIds.add(row.id);
      const doc = invoiceDocument(ctx, { id: row.id });
      let name = pdfFileName(doc, row.id);
      if (written.has(name.toLowerCase())) name = `${name.slice(0, -4)}_${row.id}.pdf`;
      written.add(name.toLowerCase());
      await fs.promises.writeFile(path.join(staging, 'pdf', name), await renderPdf(doc));
      // Beside each issued invoice and credit note, its e-invoice XML in the customer's syntax
      // (a pro forma or a draft has none); the manifest lists both files.
      const xml = packEinvoiceXml(ctx, row.id);
      if (xml)
        await fs.promises.writeFile(
          path.join(staging, 'pdf', `${name.slice(0, -4)}.${xml.suffix}`),
          xml.text,
        );
      const sum = totals.get(row.currency) ?? { grossMinor: 0, paidMinor: 0 };
      sum.grossMinor += row.grossMinor;
      sum.paidMinor += row.kind === 'invoice' ? row.paidMinor : 0;
      totals.set(row.currency, sum);
      tick();
    }
    const csvStart = done;
    await exportInvoices(
      ctx,
      { ...input, filters, format: 'csv', out: path.join(staging, 'invoices.csv') },
      {
        signal: options.signal,
        onProgress: (n) => options.onProgress?.(Math.min(csvStart + Math.floor(n / 10), steps), steps),
      },
    );
    done = csvStart + Math.ceil(total / 10);
    const xlsxStart = done;
    await exportInvoices(
      ctx,
      { ...input, filters, format: 'xlsx', out: path.join(staging, 'invoices.xlsx') },
      {
        signal: options.signal,
        onProgress: (n) => options.onProgress?.(Math.min(xlsxStart + Math.floor(n / 10), steps), steps),
      },
    );
    done = xlsxStart + Math.ceil(total / 10);
    const files: PackManifest['files'] = [];
    for (const rel of listFiles(staging)) {
      const buffer = await fs.promises.readFile(path.join(staging, rel));
      files.push({
        path: rel,
        bytes: buffer.length,
        sha256: createHash('sha256').update(buffer).digest('hex'),
      });
    }
    // The manifest counts what was written, not what was planned: a pack is checked by it.
    const pdfs = files.filter((f) => f.path.startsWith('pdf/') && f.path.endsWith('.pdf')).length;
    if (pdfs !== written.size)
      fail('internal', { detail: `pack holds ${pdfs} PDFs for ${written.size} invoices` });
    const manifest: PackManifest = {
      generatedAt: ctx.clock.now().toISOString(),
      filters,
      invoices: written.size,
      files,
      totals: [...totals.entries()].map(([currency, v]) => ({ currency, ...v })),
      voids: packedIds.size === 0 ? [] : voidsOf(ctx, packedIds),
    };
    await fs.promises.writeFile(
      path.join(staging, 'manifest.json'),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    options.signal?.throwIfAborted();
    if (zip) {
      await zipFolder(staging, out);
      await fs.promises.rm(staging, { recursive: true, force: true });
    } else {
      await fs.promises.rm(out, { recursive: true, force: true });
      await fs.promises.rename(staging, out);
    }
    tick();
    return { out, manifest };
  } catch (error) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function listFiles(root: string, dir = ''): string[] {
  const result: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) result.push(...listFiles(root, rel));
    else result.push(rel);
  }
  return result.sort();
}

/** yazl reads each file only when its turn comes: the zip streams, memory stays flat. */
async function zipFolder(folder: string, out: string): Promise<void> {
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  for (const rel of listFiles(folder)) zip.addFile(path.join(folder, rel), rel);
  zip.end();
  const partial = `${out}.part`;
  await pipeline(zip.outputStream, fs.createWriteStream(partial));
  await fs.promises.rename(partial, out);
}
