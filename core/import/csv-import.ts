// CSV import: bytes → text → rows → validated values. Parsing and validation only; the
// caller persists `valid` rows. Every error carries the file's physical line number (the
// header is line 1; a quoted field spanning lines counts every line), so a user can find it
// in a text editor or in the spreadsheet's row numbers. Reading the file is csv-read.ts's.
import { decode, detectEncoding, type ParsedCsv, parseCsv, type TextEncoding } from './csv-read';
import { IMPORT_SCHEMAS, type ImportField, type ImportKind, suggestMapping } from './import-schemas';
import {
  type DateFormat,
  type DecimalMark,
  detectDateFormats,
  detectDecimalMarks,
  formatsAgree,
  parseAmount,
  parseDate,
} from './import-values';
import { type ImportError, type ImportValue, majorityMark, rowChecker } from './row-check';

export { detectDateFormats, detectDecimalMarks, parseAmount, parseDate } from './import-values';
export type { DateFormat, DecimalMark } from './import-values';
export { IMPORT_SCHEMAS, suggestMapping } from './import-schemas';
export type { ImportField, ImportKind, ImportSchema } from './import-schemas';
export { HIDDEN, hiddenCharacter, parseCountry, rowChecker } from './row-check';
export type { ImportError, ImportErrorCode, ImportValue, RowChecker } from './row-check';
export {
  type CsvWalk,
  DELIMITERS,
  decode,
  detectEncoding,
  notText,
  type ParsedCsv,
  type ParseErrorCode,
  parseCsv,
  type TextEncoding,
  walkCsv,
} from './csv-read';

// ---------------------------------------------------------------------------------------
// Validation

export interface ValidateOptions {
  dateFormat: DateFormat;
  decimal: DecimalMark;
}

export interface ValidationResult {
  valid: { line: number; values: Record<string, ImportValue> }[];
  errors: ImportError[];
  /** Required fields the mapping leaves without a column (every row then fails 'required'). */
  unmappedRequired: string[];
}

function validate(
  kind: ImportKind,
  parsed: ParsedCsv,
  mapping: Record<string, number | null>,
  dateFormat: DateFormat | null,
  decimal: DecimalMark | null,
): ValidationResult {
  const errors: ImportError[] = [];
  const checker = rowChecker(kind, parsed.headers.length, mapping, dateFormat, decimal, errors);
  const structural = new Map<number, string>();
  for (const e of parsed.errors)
    if (e.code !== 'UndetectableDelimiter' && !structural.has(e.line)) structural.set(e.line, e.code);
  const valid: ValidationResult['valid'] = [];
  for (const row of parsed.rows) {
    const values = checker.check(row.line, row.cells, structural.get(row.line) ?? null);
    if (values) valid.push({ line: row.line, values });
  }
  errors.sort((a, b) => a.line - b.line);
  return { valid, errors, unmappedRequired: checker.unmappedRequired };
}

/**
 * Checks every row against the kind's schema with the user's mapping and EXPLICIT formats.
 * Amounts become integer minor units, percentages basis points, dates ISO strings, enums
 * their canonical value, countries ISO codes. The first row with a unique key wins; a later
 * one is a 'duplicate' (with `firstLine`).
 */
export function validateRows(
  kind: ImportKind,
  parsed: ParsedCsv,
  mapping: Record<string, number | null>,
  options: ValidateOptions,
): ValidationResult {
  return validate(kind, parsed, mapping, options.dateFormat, options.decimal);
}

// ---------------------------------------------------------------------------------------
// Preview

export interface PreviewOptions {
  delimiter?: string;
  mapping?: Record<string, number | null>;
  dateFormat?: DateFormat;
  decimal?: DecimalMark;
  /** Rows shown. Default 20. */
  limit?: number;
}

export interface ImportPreview {
  encoding: TextEncoding;
  delimiter: string;
  headers: string[];
  mapping: Record<string, number | null>;
  /**
   * The date format used, or null when the file does not say and the user must choose among
   * `dateFormatCandidates` (dates are then shown as found, unchecked). Likewise `decimal`.
   * A file with no readable date (organizations have no date column) needs no choice: ISO.
   */
  dateFormat: DateFormat | null;
  dateFormatCandidates: DateFormat[];
  decimal: DecimalMark | null;
  decimalCandidates: DecimalMark[];
  totalRows: number;
  rows: { line: number; values: Record<string, ImportValue> }[];
  parseErrors: ParsedCsv['errors'];
  errors: ImportError[];
  unmappedRequired: string[];
}

function columnSamples(
  parsed: ParsedCsv,
  mapping: Record<string, number | null>,
  fields: ImportField[],
): string[] {
  const samples: string[] = [];
  for (const field of fields) {
    const index = mapping[field.key] ?? null;
    if (index === null) continue;
    for (const row of parsed.rows) {
      const cell = row.cells[index]?.trim();
      if (cell) samples.push(cell);
    }
  }
  return samples;
}

/**
 * Everything a mapping screen needs from the raw bytes: encoding, delimiter, suggested
 * mapping, the formats the data allows, the first `limit` mapped rows and ALL errors.
 * A format the user did not give is used only when the data leaves no choice (all dates
 * ISO, or every candidate reads every value alike); otherwise it is null and the candidates
 * say what to ask. Never a silent guess.
 */
export function previewImport(bytes: Buffer, kind: ImportKind, options: PreviewOptions = {}): ImportPreview {
  const encoding = detectEncoding(bytes);
  const parsed = parseCsv(decode(bytes, encoding), options.delimiter ? { delimiter: options.delimiter } : {});
  return analyseImport(parsed, encoding, kind, options).preview;
}

/**
 * The preview of an already parsed file, with the whole validation behind it: an import
 * reuses it instead of parsing and checking every row a second time.
 */
export function analyseImport(
  parsed: ParsedCsv,
  encoding: TextEncoding,
  kind: ImportKind,
  options: PreviewOptions = {},
): { preview: ImportPreview; validation: ValidationResult } {
  const schema = IMPORT_SCHEMAS[kind];
  const mapping = options.mapping ?? suggestMapping(kind, parsed.headers);

  // Values no format can read are errors whatever the choice: they do not vote.
  const dateSamples = columnSamples(
    parsed,
    mapping,
    schema.fields.filter((f) => f.type === 'date'),
  ).filter((v) => detectDateFormats([v]).length > 0);
  const dateFormatCandidates = detectDateFormats(dateSamples);
  let dateFormat: DateFormat | null = options.dateFormat ?? null;
  if (!dateFormat && dateSamples.length === 0) {
    // No readable date in the file (no date column, all empty, or all unreadable): there is
    // nothing to ask. ISO is reported, and any unreadable value is a bad_date under it.
    dateFormat = 'yyyy-mm-dd';
  } else if (
    !dateFormat &&
    dateFormatCandidates.length > 0 &&
    formatsAgree(dateSamples, dateFormatCandidates, parseDate)
  ) {
    dateFormat = dateFormatCandidates[0] ?? null;
  }

  const amountSamples = columnSamples(
    parsed,
    mapping,
    schema.fields.filter((f) => f.type === 'money' || f.type === 'percent'),
  )
    .map((s) => s.replace(/\s*%$/, ''))
    .filter((v) => detectDecimalMarks([v]).length > 0);
  const decimalCandidates = detectDecimalMarks(amountSamples);
  let decimal: DecimalMark | null = options.decimal ?? null;
  // With at most two decimals and thousands in threes, "1,234" can only be 1234 and "1,50"
  // only 1.50: a file is ambiguous only when it mixes both marks as decimals (no candidate).
  if (
    !decimal &&
    decimalCandidates.length > 0 &&
    formatsAgree(amountSamples, decimalCandidates, parseAmount)
  ) {
    decimal = decimalCandidates[0] ?? null;
  }
  // No mark reads every amount: the file mixes them. The mark most amounts are written with
  // is the file's, and the others are the errors ("1,234.50" among "1.234,50", never the
  // other way round).
  if (!decimal && decimalCandidates.length === 0) decimal = majorityMark(amountSamples);

  const result = validate(kind, parsed, mapping, dateFormat, decimal);
  const limit = options.limit ?? 20;
  const preview: ImportPreview = {
    encoding,
    delimiter: parsed.delimiter,
    headers: parsed.headers,
    mapping,
    dateFormat,
    dateFormatCandidates,
    decimal,
    decimalCandidates,
    totalRows: parsed.rows.length,
    rows: result.valid.slice(0, limit),
    parseErrors: parsed.errors,
    errors: result.errors,
    unmappedRequired: result.unmappedRequired,
  };
  return { preview, validation: result };
}
