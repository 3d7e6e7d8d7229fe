// Payment references that let a bank transfer find its invoice (common/payment-
// reference.ts): IBANs (ISO 13616, mod 97), QR-IBANs (institution id 30000–31999), the Swiss
// QR reference (QRR: 26 digits + a mod-10 recursive check digit) and the ISO 11649 creditor
// reference (SCOR: "RF" + 2 check digits + up to 21 letters or digits). swissqrbill, which
// renders the QR-bill, serves as an independent oracle for the check digits.
import fc from 'fast-check';
import * as swissqrbill from 'swissqrbill/utils';
import { describe, expect, it } from 'vitest';
import {
  compactIban,
  formatIban,
  formatQrr,
  isQrIban,
  isValidIban,
  isValidQrr,
  isValidScor,
  mod97,
  qrrReference,
  scorReference,
} from '#common/payment-reference';

const SEED = 20261123;
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An IBAN with correct check digits for a country and a BBAN (ISO 13616). */
function ibanFor(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Every string that differs from `text` in exactly one position, by a character of `alphabet`. */
function substitutions(text: string, at: number, alphabet: string): string[] {
  return [...alphabet].filter((c) => c !== text[at]).map((c) => text.slice(0, at) + c + text.slice(at + 1));
}

describe('isValidIban', () => {
  it.each([
    ['CH', 'CH93 0076 2011 6238 5295 7'],
    ['LI', 'LI21 0881 0000 2324 013A A'],
    ['DE', 'DE89 3704 0044 0532 0130 00'],
    ['FR', 'FR14 2004 1010 0505 0001 3M02 606'],
    ['QR-IBAN', 'CH44 3199 9123 0008 8901 2'],
    ['lower case, no spaces', 'de89370400440532013000'],
  ])('accepts a valid %s IBAN', (_, iban) => {
    expect(isValidIban(iban)).toBe(true);
    expect(swissqrbill.isIBANValid(iban)).toBe(true);
  });

  it.each([
    ['a changed digit', 'CH93 0076 2011 6238 5295 8'],
    ['two digits swapped', 'CH93 0076 2011 6238 5259 7'],
    ['wrong check digits', 'DE88 3704 0044 0532 0130 00'],
    ['a changed letter', 'FR14 2004 1010 0505 0001 3N02 606'],
    ['a Swiss IBAN one digit short', 'CH93 0076 2011 6238 5295'],
    ['a Liechtenstein IBAN one character long', 'LI21 0881 0000 2324 013A AA'],
    ['no country', '9300762011623852957'],
    ['a stray character', 'CH93-0076-2011-6238-5295-7'],
    ['nothing', ''],
  ])('refuses %s', (_, iban) => {
    expect(isValidIban(iban)).toBe(false);
  });

  it('detects every single-digit change and every adjacent swap of different digits in an all-digit BBAN', () => {
    for (const iban of ['CH9300762011623852957', 'DE89370400440532013000', 'CH4431999123000889012']) {
      const undetected: string[] = [];
      for (let at = 2; at < iban.length; at++) {
        for (const wrong of substitutions(iban, at, DIGITS)) if (isValidIban(wrong)) undetected.push(wrong);
        if (at + 1 < iban.length && iban[at] !== iban[at + 1]) {
          const swapped = iban.slice(0, at) + iban[at + 1] + iban[at] + iban.slice(at + 2);
          if (isValidIban(swapped)) undetected.push(swapped);
        }
      }
      expect(undetected, iban).toEqual([]);
    }
  });

  it('normalizes for storage and prints in groups of four', () => {
    expect(compactIban(' ch93 0076 2011 6238 5295 7 ')).toBe('CH9300762011623852957');
    expect(formatIban('CH9300762011623852957')).toBe('CH93 0076 2011 6238 5295 7');
  });
});

describe('isQrIban', () => {
  it('is true for the QR-IID range 30000–31999 only, in Switzerland and Liechtenstein', () => {
    const ch = (iid: string) => ibanFor('CH', `${iid}123000889012`);
    expect(isQrIban('CH44 3199 9123 0008 8901 2')).toBe(true);
    expect(isQrIban(ch('30000'))).toBe(true);
    expect(isQrIban(ch('31999'))).toBe(true);
    expect(isQrIban(ibanFor('LI', '30000123000889012'))).toBe(true);
    expect(isQrIban(ch('29999'))).toBe(false);
    expect(isQrIban(ch('32000'))).toBe(false);
    expect(isQrIban('CH93 0076 2011 6238 5295 7')).toBe(false);
    for (const iban of [ch('30000'), ch('31999'), ch('29999'), ch('32000')]) {
      expect(isValidIban(iban), iban).toBe(true);
      expect(isQrIban(iban), iban).toBe(swissqrbill.isQRIBAN(iban));
    }
  });

  it('is false for an IBAN that is not valid, or not Swiss', () => {
    expect(isQrIban('CH44 3199 9123 0008 8901 3')).toBe(false);
    // A German IBAN whose bank code happens to start with 30000.
    expect(isQrIban(ibanFor('DE', '300001230008890120'))).toBe(false);
  });
});

describe('SCOR: the ISO 11649 creditor reference', () => {
  it('gives the standard’s example its check digits, and reads it back in any layout', () => {
    expect(scorReference('539007547034')).toBe('RF18539007547034');
    expect(isValidScor('RF18 5390 0754 7034')).toBe(true);
    expect(isValidScor('rf18539007547034')).toBe(true);
    expect(isValidScor('RF19539007547034')).toBe(false);
  });

  it('builds Kontor’s references from invoice numbers, dropping the dashes', () => {
    const reference = scorReference('INV-2026-A1B2C3-000042');
    expect(reference).toMatch(/^RF\d{2}INV2026A1B2C3000042$/);
    expect(isValidScor(reference)).toBe(true);
    expect(reference.slice(2, 4)).toBe(swissqrbill.calculateSCORReferenceChecksum('INV2026A1B2C3000042'));
  });

  it('holds 1 to 21 letters or digits', () => {
    expect(() => scorReference('')).toThrow(RangeError);
    expect(() => scorReference('---')).toThrow(RangeError);
    expect(() => scorReference('A'.repeat(22))).toThrow(RangeError);
    expect(isValidScor(scorReference('A'.repeat(21)))).toBe(true);
    expect(isValidScor(`RF00${'1'.repeat(22)}`)).toBe(false);
    expect(isValidScor('RF18')).toBe(false);
  });

  const body = fc.string({ unit: fc.constantFrom(...DIGITS, ...LETTERS), minLength: 1, maxLength: 21 });

  it('property: every body round-trips, with the check digits swissqrbill computes', () => {
    fc.assert(
      fc.property(body, (text) => {
        const reference = scorReference(text);
        expect(reference).toBe(`RF${reference.slice(2, 4)}${text}`);
        expect(isValidScor(reference)).toBe(true);
        expect(reference.slice(2, 4)).toBe(swissqrbill.calculateSCORReferenceChecksum(text));
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('property: a single character changed for another of its kind (digit for digit, letter for letter) is always detected', () => {
    fc.assert(
      fc.property(body, (text) => {
        const reference = scorReference(text);
        const undetected: string[] = [];
        for (let at = 0; at < reference.length; at++) {
          const alphabet = DIGITS.includes(reference[at]!) ? DIGITS : LETTERS;
          for (const wrong of substitutions(reference, at, alphabet))
            if (isValidScor(wrong)) undetected.push(wrong);
        }
        expect(undetected).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('cannot catch every letter ↔ digit change: ISO 11649 counts a letter as two digits (a limit of the standard)', () => {
    // Found by exhaustive search; about 0.3 % of such changes keep the remainder at 1.
    expect(isValidScor(scorReference('R8FVTBJUP3'))).toBe(true);
    expect(scorReference('R8FVTBJUP3')).toBe('RF03R8FVTBJUP3');
    expect(isValidScor('RF03R89VTBJUP3')).toBe(true);
  });
});

describe('QRR: the Swiss QR reference', () => {
  it('gives the Swiss Payment Standards’ example its check digit, and reads it back with spaces', () => {
    expect(qrrReference('21000000000313947143000901')).toBe('210000000003139471430009017');
    expect(isValidQrr('21 00000 00003 13947 14300 09017')).toBe(true);
    expect(formatQrr('210000000003139471430009017')).toBe('21 00000 00003 13947 14300 09017');
  });

  it('pads to 26 digits and refuses what is not a reference', () => {
    expect(qrrReference('1')).toBe(
      `${'0'.repeat(25)}1${swissqrbill.calculateQRReferenceChecksum(`${'0'.repeat(25)}1`)}`,
    );
    expect(() => qrrReference('')).toThrow(RangeError);
    expect(() => qrrReference('1'.repeat(27))).toThrow(RangeError);
    expect(() => qrrReference('12A4')).toThrow(RangeError);
    // Twenty-seven zeros is not a reference: neither built nor accepted.
    expect(() => qrrReference('0')).toThrow(RangeError);
    expect(() => qrrReference('0'.repeat(26))).toThrow(RangeError);
    expect(isValidQrr('0'.repeat(27))).toBe(false);
    expect(isValidQrr('21000000000313947143000901')).toBe(false);
    expect(isValidQrr('2100000000031394714300090171')).toBe(false);
  });

  const digits = fc
    .string({ unit: fc.constantFrom(...DIGITS), minLength: 1, maxLength: 26 })
    .filter((d) => /[1-9]/.test(d));

  it('property: every number round-trips, with the check digit swissqrbill computes', () => {
    fc.assert(
      fc.property(digits, (d) => {
        const reference = qrrReference(d);
        expect(reference).toHaveLength(27);
        expect(reference.slice(0, 26)).toBe(d.padStart(26, '0'));
        expect(isValidQrr(reference)).toBe(true);
        expect(swissqrbill.isQRReferenceValid(reference)).toBe(true);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('property: any single digit changed anywhere (the check digit included) is detected', () => {
    fc.assert(
      fc.property(digits, (d) => {
        const reference = qrrReference(d);
        const undetected: string[] = [];
        for (let at = 0; at < 27; at++) {
          for (const wrong of substitutions(reference, at, DIGITS))
            if (isValidQrr(wrong)) undetected.push(wrong);
        }
        expect(undetected).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
