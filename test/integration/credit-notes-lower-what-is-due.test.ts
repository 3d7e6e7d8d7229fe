// Issue 14, defect 3: after a credit note, the prepaid account's "Pay invoices…" proposed the
// invoice's gross minus payments (ignoring the credit note) and the API refused it ("more than
// the … still due"); the invoice's own page was right. Lists now carry the amount due by the
// same rule (dueOf), and paying exactly that from the prepaid account is accepted.
import { describe, expect, it } from 'vitest';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-credited-due-');

describe('an invoice with a partial credit note', () => {
  it('is listed with what is still due, and the prepaid account pays exactly that', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k);
    // 1,750.00 + 8.1 % = 1,891.75; a credit note of 63.00 + 8.1 % = 68.10.
    const invoice = await issueInvoice(k, payer.id, [line(175_000)]);
    await k.ok('invoices.creditNote', { invoiceId: invoice.id, lines: [line(6_300, { description: 'Rabatt' })] });
    const detail = await k.ok('invoices.get', { id: invoice.id });
    expect(detail.dueMinor).toBe(189_175 - 6_810);
    const listed = await k.ok('invoices.list', { organizationIds: [payer.id], kinds: ['invoice'] });
    const row = listed.rows.find((r) => r.id === invoice.id);
    expect(row).toMatchObject({ creditedMinor: 6_810, dueMinor: detail.dueMinor });
    // The overdue list and "Pay invoices…" read the same rows.
    await k.ok('ledger.topUp', { organizationId: payer.id, amountMinor: 500_000 });
    await k.fails(
      'ledger.payInvoices',
      { organizationId: payer.id, items: [{ invoiceId: invoice.id, amountMinor: invoice.grossMinor }] },
      'payment_exceeds_due',
    );
    await k.ok('ledger.payInvoices', {
      organizationId: payer.id,
      items: [{ invoiceId: invoice.id, amountMinor: row?.dueMinor ?? 0 }],
    });
    expect(await k.ok('invoices.get', { id: invoice.id })).toMatchObject({ status: 'paid', dueMinor: 0 });
  });
});
