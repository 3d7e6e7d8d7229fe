// Number, money and date formatting for documents. Money stays integer minor units until the
// very end: the decimal text is built by string slicing and handed to Intl.NumberFormat as a
// string (exact decimal formatting, ES2023), never divided as a float.
import type { DocumentLocale } from '../invoice-document';

export type DocumentCurrency = 'CHF' | 'EUR';

/** The Intl locale a document is formatted with: Swiss conventions for CHF, French/German/Irish ones for EUR. */
export function intlLocale(locale: DocumentLocale, currency: DocumentCurrency): string {
  if (currency === 'CHF') return `${locale}-CH`;
  return locale === 'en' ? 'en-IE' : locale === 'fr' ? 'fr-FR' : 'de-DE';
}

/** "1234.50", "-0.05", from minor units with `digits` decimals; exact for any safe integer. */
export function minorToDecimalString(amountMinor: number, digits = 2): `${number}` {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`not an integer amount: ${amountMinor}`);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, '0');
  const text = digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return text as `${number}`;
}

/** Narrow no-break spaces (fr-FR, fr-CH grouping) become no-break spaces: many fonts lack U+202F. */
export function nbsp(text: string): string {
  return text.replace(/\u202f/g, '\u00a0');
}

type StringNumber = `${number}`;

export interface DocumentFormatter {
  readonly intlLocale: string;
  /** "CHF 1'234.50", "1 234,50 €", "€1,234.50". */
  money(amountMinor: number): string;
  /** The same digits without the currency: table cells under a "CHF" header. */
  amount(amountMinor: number): string;
  /** 1500 → "1.5" / "1,5". */
  quantity(quantityMilli: number): string;
  /** 810 → "8.1%" / "8,1 %". */
  percent(basisPoints: number): string;
  /** "2026-11-23" → "23.11.2026" / "23/11/2026". */
  date(isoDate: string): string;
}

const formatterCache = new Map<string, DocumentFormatter>();

/** Formatters are cached per locale and currency: building Intl objects is the slow part. */
export function documentFormatter(locale: DocumentLocale, currency: DocumentCurrency): DocumentFormatter {
  const key = `${locale}/${currency}`;
  const cached = formatterCache.get(key);
  if (cached) return cached;
  const tag = intlLocale(locale, currency);
  const moneyFormat = new Intl.NumberFormat(tag, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const symbol = new RegExp(
    moneyFormat
      .formatToParts(1)
      .filter((p) => p.type === 'currency')
      .map((p) => p.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|') || '$^',
  );
  const quantityFormat = new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
  const percentFormat = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(tag, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const formatter: DocumentFormatter = {
    intlLocale: tag,
    money: (minor) => nbsp(moneyFormat.format(minorToDecimalString(minor))),
    // The currency format without its symbol, so fr-CH shows "1 234.50" in the table exactly as
    // in its totals ("1 234.50 CHF"), where a plain decimal format would give "1 234,50".
    amount: (minor) => nbsp(moneyFormat.format(minorToDecimalString(minor)).replace(symbol, '').trim()),
    quantity: (milli) => nbsp(quantityFormat.format(minorToDecimalString(milli, 3))),
    percent: (bp) => nbsp(percentFormat.format(minorToDecimalString(bp, 4) as StringNumber)),
    date: (iso) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
      if (!m) return iso;
      return dateFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
    },
  };
  formatterCache.set(key, formatter);
  return formatter;
}
