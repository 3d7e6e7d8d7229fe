// Reminder fees are the firm's income, owed by the customer (issue 12, dunning;
// core/services/billing/reminder-fees.ts): the 2nd and 3rd reminders charge 20.00 and 30.00 on
// top of the invoice; receivables count them as open until paid; a camt.054 credit of the
// remainder plus the fees pays the invoice, then the fees (outcome 'fee'), and the customer's
// prepaid balance never moves; the invoice paid alone leaves the fees open, which a later credit
// of exactly the fees settles; an over-payment still goes to the prepaid account (the seeds'
// rule); the to-reconcile list assigns by the same rule; a credit note that cancels the invoice
// withdraws its fees; fees an older version deposited to the prepaid account count as paid.
import { beforeAll, describe, expect, it } from 'vitest';
import { camt } from '../helpers/camt';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-reminder-fees-');
let k: TestKontor;
type Issued = Awaited<ReturnType<typeof issueInvoice>>;
const payer: Record<string, { id: string }> = {};
const inv: Record<string, Issued> = {};
const FEES = 2_000 + 3_000;
// Due 2026-02-04; the third level (+40 days) is reached on 2026-03-16.
const AFTER_FINAL = '2026-03-20';

const statement = (credits: { ref: string; invoice?: Issued; amountMinor: number; text?: string }[]) =>
  Buffer.from(
    camt({
      kind: '054',
      version: '08',
      credits: credits.map((c) => ({
        ref: c.ref,
        amount: (c.amountMinor / 100).toFixed(2),
        ...(c.invoice ? { qrr: c.invoice.paymentReference ?? '' } : {}),
        ...(c.text ? { text: c.text } : {}),
      })),
    }),
    'utf8',
  ).toString('base64');

const importFile = (name: string, content: string, dryRun = false) =>
  k.ok('payments.importStatement', { fileName: name, contentBase64: content, dryRun });

const moneyOf = (invoiceId: string) =>
  k.raw
    .prepare(
      'SELECT outcome, amount_minor AS amount FROM payments WHERE invoice_id = ? ORDER BY outcome, amount_minor',
    )
    .all(invoiceId);
const balanceOf = (organizationId: string) =>
  (k.raw
    .prepare('SELECT coalesce(sum(balance_minor), 0) FROM prepaid_balances WHERE organization_id = ?')
    .pluck()
    .get(organizationId) as number) ?? 0;
const receivables = async (organizationId?: string) =>
  (
    await k.ok('dashboard.money', { today: AFTER_FINAL, ...(organizationId ? { organizationId } : {}) })
  ).receivables.find((r) => r.currency === 'CHF');

beforeAll(async () => {
  k = space.kontor({ now: '2026-01-05T08:00:00.000Z' });
  await setUpProvider(k, { iban: CH_QR_IBAN });
  for (const name of ['together', 'apart', 'over', 'assigned', 'cancelled', 'legacy']) {
    payer[name] = await createPayer(k, { name: `Frais ${name} SA` });
    inv[name] = await issueInvoice(k, payer[name]!.id, [line(10_000)]);
  }
  for (const date of ['2026-02-14', '2026-03-01', '2026-03-16'])
    expect((await k.ok('reminders.run', { date })).reminders).toHaveLength(6);
  await k.ok('invoices.creditNote', { invoiceId: inv.cancelled!.id, lines: [line(10_000)] });
  // A book written before fees were income: an import deposited the fees to the prepaid account.
  k.raw
    .prepare(
      `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency, received_on, reference, outcome, deposit_reason)
       VALUES ('legacy-fee', '2026-03-25T08:00:00.000Z', '0000000000000:0000:legacy', ?, ?, 'bank_transfer', ?, 'CHF', '2026-03-25', 'camt:LEGACY', 'deposited', 'reminder_fee')`,
    )
    .run(payer.legacy!.id, inv.legacy!.id, FEES);
});

describe('reminder fees', () => {
  it('are open receivables of the payer beside the invoice until paid', async () => {
    const gross = inv.together!.grossMinor;
    expect(await receivables(payer.together!.id)).toMatchObject({
      openMinor: gross + FEES,
      openCount: 1,
      feesMinor: FEES,
      // A fee falls due on its reminder's pay-by day: the 2nd's (2026-03-11) is late, the final's (03-26) not yet.
      overdueMinor: gross + 2_000,
    });
    // The book: five invoices open, four with their fees (the legacy book's were paid); the
    // cancelled one owes nothing, fees neither.
    expect(await receivables()).toMatchObject({ openMinor: 5 * gross + 4 * FEES, feesMinor: 4 * FEES });
    expect(await receivables(payer.legacy!.id)).toMatchObject({ openMinor: gross, feesMinor: 0 });
    const listed = (await k.ok('reminders.list', { level: 3 })).reminders.find(
      (r) => r.invoiceId === inv.together!.id,
    );
    expect(listed).toMatchObject({ stillDueMinor: gross, feesOpenMinor: FEES, totalMinor: gross + FEES });
  });

  it('paid with the invoice by one camt.054 credit: the firm’s fee income, the prepaid balance untouched, once', async () => {
    const gross = inv.together!.grossMinor;
    const file = statement([{ ref: 'FEE-TOGETHER', invoice: inv.together, amountMinor: gross + FEES }]);
    const preview = await importFile('fees.xml', file, true);
    expect(preview.entries[0]?.outcome).toMatchObject({
      kind: 'exact',
      dueMinor: gross,
      reminderFeeMinor: FEES,
    });
    expect(count(k.raw, 'payments', 'invoice_id = ?', inv.together!.id)).toBe(0);
    await importFile('fees.xml', file);
    expect((await k.ok('invoices.get', { id: inv.together!.id })).status).toBe('paid');
    expect(moneyOf(inv.together!.id)).toEqual([
      { outcome: 'applied', amount: gross },
      { outcome: 'fee', amount: FEES },
    ]);
    expect(balanceOf(payer.together!.id)).toBe(0);
    expect(count(k.raw, 'ledger_entries', 'organization_id = ?', payer.together!.id)).toBe(0);
    expect(await receivables(payer.together!.id)).toBeUndefined();
    expect(
      (await k.ok('reminders.list', { organizationId: payer.together!.id, openOnly: true })).reminders,
    ).toEqual([]);
    expect((await importFile('fees.xml', file)).counts.duplicate).toBe(1);
    expect(count(k.raw, 'payments', 'invoice_id = ?', inv.together!.id)).toBe(2);
  });

  it('stay open when only the invoice is paid, and a later credit of exactly the fees settles them', async () => {
    const gross = inv.apart!.grossMinor;
    await importFile(
      'invoice-only.xml',
      statement([{ ref: 'FEE-APART-1', invoice: inv.apart, amountMinor: gross }]),
    );
    expect((await k.ok('invoices.get', { id: inv.apart!.id })).status).toBe('paid');
    expect(await receivables(payer.apart!.id)).toMatchObject({
      openMinor: FEES,
      feesMinor: FEES,
      openCount: 0,
    });
    const open = await k.ok('reminders.list', { organizationId: payer.apart!.id, openOnly: true });
    expect(open.reminders.map((r) => [r.stillDueMinor, r.feesOpenMinor])).toEqual([
      [0, FEES],
      [0, FEES],
      [0, FEES],
    ]);
    // Fees alone, by the invoice number in the text (no reference): the fees, not a deposit.
    const fees = await importFile(
      'fees-only.xml',
      statement([{ ref: 'FEE-APART-2', amountMinor: FEES, text: `Mahngebühren ${inv.apart!.number}` }]),
    );
    expect(fees.entries[0]?.outcome).toMatchObject({ kind: 'exact', dueMinor: 0, reminderFeeMinor: FEES });
    expect(moneyOf(inv.apart!.id)).toEqual([
      { outcome: 'applied', amount: gross },
      { outcome: 'fee', amount: FEES },
    ]);
    expect(balanceOf(payer.apart!.id)).toBe(0);
    expect(await receivables(payer.apart!.id)).toBeUndefined();
    // Anything more now is an over-payment of a settled invoice: the prepaid account, with its reason.
    const more = await importFile(
      'more.xml',
      statement([{ ref: 'FEE-APART-3', invoice: inv.apart, amountMinor: FEES }]),
    );
    expect(more.entries[0]?.outcome).toMatchObject({ kind: 'deposit', reason: 'already_settled' });
    expect(balanceOf(payer.apart!.id)).toBe(FEES);
  });

  it('do not turn an over-payment into fees: more than due + fees goes to the prepaid account whole', async () => {
    const gross = inv.over!.grossMinor;
    const over = await importFile(
      'over.xml',
      statement([{ ref: 'FEE-OVER', invoice: inv.over, amountMinor: gross + FEES + 1 }]),
    );
    expect(over.entries[0]?.outcome).toMatchObject({ kind: 'deposit', reason: 'more_than_due' });
    expect(moneyOf(inv.over!.id)).toEqual([{ outcome: 'deposited', amount: gross + FEES + 1 }]);
    expect(balanceOf(payer.over!.id)).toBe(gross + FEES + 1);
    expect(await receivables(payer.over!.id)).toMatchObject({ openMinor: gross + FEES, feesMinor: FEES });
  });

  it('assigned from the to-reconcile list by the same rule', async () => {
    const gross = inv.assigned!.grossMinor;
    const waiting = await importFile(
      'unknown.xml',
      statement([{ ref: 'FEE-ASSIGN', amountMinor: gross + FEES, text: 'merci' }]),
    );
    expect(waiting.entries[0]?.outcome).toMatchObject({ kind: 'unmatched', reason: 'no_invoice' });
    const [entry] = await k.ok('payments.unmatched', {});
    await k.ok('payments.assignEntry', { entryId: entry!.id, invoiceId: inv.assigned!.id });
    expect(moneyOf(inv.assigned!.id)).toEqual([
      { outcome: 'applied', amount: gross },
      { outcome: 'fee', amount: FEES },
    ]);
    expect(balanceOf(payer.assigned!.id)).toBe(0);
    expect(await k.ok('payments.unmatched', {})).toEqual([]);
  });

  it('are withdrawn with the invoice a credit note cancelled: a credit of them is not taken as fees', async () => {
    expect(await receivables(payer.cancelled!.id)).toBeUndefined();
    const late = await importFile(
      'late.xml',
      statement([{ ref: 'FEE-CANCELLED', invoice: inv.cancelled, amountMinor: FEES }]),
    );
    expect(late.entries[0]?.outcome).toMatchObject({ kind: 'deposit', reason: 'already_settled' });
    expect(count(k.raw, 'payments', "invoice_id = ? AND outcome = 'fee'", inv.cancelled!.id)).toBe(0);
  });
});
