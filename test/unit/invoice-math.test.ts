// The one rounding rule of every Kontor document (common/invoice-math.ts): each line
// is rounded once, half away from zero, in this order — quantity × unit price, then the
// discount, then the VAT on the discounted net. Totals and the VAT summary are exact sums of
// the lines. Hand-checked examples, then properties against a BigInt reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceTotals, type LineInput, lineAmounts } from '#common/invoice-math';

const SEED = 20261123;

const l = (quantityMilli: number, unitPriceMinor: number, discountBp = 0, vatRateBp = 810): LineInput => ({
  quantityMilli,
  unitPriceMinor,
  discountBp,
  vatRateBp,
});

describe('lineAmounts, by hand', () => {
  it.each([
    // [what, line, net, vat, gross]
    ['1 × 10.00 at 8.1 %', l(1000, 1_000), 1_000, 81, 1_081],
    [
      '3 × 49.90 less 10 % at 8.1 %: 149.70 − 14.97 = 134.73; VAT 10.91313',
      l(3000, 4_990, 1000),
      13_473,
      1_091,
      14_564,
    ],
    ['12 × 9.99 at 20 %: 119.88; VAT 23.976 → 23.98', l(12_000, 999, 0, 2000), 11_988, 2_398, 14_386],
    ['0.50 at 1 %: VAT 0.005 → 0.01 (half away from zero)', l(1000, 50, 0, 100), 50, 1, 51],
    ['0.49 at 1 %: VAT 0.0049 → 0.00', l(1000, 49, 0, 100), 49, 0, 49],
    ['0.05 at 8.1 %: VAT 0.00405 → 0.00', l(1000, 5, 0, 810), 5, 0, 5],
    ['1.5 × 0.33 = 0.495 → 0.50 (the product is rounded first)', l(1500, 33, 0, 0), 50, 0, 50],
    ['0.333 × 1.00 = 0.333 → 0.33', l(333, 100, 0, 0), 33, 0, 33],
    ['0.15 less 10 %: discount 0.015 → 0.02, net 0.13; VAT 0.01053 → 0.01', l(1000, 15, 1000), 13, 1, 14],
    ['less 100 %: nothing, no VAT', l(2000, 12_345, 10_000), 0, 0, 0],
    ['1 × −20.00 at 8.1 % (a rebate line)', l(1000, -2_000), -2_000, -162, -2_162],
    ['1 × −0.50 at 1 %: VAT −0.005 → −0.01 (away from zero)', l(1000, -50, 0, 100), -50, -1, -51],
    ['1.5 × −0.33 = −0.495 → −0.50', l(1500, -33, 0, 0), -50, 0, -50],
    ['−0.15 less 10 %: discount −0.015 → −0.02, net −0.13', l(1000, -15, 1000, 0), -13, 0, -13],
    ['2.6 % (reduced Swiss rate) on 99.95: 2.5987 → 2.60', l(1000, 9_995, 0, 260), 9_995, 260, 10_255],
    ['3.8 % (lodging) on 150.00: 5.70', l(1000, 15_000, 0, 380), 15_000, 570, 15_570],
  ] as const)('%s', (_, line, net, vat, gross) => {
    expect(lineAmounts(line)).toEqual({ netMinor: net, vatMinor: vat, grossMinor: gross });
  });

  it('never gives −0 (Intl would print “-0.00”)', () => {
    for (const line of [
      l(1, -1),
      l(1000, -1, 0, 810),
      l(1000, -4, 0, 100),
      l(400, -1, 0, 0),
      l(1000, -15, 10_000),
    ]) {
      const amounts = lineAmounts(line);
      for (const [key, value] of Object.entries(amounts))
        expect(Object.is(value, -0), `${key} of ${JSON.stringify(line)}`).toBe(false);
    }
  });

  it('refuses amounts beyond exact integer arithmetic instead of rounding silently', () => {
    expect(() => lineAmounts(l(1_000_000_000, 10_000_000_000))).toThrow(RangeError);
    expect(() => lineAmounts(l(1_000_000, 1_000_000_000_000, 0, 10_000))).toThrow(RangeError);
  });
});

describe('invoiceTotals, by hand', () => {
  it('adds the lines exactly and summarizes VAT per rate, highest rate first', () => {
    const lines = [
      l(3000, 4_990, 1000),
      l(500, 12_000),
      l(1000, 9_995, 0, 260),
      l(1000, -2_000),
      l(1000, 1_000, 0, 0),
    ].map((line) => ({ ...lineAmounts(line), vatRateBp: line.vatRateBp }));
    const totals = invoiceTotals(lines);
    expect(totals).toEqual({
      netMinor: 13_473 + 6_000 + 9_995 - 2_000 + 1_000,
      vatMinor: 1_091 + 486 + 260 - 162 + 0,
      grossMinor: 28_468 + 1_675,
      vatSummary: [
        { vatRateBp: 810, netMinor: 17_473, vatMinor: 1_415 },
        { vatRateBp: 260, netMinor: 9_995, vatMinor: 260 },
        { vatRateBp: 0, netMinor: 1_000, vatMinor: 0 },
      ],
    });
  });

  it('of no lines is zero', () => {
    expect(invoiceTotals([])).toEqual({ netMinor: 0, vatMinor: 0, grossMinor: 0, vatSummary: [] });
  });
});

// ---------------------------------------------------------------------------------------
// Properties.

/** a / b rounded half away from zero, b > 0, in BigInt: the rule written the obvious way. */
function roundDiv(a: bigint, b: bigint): bigint {
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const q = abs / b;
  const rounded = 2n * (abs % b) >= b ? q + 1n : q;
  return negative ? -rounded : rounded;
}

function reference(line: LineInput): { netMinor: bigint; vatMinor: bigint; grossMinor: bigint } {
  const base = roundDiv(BigInt(line.quantityMilli) * BigInt(line.unitPriceMinor), 1000n);
  const net = base - roundDiv(base * BigInt(line.discountBp), 10_000n);
  const vat = roundDiv(net * BigInt(line.vatRateBp), 10_000n);
  return { netMinor: net, vatMinor: vat, grossMinor: net + vat };
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const exact = (value: bigint) => value >= -MAX && value <= MAX;

/** What the API accepts for a line (InvoiceLineInput), with the rates of the VAT rules often. */
const lineArbitrary: fc.Arbitrary<LineInput> = fc.record({
  quantityMilli: fc.oneof(
    fc.integer({ min: 1, max: 1_000_000_000 }),
    fc.constantFrom(1, 500, 1000, 1500, 3000, 12_000),
  ),
  unitPriceMinor: fc.oneof(
    fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }),
    fc.integer({ min: -100_000, max: 100_000 }),
  ),
  discountBp: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 500, 1000, 5000, 10_000)),
  vatRateBp: fc.oneof(
    fc.integer({ min: 0, max: 10_000 }),
    fc.constantFrom(0, 100, 260, 380, 810, 1900, 2000, 2550, 2700),
  ),
});

describe('properties (seed 20261123)', () => {
  it('lineAmounts equals the BigInt reference wherever arithmetic is exact, and refuses elsewhere', () => {
    fc.assert(
      fc.property(lineArbitrary, (line) => {
        const ref = reference(line);
        const product = BigInt(line.quantityMilli) * BigInt(line.unitPriceMinor);
        const base = roundDiv(product, 1000n);
        const fits =
          exact(product) &&
          exact(base * BigInt(line.discountBp)) &&
          exact(ref.netMinor * BigInt(line.vatRateBp));
        if (!fits) {
          expect(() => lineAmounts(line)).toThrow(RangeError);
          return;
        }
        const got = lineAmounts(line);
        expect(got).toEqual({
          netMinor: Number(ref.netMinor),
          vatMinor: Number(ref.vatMinor),
          grossMinor: Number(ref.grossMinor),
        });
        expect(got.grossMinor).toBe(got.netMinor + got.vatMinor);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it('a line priced at the negative price is the exact mirror of the positive one', () => {
    fc.assert(
      fc.property(lineArbitrary, (line) => {
        fc.pre(Math.abs(line.quantityMilli * line.unitPriceMinor) <= 100_000_000_00 * 1000);
        const plus = lineAmounts(line);
        const minus = lineAmounts({ ...line, unitPriceMinor: -line.unitPriceMinor });
        expect(minus).toEqual({
          netMinor: -plus.netMinor || 0,
          vatMinor: -plus.vatMinor || 0,
          grossMinor: -plus.grossMinor || 0,
        });
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('totals are the exact sums of the lines; the VAT summary sums to the totals; gross = net + VAT', () => {
    // Amounts a real invoice line may carry (the API caps a line at 100,000,000.00).
    const realLine = lineArbitrary.filter(
      (line) => Math.abs(line.quantityMilli * line.unitPriceMinor) <= 100_000_000_00 * 1000,
    );
    fc.assert(
      fc.property(fc.array(realLine, { maxLength: 60 }), (input) => {
        const lines = input.map((line) => ({ ...lineAmounts(line), vatRateBp: line.vatRateBp }));
        const totals = invoiceTotals(lines);
        const sum = (key: 'netMinor' | 'vatMinor' | 'grossMinor') => lines.reduce((s, x) => s + x[key], 0);
        expect(totals.netMinor).toBe(sum('netMinor'));
        expect(totals.vatMinor).toBe(sum('vatMinor'));
        expect(totals.grossMinor).toBe(sum('grossMinor'));
        expect(totals.grossMinor).toBe(totals.netMinor + totals.vatMinor);
        expect(totals.vatSummary.reduce((s, r) => s + r.netMinor, 0)).toBe(totals.netMinor);
        expect(totals.vatSummary.reduce((s, r) => s + r.vatMinor, 0)).toBe(totals.vatMinor);
        // One row per rate, highest first, each the sum of its own lines.
        const rates = totals.vatSummary.map((r) => r.vatRateBp);
        expect(rates).toEqual([...new Set(lines.map((x) => x.vatRateBp))].sort((a, b) => b - a));
        for (const row of totals.vatSummary) {
          const own = lines.filter((x) => x.vatRateBp === row.vatRateBp);
          expect(row.netMinor).toBe(own.reduce((s, x) => s + x.netMinor, 0));
          expect(row.vatMinor).toBe(own.reduce((s, x) => s + x.vatMinor, 0));
        }
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('the order of the lines changes nothing but the order (totals are sums, not running roundings)', () => {
    fc.assert(
      fc.property(
        fc.array(
          lineArbitrary.filter((x) => Math.abs(x.quantityMilli * x.unitPriceMinor) <= 1e13),
          { maxLength: 20 },
        ),
        (input) => {
          const priced = input.map((line) => ({ ...lineAmounts(line), vatRateBp: line.vatRateBp }));
          expect(invoiceTotals([...priced].reverse())).toEqual(invoiceTotals(priced));
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});
