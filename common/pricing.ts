// The partner pricing engine (DOMAIN.md "Partner money", seeds: "remise et cashback").
// Pure: no store, no clock. Money in integer minor units, rates in basis points.
//
// ONE rounding rule: every amount reported is computed from the EXACT rational value
//   amount = public × (10000 − discountBp) × (10000 − degressiveBp) / 10^8
// and rounded ONCE, half away from zero, to a minor unit (the rule of applyBasisPoints).
// Intermediate amounts are never rounded and fed forward; the "discount" and "degressive"
// columns are differences of such once-rounded amounts, so public − discount − degressive
// equals the price paid to the minor unit. The total is computed from public × quantity (not
// from the rounded unit price): it can therefore differ from unit × quantity by at most
// (quantity + 1) / 2 minor units — and the seeds' worked example (CHF 347.20 → 277.76 →
// 208.32 for 35 web hostings) is exactly what this rule gives.
import type { PartnerAccess, PartnerPayment } from '#db/schema/partners';
import type { ProductKind } from './enums';

export const BP = 10_000;
export const MAX_DISCOUNT_BP = 3_500;
/** Kinds with a degressive (volume) rate by number of hostings (seeds: "hébergements Web/Mail"). */
export const DEGRESSIVE_KINDS: readonly ProductKind[] = ['web_hosting', 'mail_hosting'];

/** Who places the order or renewal. */
export type OrderedBy = 'client' | 'partner';
/** What the partner earns on one order: cashback, a discount on what it pays, nothing. */
export type MoneyCase = 'cashback' | 'discount' | 'none';

export interface DegressiveTierInput {
  minQuantity: number;
  rateBp: number;
}

/**
 * DOMAIN.md's cases, exactly (they match the seeds):
 * - complete, client's payment methods: cashback when the client orders/renews, and when the
 *   partner orders/renews for the client (with the client's payment methods);
 * - complete, partner's payment methods: cashback when the client orders/renews; a DISCOUNT
 *   when the partner orders/renews for its client (it pays the preferential price directly);
 * - limited: cashback when the client orders/renews a product the partner manages; the
 *   partner cannot order or renew at all (`'forbidden'`).
 */
export function moneyCase(input: {
  access: PartnerAccess;
  payment: PartnerPayment | null;
  orderedBy: OrderedBy;
  managedByPartner: boolean;
}): MoneyCase | 'forbidden' {
  if (input.access === 'limited') {
    if (input.orderedBy === 'partner') return 'forbidden';
    return input.managedByPartner ? 'cashback' : 'none';
  }
  if (input.orderedBy === 'client') return 'cashback';
  return input.payment === 'partner' ? 'discount' : 'cashback';
}

/** The degressive rate for a quantity: the highest tier whose threshold it reaches. */
export function degressiveRateFor(
  kind: ProductKind,
  tiers: readonly DegressiveTierInput[],
  quantity: number,
): number {
  if (!DEGRESSIVE_KINDS.includes(kind)) return 0;
  let rate = 0;
  let best = 0;
  for (const t of tiers) {
    if (t.minQuantity <= quantity && t.minQuantity >= best) {
      best = t.minQuantity;
      rate = t.rateBp;
    }
  }
  return rate;
}

/** round(numerator / denominator), half away from zero, exact (BigInt). */
export function roundDiv(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = n / d;
  const rounded = (n % d) * 2n >= d ? q + 1n : q;
  const value = Number(negative ? -rounded : rounded);
  if (!Number.isSafeInteger(value)) throw new RangeError('amount too large for exact arithmetic');
  return value === 0 ? 0 : value;
}

/** public × (1 − a) × (1 − b), rounded once. */
export function reduce(publicMinor: number, aBp: number, bBp = 0): number {
  return roundDiv(BigInt(publicMinor) * BigInt(BP - aBp) * BigInt(BP - bBp), BigInt(BP * BP));
}

export interface PriceBreakdown {
  /** Public price (after nothing). */
  publicMinor: number;
  /** Partner discount taken off the price paid (discount case only). */
  discountMinor: number;
  /** Degressive (volume) reduction taken off what remained. */
  degressiveMinor: number;
  /** What the payer pays. */
  paidMinor: number;
  /** The partner's preferential price: public × (1 − discount) × (1 − degressive). */
  preferentialMinor: number;
  /** Credited to the partner's prepaid account (cashback case only): paid − preferential. */
  cashbackMinor: number;
}

export interface Quote {
  case: MoneyCase;
  quantity: number;
  discountBp: number;
  degressiveBp: number;
  unit: PriceBreakdown;
  total: PriceBreakdown;
}

function breakdown(publicMinor: number, moneyCaseValue: MoneyCase, discountBp: number, degressiveBp: number) {
  const preferential = reduce(publicMinor, discountBp, degressiveBp);
  if (moneyCaseValue === 'discount') {
    // Seeds: the degressive rate applies to what remains after the partner discount.
    const afterDiscount = reduce(publicMinor, discountBp);
    return {
      publicMinor,
      discountMinor: publicMinor - afterDiscount,
      degressiveMinor: afterDiscount - preferential,
      paidMinor: preferential,
      preferentialMinor: preferential,
      cashbackMinor: 0,
    };
  }
  // The payer (the client, or the partner with the client's payment methods) pays the public
  // price, less the volume rate that is public too; the partner earns the difference between
  // that and its preferential price.
  const paid = reduce(publicMinor, degressiveBp);
  return {
    publicMinor,
    discountMinor: 0,
    degressiveMinor: publicMinor - paid,
    paidMinor: paid,
    preferentialMinor: preferential,
    cashbackMinor: moneyCaseValue === 'cashback' ? paid - preferential : 0,
  };
}

export function quote(input: {
  publicUnitMinor: number;
  quantity: number;
  discountBp: number;
  degressiveBp: number;
  case: MoneyCase;
}): Quote {
  const { publicUnitMinor, quantity, discountBp, degressiveBp } = input;
  if (!Number.isSafeInteger(publicUnitMinor) || publicUnitMinor < 0) throw new RangeError('public price');
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new RangeError('quantity');
  if (!Number.isInteger(discountBp) || discountBp < 0 || discountBp > MAX_DISCOUNT_BP)
    throw new RangeError('discount');
  if (!Number.isInteger(degressiveBp) || degressiveBp < 0 || degressiveBp > BP)
    throw new RangeError('degressive');
  const totalPublic = publicUnitMinor * quantity;
  if (!Number.isSafeInteger(totalPublic)) throw new RangeError('amount too large for exact arithmetic');
  return {
    case: input.case,
    quantity,
    discountBp,
    degressiveBp,
    unit: breakdown(publicUnitMinor, input.case, discountBp, degressiveBp),
    total: breakdown(totalPublic, input.case, discountBp, degressiveBp),
  };
}
