// Payment references that let a bank transfer find its invoice: the Swiss QR reference
// (QRR, 27 digits, mod-10 recursive check digit, only with a QR-IBAN) and the ISO 11649
// creditor reference (SCOR, "RF" + 2 check digits + up to 21 characters, mod 97).

/** ISO 7064 mod 97-10 over an alphanumeric string (letters A=10 … Z=35). */
export function mod97(text: string): number {
  let remainder = 0;
  for (const ch of text.toUpperCase()) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

export function compactIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

export function isValidIban(iban: string): boolean {
  const s = compactIban(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  if ((s.startsWith('CH') || s.startsWith('LI')) && s.length !== 21) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** A QR-IBAN has an institution id (positions 5–9) between 30000 and 31999. */
export function isQrIban(iban: string): boolean {
  const s = compactIban(iban);
  if (!isValidIban(s) || !(s.startsWith('CH') || s.startsWith('LI'))) return false;
  const iid = Number(s.slice(4, 9));
  return iid >= 30000 && iid <= 31999;
}

export function formatIban(iban: string): string {
  return compactIban(iban)
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

export function scorReference(base: string): string {
  const body = base.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (body.length === 0 || body.length > 21)
    throw new RangeError('a creditor reference holds 1 to 21 letters or digits');
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, '0')}${body}`;
}

export function isValidScor(reference: string): boolean {
  const s = reference.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

const QRR_TABLE = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];

/** The mod-10 recursive check digit of Swiss payment slips (ESR/QRR). */
export function mod10Recursive(digits: string): number {
  let carry = 0;
  for (const d of digits) carry = QRR_TABLE[(carry + Number(d)) % 10] as number;
  return (10 - carry) % 10;
}

/** 26 digits (left-padded) + the check digit = a 27-digit QR reference. */
export function qrrReference(digits: string): string {
  if (!/^\d{1,26}$/.test(digits)) throw new RangeError('a QR reference is built from up to 26 digits');
  // All zeros would give 27 zeros, which isValidQrr (rightly) refuses: never hand one out.
  if (/^0+$/.test(digits)) throw new RangeError('a QR reference cannot be all zeros');
  const body = digits.padStart(26, '0');
  return `${body}${mod10Recursive(body)}`;
}

export function isValidQrr(reference: string): boolean {
  const s = reference.replace(/\s+/g, '');
  if (!/^\d{27}$/.test(s) || /^0+$/.test(s)) return false;
  return mod10Recursive(s.slice(0, 26)) === Number(s[26]);
}

export function formatScor(reference: string): string {
  return reference.replace(/(.{4})/g, '$1 ').trim();
}

export function formatQrr(reference: string): string {
  return `${reference.slice(0, 2)} ${reference
    .slice(2)
    .replace(/(.{5})/g, '$1 ')
    .trim()}`;
}
