// Payment identifiers that let a bank transfer find its invoice: IBAN (ISO 13616, mod 97),
// the creditor reference SCOR (ISO 11649, "RF" + mod 97 check digits) and the Swiss QR
// reference QRR (27 digits, mod 10 recursive, only with a QR-IBAN). Pure functions shared by
// the services (minting, validation), the PDF writer and the renderer's inline checks.

/** Upper case, spaces (including no-break and thin spaces) removed. */
export function compactIdentifier(value: string): string {
  return value.replace(/[\s\u00a0\u2000-\u200b\u202f]/g, '').toUpperCase();
}

/** Remainder modulo 97 of a string of base-36 characters read as ISO 7064 digits (A = 10 … Z = 35). */
export function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const ch of alphanumeric) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      // Letters expand to two digits.
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      return -1;
    }
  }
  return remainder;
}

/** IBAN lengths of the SEPA countries and a few neighbours; other countries: 15–34 characters. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

/** ISO 13616: country, two check digits, BBAN; checked with mod 97 (and the length for known countries). */
export function isValidIban(iban: string): boolean {
  const s = compactIdentifier(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && s.length !== expected) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/**
 * A QR-IBAN: a valid Swiss or Liechtenstein IBAN whose institution id (IID, characters 5–9)
 * lies in 30000–31999. Only a QR-IBAN may carry a QR reference (QRR), and it must.
 */
export function isQrIban(iban: string): boolean {
  const s = compactIdentifier(iban);
  if (!isValidIban(s) || !/^(CH|LI)/.test(s)) return false;
  const iid = Number(s.slice(4, 9));
  return iid >= 30000 && iid <= 31999;
}

/** "CH93 0076 2011 6238 5295 7": groups of four. */
export function formatIban(iban: string): string {
  return compactIdentifier(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

// ── SCOR: ISO 11649 creditor reference ──────────────────────────────────────────────────────

/**
 * Mints an ISO 11649 creditor reference from a base of 1–21 letters or digits (spaces and
 * separators ignored, case-insensitive): "RF" + two check digits + base. Throws RangeError otherwise.
 */
export function scorReference(base: string): string {
  // Separators in an invoice number ("INV-2026-…") are dropped: a reference is letters and digits.
  const s = compactIdentifier(base).replace(/[-./_]/g, '');
  if (!/^[A-Z0-9]{1,21}$/.test(s)) {
    throw new RangeError('A creditor reference base has 1 to 21 letters or digits');
  }
  const check = 98 - mod97(`${s}RF00`);
  return `RF${String(check).padStart(2, '0')}${s}`;
}

/** An ISO 11649 creditor reference ("RF18 5390 0754 7034"; spaces and case ignored). */
export function isValidScor(reference: string): boolean {
  const s = compactIdentifier(reference);
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

// ── QRR: Swiss QR reference ─────────────────────────────────────────────────────────────────

const MOD10_TABLE = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5] as const;

/** Check digit "modulo 10, recursive" (as for the former ISR/ESR reference) of a digit string. */
export function mod10RecursiveCheckDigit(digits: string): number {
  let carry = 0;
  for (const ch of digits) {
    const d = ch.charCodeAt(0) - 48;
    if (d < 0 || d > 9) throw new RangeError('digits only');
    carry = MOD10_TABLE[(carry + d) % 10] as number;
  }
  return (10 - carry) % 10;
}

/**
 * Mints a QR reference: 1–26 digits (spaces ignored), left-padded with zeros to 26, plus the
 * mod 10 recursive check digit. Throws RangeError otherwise.
 */
export function qrrReference(digits26: string): string {
  const s = compactIdentifier(digits26);
  if (!/^\d{1,26}$/.test(s)) throw new RangeError('A QR reference is made of 1 to 26 digits');
  const body = s.padStart(26, '0');
  if (/^0+$/.test(body)) throw new RangeError('A QR reference cannot be all zeros');
  return `${body}${mod10RecursiveCheckDigit(body)}`;
}

/** A QR reference: 27 digits, not all zeros, the last one the mod 10 recursive check digit of the others. */
export function isValidQrr(reference: string): boolean {
  const s = compactIdentifier(reference);
  if (!/^\d{27}$/.test(s) || /^0+$/.test(s)) return false;
  return mod10RecursiveCheckDigit(s.slice(0, 26)) === Number(s[26]);
}

/** "21 00000 00003 13947 14300 09017" (QRR) or "RF18 5390 0754 7034" (SCOR). */
export function formatPaymentReference(type: 'QRR' | 'SCOR' | 'NON', value: string): string {
  const s = compactIdentifier(value);
  if (type === 'QRR') return s.replace(/^(\d{2})(\d{5})(\d{5})(\d{5})(\d{5})(\d{5})$/, '$1 $2 $3 $4 $5 $6');
  if (type === 'SCOR') return s.replace(/(.{4})(?=.)/g, '$1 ');
  return value.trim();
}

/** An IBAN as stored: upper case, no spaces. */
export function compactIban(iban: string): string {
  return compactIdentifier(iban);
}

/** Check digit "modulo 10, recursive" (the name the services use). */
export const mod10Recursive = mod10RecursiveCheckDigit;

/** "RF18 5390 0754 7034". */
export function formatScor(reference: string): string {
  return formatPaymentReference('SCOR', reference);
}

/** "21 00000 00003 13947 14300 09017". */
export function formatQrr(reference: string): string {
  return formatPaymentReference('QRR', reference);
}

/**
 * A reference as exports print it: a QR reference in its standard groups ("21 00000 00003
 * 13947 14300 09017"), a creditor reference in fours. In a CSV the 27 digits of a QR
 * reference are a number to every spreadsheet, which keeps 15 of them (2.1E+26); the grouped
 * form is text to all three ways LibreOffice opens a file (tested), and it is what the
 * QR-bill itself prints. Anything else is kept as it is. Imports compact it again.
 */
export function printedReference(reference: string | null | undefined): string {
  if (!reference) return '';
  if (isValidQrr(reference)) return formatQrr(reference);
  if (isValidScor(reference)) return formatScor(reference);
  return reference;
}
