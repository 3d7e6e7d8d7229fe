// Offline validation of EU VAT numbers (VIES format + national check digits) and Swiss UIDs.
// Pure and dependency-free: the renderer imports it too. A "valid" answer means the number is
// well-formed and its check digits agree, not that it is currently registered (only VIES or
// the Swiss UID register can say that).

import { weightedSum } from './vat/checksums';
import { type BodyCheck, RULES } from './vat/countries';

export type VatCheck =
  | { valid: true; normalized: string; country: string }
  | { valid: false; reason: VatInvalidReason; country?: string };

export type VatInvalidReason = 'empty' | 'unknown_country' | 'bad_format' | 'bad_checksum' | 'not_eu';

/** ISO 3166-1 alpha-2 codes of the 27 EU member states (Greece is GR here, EL as VAT prefix). */
export const EU_VAT_COUNTRIES: readonly string[] = Object.freeze([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

const EU_SET = new Set(EU_VAT_COUNTRIES);
const EMPTY: VatCheck = { valid: false, reason: 'empty' };

/** VAT prefix → ISO country. VIES uses EL for Greece; XI is Northern Ireland (not a member
 * state, but its traders keep EU VAT numbers for goods under the Windsor Framework). */
function countryForPrefix(prefix: string): string | undefined {
  if (prefix === 'EL' || prefix === 'GR') return 'GR';
  if (prefix === 'XI') return 'XI';
  return EU_SET.has(prefix) ? prefix : undefined;
}

/** VAT number prefix of a country: 'GR' → 'EL', every other code unchanged (upper-cased). */
export function vatPrefixFor(country: string): string {
  const c = country.trim().toUpperCase();
  return c === 'GR' ? 'EL' : c;
}

// Separators people paste from invoices and registers: whitespace (incl. no-break spaces),
// dots, hyphens and Unicode dashes, slashes (Czech birth numbers), colons ("EL: 0942…").
const SEPARATORS = /[\s.\-\u2010-\u2015\u2212/:]/g;

function compact(input: unknown): string {
  return typeof input === 'string' ? input.toUpperCase().replace(SEPARATORS, '') : '';
}

function fromBody(prefix: string, country: string, result: BodyCheck): VatCheck {
  if (!result.ok) return { valid: false, reason: result.reason, country };
  // A body of only zeros satisfies several weighted checksums but is never issued.
  const digits = result.body.replace(/[^0-9]/g, '');
  if (digits.length >= 7 && /^0+$/.test(digits)) return { valid: false, reason: 'bad_format', country };
  return { valid: true, normalized: `${prefix}${result.body}`, country };
}

/**
 * Validates an EU VAT number (or a Northern Ireland XI number). `country` in the answer is the
 * ISO code (GR for an EL number). Without `expectedCountry` the prefix is required; with it, a
 * number without prefix is read as that country's and a different prefix is refused.
 */
export function checkEuVat(input: string, expectedCountry?: string): VatCheck {
  const s = compact(input);
  let expected: string | undefined;
  if (expectedCountry !== undefined && expectedCountry.trim() !== '') {
    const e = expectedCountry.trim().toUpperCase();
    if (e === 'CH' || e === 'LI') return { valid: false, reason: 'not_eu', country: e };
    expected = countryForPrefix(e);
    if (!expected) return { valid: false, reason: 'unknown_country', country: e };
  }
  if (s === '') return expected ? { valid: false, reason: 'empty', country: expected } : EMPTY;
  // A Swiss UID pasted into an EU field: say so rather than "unknown country".
  if (s.startsWith('CH')) return { valid: false, reason: 'not_eu', country: 'CH' };

  const head = s.slice(0, 2);
  const hasLetterPrefix = /^[A-Z]{2}$/.test(head);
  const prefixCountry = hasLetterPrefix ? countryForPrefix(head) : undefined;

  if (prefixCountry) {
    // A French key can itself be two letters that spell a prefix (e.g. "DE…"); a known prefix
    // wins, so such numbers must be entered with their FR prefix.
    if (expected && prefixCountry !== expected) {
      return { valid: false, reason: 'bad_format', country: expected };
    }
    const prefix = vatPrefixFor(prefixCountry);
    return fromBody(prefix, prefixCountry, ruleFor(prefix)(s.slice(2)));
  }
  if (!expected) return { valid: false, reason: 'unknown_country' };
  const prefix = vatPrefixFor(expected);
  return fromBody(prefix, expected, ruleFor(prefix)(s));
}

function ruleFor(prefix: string): (body: string) => BodyCheck {
  return RULES[prefix] ?? (() => ({ ok: false, reason: 'bad_format' }));
}

// Suffixes the Swiss VAT register appends to a UID (MWST/TVA/IVA, and "VAT" in English).
const SWISS_VAT_SUFFIX = /(MWST|TVA|IVA|VAT)$/;

/**
 * Validates a Swiss UID (Unternehmens-Identifikationsnummer, also the Swiss VAT number with a
 * MWST/TVA/IVA suffix). Accepts the number with or without the CHE prefix; normalized to the
 * register's form CHE-123.456.789.
 */
export function checkSwissUid(input: string): VatCheck {
  const s = compact(input).replace(SWISS_VAT_SUFFIX, '');
  if (s === '') return { valid: false, reason: 'empty', country: 'CH' };
  const m = /^(?:CHE)?([0-9]{9})$/.exec(s);
  if (!m) return { valid: false, reason: 'bad_format', country: 'CH' };
  const digits = m[1] ?? '';
  if (/^0+$/.test(digits)) return { valid: false, reason: 'bad_format', country: 'CH' };
  // BFS UID standard (eCH-0097): weights 5,4,3,2,7,6,5,4, check = 11 - sum mod 11; a result
  // of 11 is written 0 and 10 is never assigned.
  const check = 11 - (weightedSum(digits, [5, 4, 3, 2, 7, 6, 5, 4]) % 11);
  if (check === 10 || check % 11 !== digits.charCodeAt(8) - 48) {
    return { valid: false, reason: 'bad_checksum', country: 'CH' };
  }
  return {
    valid: true,
    normalized: `CHE-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}`,
    country: 'CH',
  };
}

/**
 * Validates the tax number of an organisation in `country` (ISO code): Swiss UID for CH, EU VAT
 * number for member states (and XI). Liechtenstein shares Switzerland's VAT area, outside the
 * EU, and its numbers are not validated here, hence 'not_eu'.
 */
export function checkTaxId(input: string, country: string): VatCheck {
  const c = country.trim().toUpperCase();
  if (c === 'CH') return checkSwissUid(input);
  if (c === 'LI') return { valid: false, reason: 'not_eu', country: 'LI' };
  if (EU_SET.has(c) || c === 'EL' || c === 'XI') return checkEuVat(input, c);
  return { valid: false, reason: 'unknown_country', country: c };
}
