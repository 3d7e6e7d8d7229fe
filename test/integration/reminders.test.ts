// Payment reminders (issue 12, dunning): levels per organization (the defaults, the firm's, a
// payer's own), what is still due net of payments and credit notes (dueOf), a fee per level that
// accumulates, one reminder per invoice and level however often the run is repeated, a payment
// that arrived in a camt statement imported before the run (the seeds' "reminder that crosses
// with the payment") never reminded, a payment deposited to the prepaid account holding the
// invoice back, and the device refusing what the hub would refuse.
import { beforeAll, describe, expect, it } from 'vitest';
import { camt } from '../helpers/camt';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-reminders-');
let k: TestKontor;
let providerId = '';
const payer: Record<string, { id: string; name: string }> = {};
const inv: Record<
  string,
  { id: string; grossMinor: number; paymentReference: string | null; number: string | null }
> = {};

const money = (minor: number) => (minor / 100).toFixed(2);
const statement = (ref: string, invoice: (typeof inv)[string], amountMinor: number) =>
  Buffer.from(
    camt({
      kind: '054',
      version: '08',
      credits: [{ ref, amount: money(amountMinor), qrr: invoice.paymentReference ?? '' }],
    }),
    'utf8',
  ).toString('base64');

beforeAll(async () => {
  // Issued on 2026-01-05 with 30 days to pay: due 2026-02-04.
  k = space.kontor({ now: '2026-01-05T08:00:00.000Z' });
  providerId = await setUpProvider(k, { iban: CH_QR_IBAN });
  for (const name of ['plain', 'credited', 'crossing', 'partial', 'deposited', 'own']) {
    payer[name] = await createPayer(k, { name: `Rappel ${name} SA` });
    inv[name] = await issueInvoice(k, payer[name]!.id, [line(10_000)]);
  }
  // A credit note of 40.00 + VAT lowers what is due; a partial payment of 30.00 too.
  await k.ok('invoices.creditNote', { invoiceId: inv.credited!.id, lines: [line(4_000)] });
  await k.ok('payments.record', {
    invoiceId: inv.partial!.id,
    amountMinor: 3_000,
    currency: 'CHF',
    method: 'bank_transfer',
    receivedOn: '2026-02-01',
  });
  // The payer with its own levels: reminded at +5 and +15 days, 10.00 each.
  await k.ok('reminders.setLevels', {
    organizationId: payer.own!.id,
    levels: [
      { daysAfterDue: 5, feeMinor: 1_000 },
      { daysAfterDue: 15, feeMinor: 1_000 },
    ],
  });
});

describe('reminder levels', () => {
  it('come from the organization, else the firm, else the defaults', async () => {
    expect(await k.ok('reminders.levels', { organizationId: payer.plain!.id })).toEqual({
      organizationId: payer.plain!.id,
      levels: [
        { daysAfterDue: 10, feeMinor: 0 },
        { daysAfterDue: 25, feeMinor: 2000 },
        { daysAfterDue: 40, feeMinor: 3000 },
      ],
      source: 'default',
    });
    expect((await k.ok('reminders.levels', { organizationId: payer.own!.id })).source).toBe('own');
  });

  it('refuse levels out of order with a translated message, and change nothing', async () => {
    const error = await k.fails(
      'reminders.setLevels',
      {
        organizationId: payer.plain!.id,
        levels: [
          { daysAfterDue: 20, feeMinor: 0 },
          { daysAfterDue: 10, feeMinor: 500 },
        ],
      },
      'reminder_levels_order',
      { locale: 'fr' },
    );
    expect(error.message).toMatch(/niveau de rappel/);
    expect((await k.ok('reminders.levels', { organizationId: payer.plain!.id })).source).toBe('default');
    await k.fails(
      'reminders.setLevels',
      { organizationId: payer.plain!.id, levels: [{ daysAfterDue: 0, feeMinor: -1 }] },
      'invalid_input',
    );
  });
});

describe('who reminds', () => {
  it('is the firm: a payer’s own legal representative may neither set levels nor run reminders', async () => {
    const { personId } = await k.ok('members.add', {
      organizationId: payer.plain!.id,
      email: 'patronne@rappel-plain.ch',
      name: 'Anne Patronne',
      role: 'legal_representative',
    });
    await k.ok('settings.setActingPerson', { personId });
    try {
      const error = await k.fails(
        'reminders.setLevels',
        { organizationId: payer.plain!.id, levels: [{ daysAfterDue: 60, feeMinor: 0 }] },
        'not_allowed',
        { locale: 'de' },
      );
      expect(error.message).toContain('Ändern — Organisationen');
      const run = await k.fails('reminders.run', { date: '2026-02-14' }, 'not_allowed', { locale: 'fr' });
      expect(run.message).toContain('ajouter — rappels de paiement');
      expect(count(k.raw, 'reminders')).toBe(0);
    } finally {
      await k.ok('settings.setActingPerson', { personId: null });
    }
    expect((await k.ok('reminders.levels', { organizationId: payer.plain!.id })).source).toBe('default');
  });
});

describe('a reminder run', () => {
  it('crosses no payment a statement imported before it brought', async () => {
    k.clock.set('2026-02-10T08:00:00.000Z');
    const imported = await k.ok('payments.importStatement', {
      fileName: 'camt-crossing.xml',
      contentBase64: statement('X-CROSS', inv.crossing!, inv.crossing!.grossMinor),
    });
    expect(imported.counts.exact).toBe(1);
    // More than due: deposited to the prepaid account, the invoice still open.
    const over = await k.ok('payments.importStatement', {
      fileName: 'camt-over.xml',
      contentBase64: statement('X-OVER', inv.deposited!, inv.deposited!.grossMinor + 700),
    });
    expect(over.counts.deposit).toBe(1);
  });

  it('reminds nothing before the first level, then each open invoice once, net of payments and credit notes', async () => {
    expect(
      (await k.ok('reminders.preview', { date: '2026-02-09' })).reminders.map((r) => r.invoiceId),
    ).toEqual([inv.own!.id]);
    const plan = await k.ok('reminders.preview', { date: '2026-02-14' });
    const by = new Map(plan.reminders.map((r) => [r.invoiceId, r]));
    expect([...by.keys()].sort()).toEqual(
      [inv.plain!.id, inv.credited!.id, inv.partial!.id, inv.own!.id].sort(),
    );
    expect(plan.held).toEqual([
      {
        invoiceId: inv.deposited!.id,
        invoiceNumber: inv.deposited!.number,
        payerName: 'Rappel deposited SA',
        reason: 'payment_deposited',
      },
    ]);
    const gross = inv.plain!.grossMinor;
    expect(by.get(inv.plain!.id)).toMatchObject({
      level: 1,
      dueMinor: gross,
      feeMinor: 0,
      feesMinor: 0,
      totalMinor: gross,
      payBy: '2026-02-24',
      daysOverdue: 10,
    });
    // 40.00 credited plus its 8.1 % VAT: 43.24 off.
    expect(by.get(inv.credited!.id)?.dueMinor).toBe(gross - 4_324);
    expect(by.get(inv.partial!.id)?.dueMinor).toBe(gross - 3_000);
    expect(by.get(inv.own!.id)).toMatchObject({ level: 1, feeMinor: 1_000, totalMinor: gross + 1_000 });
    expect(count(k.raw, 'reminders')).toBe(0);

    const run = await k.ok('reminders.run', { date: '2026-02-14' });
    expect(run.reminders).toHaveLength(4);
    expect(count(k.raw, 'reminders')).toBe(4);
    // Again, the same day or a few days on: nothing new.
    expect((await k.ok('reminders.run', { date: '2026-02-14' })).reminders).toEqual([]);
    expect((await k.ok('reminders.preview', { date: '2026-02-20' })).reminders).toEqual([]);
    expect(count(k.raw, 'reminders')).toBe(4);
    expect(count(k.raw, 'reminders', 'invoice_id = ?', inv.crossing!.id)).toBe(0);
  });

  it('gives the next level after its gap, with the fees accumulated, and stops after the final notice', async () => {
    // A statement pays the partial invoice's rest before the second level: never reminded again.
    await k.ok('payments.importStatement', {
      fileName: 'camt-rest.xml',
      contentBase64: statement('X-REST', inv.partial!, inv.partial!.grossMinor - 3_000),
    });
    const second = await k.ok('reminders.run', { date: '2026-03-01' });
    expect(second.reminders.map((r) => [r.invoiceId, r.level, r.feeMinor, r.feesMinor]).sort()).toEqual(
      [
        [inv.plain!.id, 2, 2_000, 2_000],
        [inv.credited!.id, 2, 2_000, 2_000],
        // Its own second level at +15 days, but only 15 days after its first: 2026-02-24 → reached.
        [inv.own!.id, 2, 1_000, 2_000],
      ].sort(),
    );
    expect(second.reminders.find((r) => r.invoiceId === inv.own!.id)?.final).toBe(true);
    const third = await k.ok('reminders.run', { date: '2026-03-20' });
    expect(third.reminders.map((r) => [r.invoiceId, r.level, r.final, r.feesMinor]).sort()).toEqual(
      [
        [inv.plain!.id, 3, true, 5_000],
        [inv.credited!.id, 3, true, 5_000],
      ].sort(),
    );
    expect((await k.ok('reminders.run', { date: '2026-06-30' })).reminders).toEqual([]);
    expect(count(k.raw, 'reminders')).toBe(9);
  });

  it('lists by level with totals, filters, and what each invoice owes now', async () => {
    const all = await k.ok('reminders.list', {});
    expect(all.reminders).toHaveLength(9);
    const partial = all.reminders.find((r) => r.invoiceId === inv.partial!.id);
    expect(partial).toMatchObject({ level: 1, stillDueMinor: 0, invoiceStatus: 'paid' });
    expect((await k.ok('reminders.list', { openOnly: true })).reminders).toHaveLength(8);
    const finals = await k.ok('reminders.list', { level: 3 });
    expect(finals.totals).toEqual([
      {
        level: 3,
        currency: 'CHF',
        count: 2,
        dueMinor: inv.plain!.grossMinor * 2 - 4_324,
        feesMinor: 10_000,
        totalMinor: inv.plain!.grossMinor * 2 - 4_324 + 10_000,
      },
    ]);
    expect(
      (await k.ok('reminders.list', { organizationId: payer.own!.id })).reminders.map((r) => r.level),
    ).toEqual([2, 1]);
    expect((await k.ok('reminders.preview', { date: '2026-03-20', level: 2 })).reminders).toEqual([]);
  });

  it('keys each reminder by its invoice and level, the same on every device', async () => {
    expect(providerId).not.toBe('');
    const rows = k.raw
      .prepare('SELECT id, level FROM reminders WHERE invoice_id = ? ORDER BY level')
      .all(inv.plain!.id);
    expect(rows).toEqual([
      { id: `rm:${inv.plain!.id}:1`, level: 1 },
      { id: `rm:${inv.plain!.id}:2`, level: 2 },
      { id: `rm:${inv.plain!.id}:3`, level: 3 },
    ]);
  });

  it('takes the final notice’s QR-bill paid exactly: the invoice paid, then its fees as the firm’s income, once', async () => {
    const total = inv.plain!.grossMinor + 5_000;
    const file = statement('X-NOTICE', inv.plain!, total);
    const preview = await k.ok('payments.importStatement', {
      fileName: 'camt-notice.xml',
      contentBase64: file,
      dryRun: true,
    });
    expect(preview.entries[0]?.outcome).toMatchObject({
      kind: 'exact',
      dueMinor: inv.plain!.grossMinor,
      reminderFeeMinor: 5_000,
    });
    await k.ok('payments.importStatement', { fileName: 'camt-notice.xml', contentBase64: file });
    expect((await k.ok('invoices.get', { id: inv.plain!.id })).status).toBe('paid');
    const money = k.raw
      .prepare(
        'SELECT outcome, amount_minor AS amount, deposit_reason AS reason FROM payments WHERE invoice_id = ? ORDER BY amount_minor',
      )
      .all(inv.plain!.id);
    expect(money).toEqual([
      { outcome: 'fee', amount: 5_000, reason: null },
      { outcome: 'applied', amount: inv.plain!.grossMinor, reason: null },
    ]);
    // Never the customer's money: nothing reached its prepaid account.
    expect(count(k.raw, 'ledger_entries', 'organization_id = ?', payer.plain!.id)).toBe(0);
    const again = await k.ok('payments.importStatement', {
      fileName: 'camt-notice.xml',
      contentBase64: file,
    });
    expect(again.counts.duplicate).toBe(1);
    expect(count(k.raw, 'payments', 'invoice_id = ?', inv.plain!.id)).toBe(2);
  });
});
