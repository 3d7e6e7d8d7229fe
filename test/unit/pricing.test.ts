import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { degressiveRateFor, moneyCase, quote, reduce } from '#common/pricing';

const SEED = 20_260_315;

describe('pricing: the seeds’ worked example (35 web hostings, partner 20 %, degressive 25 %)', () => {
  it('CHF: 347.20 → 277.76 → 208.32, a total reduction of 40 %', () => {
    const q = quote({ publicUnitMinor: 992, quantity: 35, discountBp: 2_000, degressiveBp: 2_500, case: 'discount' });
    expect(q.total.publicMinor).toBe(34_720);
    expect(q.total.publicMinor - q.total.discountMinor).toBe(27_776);
    expect(q.total.paidMinor).toBe(20_832);
    expect(q.total.discountMinor).toBe(6_944);
    expect(q.total.degressiveMinor).toBe(6_944);
    expect(q.total.cashbackMinor).toBe(0);
    // −40 % in all.
    expect((q.total.publicMinor - q.total.paidMinor) * 100).toBe(q.total.publicMinor * 40);
  });
  it('EUR: 201.25 → 161.00 → 120.75', () => {
    const q = quote({ publicUnitMinor: 575, quantity: 35, discountBp: 2_000, degressiveBp: 2_500, case: 'discount' });
    expect(q.total.publicMinor).toBe(20_125);
    expect(q.total.publicMinor - q.total.discountMinor).toBe(16_100);
    expect(q.total.paidMinor).toBe(12_075);
    expect(q.unit).toMatchObject({ publicMinor: 575, discountMinor: 115, degressiveMinor: 115, paidMinor: 345 });
  });
  it('multiplicative, not additive: 20 % then 25 % is 40 %, not 45 %', () => {
    expect(reduce(34_720, 2_000, 2_500)).toBe(20_832);
    expect(reduce(34_720, 4_500)).not.toBe(20_832);
  });
  it('the CHF unit price rounds once (9.92 → 5.952 → 5.95) and the total stays exact', () => {
    const q = quote({ publicUnitMinor: 992, quantity: 35, discountBp: 2_000, degressiveBp: 2_500, case: 'discount' });
    expect(q.unit.paidMinor).toBe(595);
    expect(q.total.paidMinor).toBe(20_832);
  });
  it('degressive tiers: highest threshold reached; only web and mail hosting', () => {
    const tiers = [
      { minQuantity: 1, rateBp: 0 },
      { minQuantity: 10, rateBp: 1_500 },
      { minQuantity: 35, rateBp: 2_500 },
    ];
    expect(degressiveRateFor('web_hosting', tiers, 35)).toBe(2_500);
    expect(degressiveRateFor('mail_hosting', tiers, 34)).toBe(1_500);
    expect(degressiveRateFor('web_hosting', tiers, 1)).toBe(0);
    expect(degressiveRateFor('domain', tiers, 100)).toBe(0);
  });
});

describe('pricing: DOMAIN.md cases', () => {
  it.each([
    ['complete', 'client', 'client', true, 'cashback'],
    ['complete', 'client', 'partner', true, 'cashback'],
    ['complete', 'partner', 'client', true, 'cashback'],
    ['complete', 'partner', 'partner', true, 'discount'],
    ['limited', null, 'client', true, 'cashback'],
    ['limited', null, 'client', false, 'none'],
    ['limited', null, 'partner', true, 'forbidden'],
  ] as const)('%s access, %s pays, %s orders (managed %s) → %s', (access, payment, orderedBy, managed, expected) => {
    expect(moneyCase({ access, payment, orderedBy, managedByPartner: managed })).toBe(expected);
  });
  it('cashback = public − preferential when the payer pays the public price', () => {
    const q = quote({ publicUnitMinor: 992, quantity: 35, discountBp: 2_000, degressiveBp: 0, case: 'cashback' });
    expect(q.total).toMatchObject({ paidMinor: 34_720, preferentialMinor: 27_776, cashbackMinor: 6_944 });
  });
});

const arbInput = fc.record({
  publicUnitMinor: fc.integer({ min: 0, max: 10_000_000 }),
  quantity: fc.integer({ min: 1, max: 1_000 }),
  discountBp: fc.integer({ min: 0, max: 3_500 }),
  degressiveBp: fc.integer({ min: 0, max: 10_000 }),
  case: fc.constantFrom('cashback' as const, 'discount' as const, 'none' as const),
});

describe('pricing: properties', () => {
  it('discount and degressive never increase a price; parts add up exactly', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const q = quote(i);
        for (const b of [q.unit, q.total]) {
          expect(b.paidMinor).toBeLessThanOrEqual(b.publicMinor);
          expect(b.discountMinor).toBeGreaterThanOrEqual(0);
          expect(b.degressiveMinor).toBeGreaterThanOrEqual(0);
          expect(b.publicMinor - b.discountMinor - b.degressiveMinor).toBe(b.paidMinor);
          expect(b.preferentialMinor).toBeLessThanOrEqual(b.paidMinor);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('more discount or more degressive never costs more', () => {
    fc.assert(
      fc.property(arbInput, fc.integer({ min: 0, max: 3_500 }), (i, extra) => {
        const more = Math.min(3_500, i.discountBp + extra);
        expect(quote({ ...i, discountBp: more }).total.preferentialMinor).toBeLessThanOrEqual(
          quote(i).total.preferentialMinor,
        );
        const moreDeg = Math.min(10_000, i.degressiveBp + extra);
        expect(quote({ ...i, degressiveBp: moreDeg }).total.paidMinor).toBeLessThanOrEqual(quote(i).total.paidMinor);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
  it('order of application is multiplicative: discount then degressive equals degressive then discount', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const p = i.publicUnitMinor * i.quantity;
        expect(reduce(p, i.discountBp, i.degressiveBp)).toBe(reduce(p, i.degressiveBp, i.discountBp));
        // and is the exact product rounded once: |paid·10^8 − p·(1−d)(1−g)| ≤ 10^8 / 2
        const exact = BigInt(p) * BigInt(10_000 - i.discountBp) * BigInt(10_000 - i.degressiveBp);
        const diff = BigInt(reduce(p, i.discountBp, i.degressiveBp)) * 100_000_000n - exact;
        expect(diff <= 50_000_000n && diff >= -50_000_000n).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('cashback = public − preferential ≥ 0 in the cashback case, 0 otherwise', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const q = quote(i);
        for (const b of [q.unit, q.total]) {
          expect(b.cashbackMinor).toBeGreaterThanOrEqual(0);
          if (i.case === 'cashback') expect(b.cashbackMinor).toBe(b.paidMinor - b.preferentialMinor);
          else expect(b.cashbackMinor).toBe(0);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('totals = per-unit × quantity within the documented rounding ((quantity + 1) / 2 minor units)', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const q = quote(i);
        for (const key of ['paidMinor', 'preferentialMinor', 'cashbackMinor', 'discountMinor'] as const) {
          const gap = Math.abs(q.total[key] - q.unit[key] * i.quantity);
          // Differences of two once-rounded amounts can be off by twice as much.
          const bound = key === 'paidMinor' || key === 'preferentialMinor' ? (i.quantity + 1) / 2 : i.quantity + 1;
          expect(gap).toBeLessThanOrEqual(bound);
        }
        expect(q.total.publicMinor).toBe(q.unit.publicMinor * i.quantity);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
