// DOMAIN.md, Payment: full or partial; a payment whose amount or currency does not match, or
// that arrives for a settled invoice, is deposited to the prepaid account instead — the
// invoice is left as it was, the ledger gets a deposit, and the activity says why.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '#core/api/contract';
import {
  createDraft,
  createPayer,
  type InvoiceDetail,
  issueInvoice,
  line,
  setUpProvider,
} from '../helpers/invoices';
import { rowCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-payments-');

let k: TestKontor;
beforeAll(async () => {
  k = space.kontor();
  await setUpProvider(k);
});

type PaymentInput = MethodInput<'payments.record'> & { currency: 'CHF' | 'EUR' };

const transfer = (
  invoice: InvoiceDetail,
  amountMinor: number,
  currency: 'CHF' | 'EUR' = 'CHF',
): PaymentInput => ({
  invoiceId: invoice.id,
  amountMinor,
  currency,
  method: 'bank_transfer',
  receivedOn: '2026-03-20',
  reference: invoice.paymentReference,
});

async function ledgerOf(organizationId: string, currency: 'CHF' | 'EUR' = 'CHF') {
  return (await k.ok('ledger.list', { organizationId, currency })).rows.map((r) => ({
    kind: r.kind,
    amountMinor: r.amountMinor,
    balanceAfterMinor: r.balanceAfterMinor,
    invoiceNumber: r.invoiceNumber,
    note: r.note,
  }));
}

async function paymentActivity(organizationId: string) {
  const { rows } = await k.ok('activity.list', { organizationId, action: 'payment.recorded' });
  return rows.map((r) => ({ entity: r.entity, after: r.after as Record<string, unknown> }));
}

describe('a payment that matches the invoice', () => {
  it('is applied: unpaid → partially paid → paid, with nothing in the prepaid account', async () => {
    const org = await createPayer(k, { name: 'Pharmacie du Centre SA' });
    const invoice = await issueInvoice(k, org.id, [line(10_000)]); // 108.10 CHF
    expect(invoice).toMatchObject({ status: 'unpaid', dueMinor: 10_810, paidMinor: 0 });

    const first = await k.ok('payments.record', transfer(invoice, 5_000));
    expect(first.payment).toMatchObject({
      outcome: 'applied',
      depositReason: null,
      amountMinor: 5_000,
      reference: invoice.paymentReference,
    });
    expect(first.invoice).toMatchObject({ status: 'partially_paid', paidMinor: 5_000, dueMinor: 5_810 });

    const second = await k.ok('payments.record', { ...transfer(invoice, 5_810), method: 'card' });
    expect(second.payment.outcome).toBe('applied');
    expect(second.invoice).toMatchObject({ status: 'paid', paidMinor: 10_810, dueMinor: 0, overdue: false });

    const payments = await k.ok('invoices.payments', { id: invoice.id });
    expect(payments.map((p) => [p.method, p.amountMinor, p.outcome]).sort()).toEqual([
      ['bank_transfer', 5_000, 'applied'],
      ['card', 5_810, 'applied'],
    ]);
    expect(await ledgerOf(org.id)).toEqual([]);
    expect(await k.ok('ledger.balances', { organizationId: org.id })).toEqual([
      { currency: 'CHF', balanceMinor: 0 },
    ]);
    // Each payment is recorded with the invoice it moved, in one activity per change.
    expect((await paymentActivity(org.id)).map((a) => a.entity).sort()).toEqual([
      'invoices',
      'invoices',
      'payments',
      'payments',
    ]);
  });

  it('may be paid exactly in one go', async () => {
    const org = await createPayer(k);
    const invoice = await issueInvoice(k, org.id, [line(4_990, { quantityMilli: 3000 })]); // 149.70 + 12.13 = 161.83
    const { invoice: paid } = await k.ok('payments.record', transfer(invoice, 16_183));
    expect(paid).toMatchObject({ status: 'paid', dueMinor: 0 });
  });
});

describe('a payment that does not match is deposited to the prepaid account', () => {
  async function expectDeposited(
    org: { id: string },
    invoice: InvoiceDetail,
    payment: PaymentInput,
    reason: 'more_than_due' | 'currency_mismatch' | 'already_settled',
  ) {
    const before = await k.ok('invoices.get', { id: invoice.id });
    const balanceBefore = (await ledgerOf(org.id, payment.currency))[0]?.balanceAfterMinor ?? 0;
    const result = await k.ok('payments.record', payment);
    expect(result.payment).toMatchObject({
      outcome: 'deposited',
      depositReason: reason,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      invoiceId: invoice.id,
    });
    // The invoice is exactly as it was.
    expect(result.invoice).toEqual(before);
    expect(await k.ok('invoices.get', { id: invoice.id })).toEqual(before);
    // A deposit entry, linked to the invoice, with the reason.
    const [newest] = await ledgerOf(org.id, payment.currency);
    expect(newest).toEqual({
      kind: 'deposit',
      amountMinor: payment.amountMinor,
      balanceAfterMinor: balanceBefore + payment.amountMinor,
      invoiceNumber: invoice.number,
      note: reason,
    });
    // And the activity says so: the payment and the ledger entry, recorded together.
    const activity = (await paymentActivity(org.id)).slice(0, 2);
    expect(activity.map((a) => a.entity).sort()).toEqual(['ledger_entries', 'payments']);
    expect(activity.find((a) => a.entity === 'payments')?.after).toMatchObject({
      outcome: 'deposited',
      depositReason: reason,
    });
    expect(activity.find((a) => a.entity === 'ledger_entries')?.after).toMatchObject({
      kind: 'deposit',
      amountMinor: payment.amountMinor,
      note: reason,
    });
    return result;
  }

  it('when it is more than is due (the whole amount, not split)', async () => {
    const org = await createPayer(k, { name: 'Boucherie Favre' });
    const invoice = await issueInvoice(k, org.id, [line(10_000)]); // 108.10
    await expectDeposited(org, invoice, transfer(invoice, 20_000), 'more_than_due');
    // Partly paid, then one centime more than what remains: deposited too.
    await k.ok('payments.record', transfer(invoice, 10_000));
    const partly = await k.ok('invoices.get', { id: invoice.id });
    expect(partly).toMatchObject({ status: 'partially_paid', dueMinor: 810 });
    await expectDeposited(org, partly, transfer(partly, 811), 'more_than_due');
    expect(await k.ok('ledger.balances', { organizationId: org.id })).toEqual([
      { currency: 'CHF', balanceMinor: 20_811 },
    ]);
    // What remains can still be paid exactly.
    expect((await k.ok('payments.record', transfer(partly, 810))).invoice.status).toBe('paid');
  });

  it('when it is in another currency than the invoice, into an account in that currency', async () => {
    const org = await createPayer(k, { name: 'Hôtel Bellevue SA' });
    const invoice = await issueInvoice(k, org.id, [line(10_000)]);
    await expectDeposited(org, invoice, transfer(invoice, 10_810, 'EUR'), 'currency_mismatch');
    const balances = await k.ok('ledger.balances', { organizationId: org.id });
    expect(balances.sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
      { currency: 'CHF', balanceMinor: 0 },
      { currency: 'EUR', balanceMinor: 10_810 },
    ]);
    expect(await ledgerOf(org.id, 'CHF')).toEqual([]);
  });

  it('when the invoice is already paid, or cancelled by a credit note', async () => {
    const org = await createPayer(k, { name: 'Menuiserie Dubois' });
    const invoice = await issueInvoice(k, org.id, [line(10_000)]);
    await k.ok('payments.record', transfer(invoice, 10_810));
    // The customer's standing order pays it a second time.
    await expectDeposited(
      org,
      invoice,
      { ...transfer(invoice, 10_810), method: 'standing_order' },
      'already_settled',
    );

    const cancelled = await issueInvoice(k, org.id, [line(2_000)]);
    await k.ok('invoices.creditNote', { invoiceId: cancelled.id });
    await expectDeposited(
      org,
      await k.ok('invoices.get', { id: cancelled.id }),
      transfer(cancelled, 2_162),
      'already_settled',
    );
    expect(await k.ok('ledger.balances', { organizationId: org.id })).toEqual([
      { currency: 'CHF', balanceMinor: 10_810 + 2_162 },
    ]);
  });

  it('and the deposited money can pay the next invoice from the balance', async () => {
    const org = await createPayer(k);
    const first = await issueInvoice(k, org.id, [line(10_000)]);
    await k.ok('payments.record', transfer(first, 15_000)); // deposited: more than due
    const [paid] = await k.ok('ledger.payInvoices', {
      organizationId: org.id,
      items: [{ invoiceId: first.id }],
    });
    expect(paid).toMatchObject({ status: 'paid', dueMinor: 0 });
    expect(await k.ok('ledger.balances', { organizationId: org.id })).toEqual([
      { currency: 'CHF', balanceMinor: 15_000 - 10_810 },
    ]);
  });
});

describe('a payment for something that cannot be paid', () => {
  it('is refused for a draft, in the user’s language, and nothing is written', async () => {
    const org = await createPayer(k);
    const draft = await createDraft(k, org.id, [line(10_000)]);
    const before = rowCounts(k.raw);
    const en = await k.fails('payments.record', transfer(draft, 10_810), 'invoice_not_payable', {
      locale: 'en',
    });
    expect(en.message).toMatch(/cannot take payments/);
    expect(en.params).toMatchObject({ status: 'draft' });
    const fr = await k.fails('payments.record', transfer(draft, 10_810), 'invoice_not_payable', {
      locale: 'fr',
    });
    expect(fr.message).toMatch(/ne peut pas recevoir de paiement/);
    await k.fails(
      'ledger.payInvoices',
      { organizationId: org.id, items: [{ invoiceId: draft.id, amountMinor: 100 }] },
      'invoice_not_payable',
    );
    expect(rowCounts(k.raw)).toEqual(before);
    expect(await k.ok('invoices.get', { id: draft.id })).toMatchObject({ status: 'draft', paidMinor: 0 });
  });

  it('is refused for a credit note', async () => {
    const org = await createPayer(k);
    const invoice = await issueInvoice(k, org.id, [line(1_000)]);
    const creditNote = await k.ok('invoices.creditNote', { invoiceId: invoice.id });
    const before = rowCounts(k.raw);
    await k.fails('payments.record', transfer(creditNote, 1_081), 'invoice_not_payable');
    expect(rowCounts(k.raw)).toEqual(before);
  });

  it('is refused for an amount that is not positive whole minor units', async () => {
    const org = await createPayer(k);
    const invoice = await issueInvoice(k, org.id, [line(1_000)]);
    for (const amountMinor of [0, -100, 10.5]) {
      await k.fails('payments.record', transfer(invoice, amountMinor), 'invalid_input');
    }
    // The prepaid method is the ledger's own: a payment "by prepaid" goes through ledger.payInvoices.
    const prepaid = await k.call('payments.record', { ...transfer(invoice, 100), method: 'prepaid' });
    expect(prepaid.ok ? null : prepaid.error.code).toBe('invalid_input');
  });
});
