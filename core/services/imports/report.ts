// What every import shares: its input (the file and the choices the person made), its report
// and closing line, the checks of the file as a whole, and how a refused row is told.
import { z } from 'zod';
import { Id } from '#common/common.schema';
import { DOCUMENT_LOCALES } from '#common/enums';
import { fail, KontorError } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { importFieldLabels, importMessages, importSummary } from '#common/i18n/import';
import type { Locale } from '#common/i18n/locale';
import { lookup, translate } from '#common/i18n/translate';
import { StoreError } from '#db/errors';
import { type ImportKind, notText, type ParsedCsv, type TextEncoding } from '../../import/csv-import';
import { normalizeLabel } from '../../import/import-schemas';

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

/** The choices a person makes beside the file: the preview checks with them as the run will. */
const Choices = z.object({
  issuerOrganizationId: Id.optional(),
  // The checks a person may overrule, each named by the message that refuses (--accept-…
  // in the CLI, a box of the same name in the app's import dialog); every other check is
  // a refusal with no way around it.
  /** Keep invoices whose VAT is not a rate of the payer's country at that date (history from another tool). */
  acceptVatRates: z.boolean().default(false),
  /** Keep invoices in a currency other than the payer's (a customer once billed in euros). */
  acceptCurrencies: z.boolean().default(false),
  /** Import organizations whose VAT number or UID another one holds (a VAT group, branches). */
  acceptDuplicateTaxIds: z.boolean().default(false),
});

export const PreviewImport = Source.and(Choices);
export const RunImport = Source.and(Choices).and(
  z.object({
    dryRun: z.boolean().default(false),
    /** Import the valid rows and leave the rest; by default one bad row imports nothing. */
    onlyValid: z.boolean().default(false),
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

export function summaryOf(report: Omit<ImportReport, 'summary'>, locale: 'en' | 'fr' | 'de'): string {
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
export function checkFile(
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

export class Rollback extends Error {}

/**
 * How a refused row is told: its line and, when one column is at fault, that column as the
 * mapping screen names it, then the refusal's own sentence (which gives the value), in the
 * person's language: "Ligne 5 (Devise) : La devise EUR n’est pas celle de…".
 */
export function rowFailure(errors: RowError[], locale: Locale, kind: ImportKind) {
  const lineWord = translate(importMessages, locale, 'line');
  const colon = locale === 'fr' ? ' :' : ':';
  return (line: number, field: string | null, error: unknown, value = ''): void => {
    const known = error instanceof KontorError || error instanceof StoreError;
    const code = known ? error.code : 'internal';
    const params = known ? error.params : {};
    const column = field ? (lookup(importFieldLabels, locale, `${kind}.${field}`) ?? field) : null;
    errors.push({
      line,
      field,
      code,
      value,
      message: `${lineWord} ${line}${column ? ` (${column})` : ''}${colon} ${translateError(code, params, locale)}`,
    });
  };
}

export type RowFailed = ReturnType<typeof rowFailure>;
