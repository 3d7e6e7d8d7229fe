// Generic check-digit building blocks shared by the per-country VAT rules. Everything works on
// strings of ASCII digits so long numbers never go through floating point.

export function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/** Digit values of a string already known to be all ASCII digits. */
export function digitsOf(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) - 48);
  return out;
}

/** Sum of digit × weight, pairing from the left; extra digits or weights are ignored. */
export function weightedSum(s: string, weights: readonly number[]): number {
  const ds = digitsOf(s);
  let sum = 0;
  const n = Math.min(ds.length, weights.length);
  for (let i = 0; i < n; i++) sum += (ds[i] ?? 0) * (weights[i] ?? 0);
  return sum;
}

/** Remainder of a long decimal string, computed digit by digit (no precision loss). */
export function modDecimal(s: string, m: number): number {
  let r = 0;
  for (const d of digitsOf(s)) r = (r * 10 + d) % m;
  return r;
}

/**
 * Luhn (ISO/IEC 7812-1) sum: every second digit doubled, counting from the right with the
 * rightmost digit itself not doubled (it is the check digit position).
 */
export function luhnSum(s: string): number {
  const ds = digitsOf(s);
  let sum = 0;
  for (let i = ds.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = ds[i] ?? 0;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** True when the digit string (check digit last) passes Luhn. */
export function luhnValid(s: string): boolean {
  return luhnSum(s) % 10 === 0;
}

/** Luhn check digit that would be appended to the digit string. */
export function luhnCheckDigit(s: string): number {
  return (10 - (luhnSum(`${s}0`) % 10)) % 10;
}

/** ISO 7064 MOD 11,10 (hybrid system), check digit last. Used by DE and HR. */
export function iso7064Mod11_10Valid(s: string): boolean {
  const ds = digitsOf(s);
  let product = 10;
  for (let i = 0; i < ds.length - 1; i++) {
    let sum = ((ds[i] ?? 0) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = (11 - product) % 10;
  return check === ds[ds.length - 1];
}

/**
 * ISO 7064 MOD 97-10 over an alphanumeric string, letters mapped A=10 … Z=35 as in IBANs.
 * Returns the remainder; a valid string gives 1.
 */
export function mod97_10(s: string): number {
  let expanded = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) expanded += ch;
    else if (code >= 65 && code <= 90) expanded += String(code - 55);
    else return -1;
  }
  return modDecimal(expanded, 97);
}

/** Calendar check for birth-date based identifiers (proleptic Gregorian). */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}
