// The same money record written on two devices (common/sync/money-fact.ts): only its stamp may
// differ; anything it records differing keeps it a refusal on the hub.
import { describe, expect, it } from 'vitest';
import { sameMoneyFact } from '#common/sync/money-fact';

const payment = {
  id: 'sp:1',
  hlc: '0001',
  created_at: '2026-03-25T10:00:00.000Z',
  organization_id: 'o1',
  invoice_id: 'i1',
  amount_minor: 10_810,
  currency: 'CHF',
  reference: 'camt:E1',
};

describe('sameMoneyFact', () => {
  it('ignores the stamp (hlc, created_at, booked_on)', () => {
    expect(sameMoneyFact(payment, { ...payment, hlc: '0002', created_at: 'later', booked_on: null })).toBe(
      true,
    );
  });
  it.each([
    ['amount_minor', 10_811],
    ['invoice_id', 'i2'],
    ['currency', 'EUR'],
    ['reference', null],
  ])('a different %s is another fact', (column, value) => {
    expect(sameMoneyFact(payment, { ...payment, [column]: value })).toBe(false);
  });
  it('a column only one side has counts', () => {
    expect(sameMoneyFact(payment, { ...payment, deposit_reason: 'more_than_due' })).toBe(false);
  });
});
