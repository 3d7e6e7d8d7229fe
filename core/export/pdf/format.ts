// Number, money and date formatting for documents. Money stays integer minor units until the
// very end: the decimal text is built by string slicing and handed to Intl.NumberFormat as a
// string (exact decimal formatting, ES2023), never divided as a float. The marks come from
// common/locale-format.ts, as on screen.
import {
  formatAmount,
  formatCurrency,
  formatRateBp,
  formatScaledNumber,
  nbsp,
  scaledToDecimal,
} from '#common/locale-format';
import type { DocumentLocale } from '../invoice-document';

export type DocumentCurrency = 'CHF' | 'EUR';

/**
 * The format region a document is written in: Swiss conventions for CHF (CHF 1'800.00 in
 * de-CH, it-CH and en-CH, 1 800.00 CHF in fr-CH), the language's own country for EUR.
 */
export function intlLocale(locale: DocumentLocale, currency: DocumentCurrency): string {
  if (currency === 'CHF') return `${locale}-CH`;
  return { en: 'en-IE', fr: 'fr-FR', de: 'de-DE', it: 'it-IT' }[locale];
}

/** "1234.50", "-0.05", from minor units with `digits` decimals; exact for any safe integer. */
export function minorToDecimalString(amountMinor: number, digits = 2): `${number}` {
  return scaledToDecimal(amountMinor, digits);
}

export { nbsp };

export interface DocumentFormatter {
  readonly intlLocale: string;
  /** "CHF 1'234.50", "1 234,50 €", "€1,234.50". */
  money(amountMinor: number): string;
  /** The same digits without the currency: table cells under a "CHF" header. */
  amount(amountMinor: number): string;
  /** 1500 → "1.5" / "1,5". */
  quantity(quantityMilli: number): string;
  /** 810 → "8.1%" / "8,1 %": with the money's decimal mark (fr-CH: 8.1%, never 8,1% beside 1 800.00). */
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
  const dateFormat = new Intl.DateTimeFormat(tag, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  });
  // Dates repeat (a billing run writes two per line, over a few dozen days): each written once.
  const dates = new Map<string, string>();
  const formatter: DocumentFormatter = {
    intlLocale: tag,
    money: (minor) => formatCurrency(minor, currency, tag),
    amount: (minor) => formatAmount(minor, currency, tag),
    quantity: (milli) => formatScaledNumber(milli, 3, tag),
    percent: (bp) => formatRateBp(bp, tag),
    date: (iso) => {
      let text = dates.get(iso);
      if (text === undefined) {
        const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
        if (!m) return iso;
        text = dateFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
        // A long-lived process meets a few thousand dates at most; bounded all the same.
        if (dates.size >= 10_000) dates.clear();
        dates.set(iso, text);
      }
      return text;
    },
  };
  formatterCache.set(key, formatter);
  return formatter;
}
