// DOMAIN.md, Invoice: a credit note is the only way to correct an issued invoice; a pro forma
// has no legal or fiscal value, is made for selected products and may be turned into an
// invoice. A full credit note cancels an unpaid invoice and refunds a paid one (what was paid
// goes to the prepaid account); partial ones never exceed what remains. Totals per currency
// leave pro formas out and subtract credit notes.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDraft,
  createPayer,
  issueInvoice,
  line,
  parseNumber,
  setUpProvider,
} from '../helpers/invoices';
import { rowCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-credit-notes-');

let k: TestKontor;
let payerId: string;
beforeAll(async () => {
  k = space.kontor();
  await setUpProvider(k);
  payerId = (await createPayer(k, { name: 'Librairie Payot SA' })).id;
});

const pay = (invoiceId: string, amountMinor: number) =>
  k.ok('payments.record', {
    invoiceId,
    amountMinor,
    currency: 'CHF',
    method: 'bank_transfer',
    receivedOn: '2026-03-16',
  });

async function ledger(organizationId: string) {
  return (await k.ok('ledger.list', { organizationId })).rows.map((r) => [
    r.kind,
    r.amountMinor,
    r.invoiceNumber,
    r.note,
  ]);
}

describe('a full credit note', () => {
  it('cancels an unpaid invoice: same lines, its own CN number, nothing due any more, no money moves', async () => {
    const invoice = await issueInvoice(k, payerId, [
      line(10_000),
      line(2_500, { quantityMilli: 2000, discountBp: 1000 }),
    ]);
    const note = await k.ok('invoices.creditNote', { invoiceId: invoice.id, notes: 'Commande annulée' });
    expect(note).toMatchObject({
      kind: 'credit_note',
      // Born settled: nothing is due on a credit note.
      status: 'paid',
      dueMinor: 0,
      correctsInvoiceId: invoice.id,
      netMinor: invoice.netMinor,
      vatMinor: invoice.vatMinor,
      grossMinor: invoice.grossMinor,
      referenceType: 'NON',
      paymentReference: null,
      notes: 'Commande annulée',
      dueOn: null,
    });
    expect(parseNumber(note.number).prefix).toBe('CN');
    expect(
      note.lines.map((l) => [
        l.description,
        l.quantityMilli,
        l.unitPriceMinor,
        l.discountBp,
        l.vatRateBp,
        l.grossMinor,
      ]),
    ).toEqual(
      invoice.lines.map((l) => [
        l.description,
        l.quantityMilli,
        l.unitPriceMinor,
        l.discountBp,
        l.vatRateBp,
        l.grossMinor,
      ]),
    );
    expect(note.billTo).toEqual(invoice.billTo);
    const original = await k.ok('invoices.get', { id: invoice.id });
    expect(original).toMatchObject({ status: 'cancelled', paidMinor: 0, dueMinor: 0, overdue: false });
    expect(await ledger(payerId)).toEqual([]);
  });

  it('refunds a paid invoice: what was paid is deposited to the prepaid account', async () => {
    const org = await createPayer(k, { name: 'Clinique des Alpes SA' });
    const invoice = await issueInvoice(k, org.id, [line(10_000)]);
    await pay(invoice.id, 10_810);
    await k.ok('invoices.creditNote', { invoiceId: invoice.id });
    expect(await k.ok('invoices.get', { id: invoice.id })).toMatchObject({
      status: 'refunded',
      paidMinor: 10_810,
      dueMinor: 0,
    });
    expect(await ledger(org.id)).toEqual([['deposit', 10_810, invoice.number, 'credit_note_refund']]);
    expect(await k.ok('ledger.balances', { organizationId: org.id })).toEqual([
      { currency: 'CHF', balanceMinor: 10_810 },
    ]);
  });

  it('refunds what was paid of a partly paid invoice, and only that', async () => {
    const org = await createPayer(k);
    const invoice = await issueInvoice(k, org.id, [line(10_000)]);
    await pay(invoice.id, 4_000);
    await k.ok('invoices.creditNote', { invoiceId: invoice.id });
    expect(await k.ok('invoices.get', { id: invoice.id })).toMatchObject({
      status: 'refunded',
      paidMinor: 4_000,
      dueMinor: 0,
    });
    expect(await ledger(org.id)).toEqual([['deposit', 4_000, invoice.number, 'credit_note_refund']]);
  });
});

describe('partial credit notes', () => {
  it('never exceed what remains of the invoice; the last one that uses it up cancels it', async () => {
    const invoice = await issueInvoice(k, payerId, [line(10_000, { quantityMilli: 3000 })]); // 300.00 + 24.30 = 324.30
    const first = await k.ok('invoices.creditNote', {
      invoiceId: invoice.id,
      lines: [line(10_000, { description: 'Un mois offert', vatRateBp: 810 })],
    });
    expect(first).toMatchObject({ grossMinor: 10_810, status: 'paid' });
    expect(await k.ok('invoices.get', { id: invoice.id })).toMatchObject({ status: 'unpaid' });

    const before = rowCounts(k.raw);
    const en = await k.fails(
      'invoices.creditNote',
      { invoiceId: invoice.id, lines: [line(21_621, { vatRateBp: 0 })] },
      'credit_note_exceeds_invoice',
      { locale: 'en' },
    );
    expect(en.message).toBe(
      `A credit note cannot exceed what remains of invoice ${invoice.number} (CHF\u00a0216.20).`,
    );
    const fr = await k.fails(
      'invoices.creditNote',
      { invoiceId: invoice.id },
      'credit_note_exceeds_invoice',
      { locale: 'fr' },
    );
    expect(fr.message).toBe(
      `Une note de crédit ne peut pas dépasser le solde de la facture ${invoice.number} (216.20\u00a0CHF).`,
    );
    // A refused credit note consumes no number and writes nothing.
    expect(rowCounts(k.raw)).toEqual(before);

    // A line without a rate gets the invoice's VAT rule rate (8.1 % here), as on an invoice.
    const second = await k.ok('invoices.creditNote', {
      invoiceId: invoice.id,
      lines: [line(20_000, { description: 'Deux mois offerts' })],
    });
    expect(second.lines[0]).toMatchObject({ vatRateBp: 810, grossMinor: 21_620 });
    expect(parseNumber(second.number).sequence).toBe(parseNumber(first.number).sequence + 1);
    expect(await k.ok('invoices.get', { id: invoice.id })).toMatchObject({
      status: 'cancelled',
      dueMinor: 0,
    });
    // Nothing remains: not even one centime more.
    await k.fails(
      'invoices.creditNote',
      { invoiceId: invoice.id, lines: [line(1, { vatRateBp: 0 })] },
      'invoice_not_payable',
    );
  });
});

describe('what cannot be credited', () => {
  it('a credit note (credit_note_of_credit_note), in the user’s language', async () => {
    const invoice = await issueInvoice(k, payerId, [line(5_000)]);
    const note = await k.ok('invoices.creditNote', {
      invoiceId: invoice.id,
      lines: [line(1_000, { vatRateBp: 810 })],
    });
    const en = await k.fails('invoices.creditNote', { invoiceId: note.id }, 'credit_note_of_credit_note', {
      locale: 'en',
    });
    expect(en.message).toBe('A credit note corrects an invoice, not another credit note.');
    const fr = await k.fails('invoices.creditNote', { invoiceId: note.id }, 'credit_note_of_credit_note', {
      locale: 'fr',
    });
    expect(fr.message).toBe('Une note de crédit corrige une facture, pas une autre note de crédit.');
  });

  it('a draft, or an invoice already cancelled', async () => {
    const draft = await createDraft(k, payerId, [line(5_000)]);
    await k.fails('invoices.creditNote', { invoiceId: draft.id }, 'invoice_not_payable');
    const invoice = await issueInvoice(k, payerId, [line(5_000)]);
    await k.ok('invoices.creditNote', { invoiceId: invoice.id });
    const again = await k.fails('invoices.creditNote', { invoiceId: invoice.id }, 'invoice_not_payable');
    expect(again.params).toMatchObject({ status: 'cancelled', number: invoice.number });
  });
});

describe('a pro forma', () => {
  let products: { id: string; name: string; price: number }[];
  beforeAll(async () => {
    products = [];
    for (const [name, price, frequency] of [
      ['Hébergement Web Pro', 11_880, 'annual'],
      ['Service Mail 5 Go', 190, 'monthly'],
      ['librairie-payot.ch', 1_500, 'annual'],
    ] as const) {
      const p = await k.ok('products.create', {
        organizationId: payerId,
        kind: name.endsWith('.ch') ? 'domain' : 'web_hosting',
        name,
        publicPriceMinor: price,
        billingFrequency: frequency,
        nextRenewalOn: '2026-05-01',
      });
      products.push({ id: p.id, name, price });
    }
  });

  it('bills the selected products at their public price, in its own PRO series, and takes no payment', async () => {
    const chosen = [products[0]!, products[2]!];
    const proForma = await k.ok('invoices.proForma', {
      organizationId: payerId,
      productIds: chosen.map((p) => p.id),
    });
    expect(proForma).toMatchObject({ kind: 'pro_forma', status: 'unpaid', dueOn: null, overdue: false });
    expect(parseNumber(proForma.number).prefix).toBe('PRO');
    expect(proForma.lines.map((l) => [l.productId, l.unitPriceMinor, l.quantityMilli, l.vatRateBp])).toEqual(
      chosen.map((p) => [p.id, p.price, 1000, 810]),
    );
    expect(proForma.lines.every((l, i) => l.description.startsWith(chosen[i]!.name))).toBe(true);
    // 118.80 + 15.00 = 133.80; VAT 9.62 + 1.22 (8.1 % per line) = 10.84.
    expect(proForma).toMatchObject({ netMinor: 13_380, vatMinor: 1_084, grossMinor: 14_464 });
    await k.fails(
      'payments.record',
      {
        invoiceId: proForma.id,
        amountMinor: 14_464,
        currency: 'CHF',
        method: 'bank_transfer',
        receivedOn: '2026-03-16',
      },
      'invoice_not_payable',
    );
  });

  it('is refused for another organization’s products', async () => {
    const other = await createPayer(k);
    await k.fails(
      'invoices.proForma',
      { organizationId: other.id, productIds: [products[0]!.id] },
      'product_wrong_organization',
    );
  });

  it('converts into a draft invoice with the same lines, and the pro forma is closed', async () => {
    const proForma = await k.ok('invoices.proForma', {
      organizationId: payerId,
      productIds: products.map((p) => p.id),
    });
    const draft = await k.ok('invoices.convertProForma', { id: proForma.id });
    expect(draft).toMatchObject({
      kind: 'invoice',
      status: 'draft',
      number: null,
      convertedFromId: proForma.id,
      organizationId: proForma.organizationId,
      billingAddressId: proForma.billingAddressId,
      netMinor: proForma.netMinor,
      vatMinor: proForma.vatMinor,
      grossMinor: proForma.grossMinor,
    });
    const same = (l: (typeof draft.lines)[number]) => [
      l.position,
      l.productId,
      l.description,
      l.quantityMilli,
      l.unitPriceMinor,
      l.discountBp,
      l.vatRateBp,
      l.netMinor,
      l.vatMinor,
      l.grossMinor,
    ];
    expect(draft.lines.map(same)).toEqual(proForma.lines.map(same));
    expect(await k.ok('invoices.get', { id: proForma.id })).toMatchObject({ status: 'cancelled' });

    const invoice = await k.ok('invoices.issue', { id: draft.id });
    expect(parseNumber(invoice.number).prefix).toBe('INV');
    expect(invoice).toMatchObject({ status: 'unpaid', grossMinor: proForma.grossMinor, dueOn: '2026-04-14' });
  });

  it('is the only thing convertProForma converts (pro_forma_only)', async () => {
    const invoice = await issueInvoice(k, payerId, [line(1_000)]);
    const error = await k.fails('invoices.convertProForma', { id: invoice.id }, 'pro_forma_only', {
      locale: 'en',
    });
    expect(error.message).toBe('Only a pro forma can be turned into an invoice.');
  });

  it('is converted only once (a closed pro forma gives no second invoice)', async () => {
    const proForma = await k.ok('invoices.proForma', {
      organizationId: payerId,
      productIds: [products[1]!.id],
    });
    await k.ok('invoices.convertProForma', { id: proForma.id });
    const second = await k.call('invoices.convertProForma', { id: proForma.id });
    expect(second).toMatchObject({ ok: false, error: { code: 'pro_forma_closed' } });
  });

  it('cannot be "corrected" by a credit note (it has no fiscal value)', async () => {
    const proForma = await k.ok('invoices.proForma', {
      organizationId: payerId,
      productIds: [products[1]!.id],
    });
    const note = await k.call('invoices.creditNote', { invoiceId: proForma.id });
    expect(note).toMatchObject({ ok: false, error: { code: 'credit_note_of_pro_forma' } });
  });

  it('a partial credit note lowers what is due, and paying the rest settles the invoice', async () => {
    const invoice = await issueInvoice(k, payerId, [line(10_000)]);
    const due = (await k.ok('invoices.get', { id: invoice.id })).dueMinor;
    const note = await k.ok('invoices.creditNote', {
      invoiceId: invoice.id,
      lines: [{ description: 'Geste commercial', quantityMilli: 1000, unitPriceMinor: 2_000, discountBp: 0 }],
    });
    const after = await k.ok('invoices.get', { id: invoice.id });
    expect(after.creditedMinor).toBe(note.grossMinor);
    expect(after.dueMinor).toBe(due - note.grossMinor);
    await k.ok('payments.record', {
      invoiceId: invoice.id,
      amountMinor: after.dueMinor,
      currency: after.currency,
      method: 'bank_transfer',
      receivedOn: '2026-11-23',
    });
    expect((await k.ok('invoices.get', { id: invoice.id })).status).toBe('paid');
  });
});

describe('totals per currency', () => {
  it('leave pro formas out and subtract credit notes', async () => {
    const t = space.kontor();
    await setUpProvider(t);
    const ch = await createPayer(t, { country: 'CH' });
    const fr = await createPayer(t, { country: 'FR', kind: 'individual' });
    const product = await t.ok('products.create', {
      organizationId: ch.id,
      kind: 'drive',
      name: 'kDrive 2 To',
      publicPriceMinor: 12_000,
      billingFrequency: 'annual',
      nextRenewalOn: '2026-06-01',
    });
    const a = await issueInvoice(t, ch.id, [line(10_000)]); // 100.00 + 8.10
    const b = await issueInvoice(t, ch.id, [line(20_000)]); // 200.00 + 16.20, paid
    await t.ok('payments.record', {
      invoiceId: b.id,
      amountMinor: 21_620,
      currency: 'CHF',
      method: 'card',
      receivedOn: '2026-03-16',
    });
    await t.ok('invoices.creditNote', { invoiceId: a.id, lines: [line(3_000)] }); // − 30.00 − 2.43
    await t.ok('invoices.proForma', { organizationId: ch.id, productIds: [product.id] }); // 129.72: not counted
    const e = await issueInvoice(t, fr.id, [line(10_000)]); // 100.00 + 20.00 EUR
    await t.ok('invoices.creditNote', { invoiceId: e.id }); // cancelled in full

    const totals = await t.ok('invoices.totals', {});
    expect(totals).toEqual([
      { currency: 'CHF', count: 3, netMinor: 27_000, vatMinor: 2_187, grossMinor: 29_187, paidMinor: 21_620 },
      { currency: 'EUR', count: 2, netMinor: 0, vatMinor: 0, grossMinor: 0, paidMinor: 0 },
    ]);
    // Asked for by kind, pro formas are counted — on their own.
    expect(await t.ok('invoices.totals', { kinds: ['pro_forma'] })).toEqual([
      { currency: 'CHF', count: 1, netMinor: 12_000, vatMinor: 972, grossMinor: 12_972, paidMinor: 0 },
    ]);
    // The same figures as the listed rows give, pro formas aside and credit notes negative.
    const { rows } = await t.ok('invoices.list', { limit: 1000 });
    for (const currency of ['CHF', 'EUR'] as const) {
      const counted = rows.filter((r) => r.currency === currency && r.kind !== 'pro_forma');
      const sign = (r: (typeof rows)[number]) => (r.kind === 'credit_note' ? -1 : 1);
      const total = totals.find((x) => x.currency === currency)!;
      expect(counted.reduce((s, r) => s + sign(r) * r.grossMinor, 0)).toBe(total.grossMinor);
      expect(counted.reduce((s, r) => s + sign(r) * r.netMinor, 0)).toBe(total.netMinor);
    }
  });
});
