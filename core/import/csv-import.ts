// CSV import: bytes → text → rows → validated values. Parsing and validation only; the
// caller persists `valid` rows. Every error carries the file's physical line number (the
// header is line 1; a quoted field spanning lines counts every line), so a user can find it
// in a text editor or in the spreadsheet's row numbers.
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type IconvLite from 'iconv-lite';
import type Papaparse from 'papaparse';
import { COUNTRY_CODES, isCountryCode } from '#common/countries';
import { unneutraliseText } from '../export/csv/formula-guard';
import {
  IMPORT_SCHEMAS,
  type ImportField,
  type ImportKind,
  normalizeLabel,
  suggestMapping,
} from './import-schemas';
import {
  type DateFormat,
  type DecimalMark,
  detectDateFormats,
  detectDecimalMarks,
  formatsAgree,
  parseAmount,
  parseDate,
  parseInteger,
  parsePercent,
} from './import-values';

// papaparse and iconv-lite (tens of ms to load) serve only when a file is read: each is
// required on its first use, not when the router (which reaches this module) starts.
// Synchronous, because reading a file here is; both are CommonJS packages.
const requireHere = createRequire(import.meta.url);
let papaparse: typeof Papaparse | undefined;
let iconvLite: typeof IconvLite | undefined;
const papa = (): typeof Papaparse => (papaparse ??= requireHere('papaparse') as typeof Papaparse);
const iconv = (): typeof IconvLite => (iconvLite ??= requireHere('iconv-lite') as typeof IconvLite);

export { detectDateFormats, detectDecimalMarks, parseAmount, parseDate } from './import-values';
export type { DateFormat, DecimalMark } from './import-values';
export { IMPORT_SCHEMAS, suggestMapping } from './import-schemas';
export type { ImportField, ImportKind, ImportSchema } from './import-schemas';

// ---------------------------------------------------------------------------------------
// Encoding

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * Without a BOM, UTF-16 shows itself by its zero bytes: CSV text is mostly ASCII, so one byte
 * of each pair is 0 — the odd ones in little-endian, the even ones in big-endian.
 */
function utf16Without(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.3 && even < pairs * 0.05) return 'utf-16le';
  if (even > pairs * 0.3 && odd < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * A BOM decides (UTF-8, UTF-16LE — Excel's "Unicode text" — or UTF-16BE); then UTF-16 without
 * a BOM by its zero bytes; then bytes that are valid UTF-8 are UTF-8 (Windows-1252 text with
 * any accented letter almost never is), and everything else is Windows-1252 — what Excel
 * writes for "CSV" on a Western European Windows.
 */
export function detectEncoding(bytes: Buffer): TextEncoding {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const wide = utf16Without(bytes);
  if (wide) return wide;
  if (isUtf8(bytes)) return 'utf-8';
  return 'windows-1252';
}

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'ZIP archive (an XLSX or ODS spreadsheet?)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'old Excel/Office file (XLS)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'SQLite database' },
];

/**
 * What a file that is not text is, or null when it is text: a known signature, or control
 * bytes no text file holds (NUL outside UTF-16, or many others). A PNG named .csv is called a
 * PNG image, not "Line 1: Name is required".
 */
export function notText(bytes: Buffer, encoding: TextEncoding = detectEncoding(bytes)): string | null {
  for (const s of SIGNATURES) if (s.bytes.every((b, i) => bytes[i] === b)) return s.what;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return null;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return 'binary file';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > n * 0.05 ? 'binary file' : null;
}

/** The file's text, BOM removed. */
export function decode(bytes: Buffer, encoding: TextEncoding = detectEncoding(bytes)): string {
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return iconv().decode(bytes, 'utf-8', { stripBOM: true });
    case 'utf-16le':
      return iconv().decode(bytes, 'utf-16le', { stripBOM: true });
    case 'utf-16be':
      return iconv().decode(bytes, 'utf-16be', { stripBOM: true });
    case 'windows-1252':
      return iconv().decode(bytes, 'windows-1252');
  }
}

// ---------------------------------------------------------------------------------------
// Parsing

export type ParseErrorCode =
  | 'MissingQuotes'
  | 'InvalidQuotes'
  | 'TooFewFields'
  | 'TooManyFields'
  | 'UndetectableDelimiter';

export interface ParsedCsv {
  delimiter: string;
  headers: string[];
  rows: { line: number; cells: string[] }[];
  errors: { line: number; code: ParseErrorCode; message?: string }[];
}

export const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Parses CSV text with papaparse. The delimiter is detected among , ; TAB | unless given.
 * Blank lines are skipped (their line numbers still count). Rows whose field count differs
 * from the header's are kept, with a TooFewFields / TooManyFields error on their line.
 */
export function parseCsv(text: string, options: { delimiter?: string } = {}): ParsedCsv {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: { line: number; cells: string[] }[] = [];
  const errors: ParsedCsv['errors'] = [];
  let headers: string[] | null = null;
  let delimiter = options.delimiter ?? '';
  // Physical line of the current row's first character: count line breaks from the previous
  // row start to this one (CRLF, LF and lone CR each end a line, as editors count them).
  let scanned = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    for (let i = scanned; i < offset; i++) {
      const c = input.charCodeAt(i);
      if (c === 10 || (c === 13 && input.charCodeAt(i + 1) !== 10)) line++;
    }
    scanned = Math.max(scanned, offset);
    return line;
  };
  let rowStart = 0;

  // The delimiter is guessed on the first rows with blank lines ignored (papaparse counts a
  // blank line as a one-field row, which can defeat its guess); the real parse keeps blank
  // lines so that every row's position, hence its line number, is known.
  if (!delimiter) {
    const guess = papa().parse<string[]>(input.slice(0, 64 * 1024), {
      delimitersToGuess: DELIMITERS,
      skipEmptyLines: 'greedy',
      preview: 20,
    });
    delimiter = guess.meta.delimiter;
  }

  papa().parse<string[]>(input, {
    delimiter,
    skipEmptyLines: false,
    step: (result) => {
      const cells = result.data;
      const startLine = lineAt(rowStart);
      rowStart = result.meta.cursor;
      for (const e of result.errors) {
        if (e.code === 'UndetectableDelimiter') continue;
        errors.push({ line: startLine, code: e.code as ParseErrorCode, message: e.message });
      }
      if (cells.every((c) => c.trim() === '')) return; // blank line, or only delimiters
      if (headers === null) {
        headers = cells.map((h) => h.trim());
        return;
      }
      // An unterminated quote already explains a short row (it swallowed the rest of the file).
      const quoteTrouble = result.errors.some(
        (e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes',
      );
      if (!quoteTrouble && cells.length < headers.length) {
        errors.push({
          line: startLine,
          code: 'TooFewFields',
          message: `expected ${headers.length} fields, found ${cells.length}`,
        });
      } else if (!quoteTrouble && cells.length > headers.length) {
        errors.push({
          line: startLine,
          code: 'TooManyFields',
          message: `expected ${headers.length} fields, found ${cells.length}`,
        });
      }
      rows.push({ line: startLine, cells });
    },
  });
  if (!options.delimiter && (headers ?? []).length <= 1 && input.trim() !== '') {
    // papaparse found nothing better than its default: say so rather than import one column.
    errors.unshift({
      line: 1,
      code: 'UndetectableDelimiter',
      message: 'no , ; TAB or | separates the columns',
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { delimiter: delimiter || ',', headers: headers ?? [], rows, errors };
}

// ---------------------------------------------------------------------------------------
// Validation

export type ImportErrorCode =
  | 'bad_characters'
  | 'required'
  | 'bad_date'
  | 'bad_amount'
  | 'bad_enum'
  | 'bad_country'
  | 'duplicate'
  | 'bad_row'
  | 'too_long';
export type ImportValue = string | number | boolean | null;

export interface ImportError {
  line: number;
  /** null for a whole-row problem (bad_row). */
  field: string | null;
  code: ImportErrorCode;
  /** The cell as found in the file (for bad_row: the parse error code). */
  value: string;
  /** For 'duplicate': the line where the key first appeared. */
  firstLine?: number;
}

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

let countryIndex: Map<string, string> | null = null;
/** ISO codes and country names in en/fr/de/it ("Suisse", "Schweiz", "Switzerland" → CH). */
function countryLookup(): Map<string, string> {
  if (countryIndex) return countryIndex;
  countryIndex = new Map();
  for (const locale of ['en', 'fr', 'de', 'it']) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      names = null;
    }
    for (const code of COUNTRY_CODES) {
      const name = names?.of(code);
      if (name && name !== code) countryIndex.set(normalizeLabel(name), code);
    }
  }
  return countryIndex;
}

export function parseCountry(text: string): string | null {
  const s = text.trim();
  if (/^[A-Za-z]{2}$/.test(s) && isCountryCode(s.toUpperCase())) return s.toUpperCase();
  return countryLookup().get(normalizeLabel(s)) ?? null;
}

/** Each enum field's aliases, normalized once (a million rows would normalize them per cell). */
const enumIndex = new WeakMap<ImportField, Map<string, string>>();

function parseEnum(field: ImportField, text: string): string | null {
  const wanted = normalizeLabel(text);
  if (!wanted) return null;
  let index = enumIndex.get(field);
  if (!index) {
    index = new Map();
    for (const option of field.options ?? [])
      for (const alias of option.aliases) {
        const key = normalizeLabel(alias);
        if (!index.has(key)) index.set(key, option.value);
      }
    enumIndex.set(field, index);
  }
  return index.get(wanted) ?? null;
}

function anyDecimalReads(raw: string): boolean {
  return detectDecimalMarks([raw]).length > 0;
}

type CellResult = { ok: true; value: ImportValue } | { ok: false; code: ImportErrorCode };

/** C0/C1 controls (line breaks too: imported fields are one line), zero-width, bidi controls, BOM. */
export const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/u;

/** The first hidden character of a value, named: "U+202E". */
export function hiddenCharacter(text: string): string | null {
  const m = HIDDEN.exec(text);
  return m ? `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** One cell. A null format keeps the cell as found, unchecked (the preview before the user chose). */
function parseCell(
  field: ImportField,
  raw: string,
  dateFormat: DateFormat | null,
  decimal: DecimalMark | null,
): CellResult {
  switch (field.type) {
    case 'text': {
      // Line ends inside a quoted cell become LF, as spreadsheets store them.
      const text = unneutraliseText(raw).replace(/\r\n?/g, '\n');
      // Control, invisible and direction-changing characters hide what a name really says
      // ("Acme\u202eSA" reads backwards, a NUL cuts it short): refused, never stored.
      if (HIDDEN.test(text)) return { ok: false, code: 'bad_characters' };
      return field.maxLength && text.length > field.maxLength
        ? { ok: false, code: 'too_long' }
        : { ok: true, value: text };
    }
    case 'money': {
      if (decimal === null)
        return anyDecimalReads(raw) ? { ok: true, value: raw } : { ok: false, code: 'bad_amount' };
      const minor = parseAmount(raw, decimal);
      return minor === null ? { ok: false, code: 'bad_amount' } : { ok: true, value: minor };
    }
    case 'percent': {
      if (decimal === null)
        return anyDecimalReads(raw.replace(/\s*%$/, ''))
          ? { ok: true, value: raw }
          : { ok: false, code: 'bad_amount' };
      const bp = parsePercent(raw, decimal);
      return bp === null ? { ok: false, code: 'bad_amount' } : { ok: true, value: bp };
    }
    case 'integer': {
      if (decimal === null)
        return anyDecimalReads(raw) ? { ok: true, value: raw } : { ok: false, code: 'bad_amount' };
      const n = parseInteger(raw, decimal);
      return n === null ? { ok: false, code: 'bad_amount' } : { ok: true, value: n };
    }
    case 'date': {
      if (dateFormat === null)
        return detectDateFormats([raw]).length ? { ok: true, value: raw } : { ok: false, code: 'bad_date' };
      const iso = parseDate(raw, dateFormat);
      return iso === null ? { ok: false, code: 'bad_date' } : { ok: true, value: iso };
    }
    case 'enum': {
      const value = parseEnum(field, raw);
      if (value === null) return { ok: false, code: 'bad_enum' };
      return { ok: true, value: value === 'true' ? true : value === 'false' ? false : value };
    }
    case 'country': {
      const code = parseCountry(raw);
      return code === null ? { ok: false, code: 'bad_country' } : { ok: true, value: code };
    }
  }
}

/** The duplicate key of a row: case-, accent-spacing-insensitive text, so "ACME SA" = "Acme  SA". */
function keyPart(value: ImportValue): string {
  return typeof value === 'string'
    ? value.normalize('NFC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim()
    : String(value);
}

function validate(
  kind: ImportKind,
  parsed: ParsedCsv,
  mapping: Record<string, number | null>,
  dateFormat: DateFormat | null,
  decimal: DecimalMark | null,
): ValidationResult {
  const schema = IMPORT_SCHEMAS[kind];
  const valid: ValidationResult['valid'] = [];
  const errors: ImportError[] = [];
  const width = parsed.headers.length;
  const rowErrors = new Map<number, string>();
  for (const e of parsed.errors)
    if (e.code !== 'UndetectableDelimiter' && !rowErrors.has(e.line)) rowErrors.set(e.line, e.code);
  const seen = new Map<string, number>();
  const unmappedRequired = schema.fields
    .filter((f) => f.required && (mapping[f.key] ?? null) === null)
    .map((f) => f.key);

  for (const row of parsed.rows) {
    // A row that does not have the header's shape cannot be trusted column by column: an
    // unquoted "1,50" in a comma file shifts every later field.
    const structural = rowErrors.get(row.line) ?? (row.cells.length !== width ? 'FieldMismatch' : undefined);
    if (structural) {
      errors.push({ line: row.line, field: null, code: 'bad_row', value: structural });
      continue;
    }
    const values: Record<string, ImportValue> = {};
    let failed = false;
    for (const field of schema.fields) {
      const index = mapping[field.key] ?? null;
      const raw = index === null ? '' : (row.cells[index] ?? '').trim();
      if (raw === '') {
        values[field.key] = null;
        if (field.required) {
          errors.push({ line: row.line, field: field.key, code: 'required', value: '' });
          failed = true;
        }
        continue;
      }
      const result = parseCell(field, raw, dateFormat, decimal);
      if (result.ok) values[field.key] = result.value;
      else {
        errors.push({
          line: row.line,
          field: field.key,
          code: result.code,
          // A hidden character is named, since it cannot be seen in the value.
          value: result.code === 'bad_characters' ? (hiddenCharacter(raw) ?? raw) : raw,
        });
        failed = true;
      }
    }
    // Two rows with one key is an error in the file even when one of them has other errors:
    // the first row holds the key, fixed or not, and a later one would clash with it. (A key
    // field that failed to parse is undefined here, so such a row holds nothing.)
    const keyParsed =
      schema.uniqueKey.length > 0 &&
      schema.uniqueKey.every((k) => values[k] !== null && values[k] !== undefined);
    if (keyParsed) {
      const key = schema.uniqueKey.map((k) => keyPart(values[k] ?? null)).join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) {
        const field = schema.uniqueKey[0] as string;
        const index = mapping[field] ?? null;
        errors.push({
          line: row.line,
          field,
          code: 'duplicate',
          value: index === null ? '' : (row.cells[index] ?? '').trim(),
          firstLine: first,
        });
        continue;
      }
      seen.set(key, row.line);
    }
    if (failed) continue;
    valid.push({ line: row.line, values });
  }
  errors.sort((a, b) => a.line - b.line);
  return { valid, errors, unmappedRequired };
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
