import type { BillingFrequency } from './products.schema';

export interface FrequencyChangeWarning {
  code: 'frequency_change_rebills';
  /** First day on which the switch is safe: one month before the current term ends. */
  safeFrom: string;
  termEndsOn: string;
  /** Months of the current term that would be billed again if switched today. */
  remainingMonths: number;
}

/**
 * Seeds (billing frequency guide): switching from annual or quarterly to monthly billing is
 * only safe during the month preceding the end of the current term; earlier, every
 * remaining month of the term is billed again (and only Support can refund it).
 */
export function frequencyChangeWarning(
  from: BillingFrequency,
  to: BillingFrequency,
  termEndsOn: string,
  today: string,
): FrequencyChangeWarning | null {
  if (to !== 'monthly' || from === 'monthly') return null;
  const safeFrom = addMonths(termEndsOn, -1);
  if (today >= safeFrom || today >= termEndsOn) return null;
  return {
    code: 'frequency_change_rebills',
    safeFrom,
    termEndsOn,
    remainingMonths: monthsBetween(today, termEndsOn),
  };
}

/** Calendar month arithmetic on ISO dates, clamping to the month's last day (31 Mar − 1 month = 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole months from `from` to `to`, counting a started month as one. */
export function monthsBetween(from: string, to: string): number {
  let months = 0;
  while (addMonths(from, months) < to) months++;
  return months;
}
