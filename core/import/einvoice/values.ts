// Numbers, dates and codes of a received e-invoice, read exactly (decimal strings, never
// floating-point sums) and with the rule a wrong value breaks noted instead of thrown, so the
// person learns every problem of the file at once.
import type { RuleBreach } from './received-model';

const DECIMAL = /^[+-]?(\d+)(?:\.(\d*))?$/;

export class Breaches {
  readonly list: RuleBreach[] = [];
  add(b: RuleBreach): void {
    this.list.push(b);
  }
  missing(rule: string, term: string): void {
    this.add({ rule, kind: 'missing', term });
  }
}

/** "1234.5" → 123450 minor units. More than two decimals breaks `decRule` (BR-DEC-…). */
export function amountOf(value: string | null, term: string, decRule: string, out: Breaches): number | null {
  if (value === null) return null;
  const m = DECIMAL.exec(value);
  if (!m) {
    out.add({ rule: 'syntax', kind: 'number', term, found: value });
    return null;
  }
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > 2) {
    out.add({ rule: decRule, kind: 'decimals', term, found: value });
    return null;
  }
  const minor = Number(m[1]) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  return value.startsWith('-') ? -minor : minor;
}

/**
 * A decimal scaled by 10^`scale` (a price in minor units, a quantity in thousandths). A supplier
 * may give more decimals than Kontor keeps (a unit price of 0.0125): the value is then
 * fractional, exact to the decimals given.
 */
export function scaledOf(value: string | null, scale: number, term: string, out: Breaches): number | null {
  if (value === null) return null;
  const m = DECIMAL.exec(value);
  if (!m) {
    out.add({ rule: 'syntax', kind: 'number', term, found: value });
    return null;
  }
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const whole = Number(`${m[1]}${frac.padEnd(scale, '0').slice(0, scale)}`);
  const rest = frac.length > scale ? Number(`0.${frac.slice(scale)}`) : 0;
  const n = whole + rest;
  return value.startsWith('-') ? -n : n;
}

/** "8.1" → 810 basis points. */
export function rateOf(value: string | null, term: string, out: Breaches): number | null {
  const bp = scaledOf(value, 2, term, out);
  return bp === null ? null : Math.round(bp);
}

/** yyyy-mm-dd, from UBL's own form or CII's format 102 (yyyymmdd). */
export function dateOf(
  value: string | null,
  format: string | null,
  term: string,
  out: Breaches,
): string | null {
  if (value === null) return null;
  const iso =
    format === '102' || /^\d{8}$/.test(value)
      ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
      : value.slice(0, 10);
  const d = new Date(`${iso}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
    out.add({ rule: 'syntax', kind: 'date', term, found: value });
    return null;
  }
  return iso;
}

/** Minor units back to the decimal a message shows ("-12.05"). */
export function shown(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(Math.round(abs % 100)).padStart(2, '0')}`;
}
