// Issue 14 "Money at a glance": receivables open and overdue by age, revenue per month (12
// months, per currency, credit notes subtracted), prepaid balances and upcoming renewals,
// for the whole book and one organization; a payment moves an invoice from open to paid.
import { describe, expect, it } from 'vitest';
import { createPayer, type LineInput, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

/** A draft issued on a given day (its due date follows from that day). */
async function issuedOn(k: TestKontor, organizationId: string, lines: LineInput[], day: string) {
  const draft = await k.ok('invoices.create', { organizationId, lines });
  return k.ok('invoices.issue', { id: draft.id, issuedOn: day });
}

const space = useTempSpace('kontor-money-');
// TEST_NOW is 2026-03-15.
const TODAY = '2026-03-15';

describe('money at a glance', () => {
  it('sums what is open by age, what was earned per month and currency, balances and renewals', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const chf = await createPayer(k, { name: 'Käserei Müller AG' });
    const eur = await createPayer(k, { name: 'Éditions Berliner GmbH', country: 'DE', currency: 'EUR', vatNumber: 'DE136695976' });
    // Due dates: 30-day terms. Issued 2026-03-01 → due 03-31 (not due); 2026-01-20 → due 02-19
    // (24 days late); 2025-11-01 → due 12-01 (104 days late).
    const notDue = await issuedOn(k, chf.id, [line(100_000, { vatRateBp: 0 })], '2026-03-01');
    const late = await issuedOn(k, chf.id, [line(20_000, { vatRateBp: 0 })], '2026-01-20');
    await issuedOn(k, chf.id, [line(5_000, { vatRateBp: 0 })], '2025-11-01');
    await issuedOn(k, chf.id, [line(7_000, { vatRateBp: 0 })], '2025-02-10');
    await issuedOn(k, eur.id, [line(30_000, { vatRateBp: 0 })], '2026-02-02');
    await k.ok('invoices.create', { organizationId: chf.id, lines: [line(99_999)] }); // a draft counts nowhere
    await k.ok('payments.record', { invoiceId: late.id, amountMinor: 5_000, currency: 'CHF', receivedOn: TODAY, method: 'bank_transfer' });
    await k.ok('ledger.topUp', { organizationId: chf.id, amountMinor: 12_345 });
    await k.ok('products.create', { organizationId: chf.id, kind: 'domain', name: 'kaeserei.ch', publicPriceMinor: 2_000, billingFrequency: 'annual', nextRenewalOn: '2026-04-01' });
    await k.ok('products.create', { organizationId: chf.id, kind: 'domain', name: 'later.ch', publicPriceMinor: 2_000, billingFrequency: 'annual', nextRenewalOn: '2026-09-01' });

    const book = await k.ok('dashboard.money', {});
    expect(book.today).toBe(TODAY);
    expect(book.months).toHaveLength(12);
    expect(book.months[0]).toBe('2025-04');
    expect(book.months[11]).toBe('2026-03');
    const chfOpen = book.receivables.find((r) => r.currency === 'CHF')!;
    expect(chfOpen.buckets).toEqual({ notDue: 100_000, days1to30: 15_000, days31to60: 0, days61to90: 0, over90: 5_000 + 7_000 });
    expect(chfOpen.openMinor).toBe(127_000);
    expect(chfOpen.overdueMinor).toBe(27_000);
    expect(chfOpen.openCount).toBe(4);
    // Issued 2026-02-02, due 03-04: 11 days late.
    expect(book.receivables.find((r) => r.currency === 'EUR')).toMatchObject({ openMinor: 30_000, overdueMinor: 30_000 });
    // Revenue: per month and currency, the February 2025 invoice is outside the 12 months.
    expect(book.revenue).toEqual([
      { month: '2025-11', currency: 'CHF', grossMinor: 5_000 },
      { month: '2026-01', currency: 'CHF', grossMinor: 20_000 },
      { month: '2026-02', currency: 'EUR', grossMinor: 30_000 },
      { month: '2026-03', currency: 'CHF', grossMinor: 100_000 },
    ]);
    expect(book.prepaid).toEqual([{ organizationId: chf.id, organizationName: 'Käserei Müller AG', currency: 'CHF', balanceMinor: 12_345 }]);
    expect(book.renewals.map((r) => r.productName)).toEqual(['kaeserei.ch']);

    // One organization's overview sees its own money only.
    const one = await k.ok('dashboard.money', { organizationId: eur.id });
    expect(one.receivables.map((r) => r.currency)).toEqual(['EUR']);
    expect(one.prepaid).toEqual([]);
    expect(one.renewals).toEqual([]);

    // Paying the invoice that is not due yet takes it out of the open amounts.
    await k.ok('payments.record', { invoiceId: notDue.id, amountMinor: 100_000, currency: 'CHF', receivedOn: TODAY, method: 'bank_transfer' });
    const after = await k.ok('dashboard.money', { organizationId: chf.id });
    expect(after.receivables[0]!.buckets.notDue).toBe(0);
    expect(after.receivables[0]!.openCount).toBe(3);
  });

  it('walks covering indexes, never the invoices table', () => {
    const k = space.kontor();
    const plan = (query: string) =>
      (k.raw.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    const open = plan(`select currency, due_on, count(*), sum(gross_minor - paid_minor) from invoices indexed by invoices_open_cover_idx
      where status in ('unpaid', 'partially_paid') and kind = 'invoice' and deleted_at is null group by currency, due_on`);
    expect(open).toContain('COVERING INDEX invoices_open_cover_idx');
    const revenue = plan(`select substr(issued_on, 1, 7) as month, currency, sum(gross_minor) from invoices indexed by invoices_revenue_cover_idx
      where issued_on >= '2025-04-01' and issued_on <= '2026-03-15' and deleted_at is null
        and kind in ('invoice', 'credit_note') and status not in ('draft', 'cancelled') group by month, currency`);
    expect(revenue).toContain('COVERING INDEX invoices_revenue_cover_idx');
  });
});
