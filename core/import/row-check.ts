// Checking the rows of an import against its kind's schema. The checks of a column are
// compiled once, for the mapping and formats of the file (which reader, which decimal mark,
// which date format, which enum index), and then run cell after cell: a million-row history
// import pays for the decisions once, not once per cell.
import { COUNTRY_CODES, isCountryCode } from '#common/countries';
import { unneutraliseText } from '../export/csv/formula-guard';
import { IMPORT_SCHEMAS, type ImportField, type ImportKind, normalizeLabel } from './import-schemas';
import {
  type DateFormat,
  type DecimalMark,
  detectDateFormats,
  detectDecimalMarks,
  parseAmount,
  parseDate,
  parseInteger,
  parsePercent,
} from './import-values';

export type ImportErrorCode =
  | 'bad_characters'
  | 'required'
  | 'bad_date'
  | 'bad_amount'
  | 'decimal_mark_odd'
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
  /** For 'decimal_mark_odd': the decimal mark the rest of the file uses. */
  mark?: DecimalMark;
}

/** C0/C1 controls (line breaks too: imported fields are one line), zero-width, bidi controls, BOM. */
export const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/u;

/** The first hidden character of a value, named: "U+202E". */
export function hiddenCharacter(text: string): string | null {
  const m = HIDDEN.exec(text);
  return m ? `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : null;
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

/** A cell that failed, by its code: one shared object per code, so a bad cell allocates nothing. */
class CellFailure {
  constructor(readonly code: ImportErrorCode) {}
}
const FAIL = {
  bad_characters: new CellFailure('bad_characters'),
  bad_date: new CellFailure('bad_date'),
  bad_amount: new CellFailure('bad_amount'),
  decimal_mark_odd: new CellFailure('decimal_mark_odd'),
  bad_enum: new CellFailure('bad_enum'),
  bad_country: new CellFailure('bad_country'),
  too_long: new CellFailure('too_long'),
};

type Reader = (raw: string) => ImportValue | CellFailure;

const anyDecimalReads = (raw: string): boolean => detectDecimalMarks([raw]).length > 0;

/**
 * An amount read with the file's mark; one that reads only with the other mark is the odd
 * one of a file that mixes them ("1,234.50" among "1.234,50"), and is called that.
 */
function amountReader(read: (raw: string, mark: DecimalMark) => number | null, decimal: DecimalMark): Reader {
  const other: DecimalMark = decimal === '.' ? ',' : '.';
  // The other mark used AS a decimal mark: one or two digits after it at the end ("1,5",
  // "1,234.50 CHF"); "12,345" only reads as twelve thousand with the other mark, and is not
  // a decimal written the other way.
  const otherDecimals = new RegExp(`\\${other}\\d{1,2}[^\\d]*$`);
  return (raw) =>
    read(raw, decimal) ??
    (otherDecimals.test(raw) && read(raw, other) !== null ? FAIL.decimal_mark_odd : FAIL.bad_amount);
}

/**
 * A reader that remembers its answers: an enum or country column repeats a handful of
 * spellings a million times, and normalizing each costs more than the lookup.
 */
function remembered(read: Reader): Reader {
  const known = new Map<string, ImportValue | CellFailure>();
  return (raw) => {
    let value = known.get(raw);
    if (value === undefined) {
      value = read(raw);
      if (known.size < 10_000) known.set(raw, value);
    }
    return value;
  };
}

/** The reader of one column. A null format keeps the cell as found, unchecked (the preview before the user chose). */
function compileReader(
  field: ImportField,
  dateFormat: DateFormat | null,
  decimal: DecimalMark | null,
): Reader {
  switch (field.type) {
    case 'text': {
      const max = field.maxLength ?? 0;
      return (raw) => {
        // Line ends inside a quoted cell become LF, as spreadsheets store them.
        const text = unneutraliseText(raw).replace(/\r\n?/g, '\n');
        // Control, invisible and direction-changing characters hide what a name really says
        // ("Acme\u202eSA" reads backwards, a NUL cuts it short): refused, never stored.
        if (HIDDEN.test(text)) return FAIL.bad_characters;
        return max && text.length > max ? FAIL.too_long : text;
      };
    }
    case 'money':
      if (decimal === null) return (raw) => (anyDecimalReads(raw) ? raw : FAIL.bad_amount);
      return amountReader(parseAmount, decimal);
    case 'percent':
      if (decimal === null)
        return (raw) => (anyDecimalReads(raw.replace(/\s*%$/, '')) ? raw : FAIL.bad_amount);
      return amountReader(parsePercent, decimal);
    case 'integer':
      if (decimal === null) return (raw) => (anyDecimalReads(raw) ? raw : FAIL.bad_amount);
      return (raw) => parseInteger(raw, decimal) ?? FAIL.bad_amount;
    case 'date':
      if (dateFormat === null) return (raw) => (detectDateFormats([raw]).length ? raw : FAIL.bad_date);
      return (raw) => parseDate(raw, dateFormat) ?? FAIL.bad_date;
    case 'enum': {
      // The aliases, normalized once per import, not per cell.
      const index = new Map<string, ImportValue>();
      for (const option of field.options ?? [])
        for (const alias of option.aliases) {
          const key = normalizeLabel(alias);
          const value = option.value === 'true' ? true : option.value === 'false' ? false : option.value;
          if (!index.has(key)) index.set(key, value);
        }
      return remembered((raw) => {
        const value = index.get(normalizeLabel(raw));
        return value === undefined ? FAIL.bad_enum : value;
      });
    }
    case 'country':
      return remembered((raw) => parseCountry(raw) ?? FAIL.bad_country);
  }
}

/** The duplicate key of a row: case-, accent-spacing-insensitive text, so "ACME SA" = "Acme  SA". */
function keyPart(value: ImportValue): string {
  return typeof value === 'string'
    ? value.normalize('NFC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim()
    : String(value);
}

export interface RowChecker {
  /**
   * One row: its values, or null when it failed (its errors pushed). `structural` is the
   * parser's complaint about the row's shape, if any.
   */
  check(
    line: number,
    cells: readonly string[],
    structural: string | null,
  ): Record<string, ImportValue> | null;
  /** Required fields the mapping leaves without a column (every row then fails 'required'). */
  unmappedRequired: string[];
}

/**
 * The checks of one file, compiled for its mapping and formats. Errors go to `errors` as they
 * are found. The first row with a unique key wins; a later one is a 'duplicate' (with
 * `firstLine`), even when the first had other errors: it holds the key, fixed or not.
 */
export function rowChecker(
  kind: ImportKind,
  width: number,
  mapping: Record<string, number | null>,
  dateFormat: DateFormat | null,
  decimal: DecimalMark | null,
  errors: ImportError[],
): RowChecker {
  const schema = IMPORT_SCHEMAS[kind];
  const columns = schema.fields.map((field) => ({
    key: field.key,
    index: mapping[field.key] ?? -1,
    required: field.required,
    read: compileReader(field, dateFormat, decimal),
  }));
  const seen = new Map<string, number>();
  const uniqueKey = schema.uniqueKey;
  const unmappedRequired = columns.filter((c) => c.required && c.index < 0).map((c) => c.key);
  const check: RowChecker['check'] = (line, cells, structural) => {
    // A row that does not have the header's shape cannot be trusted column by column: an
    // unquoted "1,50" in a comma file shifts every later field.
    const shape = structural ?? (cells.length !== width ? 'FieldMismatch' : null);
    if (shape) {
      errors.push({ line, field: null, code: 'bad_row', value: shape });
      return null;
    }
    const values: Record<string, ImportValue> = {};
    let failed = false;
    for (const column of columns) {
      const raw = column.index < 0 ? '' : (cells[column.index] ?? '').trim();
      if (raw === '') {
        values[column.key] = null;
        if (column.required) {
          errors.push({ line, field: column.key, code: 'required', value: '' });
          failed = true;
        }
        continue;
      }
      const value = column.read(raw);
      if (value instanceof CellFailure) {
        errors.push({
          line,
          field: column.key,
          code: value.code,
          // A hidden character is named, since it cannot be seen in the value.
          value: value.code === 'bad_characters' ? (hiddenCharacter(raw) ?? raw) : raw,
          ...(value.code === 'decimal_mark_odd' && decimal ? { mark: decimal } : {}),
        });
        failed = true;
      } else values[column.key] = value;
    }
    // A key field that failed to parse is undefined here, so such a row holds no key.
    if (uniqueKey.length > 0 && uniqueKey.every((k) => values[k] !== null && values[k] !== undefined)) {
      const key = uniqueKey.map((k) => keyPart(values[k] ?? null)).join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) {
        const field = uniqueKey[0] as string;
        const index = mapping[field] ?? null;
        errors.push({
          line,
          field,
          code: 'duplicate',
          value: index === null ? '' : (cells[index] ?? '').trim(),
          firstLine: first,
        });
        return null;
      }
      seen.set(key, line);
    }
    return failed ? null : values;
  };
  return { check, unmappedRequired };
}

/**
 * The decimal mark of amounts no one mark reads all of: the mark that reads most of them.
 * A file mixing "1.234,50" and "1,234.50" is the other's mistake, not the majority's: the
 * odd values are then the ones blamed, each on its own line and column.
 */
export function majorityMark(samples: readonly string[]): DecimalMark | null {
  let dot = 0;
  let comma = 0;
  for (const s of samples) {
    if (parseAmount(s, '.') !== null) dot++;
    if (parseAmount(s, ',') !== null) comma++;
  }
  // Even: nothing says which is the file's mark, so the person is asked.
  if (dot === comma) return null;
  return comma > dot ? ',' : '.';
}
