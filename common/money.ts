// Money is an integer count of minor units (centimes, cents) with an ISO currency. Never a
// float: parsing and formatting go through strings so 0.1 + 0.2 never happens.
import type { Currency } from './enums';
import { formatCurrency } from './locale-format';

export { CURRENCIES, type Currency } from './enums';

export interface Money {
  amountMinor: number;
  currency: Currency;
}

const MINOR_DIGITS: Record<Currency, number> = { CHF: 2, EUR: 2 };

export function minorDigits(currency: Currency): number {
  return MINOR_DIGITS[currency];
}

/**
 * Parses a decimal amount typed by a person ("1'234.50", "1 234,5", "-12", "12.345,60") into
 * minor units. Returns null when it is not an amount or has more decimals than the currency.
 */
export function parseAmount(text: string, currency: Currency = 'CHF'): number | null {
  const digits = minorDigits(currency);
  let s = text.trim().replace(/[\s\u00a0\u202f'’]/g, '');
  if (!s) return null;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('−')) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  const decimalSep = lastComma > lastDot ? ',' : lastDot >= 0 ? '.' : null;
  let intPart = s;
  let fracPart = '';
  if (decimalSep) {
    const at = s.lastIndexOf(decimalSep);
    intPart = s.slice(0, at);
    fracPart = s.slice(at + 1);
    const other = decimalSep === ',' ? '.' : ',';
    // The other separator may only group thousands in the integer part.
    if (intPart.includes(decimalSep)) return null;
    if (intPart.includes(other) && !/^\d{1,3}([.,]\d{3})+$/.test(intPart)) return null;
    intPart = intPart.split(other).join('');
  }
  if (!/^\d+$/.test(intPart || '0') || !/^\d*$/.test(fracPart)) return null;
  if (fracPart.length > digits) return null;
  const minor = Number(intPart || '0') * 10 ** digits + Number(fracPart.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return null;
  // "-0" is zero: a negative zero would print as "-0.00" through Intl.NumberFormat.
  return minor === 0 ? 0 : sign * minor;
}

/** Plain decimal text ("1234.50", "-0.05"): for CSV and machine-readable output. */
export function minorToDecimal(amountMinor: number, currency: Currency = 'CHF'): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, '0');
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Locale-formatted amount (CHF 1'800.00, 1 800.00 CHF, 1.800,00 €): see common/locale-format.ts. */
export function formatMoney(amountMinor: number, currency: Currency, locale: string): string {
  return formatCurrency(amountMinor, currency, locale, minorDigits(currency));
}

/**
 * Multiplies an amount by a rate in basis points, rounding half away from zero — the rule
 * used on every Kontor document. Integer arithmetic throughout: exact up to 2^53.
 */
export function applyBasisPoints(amountMinor: number, rateBp: number): number {
  const product = amountMinor * rateBp;
  if (!Number.isSafeInteger(product)) throw new RangeError('amount too large for exact arithmetic');
  const sign = product < 0 ? -1 : 1;
  const abs = Math.abs(product);
  const quotient = Math.floor(abs / 10_000);
  const remainder = abs - quotient * 10_000;
  const rounded = remainder * 2 >= 10_000 ? quotient + 1 : quotient;
  // A negative amount that rounds to nothing is zero, not -0 (which Intl prints as "-0.00").
  return rounded === 0 ? 0 : sign * rounded;
}
