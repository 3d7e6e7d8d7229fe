import { applyBasisPoints } from './money';

export interface LineInput {
  quantityMilli: number;
  unitPriceMinor: number;
  discountBp: number;
  vatRateBp: number;
}

export interface LineAmounts {
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
}

export interface InvoiceTotals {
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  vatSummary: { vatRateBp: number; netMinor: number; vatMinor: number }[];
}

/** Rounds a/b half away from zero, in integers. */
function divideRounded(a: number, b: number): number {
  const sign = Math.sign(a) * Math.sign(b) < 0 ? -1 : 1;
  const absA = Math.abs(a);
  const absB = Math.abs(b);
  const q = Math.floor(absA / absB);
  const rounded = 2 * (absA - q * absB) >= absB ? q + 1 : q;
  // A negative amount that rounds to nothing is zero, not -0 (as in applyBasisPoints).
  return rounded === 0 ? 0 : sign * rounded;
}

/**
 * The one rounding rule of every Kontor document: each line is rounded once, half away from
 * zero, in this order — quantity × unit price, then the discount, then the VAT on the
 * discounted net. Totals and the VAT summary are exact sums of the lines, so a document
 * always adds up on paper.
 */
export function lineAmounts(line: LineInput): LineAmounts {
  const product = line.quantityMilli * line.unitPriceMinor;
  if (!Number.isSafeInteger(product)) throw new RangeError('line amount too large for exact arithmetic');
  const base = divideRounded(product, 1000);
  const netMinor = base - applyBasisPoints(base, line.discountBp);
  const vatMinor = applyBasisPoints(netMinor, line.vatRateBp);
  return { netMinor, vatMinor, grossMinor: netMinor + vatMinor };
}

export function invoiceTotals(
  lines: readonly LineAmounts[] & readonly { vatRateBp?: number }[],
): InvoiceTotals {
  const byRate = new Map<number, { netMinor: number; vatMinor: number }>();
  let netMinor = 0;
  let vatMinor = 0;
  for (const line of lines as readonly (LineAmounts & { vatRateBp?: number })[]) {
    netMinor += line.netMinor;
    vatMinor += line.vatMinor;
    const rate = line.vatRateBp ?? 0;
    const entry = byRate.get(rate) ?? { netMinor: 0, vatMinor: 0 };
    entry.netMinor += line.netMinor;
    entry.vatMinor += line.vatMinor;
    byRate.set(rate, entry);
  }
  return {
    netMinor,
    vatMinor,
    grossMinor: netMinor + vatMinor,
    vatSummary: [...byRate.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([vatRateBp, v]) => ({ vatRateBp, ...v })),
  };
}
