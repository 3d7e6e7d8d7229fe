import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type BillingAddress, invoices, type Organization, organizations, tags } from '#db/schema/index';
import type { EinvoiceFormat } from '#common/enums';
import type { Currency, InvoiceStatus } from '#db/schema/index';
import { StoreError } from '#db/errors';
import { DOCUMENT_LOCALES } from '#common/enums';
import { addDays, todayIso } from '#common/dates';
import { fail, KontorError } from '#common/errors';
import { Id } from '#common/common.schema';
import { issuerCodeOf } from '#common/invoice-numbering';
import { minorToDecimal } from '#common/money';
import { compactIdentifier, isValidQrr, isValidScor } from '#common/payment-reference';
import {
  type DateFormat,
  type DecimalMark,
  decode,
  detectEncoding,
  notText,
  type ParsedCsv,
  type TextEncoding,
  type ImportKind,
  type ImportPreview,
  type ImportValue,
  parseCsv,
  previewImport,
  analyseImport,
  validateRows,
} from '../import/csv-import';
import { importErrorMessage } from '../import/import-messages';
import { translateError } from '#common/i18n/errors';
import { importMessages, importSummary } from '#common/i18n/import';
import { resolveLocale } from '#common/i18n/locale';
import { translate } from '#common/i18n/translate';
import { normalizeLabel } from '../import/import-schemas';
import type { Ctx } from './context';
import { defaultAddress } from './addresses.service';
import { type BulkInvoice, insertInvoicesBulk } from './invoice-bulk';
import { defaultLocale, snapshotOf, vatFor } from './invoices.service';
import { createOrganization } from './organizations.service';
import { createProduct } from './products.service';
import { getSettings } from './settings.service';
import { createTag } from './tags.service';

const Source = z.object({
  kind: z.enum(['organizations', 'products', 'invoices']),
  /** The file's bytes as base64: the page's upload, or what the CLI read (never a path). */
  contentBase64: z.string().max(200_000_000),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  mapping: z.record(z.string(), z.number().int().min(0).nullable()).optional(),
  dateFormat: z.enum(['yyyy-mm-dd', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy']).optional(),
  decimal: z.enum(['.', ',']).optional(),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
});

export const PreviewImport = Source;
export const RunImport = Source.and(
  z.object({
    dryRun: z.boolean().default(false),
    /** Import the valid rows and leave the rest; by default one bad row imports nothing. */
    onlyValid: z.boolean().default(false),
    issuerOrganizationId: Id.optional(),
    /** Keep invoices whose VAT is not a rate of the payer's country at that date (history from another tool). */
    acceptVatRates: z.boolean().default(false),
  }),
);

export interface RowError {
  line: number;
  field: string | null;
  code: string;
  value: string;
  message: string;
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  totalRows: number;
  imported: number;
  skipped: number;
  errors: RowError[];
  /** Set when nothing was written because of errors (all-or-nothing). */
  refused: boolean;
  /** The closing line in the person's language. */
  summary: string;
}

function summaryOf(report: Omit<ImportReport, 'summary'>, locale: 'en' | 'fr' | 'de'): string {
  const values = {
    errors: report.errors.length,
    rows: report.totalRows,
    imported: report.imported,
    skipped: report.skipped,
  };
  if (report.refused) return translate(importSummary, locale, 'refused', values);
  return (
    translate(importSummary, locale, report.dryRun ? 'dry' : 'done', values) +
    (report.skipped ? translate(importSummary, locale, 'skipped', values) : '')
  );
}

/**
 * What is wrong with the file as a whole, before any row is read: not text, empty, a header
 * without rows, a header named twice, a separator that leaves one column where another one
 * would split it. Each is refused with what it is, never "Line 1: Name is required".
 */
function checkFile(
  bytes: Buffer,
  encoding: TextEncoding,
  parsed: ParsedCsv,
  delimiter: string | undefined,
): void {
  const what = notText(bytes, encoding);
  if (what) fail('import_not_text', { what });
  if (parsed.headers.every((h) => h === '')) fail('import_empty');
  if (delimiter && parsed.headers.length === 1) {
    const header = parsed.headers[0] ?? '';
    const found = [',', ';', '\t', '|'].find((d) => d !== delimiter && header.includes(d));
    if (found)
      fail('import_delimiter_wrong', {
        given: delimiter === '\t' ? 'TAB' : delimiter,
        found: found === '\t' ? 'TAB' : found,
      });
  }
  const seen = new Map<string, number>();
  parsed.headers.forEach((header, i) => {
    const label = normalizeLabel(header);
    if (!label) return;
    const first = seen.get(label);
    if (first !== undefined)
      fail('import_header_repeated', { header, first: columnName(first), second: columnName(i) });
    seen.set(label, i);
  });
  if (parsed.rows.length === 0) fail('import_header_only', { headers: parsed.headers.join(', ') });
}

/** A spreadsheet's column letter: 0 → A, 27 → AB. */
function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

function bytesOf(input: { contentBase64: string }): Buffer {
  return Buffer.from(input.contentBase64, 'base64');
}

export function previewImportFile(
  _ctx: Ctx,
  input: z.infer<typeof PreviewImport>,
): ImportPreview & { messages: string[] } {
  const preview = previewImport(bytesOf(input), input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  const locale = resolveLocale(input.locale);
  return { ...preview, messages: preview.errors.map((e) => importErrorMessage(e, input.kind, locale)) };
}

class Rollback extends Error {}

/**
 * Imports a CSV file: every row is parsed, validated and then written through the same rules
 * as a person typing it (VAT numbers checked, tag names unique…). All or nothing by default:
 * a file with any bad row writes nothing and reports every bad row with its line number.
 * The dates' format is never guessed: an ambiguous file needs `dateFormat`.
 */
export function runImport(ctx: Ctx, input: z.infer<typeof RunImport>): ImportReport {
  const locale = resolveLocale(input.locale);
  const bytes = bytesOf(input);
  const encoding = detectEncoding(bytes);
  if (bytes.length === 0) fail('import_empty');
  const early = notText(bytes, encoding);
  if (early) fail('import_not_text', { what: early });
  const parsed = parseCsv(decode(bytes, encoding), input.delimiter ? { delimiter: input.delimiter } : {});
  checkFile(bytes, encoding, parsed, input.delimiter);
  // One parse, one check of every row: the preview's validation is the import's when the
  // formats are settled (a file that leaves the decimal mark open is checked again with '.').
  const analysed = analyseImport(parsed, encoding, input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  const preview = analysed.preview;
  if (!preview.dateFormat) {
    fail('import_date_format_needed', { candidates: preview.dateFormatCandidates.join(', ') });
  }
  if (!preview.decimal && !input.decimal && preview.decimalCandidates.length > 1) {
    fail('import_decimal_needed', { candidates: preview.decimalCandidates.join(' ') });
  }
  const mapping = preview.mapping;
  const validation = preview.decimal
    ? analysed.validation
    : validateRows(input.kind, parsed, mapping, {
        dateFormat: preview.dateFormat as DateFormat,
        decimal: (input.decimal ?? '.') as DecimalMark,
      });
  const errors: RowError[] = validation.errors.map((e) => ({
    line: e.line,
    field: e.field,
    code: e.code,
    value: e.value,
    message: importErrorMessage(e, input.kind, locale),
  }));
  const report: ImportReport = {
    kind: input.kind,
    dryRun: input.dryRun,
    totalRows: parsed.rows.length,
    imported: 0,
    skipped: 0,
    errors,
    refused: false,
    summary: '',
  };
  const rowFailed = (line: number, field: string | null, error: unknown, value = '') => {
    const code = error instanceof KontorError || error instanceof StoreError ? error.code : 'internal';
    const params = error instanceof KontorError || error instanceof StoreError ? error.params : {};
    errors.push({
      line,
      field,
      code,
      value,
      message: `${translate(importMessages, locale, 'line')} ${line}${locale === 'fr' ? ' :' : ':'} ${translateError(code, params, locale)}`,
    });
  };

  try {
    ctx.raw.transaction(() => {
      if (input.kind === 'invoices') importInvoices(ctx, validation.valid, input, rowFailed, report);
      else {
        for (const row of validation.valid) {
          try {
            // Each row is its own savepoint: with onlyValid, a refused row leaves no trace.
            ctx.raw.transaction(() => importRow(ctx, input.kind, row.values))();
            report.imported++;
          } catch (error) {
            rowFailed(row.line, null, error);
          }
        }
      }
      errors.sort((a, b) => a.line - b.line);
      if (errors.length > 0 && !input.onlyValid) throw new Rollback();
      if (input.dryRun) throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (errors.length > 0 && !input.onlyValid) {
      report.refused = true;
      report.imported = 0;
    }
  }
  const badLines = new Set(errors.map((e) => e.line));
  report.skipped = input.onlyValid ? badLines.size : report.refused ? report.totalRows : 0;
  report.summary = summaryOf(report, locale);
  return report;
}

const str = (v: ImportValue | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

function organizationByName(ctx: Ctx, name: string): Organization {
  const org = ctx.db
    .select()
    .from(organizations)
    .where(
      and(
        isNull(organizations.deletedAt),
        sql`(${organizations.name} = ${name} collate nocase or ${organizations.id} = ${name})`,
      ),
    )
    .get();
  return org ?? fail('import_organization_unknown', { name });
}

function importRow(ctx: Ctx, kind: ImportKind, v: Record<string, ImportValue>): void {
  if (kind === 'organizations') {
    // The same company twice is a mistake in the file or a second import: refused by its tax id.
    for (const number of [str(v.vatNumber), str(v.uid)]) {
      if (!number) continue;
      const compact = number.replace(/[\s.-]/g, '').toUpperCase();
      const holder = ctx.raw
        .prepare(
          `SELECT name FROM organizations WHERE deleted_at IS NULL AND (
             upper(replace(replace(replace(coalesce(vat_number, ''), ' ', ''), '.', ''), '-', '')) = ?
             OR upper(replace(replace(replace(coalesce(uid, ''), ' ', ''), '.', ''), '-', '')) = ?)`,
        )
        .pluck()
        .get(compact, compact) as string | undefined;
      if (holder) fail('import_tax_id_exists', { number, name: holder });
    }
    createOrganization(ctx, {
      kind: (str(v.kind) as 'company' | 'individual' | null) ?? 'company',
      name: String(v.name),
      country: String(v.country),
      currency: String(v.currency) as Currency,
      vatNumber: str(v.vatNumber),
      uid: str(v.uid),
      siren: str(v.siren),
      siret: str(v.siret),
      leitwegId: str(v.leitwegId),
      peppolId: str(v.peppolId),
      shortName: str(v.shortName),
      einvoiceFormat: (str(v.einvoiceFormat) as EinvoiceFormat | null) ?? null,
    });
    return;
  }
  const org = organizationByName(ctx, String(v.organization));
  const tagIds: string[] = [];
  for (const name of (str(v.tags) ?? '')
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter(Boolean)) {
    const existing = ctx.db
      .select({ id: tags.id })
      .from(tags)
      .where(
        and(
          eq(tags.organizationId, org.id),
          isNull(tags.deletedAt),
          sql`${tags.name} = ${name} collate nocase`,
        ),
      )
      .get();
    tagIds.push(existing?.id ?? createTag(ctx, { organizationId: org.id, name }).id);
  }
  createProduct(ctx, {
    organizationId: org.id,
    kind: String(v.kind) as never,
    name: String(v.name),
    publicPriceMinor: Number(v.price),
    billingFrequency: String(v.billingFrequency) as never,
    nextRenewalOn: str(v.nextRenewalOn) ?? addDays(todayIso(ctx.clock.now()), 365),
    autoRenew:
      v.autoRenew === null || v.autoRenew === undefined
        ? true
        : Boolean(v.autoRenew === true || v.autoRenew === 'true'),
    status: (str(v.status) as never) ?? 'active',
    billingAddressId: null,
    tagIds,
  });
}

/** Swiss rates before 2024 (standard, reduced, lodging): history is checked against its own year. */
const FORMER_SWISS_RATES: { until: string; rates: number[] }[] = [
  { until: '2017-12-31', rates: [800, 250, 380] },
  { until: '2023-12-31', rates: [770, 250, 370] },
];

function ratesOn(country: string, date: string, allowed: number[]): number[] {
  if (country !== 'CH' && country !== 'LI') return allowed;
  const former = FORMER_SWISS_RATES.find((f) => date <= f.until);
  return former ? [...former.rates, 0] : allowed;
}

const money = (minor: number, currency: string) =>
  `${minorToDecimal(minor, currency as Currency)} ${currency}`;

/**
 * Invoices come in through the bulk path (a million rows import at close to the raw insert
 * rate; it records the change log like every write). A row with a status is history: the
 * document comes in ISSUED, immutable like any issued invoice — its own number kept in a
 * series of its source ("import:" + the issuer's code, never one of Kontor's), its dates,
 * status, due date and reference, what was paid as a payment (on the file's payment date, or
 * the import date), a credit note with its sign and the invoice it corrects. A row without a
 * status comes in as a draft (the file's number kept as its import reference), as before.
 * Amounts are questioned: net + VAT must make the total, the VAT must be a rate of the
 * payer's country at that date (--accept-vat-rates keeps another), a negative amount is only
 * for a credit note, the currency must be the payer's. A number the issuer already holds —
 * imported before, or issued here — is refused, never overwritten.
 */
function importInvoices(
  ctx: Ctx,
  rows: { line: number; values: Record<string, ImportValue> }[],
  input: z.infer<typeof RunImport>,
  rowFailed: (line: number, field: string | null, error: unknown, value?: string) => void,
  report: ImportReport,
): void {
  const issuerId = input.issuerOrganizationId ?? getSettings(ctx).providerOrganizationId;
  if (!issuerId) fail('issuer_missing');
  const issuer =
    ctx.db.select().from(organizations).where(eq(organizations.id, issuerId)).get() ?? fail('issuer_missing');
  const issuerAddress = defaultAddress(ctx.db, issuer.id);
  const issuerSnapshot = snapshotOf(issuer, issuerAddress);
  const today = todayIso(ctx.clock.now());
  const orgCache = new Map<string, Organization | null>();
  const addressCache = new Map<string, BillingAddress | undefined>();
  const taken = ctx.raw.prepare(
    `SELECT id, kind FROM invoices WHERE issuer_organization_id = ? AND (import_ref = ? OR number = ?) AND deleted_at IS NULL LIMIT 1`,
  );
  const inFile = new Map<string, string>();
  const accepted: BulkInvoice[] = [];
  for (const row of rows) {
    const v = row.values;
    const number = String(v.number);
    const orgName = String(v.organization);
    if (!orgCache.has(orgName)) {
      try {
        orgCache.set(orgName, organizationByName(ctx, orgName));
      } catch {
        orgCache.set(orgName, null);
      }
    }
    const org = orgCache.get(orgName);
    if (!org) {
      rowFailed(
        row.line,
        'organization',
        new KontorError('import_organization_unknown', { name: orgName }),
        orgName,
      );
      continue;
    }
    if (taken.get(issuer.id, number, number) || inFile.has(number)) {
      rowFailed(row.line, 'number', new KontorError('import_number_exists', { number }), number);
      continue;
    }
    const kind = (str(v.kind) as BulkInvoice['kind'] | null) ?? 'invoice';
    const currency = (str(v.currency) as Currency | null) ?? org.currency;
    if (currency !== org.currency) {
      rowFailed(
        row.line,
        'currency',
        new KontorError('import_currency_mismatch', { currency, name: org.name, expected: org.currency }),
        currency,
      );
      continue;
    }
    const fileGross = Number(v.grossAmount);
    const fileNet = v.netAmount === null || v.netAmount === undefined ? null : Number(v.netAmount);
    const fileVat = v.vatAmount === null || v.vatAmount === undefined ? null : Number(v.vatAmount);
    // A credit note takes money back: Kontor's export writes it negative, other tools often
    // positive. Anything else negative is a correction in disguise.
    const negative = [fileGross, fileNet, fileVat].find((x): x is number => x !== null && x < 0);
    if (negative !== undefined && kind !== 'credit_note') {
      const field = negative === fileGross ? 'grossAmount' : negative === fileNet ? 'netAmount' : 'vatAmount';
      rowFailed(
        row.line,
        field,
        new KontorError('import_negative_amount', { value: money(negative, currency) }),
        String(negative),
      );
      continue;
    }
    const gross = Math.abs(fileGross);
    let net = fileNet === null ? null : Math.abs(fileNet);
    let vat = fileVat === null ? null : Math.abs(fileVat);
    if (net !== null && vat !== null && net + vat !== gross) {
      rowFailed(
        row.line,
        'grossAmount',
        new KontorError('import_totals_mismatch', {
          net: money(net, currency),
          vat: money(vat, currency),
          gross: money(gross, currency),
        }),
        String(fileGross),
      );
      continue;
    }
    if (net === null && vat !== null) net = gross - vat;
    if (vat === null && net !== null) vat = gross - net;
    const decision = vatFor(issuer, org);
    const allowed = ratesOn(org.country, String(v.issuedOn), decision.allowedRatesBp);
    const givenRate = v.vatRate === null || v.vatRate === undefined ? null : Number(v.vatRate);
    let rate: number;
    if (net === null || vat === null) {
      // Only a total: the payer's default rate splits it, as the lines of a draft would be.
      rate = givenRate ?? decision.defaultRateBp;
      net = Math.round((gross * 10_000) / (10_000 + rate));
      vat = gross - net;
    } else {
      // The rate whose VAT on the net is nearest the file's (several rates fold into one line).
      const candidates = givenRate !== null ? [givenRate] : allowed;
      rate = candidates.reduce((best, r) =>
        Math.abs(Math.round((net as number) * r) / 10_000 - (vat as number)) <
        Math.abs(Math.round((net as number) * best) / 10_000 - (vat as number))
          ? r
          : best,
      );
      const effective = net === 0 ? 0 : (vat * 10_000) / net;
      const fits = (r: number) => Math.abs(Math.round(((net as number) * r) / 10_000) - (vat as number)) <= 1;
      const within =
        allowed.some(fits) ||
        (effective >= Math.min(...allowed) - 1 &&
          effective <= Math.max(...allowed) + 1 &&
          allowed.length > 1);
      if ((!within || (givenRate !== null && !allowed.includes(givenRate))) && !input.acceptVatRates) {
        rowFailed(
          row.line,
          'vatAmount',
          new KontorError('import_vat_rate_not_allowed', {
            vat: money(vat, currency),
            net: money(net, currency),
            rate: `${(effective / 100).toFixed(2)} %`,
            country: org.country,
            date: String(v.issuedOn),
            allowed: allowed.map((r) => `${r / 100} %`).join(', '),
          }),
          String(fileVat ?? ''),
        );
        continue;
      }
    }
    const status = str(v.status) as InvoiceStatus | null;
    const history = status !== null && status !== 'draft';
    let correctsInvoiceId: string | null = null;
    const corrects = str(v.corrects);
    if (corrects) {
      const target =
        inFile.get(corrects) ?? (taken.get(issuer.id, corrects, corrects) as { id: string } | undefined)?.id;
      if (!target) {
        rowFailed(
          row.line,
          'corrects',
          new KontorError('import_corrected_unknown', { number: corrects }),
          corrects,
        );
        continue;
      }
      correctsInvoiceId = target;
    }
    if (!addressCache.has(org.id)) addressCache.set(org.id, defaultAddress(ctx.db, org.id));
    const address = addressCache.get(org.id);
    const paid = v.paidAmount === null || v.paidAmount === undefined ? 0 : Math.abs(Number(v.paidAmount));
    const id = ctx.ids.next();
    inFile.set(number, id);
    const reference = str(v.paymentReference);
    const compactReference = reference ? compactIdentifier(reference) : null;
    const line = {
      productId: null,
      description: number,
      quantityMilli: 1000,
      unitPriceMinor: net,
      discountBp: 0,
      vatRateBp: rate,
      ...(history ? { amounts: { netMinor: net, vatMinor: vat, grossMinor: gross } } : {}),
    };
    if (!history) {
      accepted.push({
        id,
        kind: kind === 'credit_note' ? 'credit_note' : 'invoice',
        status: 'draft',
        organizationId: org.id,
        productsOrganizationId: org.id,
        issuerOrganizationId: issuer.id,
        billingAddressId: null,
        currency,
        locale: defaultLocale(org, address?.postalCode, issuer),
        issuedOn: String(v.issuedOn),
        dueOn: str(v.dueOn),
        series: null,
        sequence: null,
        number: null,
        billTo: null,
        issuer: null,
        reverseCharge: false,
        paidMinor: 0,
        referenceType: null,
        paymentReference: null,
        notes: null,
        importRef: number,
        lines: [line],
      });
      continue;
    }
    // A credit note is born settled (invoices/credit-notes.service.ts): nothing is paid on it.
    const paidMinor = kind === 'credit_note' ? gross : Math.min(paid, gross);
    accepted.push({
      id,
      kind,
      status: status as InvoiceStatus,
      organizationId: org.id,
      productsOrganizationId: org.id,
      issuerOrganizationId: issuer.id,
      billingAddressId: address?.id ?? null,
      currency,
      locale: defaultLocale(org, address?.postalCode, issuer),
      issuedOn: String(v.issuedOn),
      dueOn: str(v.dueOn),
      // The source's series: never one Kontor numbers in (those carry a device code).
      series: `import:${issuerCodeOf(issuer)}`,
      sequence: null,
      number,
      billTo: snapshotOf(org, address),
      issuer: issuerSnapshot,
      reverseCharge: decision.reverseCharge,
      paidMinor,
      referenceType: compactReference
        ? isValidQrr(compactReference)
          ? 'QRR'
          : isValidScor(compactReference)
            ? 'SCOR'
            : 'NON'
        : kind === 'credit_note'
          ? 'NON'
          : null,
      paymentReference:
        compactReference && (isValidQrr(compactReference) || isValidScor(compactReference))
          ? compactReference
          : reference,
      notes: null,
      importRef: number,
      correctsInvoiceId,
      lines: [line],
      payments:
        kind !== 'credit_note' && paidMinor > 0
          ? [
              {
                amountMinor: paidMinor,
                receivedOn: str(v.paidOn) ?? today,
                method: 'bank_transfer',
                reference: compactReference,
              },
            ]
          : [],
    });
  }
  if (report.errors.length > 0 && !input.onlyValid) return;
  report.imported = insertInvoicesBulk(ctx, accepted, { action: 'import.invoices' }).inserted;
}

export function importedInvoiceCount(ctx: Ctx): number {
  return (
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(invoices)
      .where(sql`${invoices.importRef} is not null`)
      .get()?.n ?? 0
  );
}
