// How numbers are written in a format region — the one place the screen (renderer/src/i18n/
// format.ts, invoice-ui.ts) and the documents (core/export/pdf/format.ts) take their marks from,
// so a PDF never prints "8,1%" beside "1 800.00" and the screen reads as the PDF does.
//
// CLDR gives some regions two sets of marks: fr-CH writes CHF 1 800.50 but plain numbers
// 1 234,5 and 8,1%. An amount, a rate and a quantity on one invoice take the money's marks.
// Grouping is always on: it-CH and it-IT leave four-digit numbers ungrouped (CHF 1800.00)
// while grouping five-digit ones, which makes a column of amounts hard to read.

/** The regions Kontor formats for: Swiss and European conventions. */
export const FORMAT_REGIONS = ['en-CH', 'fr-CH', 'de-CH', 'it-CH', 'en-GB', 'fr-FR', 'de-DE', 'fr-BE', 'it-IT'] as const;
export type FormatRegion = (typeof FORMAT_REGIONS)[number];

/**
 * The region a caller's tag writes amounts in: the tag itself where Kontor knows that region
 * ('de-DE'), otherwise its language as written in Switzerland ('fr' → 'fr-CH'), as the app
 * does when neither the person nor the browser names one.
 */
export function formatRegion(tag: string): string {
  const [base, region] = tag.split(/[-_]/);
  const exact = `${base?.toLowerCase()}-${region?.toUpperCase()}`;
  if ((FORMAT_REGIONS as readonly string[]).includes(exact)) return exact;
  const swiss = `${base?.toLowerCase()}-CH`;
  return (FORMAT_REGIONS as readonly string[]).includes(swiss) ? swiss : 'en-CH';
}

/** Exact decimal text from an integer scaled by 10^digits: (123450, 2) → "1234.50", (810, 4) → "0.0810". */
export function scaledToDecimal(value: number, digits: number): `${number}` {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount: ${value}`);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value)
    .toString()
    .padStart(digits + 1, '0');
  const text = digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return text as `${number}`;
}

/** Narrow no-break spaces (fr grouping) become no-break spaces: many fonts lack U+202F. */
export function nbsp(text: string): string {
  return text.replace(/\u202f/g, '\u00a0');
}

interface Marks {
  decimal: string;
  group: string;
}

const marksCache = new Map<string, Marks>();
const formatCache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { useGrouping: 'always', ...options });
    formatCache.set(key, format);
  }
  return format;
}

/** The marks money is written with in `locale`, in the region's own currency (CHF in CH and LI, else EUR). */
export function moneyMarks(locale: string): Marks {
  let marks = marksCache.get(locale);
  if (!marks) {
    const currency = /-(CH|LI)$/i.test(locale) ? 'CHF' : 'EUR';
    const parts = numberFormat(locale, { style: 'currency', currency }).formatToParts(12345.6);
    marks = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? '',
    };
    marksCache.set(locale, marks);
  }
  return marks;
}

/** Any number (exact decimal text preferred) in `locale`, with the marks of its money. */
export function formatNumber(
  value: number | `${number}`,
  locale: string,
  options: Intl.NumberFormatOptions = {},
): string {
  const marks = moneyMarks(locale);
  return nbsp(
    numberFormat(locale, options)
      .formatToParts(value)
      .map((p) => (p.type === 'decimal' ? marks.decimal : p.type === 'group' ? marks.group : p.value))
      .join(''),
  );
}

/** 810 basis points → "8.1%" (de-CH, fr-CH), "8,1 %" (de-DE, fr-FR). */
export function formatRateBp(rateBp: number, locale: string): string {
  return formatNumber(scaledToDecimal(rateBp, 4), locale, { style: 'percent', maximumFractionDigits: 2 });
}

/** An integer scaled by 10^digits, trailing zeros dropped: (1500, 3) → "1.5", (12000, 3) → "12". */
export function formatScaledNumber(value: number, digits: number, locale: string): string {
  return formatNumber(scaledToDecimal(value, digits), locale, { maximumFractionDigits: digits });
}

/** Money with its currency sign as the region writes it: CHF 1'800.00, 1 800.00 CHF, 1.800,00 €. */
export function formatCurrency(amountMinor: number, currency: string, locale: string, digits = 2): string {
  return nbsp(
    numberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(scaledToDecimal(amountMinor, digits)),
  );
}

/**
 * The same amount without its currency (the currency has its own column or header): the parts
 * of the currency format are kept and the sign dropped, so a table cell shows the very digits
 * of the total beside it.
 */
export function formatAmount(amountMinor: number, currency: string, locale: string, digits = 2): string {
  return nbsp(
    numberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
      .formatToParts(scaledToDecimal(amountMinor, digits))
      .filter((part, i, parts) => {
        if (part.type === 'currency') return false;
        // The space that separated the code from the number goes with it.
        const beside = parts[i - 1]?.type === 'currency' || parts[i + 1]?.type === 'currency';
        return !(part.type === 'literal' && beside && part.value.trim() === '');
      })
      .map((part) => part.value)
      .join(''),
  );
}
