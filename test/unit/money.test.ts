import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBasisPoints,
  CURRENCIES,
  formatMoney,
  minorToDecimal,
  parseAmount,
} from '#common/money';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('parseAmount reads amounts the way people type them', () => {
  it.each([
    // Swiss: apostrophe (ASCII or typographic) groups thousands, dot is the decimal mark.
    ["1'234.50", 123_450],
    ['1’234.50', 123_450],
    ["1'234'567.89", 123_456_789],
    // French: (narrow) no-break or plain spaces group, comma is the decimal mark.
    [`1${NBSP}234,50`, 123_450],
    [`1${NNBSP}234,50`, 123_450],
    [`1${NNBSP}234${NNBSP}567,89`, 123_456_789],
    ['1 234,50', 123_450],
    // German: dots group, comma is the decimal mark.
    ['1.234,50', 123_450],
    ['12.345,60', 1_234_560],
    ['1.234.567,89', 123_456_789],
    // English.
    ['1,234.50', 123_450],
    ['1,234,567.89', 123_456_789],
    // Plain, padded, partial decimals.
    ['1234.5', 123_450],
    ['1234,5', 123_450],
    ['  42  ', 4_200],
    ['0.05', 5],
    ['0,05', 5],
    ['.5', 50],
    ['7.', 700],
    ['+3', 300],
    // Negatives, with ASCII hyphen-minus or the Unicode minus sign.
    ['-12', -1_200],
    ['−12,5', -1_250],
    ["-1'234.50", -123_450],
    [`-1${NBSP}234,05`, -123_405],
  ])('%j → %i', (text, minor) => {
    expect(parseAmount(text)).toBe(minor);
  });

  it('gives EUR the same two decimals as CHF', () => {
    expect(parseAmount('1.234,56', 'EUR')).toBe(123_456);
    expect(parseAmount('0,001', 'EUR')).toBeNull();
  });

  it.each([
    // More decimals than the currency has: refused rather than rounded behind the user's back.
    '1234.567',
    '0,001',
    '1.2345',
    // Junk.
    '',
    '   ',
    'abc',
    '12a',
    '1e3',
    'Infinity',
    'NaN',
    '--5',
    '+-5',
    '5-',
    '1.2.3',
    '1,23,45',
    '12.3.4,5',
    '1.234,567.8',
    '1.23,45',
    '1,2345.00',
    'CHF 12',
    '12 €',
    '0x10',
    '١٢٣', // Arabic-Indic digits are not ASCII digits
  ])('%j → null', (text) => {
    expect(parseAmount(text)).toBeNull();
  });

  it('refuses amounts beyond exact integer arithmetic', () => {
    expect(parseAmount('90071992547409.92')).toBeNull();
    expect(parseAmount('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('never answers negative zero', () => {
    for (const text of ['-0', '-0.00', '−0,0']) {
      expect(Object.is(parseAmount(text), 0), text).toBe(true);
    }
  });

  it('reads back every amount it formats, in every locale Kontor speaks', () => {
    const locales = ['fr-CH', 'de-CH', 'it-CH', 'fr-FR', 'de-DE', 'de-AT', 'fr-BE', 'en-GB', 'en-US'];
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_00, max: 1_000_000_000_00 }),
        fc.constantFrom(...CURRENCIES),
        fc.constantFrom(...locales),
        (minor, currency, locale) => {
          const shown = formatMoney(minor, currency, locale).replace(/CHF|EUR|€/g, '');
          expect(parseAmount(shown, currency)).toBe(minor);
        },
      ),
      { seed: 1_234_50, numRuns: 1_000 },
    );
  });
});

describe('minorToDecimal', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [100, '1.00'],
    [123_450, '1234.50'],
    [-123_450, '-1234.50'],
    [9_007_199_254_740_991, '90071992547409.91'],
  ])('%i → %s', (minor, text) => {
    expect(minorToDecimal(minor, 'CHF')).toBe(text);
  });

  it('round-trips through parseAmount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        expect(parseAmount(minorToDecimal(minor, 'EUR'), 'EUR')).toBe(minor);
      }),
      { seed: 7, numRuns: 1_000 },
    );
  });
});

describe('formatMoney', () => {
  it('uses the locale but never U+202F, which many PDF fonts lack', () => {
    const cases: [string, string][] = [
      ['fr-CH', 'CHF'],
      ['fr-FR', 'EUR'],
      ['fr-BE', 'EUR'],
      ['de-CH', 'CHF'],
      ['de-DE', 'EUR'],
      ['en-US', 'CHF'],
    ];
    for (const [locale, currency] of cases) {
      const text = formatMoney(-123_456_789, currency as 'CHF' | 'EUR', locale);
      expect(text, locale).not.toContain(NNBSP);
    }
    expect(formatMoney(123_450, 'EUR', 'fr-FR')).toBe(`1${NBSP}234,50${NBSP}€`);
    expect(formatMoney(123_450, 'CHF', 'fr-CH')).toBe(`1${NBSP}234.50${NBSP}CHF`);
    expect(formatMoney(123_450, 'CHF', 'de-CH')).toBe(`CHF${NBSP}1'234.50`);
    expect(formatMoney(123_450, 'EUR', 'de-DE')).toBe(`1.234,50${NBSP}€`);
  });

  it('always shows exactly two decimals and never a float artefact', () => {
    expect(formatMoney(10, 'CHF', 'en-US')).toBe(`CHF${NBSP}0.10`);
    expect(formatMoney(30, 'CHF', 'en-US')).toBe(`CHF${NBSP}0.30`); // 0.1 + 0.2 territory
    expect(formatMoney(100_000_000_01, 'EUR', 'en-US')).toBe('€100,000,000.01');
  });
});

/** The rule, spelled out with exact integers: round half away from zero. */
function referenceBasisPoints(amountMinor: number, rateBp: number): number {
  const product = BigInt(amountMinor) * BigInt(rateBp);
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const quotient = abs / 10_000n;
  const remainder = abs % 10_000n;
  const rounded = remainder * 2n >= 10_000n ? quotient + 1n : quotient;
  return Number(negative ? -rounded : rounded);
}

describe('applyBasisPoints rounds half away from zero', () => {
  it.each([
    // 7.7 % Swiss VAT on CHF 10.00.
    [1_000, 770, 77],
    // Exactly half a centime, both signs: away from zero.
    [1_005, 5_000, 503],
    [-1_005, 5_000, -503],
    [1_005, -5_000, -503],
    [1, 5_000, 1],
    [-1, 5_000, -1],
    // Just below half: towards zero.
    [1, 4_999, 0],
    [-1, 4_999, 0],
    // 8.1 % on CHF 123.45 = 9.99945 → 10.00.
    [12_345, 810, 1_000],
    // A 15 % partner discount on EUR 19.99 = 2.9985 → 3.00.
    [1_999, 1_500, 300],
    [0, 770, 0],
    [123_456, 10_000, 123_456],
  ])('%i × %i bp → %i', (amount, rate, expected) => {
    expect(applyBasisPoints(amount, rate)).toBe(expected);
  });

  it('never answers negative zero', () => {
    expect(Object.is(applyBasisPoints(-1, 1), 0)).toBe(true);
    expect(Object.is(applyBasisPoints(1, -1), 0)).toBe(true);
    expect(Object.is(applyBasisPoints(0, -770), 0)).toBe(true);
  });

  it('equals an exact BigInt implementation for every amount and rate', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 })),
        fc.oneof(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: -1_000_000, max: 1_000_000 })),
        (amount, rate) => {
          expect(applyBasisPoints(amount, rate)).toBe(referenceBasisPoints(amount, rate));
        },
      ),
      { seed: 20_261_123, numRuns: 5_000 },
    );
  });

  it('is exact up to the edge of safe integers, and refuses beyond', () => {
    const amount = Math.floor(Number.MAX_SAFE_INTEGER / 10_000);
    expect(applyBasisPoints(amount, 10_000)).toBe(referenceBasisPoints(amount, 10_000));
    expect(applyBasisPoints(amount, 5_000)).toBe(referenceBasisPoints(amount, 5_000));
    expect(() => applyBasisPoints(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
    expect(() => applyBasisPoints(2 ** 40, 2 ** 14)).toThrow(RangeError);
  });
});
