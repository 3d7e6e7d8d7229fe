import { EU_VAT_COUNTRIES } from './vat';

// Standard VAT rates in basis points, as in force in 2026 (EE 24 % since 1 Jul 2025, RO 21 %
// since 1 Aug 2025, SK 23 % since 1 Jan 2025, FI 25.5 % since 1 Sep 2024). Update with the law.
export const EU_STANDARD_RATES_BP: Readonly<Record<string, number>> = {
  AT: 2000,
  BE: 2100,
  BG: 2000,
  CY: 1900,
  CZ: 2100,
  DE: 1900,
  DK: 2500,
  EE: 2400,
  GR: 2400,
  ES: 2100,
  FI: 2550,
  FR: 2000,
  HR: 2500,
  HU: 2700,
  IE: 2300,
  IT: 2200,
  LT: 2100,
  LU: 1700,
  LV: 2100,
  MT: 1800,
  NL: 2100,
  PL: 2300,
  PT: 2300,
  RO: 2100,
  SE: 2500,
  SI: 2200,
  SK: 2300,
};

// Switzerland (and Liechtenstein, in the Swiss VAT area) since 1 Jan 2024.
export const SWISS_RATES_BP = { standard: 810, reduced: 260, lodging: 380 } as const;

export interface VatDecision {
  /** The rate a line gets unless the user picks another allowed one. */
  defaultRateBp: number;
  /** Rates a user may choose on a line of this invoice. */
  allowedRatesBp: number[];
  reverseCharge: boolean;
  rule: 'swiss' | 'domestic_eu' | 'reverse_charge' | 'eu_consumer' | 'export';
}

const isEu = (country: string) => EU_VAT_COUNTRIES.includes(country);
const isSwissArea = (country: string) => country === 'CH' || country === 'LI';

/**
 * Which VAT an invoice carries, from where the issuer and the customer are:
 * - Swiss issuer, Swiss/Liechtenstein customer: Swiss VAT (8.1 %, or 2.6 / 3.8 %).
 * - EU company with a valid VAT number in another member state than the issuer (or billed
 *   from Switzerland): reverse charge (Art. 196 Directive 2006/112/EC), 0 % on the document
 *   with the mention; the customer accounts for the VAT.
 * - Any other EU customer (a consumer, or a company without a VAT number): the customer's
 *   member state's standard rate (electronically supplied services are taxed where the
 *   customer is; OSS).
 * - Same-country EU issuer and customer: that country's standard rate.
 * - Anyone else: export, 0 %.
 */
export function decideVat(
  issuerCountry: string,
  customer: { country: string; kind: 'company' | 'individual'; vatNumber: string | null },
): VatDecision {
  if (isSwissArea(customer.country)) {
    if (isSwissArea(issuerCountry)) {
      return {
        defaultRateBp: SWISS_RATES_BP.standard,
        allowedRatesBp: [SWISS_RATES_BP.standard, SWISS_RATES_BP.reduced, SWISS_RATES_BP.lodging, 0],
        reverseCharge: false,
        rule: 'swiss',
      };
    }
    return { defaultRateBp: 0, allowedRatesBp: [0], reverseCharge: false, rule: 'export' };
  }
  if (isEu(customer.country)) {
    const standard = EU_STANDARD_RATES_BP[customer.country] ?? 0;
    if (customer.country === issuerCountry) {
      return {
        defaultRateBp: standard,
        allowedRatesBp: [standard, 0],
        reverseCharge: false,
        rule: 'domestic_eu',
      };
    }
    if (customer.kind === 'company' && customer.vatNumber) {
      return { defaultRateBp: 0, allowedRatesBp: [0], reverseCharge: true, rule: 'reverse_charge' };
    }
    return {
      defaultRateBp: standard,
      allowedRatesBp: [standard, 0],
      reverseCharge: false,
      rule: 'eu_consumer',
    };
  }
  return { defaultRateBp: 0, allowedRatesBp: [0], reverseCharge: false, rule: 'export' };
}
