// Which periods of a product a billing run bills (DOMAIN.md "Billing rules", issue 12). Pure:
// no store, no clock; ISO dates compare as text.
//
// - Every period that started before the run date and was not billed is billed: a product a
//   year overdue gets each missed period, never silence (as its own line, or as one catch-up
//   line, per the organization's setting).
// - Then the one period that starts within the horizon (run date .. run date + horizon days).
// - A period runs from its start to the same day a frequency later (end exclusive); the next
//   period starts where the last one ended, so a run that catches up twelve months bills the
//   same dates as twelve monthly runs.
import { addMonths } from './billing-frequency';
import { addDays } from './dates';
import type { BillingFrequency } from './enums';

export const MONTHS: Record<BillingFrequency, number> = { monthly: 1, quarterly: 3, annual: 12 };
/** A product further behind than this is shown, not billed: a wrong date, not ten years of debt. */
export const MAX_CATCH_UP_PERIODS = 120;

export interface Period {
  start: string;
  /** Exclusive: the next period's start. */
  end: string;
}

export const periodAfter = (start: string, frequency: BillingFrequency): string =>
  addMonths(start, MONTHS[frequency]);

/** The deterministic key of one billed period: the same on every device that bills it. */
export const periodKey = (productId: string, start: string): string => `${productId}:${start}`;

export function periodsToBill(input: {
  nextRenewalOn: string;
  frequency: BillingFrequency;
  runDate: string;
  horizonDays: number;
}): { periods: Period[]; tooFarBehind: boolean } {
  const limit = addDays(input.runDate, input.horizonDays);
  const periods: Period[] = [];
  let start = input.nextRenewalOn;
  while (start < input.runDate) {
    if (periods.length >= MAX_CATCH_UP_PERIODS) return { periods: [], tooFarBehind: true };
    const end = periodAfter(start, input.frequency);
    periods.push({ start, end });
    start = end;
  }
  if (start <= limit) periods.push({ start, end: periodAfter(start, input.frequency) });
  return { periods, tooFarBehind: false };
}
