import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BILLING_FREQUENCIES } from '#common/enums';
import { addMonths, frequencyChangeWarning, monthsBetween } from '#common/billing-frequency';

describe("the seeds' example: Cloud hosting renewed for a year on 1 January 2023", () => {
  // "do not change the billing frequency before the 1st of December 2023, otherwise you will
  // be billed again for all the remaining months of the year 2023"
  const termEndsOn = '2024-01-01';

  it('warns when switching to monthly on 30 November 2023', () => {
    expect(frequencyChangeWarning('annual', 'monthly', termEndsOn, '2023-11-30')).toEqual({
      code: 'frequency_change_rebills',
      safeFrom: '2023-12-01',
      termEndsOn: '2024-01-01',
      remainingMonths: 2,
    });
  });

  it('counts the remaining months of the term that would be billed again', () => {
    expect(frequencyChangeWarning('annual', 'monthly', termEndsOn, '2023-01-01')?.remainingMonths).toBe(12);
    expect(frequencyChangeWarning('annual', 'monthly', termEndsOn, '2023-06-01')?.remainingMonths).toBe(7);
    expect(frequencyChangeWarning('annual', 'monthly', termEndsOn, '2023-06-15')?.remainingMonths).toBe(7);
  });

  it('is safe from 1 December 2023 until the term ends, and after', () => {
    for (const today of ['2023-12-01', '2023-12-15', '2023-12-31', '2024-01-01', '2024-03-01']) {
      expect(frequencyChangeWarning('annual', 'monthly', termEndsOn, today), today).toBeNull();
    }
  });
});

describe('which switches warn', () => {
  it('quarterly → monthly warns until the month before the quarter ends', () => {
    expect(frequencyChangeWarning('quarterly', 'monthly', '2023-04-01', '2023-02-28')).toEqual({
      code: 'frequency_change_rebills',
      safeFrom: '2023-03-01',
      termEndsOn: '2023-04-01',
      remainingMonths: 2,
    });
    expect(frequencyChangeWarning('quarterly', 'monthly', '2023-04-01', '2023-03-01')).toBeNull();
  });

  it('switching away from monthly, or between annual and quarterly, never warns', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BILLING_FREQUENCIES),
        fc.constantFrom(...BILLING_FREQUENCIES),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (from, to, end, today) => {
          const warning = frequencyChangeWarning(from, to, iso(end), iso(today));
          if (to !== 'monthly' || from === 'monthly') expect(warning).toBeNull();
          else expect(warning !== null).toBe(iso(today) < addMonths(iso(end), -1));
        },
      ),
      { seed: 2023, numRuns: 2_000 },
    );
    expect(frequencyChangeWarning('monthly', 'annual', '2024-01-01', '2023-02-01')).toBeNull();
    expect(frequencyChangeWarning('monthly', 'quarterly', '2024-01-01', '2023-02-01')).toBeNull();
    expect(frequencyChangeWarning('annual', 'quarterly', '2024-01-01', '2023-02-01')).toBeNull();
    expect(frequencyChangeWarning('quarterly', 'annual', '2024-01-01', '2023-02-01')).toBeNull();
  });

  it('uses the clamped month end: a term ending 31 March is safe from the last day of February', () => {
    expect(frequencyChangeWarning('quarterly', 'monthly', '2023-03-31', '2023-02-27')?.safeFrom).toBe(
      '2023-02-28',
    );
    expect(frequencyChangeWarning('quarterly', 'monthly', '2023-03-31', '2023-02-28')).toBeNull();
    expect(frequencyChangeWarning('annual', 'monthly', '2024-03-31', '2024-02-28')?.safeFrom).toBe(
      '2024-02-29',
    );
    expect(frequencyChangeWarning('annual', 'monthly', '2024-03-31', '2024-02-29')).toBeNull();
  });
});

describe('calendar month arithmetic', () => {
  it.each([
    ['2023-03-31', -1, '2023-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2023-05-31', -1, '2023-04-30'],
    ['2023-08-31', 1, '2023-09-30'],
    ['2023-12-15', 1, '2024-01-15'],
    ['2024-01-15', -1, '2023-12-15'],
    ['2024-01-01', -12, '2023-01-01'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2023-01-01', -25, '2020-12-01'],
    ['2023-06-30', 0, '2023-06-30'],
  ])('%s %+i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('lands in the expected month, on the same day or the month’s last day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: -240, max: 240 }),
        (date, months) => {
          const start = iso(date);
          const result = addMonths(start, months);
          const [y, m, d] = start.split('-').map(Number) as [number, number, number];
          const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
          expect(ry * 12 + rm - (y * 12 + m)).toBe(months);
          const lastDay = new Date(Date.UTC(ry, rm, 0)).getUTCDate();
          expect(rd).toBe(Math.min(d, lastDay));
          expect(iso(new Date(`${result}T00:00:00Z`))).toBe(result); // a real calendar date
        },
      ),
      { seed: 31, numRuns: 2_000 },
    );
  });

  it('monthsBetween counts a started month as one', () => {
    expect(monthsBetween('2023-01-01', '2024-01-01')).toBe(12);
    expect(monthsBetween('2023-12-01', '2024-01-01')).toBe(1);
    expect(monthsBetween('2023-12-02', '2024-01-01')).toBe(1);
    expect(monthsBetween('2023-11-30', '2024-01-01')).toBe(2);
    expect(monthsBetween('2024-01-01', '2024-01-01')).toBe(0);
  });
});

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}
