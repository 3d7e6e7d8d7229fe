import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { invoices, organizations, tags } from '#db/schema/index';
import type { EinvoiceFormat } from '#common/enums';
import type { Currency, InvoiceStatus } from '#db/schema/index';
import { StoreError } from '#db/errors';
import { DOCUMENT_LOCALES } from '#common/enums';
import { addDays, todayIso } from '#common/dates';
import { fail, KontorError } from '#common/errors';
import { Id } from '#common/common.schema';
import {
  type DateFormat,
  type DecimalMark,
  decode,
  detectEncoding,
  type ImportKind,
  type ImportPreview,
  type ImportValue,
  parseCsv,
  previewImport,
  suggestMapping,
  validateRows,
} from '../import/csv-import';
import { importErrorMessage } from '../import/import-messages';
import { translateError } from '#common/i18n/errors';
import { importMessages } from '#common/i18n/import';
import { resolveLocale } from '#common/i18n/locale';
import { translate } from '#common/i18n/translate';
import type { Ctx } from './context';
import { type BulkInvoice, insertInvoicesBulk } from './invoice-bulk';
import { defaultLocale } from './invoices.service';
import { createOrganization } from './organizations.service';
import { createProduct } from './products.service';
import { getSettings } from './settings.service';
import { createTag } from './tags.service';

const Source = z
  .object({
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
  const parsed = parseCsv(
    decode(bytes, detectEncoding(bytes)),
    input.delimiter ? { delimiter: input.delimiter } : {},
  );
  const preview = previewImport(bytes, input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  if (!preview.dateFormat) {
    fail('import_date_format_needed', { candidates: preview.dateFormatCandidates.join(', ') });
  }
  if (!preview.decimal && !input.decimal && preview.decimalCandidates.length > 1) {
    fail('import_decimal_needed', { candidates: preview.decimalCandidates.join(' ') });
  }
  const mapping = input.mapping ?? suggestMapping(input.kind, parsed.headers);
  const validation = validateRows(input.kind, parsed, mapping, {
    dateFormat: preview.dateFormat as DateFormat,
    decimal: (preview.decimal ?? input.decimal ?? '.') as DecimalMark,
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
  };
  const rowFailed = (line: number, field: string | null, error: unknown, value = '') => {
    const code = error instanceof KontorError || error instanceof StoreError ? error.code : 'internal';
    const params = error instanceof KontorError || error instanceof StoreError ? error.params : {};
    errors.push({
      line,
      field,
      code,
      value,
      message: `${translate(importMessages, locale, 'line')} ${line}: ${translateError(code, params, locale)}`,
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
  return report;
}

const str = (v: ImportValue | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

function organizationByName(ctx: Ctx, name: string): { id: string; currency: Currency; country: string } {
  const org = ctx.db
    .select({ id: organizations.id, currency: organizations.currency, country: organizations.country })
    .from(organizations)
    .where(
      and(
        isNull(organizations.deletedAt),
        sql`(${organizations.name} = ${name} collate nocase or ${organizations.id} = ${name})`,
      ),
    )
    .get();
  return org ?? fail('organization_not_found', { name });
}

function importRow(ctx: Ctx, kind: ImportKind, v: Record<string, ImportValue>): void {
  if (kind === 'organizations') {
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

/**
 * Invoices come in as drafts, through the bulk path (a million rows import at close to the
 * raw insert rate). The file's number is kept as the draft's import reference; a number that
 * an invoice already carries — imported before, or issued here — is refused, never overwritten.
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
  const orgCache = new Map<string, { id: string; currency: Currency; country: string } | null>();
  const taken = ctx.raw.prepare(
    `SELECT 1 FROM invoices WHERE issuer_organization_id = ? AND (import_ref = ? OR number = ?) LIMIT 1`,
  );
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
        new KontorError('organization_not_found', { name: orgName }),
        orgName,
      );
      continue;
    }
    if (taken.get(issuer.id, number, number)) {
      rowFailed(row.line, 'number', new KontorError('import_number_exists', { number }), number);
      continue;
    }
    const gross = Number(v.grossAmount);
    const vatRateBp = v.vatRate === null || v.vatRate === undefined ? null : Number(v.vatRate);
    const net = v.netAmount === null || v.netAmount === undefined ? null : Number(v.netAmount);
    // One line carrying the file's amounts: net and rate when given, else the gross at 0 %.
    const lineNet = net ?? gross;
    const rate = vatRateBp ?? (net !== null && net !== 0 ? Math.round(((gross - net) * 10_000) / net) : 0);
    accepted.push({
      kind: (str(v.kind) as BulkInvoice['kind'] | null) === 'credit_note' ? 'credit_note' : 'invoice',
      status: 'draft' satisfies InvoiceStatus,
      organizationId: org.id,
      productsOrganizationId: org.id,
      issuerOrganizationId: issuer.id,
      billingAddressId: null,
      currency: (str(v.currency) as Currency | null) ?? org.currency,
      locale: defaultLocale(org.country),
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
      lines: [
        {
          productId: null,
          description: number,
          quantityMilli: 1000,
          unitPriceMinor: lineNet,
          discountBp: 0,
          vatRateBp: rate,
        },
      ],
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
