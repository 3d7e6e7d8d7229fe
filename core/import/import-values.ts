// Cell parsers for imports. Every format is EXPLICIT: the caller says which date format and
// which decimal mark the file uses (the UI asks, helped by detectDateFormats and
// detectDecimalMarks). Nothing here guesses: "01/02/2025" is the 1st of February only when
// the user said dd/mm/yyyy.

export type DateFormat = 'yyyy-mm-dd' | 'dd.mm.yyyy' | 'dd/mm/yyyy' | 'mm/dd/yyyy';
export type DecimalMark = '.' | ',';
export const DATE_FORMATS: readonly DateFormat[] = ['yyyy-mm-dd', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy'];

const DATE_PATTERNS: Record<DateFormat, { re: RegExp; y: number; m: number; d: number }> = {
  'yyyy-mm-dd': { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, y: 1, m: 2, d: 3 },
  'dd.mm.yyyy': { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, y: 3, m: 2, d: 1 },
  'dd/mm/yyyy': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, y: 3, m: 2, d: 1 },
  'mm/dd/yyyy': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, y: 3, m: 1, d: 2 },
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A calendar date in the given format → ISO 'yyyy-mm-dd', or null (also for 31.02.2025). Two-digit years are refused. */
export function parseDate(text: string, format: DateFormat): string | null {
  const pattern = DATE_PATTERNS[format];
  const match = pattern.re.exec(text.trim());
  if (!match) return null;
  const year = Number(match[pattern.y]);
  const month = Number(match[pattern.m]);
  const day = Number(match[pattern.d]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The formats consistent with EVERY non-empty sample value, in DATE_FORMATS order. More than
 * one means the file is ambiguous (e.g. only "01/02/2025"-like values): ask the user.
 */
export function detectDateFormats(values: string[]): DateFormat[] {
  const samples = values.map((v) => v.trim()).filter((v) => v !== '');
  if (samples.length === 0) return [...DATE_FORMATS];
  return DATE_FORMATS.filter((format) => samples.every((v) => parseDate(v, format) !== null));
}

/**
 * True when the candidate formats read every sample as the same date — e.g. "01/01/2025" or
 * "13/01/2025" only: then there is nothing to ask. Otherwise the user must choose.
 */
export function formatsAgree<F extends string>(
  values: string[],
  formats: F[],
  parse: (v: string, f: F) => unknown,
): boolean {
  const samples = values.map((v) => v.trim()).filter((v) => v !== '');
  return samples.every((v) => {
    const first = parse(v, formats[0] as F);
    return formats.every((f) => parse(v, f) === first);
  });
}

const PLAIN: Record<DecimalMark, RegExp> = {
  '.': /^(-?)(\d{1,15})(?:\.(\d+))?$/,
  ',': /^(-?)(\d{1,15})(?:,(\d+))?$/,
};
const GROUP_CHARS = " \u00a0\u202f\u2009'’.,";
const CURRENCY_AFFIX = /^(?:CHF|EUR|SFr\.?|Fr\.|€)\s*|\s*(?:CHF|EUR|SFr\.?|Fr\.|€)$/i;

/**
 * A decimal number with at most `digits` decimals → an integer count of 10^-digits units,
 * exactly (string arithmetic, never a float). Accepts a sign (-, +, U+2212) or accounting
 * parentheses, thousands groups of three separated by one consistent character (space,
 * NBSP, U+202F, apostrophe, or the mark that is not the decimal mark), and a leading or
 * trailing currency (CHF, EUR, €, Fr.). Returns null for anything else, including more
 * decimals than allowed: "12.345" with decimal '.' is not silently rounded.
 */
export function parseDecimal(text: string, decimal: DecimalMark, digits = 2): number | null {
  // Most amounts are written plainly ("1234.50", "-12"): read those without the general
  // path's trimming, splitting and regular expressions (a history import reads millions).
  const plain = PLAIN[decimal].exec(text);
  if (plain && (plain[3] ?? '').length <= digits) {
    const units = Number(plain[2]) * 10 ** digits + Number((plain[3] ?? '').padEnd(digits, '0') || '0');
    if (Number.isSafeInteger(units)) return plain[1] && units !== 0 ? -units : units;
  }
  let s = text.trim().replace(CURRENCY_AFFIX, '').trim();
  if (!s) return null;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  const first = s[0];
  if (first === '-' || first === '\u2212' || first === '+') {
    if (negative && first !== '+') return null;
    negative = negative || first !== '+';
    s = s.slice(1).trimStart();
  }
  const at = s.lastIndexOf(decimal);
  const intPart = at >= 0 ? s.slice(0, at) : s;
  const fracPart = at >= 0 ? s.slice(at + 1) : '';
  if (!/^\d*$/.test(fracPart) || fracPart.length > digits) return null;
  let digitsOnly: string;
  if (/^\d*$/.test(intPart)) digitsOnly = intPart;
  else {
    // Grouped: d{1,3} then (sep d{3})+ with the same separator throughout, never the decimal mark.
    const sep = intPart.replace(/^\d{1,3}/, '')[0];
    if (!sep || sep === decimal || !GROUP_CHARS.includes(sep)) return null;
    const groups = intPart.split(sep);
    if (!/^\d{1,3}$/.test(groups[0] ?? '') || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) return null;
    digitsOnly = groups.join('');
  }
  if (digitsOnly === '' && fracPart === '') return null;
  const units = Number(digitsOnly || '0') * 10 ** digits + Number(fracPart.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(units)) return null;
  return negative && units !== 0 ? -units : units;
}

/** Money → integer minor units (2 decimals for CHF and EUR). "1'234.50" → 123450; "-12,5" (',') → -1250. */
export function parseAmount(text: string, decimal: DecimalMark): number | null {
  return parseDecimal(text, decimal, 2);
}

/** A percentage → basis points: "7.7", "7,70 %", "7.7%" → 770. */
export function parsePercent(text: string, decimal: DecimalMark): number | null {
  const s = text.trim().replace(/\s*%$/, '');
  return parseDecimal(s, decimal, 2);
}

/** A whole number, optionally grouped ("1'000", "1 000"); "12.5" is not an integer. */
export function parseInteger(text: string, decimal: DecimalMark): number | null {
  return parseDecimal(text, decimal, 0);
}

/** Which decimal marks read every sample as an amount (for the UI, like detectDateFormats). */
export function detectDecimalMarks(values: string[]): DecimalMark[] {
  const samples = values.map((v) => v.trim()).filter((v) => v !== '');
  return (['.', ','] as const).filter((mark) => samples.every((v) => parseAmount(v, mark) !== null));
}
