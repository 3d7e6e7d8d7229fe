// The column model shared by the CSV and XLSX writers: one description of an export, two
// file formats. Values are exact: money is integer minor units, rates are basis points,
// dates are ISO calendar days. Each writer decides how a type reaches its format.

/** number = integer minor units for 'money', integer for 'integer' and 'percent_bp', ISO 'yyyy-mm-dd' string for 'date'. */
export type CellValue = string | number | null;
export type ColumnType = 'text' | 'money' | 'integer' | 'date' | 'percent_bp';
export type ExportLocale = import('#common/i18n/translate').DocumentLanguage;
export type ExportCurrency = 'CHF' | 'EUR';

export interface Column<Row> {
  key: string;
  /** The header in each language; Italian where the catalog has it (export words do), else English. */
  header: Record<'en' | 'fr' | 'de', string> & { it?: string };
  type: ColumnType;
  value: (row: Row) => CellValue;
  /** Money columns: the row's currency (XLSX number format, per-currency totals). */
  currency?: (row: Row) => ExportCurrency;
  /** Column width in characters (XLSX). */
  width?: number;
}

export type RowSource<Row> = AsyncIterable<Row> | Iterable<Row>;

/** A programming error in an export definition: a column returned a value its type cannot hold. */
export class ExportValueError extends TypeError {
  constructor(
    readonly column: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`export column "${column}" expected ${expected}, got ${JSON.stringify(value)}`);
    this.name = 'ExportValueError';
  }
}

export function headerText<Row>(column: Column<Row>, locale: ExportLocale): string {
  return column.header[locale] ?? column.header.en;
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function checkIsoDate(column: string, value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value))
    throw new ExportValueError(column, value, "an ISO date 'yyyy-mm-dd'");
  return value;
}

export function checkInteger(column: string, value: unknown, expected = 'an integer'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ExportValueError(column, value, expected);
  return value;
}

/**
 * Integer hundredths as a plain decimal: 123450 → "1234.50", -5 → "-0.05". Used for money
 * (minor units) and for basis points (as percent points: 770 bp → "7.70"). No thousands
 * separator: some locales read a grouped number as text.
 */
export function hundredthsToDecimal(value: number, decimal: '.' | ','): string {
  const negative = value < 0;
  const abs = negative ? -value : value;
  const whole = Math.floor(abs / 100);
  const cents = abs - whole * 100;
  return `${negative ? '-' : ''}${whole}${decimal}${cents < 10 ? '0' : ''}${cents}`;
}
