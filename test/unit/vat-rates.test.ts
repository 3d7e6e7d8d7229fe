// decideVat (common/vat-rates.ts): which VAT an invoice carries, from where the
// issuer and the customer are. Swiss issuer and Swiss/Liechtenstein customer: Swiss VAT; EU
// company with a VAT number in another member state (or billed from Switzerland): reverse
// charge; other EU customers: their member state's rate; same EU country: that country's
// rate; anyone else: export, 0 %.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EU_VAT_COUNTRIES } from '#common/vat';
import {
  decideVat,
  EU_STANDARD_RATES_BP,
  SWISS_RATES_BP,
  type VatDecision,
} from '#common/vat-rates';

type Customer = Parameters<typeof decideVat>[1];
const company = (country: string, vatNumber: string | null = null): Customer => ({
  country,
  kind: 'company',
  vatNumber,
});
const person = (country: string): Customer => ({ country, kind: 'individual', vatNumber: null });

const SWISS: VatDecision = {
  defaultRateBp: 810,
  allowedRatesBp: [810, 260, 380, 0],
  reverseCharge: false,
  rule: 'swiss',
};
const REVERSE: VatDecision = {
  defaultRateBp: 0,
  allowedRatesBp: [0],
  reverseCharge: true,
  rule: 'reverse_charge',
};
const EXPORT: VatDecision = { defaultRateBp: 0, allowedRatesBp: [0], reverseCharge: false, rule: 'export' };
const consumer = (rate: number): VatDecision => ({
  defaultRateBp: rate,
  allowedRatesBp: [rate, 0],
  reverseCharge: false,
  rule: 'eu_consumer',
});
const domestic = (rate: number): VatDecision => ({
  defaultRateBp: rate,
  allowedRatesBp: [rate, 0],
  reverseCharge: false,
  rule: 'domestic_eu',
});

describe('decideVat', () => {
  it.each<[string, string, Customer, VatDecision]>([
    // A Swiss provider.
    ['CH → Swiss company', 'CH', company('CH'), SWISS],
    ['CH → Swiss individual', 'CH', person('CH'), SWISS],
    ['CH → Liechtenstein company (Swiss VAT area)', 'CH', company('LI'), SWISS],
    ['LI → Swiss company', 'LI', company('CH'), SWISS],
    ['CH → German company with a VAT number', 'CH', company('DE', 'DE136695976'), REVERSE],
    ['CH → German company without a VAT number', 'CH', company('DE'), consumer(1900)],
    ['CH → French individual', 'CH', person('FR'), consumer(2000)],
    ['CH → Greek individual (GR, VAT prefix EL)', 'CH', person('GR'), consumer(2400)],
    ['CH → Finnish individual (25.5 %)', 'CH', person('FI'), consumer(2550)],
    ['CH → Hungarian individual (27 %)', 'CH', person('HU'), consumer(2700)],
    ['CH → Luxembourg individual (17 %)', 'CH', person('LU'), consumer(1700)],
    ['CH → US company', 'CH', company('US'), EXPORT],
    ['CH → UK company (not in the EU)', 'CH', company('GB'), EXPORT],
    ['CH → Norwegian individual', 'CH', person('NO'), EXPORT],
    // An EU provider.
    [
      'DE → German company with a VAT number (domestic, no reverse charge)',
      'DE',
      company('DE', 'DE136695976'),
      domestic(1900),
    ],
    ['DE → German individual', 'DE', person('DE'), domestic(1900)],
    ['DE → French company with a VAT number', 'DE', company('FR', 'FR40303265045'), REVERSE],
    ['DE → French company without a VAT number', 'DE', company('FR'), consumer(2000)],
    ['DE → French individual', 'DE', person('FR'), consumer(2000)],
    ['DE → Swiss company (export from the EU)', 'DE', company('CH'), EXPORT],
    ['FR → US individual', 'FR', person('US'), EXPORT],
  ])('%s', (_, issuer, customer, expected) => {
    expect(decideVat(issuer, customer)).toEqual(expected);
  });

  it('never gives reverse charge to an individual, whatever they carry', () => {
    expect(decideVat('CH', { country: 'FR', kind: 'individual', vatNumber: 'FR40303265045' })).toEqual(
      consumer(2000),
    );
  });

  it('knows a standard rate for each of the 27 member states, and only for them', () => {
    expect(Object.keys(EU_STANDARD_RATES_BP).sort()).toEqual([...EU_VAT_COUNTRIES].sort());
    for (const [country, rate] of Object.entries(EU_STANDARD_RATES_BP)) {
      expect(rate, country).toBeGreaterThanOrEqual(1700);
      expect(rate, country).toBeLessThanOrEqual(2700);
      expect(decideVat('CH', person(country)).defaultRateBp, country).toBe(rate);
    }
    expect(SWISS_RATES_BP).toEqual({ standard: 810, reduced: 260, lodging: 380 });
  });

  it('property: the default rate is always allowed, and reverse charge and export mean 0 % only', () => {
    const countries = ['CH', 'LI', 'US', 'GB', 'NO', 'JP', ...EU_VAT_COUNTRIES];
    fc.assert(
      fc.property(
        fc.constantFrom(...countries),
        fc.constantFrom(...countries),
        fc.constantFrom<'company' | 'individual'>('company', 'individual'),
        fc.option(fc.constant('XX123'), { nil: null }),
        (issuer, country, kind, vatNumber) => {
          const decision = decideVat(issuer, { country, kind, vatNumber });
          expect(decision.allowedRatesBp).toContain(decision.defaultRateBp);
          expect(decision.allowedRatesBp).toContain(0);
          expect(new Set(decision.allowedRatesBp).size).toBe(decision.allowedRatesBp.length);
          if (decision.reverseCharge || decision.rule === 'export')
            expect(decision.allowedRatesBp).toEqual([0]);
          expect(decision.reverseCharge).toBe(decision.rule === 'reverse_charge');
          if (decision.reverseCharge)
            expect(kind === 'company' && vatNumber !== null && country !== issuer).toBe(true);
          if (decision.rule === 'swiss')
            expect(['CH', 'LI'].includes(issuer) && ['CH', 'LI'].includes(country)).toBe(true);
        },
      ),
      { seed: 20261123, numRuns: 1_000 },
    );
  });
});
