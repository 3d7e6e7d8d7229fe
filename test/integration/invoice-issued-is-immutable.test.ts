// SYNC.md, "Issued documents": after issuing, the invoice and its lines are immutable
// everywhere — the services refuse, and so does the store itself (triggers), whatever writes
// to it. Status only moves forward. The invoice keeps the copy of the billing address and of
// the issuer it was issued with: later edits of the organizations never reach it.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CH_QR_IBAN,
  createDraft,
  createPayer,
  type InvoiceDetail,
  issueInvoice,
  line,
  setUpProvider,
} from '../helpers/invoices';
import { historyCounts, rowCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-immutable-');

let k: TestKontor;
let providerId: string;
let payer: { id: string; name: string; addressId: string | null };
let issued: InvoiceDetail;

beforeAll(async () => {
  k = space.kontor();
  providerId = await setUpProvider(k);
  payer = await createPayer(k, { name: 'Atelier Rochat Sàrl', city: 'Morges' });
  issued = await issueInvoice(
    k,
    payer.id,
    [
      // 3 × 49.90 less 10 %: 149.70 − 14.97 = 134.73, VAT 8.1 % = 10.91313 → 10.91.
      line(4_990, { description: 'Hébergement Web Pro, 3 mois', quantityMilli: 3000, discountBp: 1000 }),
      // Half a day of support at 120.00: 60.00, VAT 4.86.
      line(12_000, { description: 'Support, ½ jour', quantityMilli: 500 }),
    ],
    { notes: 'Merci de votre confiance.' },
  );
});

/** What a user sees of an invoice (the live organization name aside). */
async function shown(id: string): Promise<InvoiceDetail> {
  return k.ok('invoices.get', { id });
}

describe('the services', () => {
  it('issue what the draft said, with the rounding rule applied once per line', () => {
    expect(issued).toMatchObject({
      status: 'unpaid',
      netMinor: 19_473,
      vatMinor: 1_577,
      grossMinor: 21_050,
      paidMinor: 0,
    });
    expect(issued.lines.map((l) => [l.description, l.netMinor, l.vatMinor, l.grossMinor])).toEqual([
      ['Hébergement Web Pro, 3 mois', 13_473, 1_091, 14_564],
      ['Support, ½ jour', 6_000, 486, 6_486],
    ]);
    expect(issued.vatSummary).toEqual([{ vatRateBp: 810, netMinor: 19_473, vatMinor: 1_577 }]);
    expect(issued.dueMinor).toBe(21_050);
    expect(issued.dueOn).toBe('2026-04-14');
  });

  it('refuse a draft line too large for exact arithmetic as a user error, not an internal one', async () => {
    // One million units at 10 million each: quantity × price leaves the exact integers.
    const big = [line(100_000_000_00, { quantityMilli: 1_000_000_000 })];
    const en = await k.fails('invoices.create', { organizationId: payer.id, lines: big }, 'invalid_input', {
      locale: 'en',
    });
    expect(en.message).toBe('Please check what you entered: lines.0.unitPriceMinor (too long or too large)');
    // The largest line there may be (100,000,000.00) still computes exactly.
    const largest = await createDraft(k, payer.id, [line(-100_000_000_00)]);
    expect(largest).toMatchObject({
      netMinor: -100_000_000_00,
      vatMinor: -810_000_000,
      grossMinor: -108_100_000_00,
    });
    await k.ok('invoices.deleteDraft', { id: largest.id });
  });

  it('refuse to edit or delete an issued invoice with invoice_not_draft, in the user’s language', async () => {
    const counts = rowCounts(k.raw);
    const edit = { id: issued.id, notes: 'Autre chose', lines: [line(1)] };
    const en = await k.fails('invoices.updateDraft', edit, 'invoice_not_draft', { locale: 'en' });
    expect(en.message).toBe(
      `Invoice ${issued.number} is already issued and can no longer be edited. To correct it, create a credit note.`,
    );
    const fr = await k.fails('invoices.updateDraft', edit, 'invoice_not_draft', { locale: 'fr-CH' });
    expect(fr.message).toBe(
      `La facture ${issued.number} est déjà émise et ne peut plus être modifiée. Pour la corriger, créez une note de crédit.`,
    );
    const deleted = await k.fails('invoices.deleteDraft', { id: issued.id }, 'invoice_not_draft', {
      locale: 'fr',
    });
    expect(deleted.message).toContain(`La facture ${issued.number} est déjà émise`);
    await k.fails('invoices.issue', { id: issued.id }, 'invoice_not_draft');
    expect(rowCounts(k.raw)).toEqual(counts);
    expect(await shown(issued.id)).toEqual(issued);
  });
});

describe('the store itself', () => {
  const OPEN_COLUMNS = ['status', 'paid_minor', 'updated_at'];

  function columnsOf(table: string): string[] {
    return (k.raw.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
      (c) => c.name,
    );
  }

  /** Runs a statement in a transaction that is always rolled back: proves it is allowed, changes nothing. */
  function allowedButRolledBack(sql: string, ...params: unknown[]): void {
    k.raw.exec('SAVEPOINT probe');
    try {
      k.raw.prepare(sql).run(...params);
    } finally {
      k.raw.exec('ROLLBACK TO probe');
      k.raw.exec('RELEASE probe');
    }
  }

  it('refuses a raw UPDATE of every column of an issued invoice except status, paid_minor and updated_at', () => {
    const columns = columnsOf('invoices');
    expect(columns.length).toBeGreaterThan(25);
    const guarded = columns.filter((c) => !OPEN_COLUMNS.includes(c));
    for (const column of guarded) {
      // A value always different from the current one, NULL included.
      const change = () =>
        k.raw
          .prepare(`UPDATE invoices SET "${column}" = coalesce("${column}", '') || '~' WHERE id = ?`)
          .run(issued.id);
      expect(change, column).toThrow('invoice_issued_immutable');
    }
    // Setting a column to the value it already has changes nothing and is not refused.
    allowedButRolledBack(`UPDATE invoices SET notes = notes, net_minor = net_minor WHERE id = ?`, issued.id);
    // The three that move after issuing (payments, credit notes) are the only open ones.
    allowedButRolledBack(
      `UPDATE invoices SET updated_at = '2030-01-01T00:00:00.000Z' WHERE id = ?`,
      issued.id,
    );
    allowedButRolledBack(
      `UPDATE invoices SET status = 'partially_paid', paid_minor = 100 WHERE id = ?`,
      issued.id,
    );
  });

  it('refuses to delete an issued invoice, or to add, change, move or delete its lines', () => {
    const counts = rowCounts(k.raw);
    expect(() => k.raw.prepare('DELETE FROM invoices WHERE id = ?').run(issued.id)).toThrow(
      'invoice_issued_immutable',
    );
    const first = issued.lines[0]!;
    expect(() =>
      k.raw
        .prepare(
          `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor,
             discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor)
           SELECT id || '-copy', invoice_id, 9, product_id, 'Ajout', quantity_milli, unit_price_minor, discount_bp,
             vat_rate_bp, net_minor, vat_minor, gross_minor FROM invoice_lines WHERE id = ?`,
        )
        .run(first.id),
    ).toThrow('invoice_issued_immutable');
    for (const column of columnsOf('invoice_lines')) {
      const change = () =>
        k.raw
          .prepare(`UPDATE invoice_lines SET "${column}" = coalesce("${column}", '') || '~' WHERE id = ?`)
          .run(first.id);
      expect(change, column).toThrow('invoice_issued_immutable');
    }
    expect(() => k.raw.prepare('DELETE FROM invoice_lines WHERE invoice_id = ?').run(issued.id)).toThrow(
      'invoice_issued_immutable',
    );
    expect(rowCounts(k.raw)).toEqual(counts);
  });

  it('refuses to move a draft’s line into an issued invoice', async () => {
    const draft = await createDraft(k, payer.id, [line(777)]);
    const draftLine = draft.lines[0]!;
    expect(() =>
      k.raw.prepare('UPDATE invoice_lines SET invoice_id = ? WHERE id = ?').run(issued.id, draftLine.id),
    ).toThrow('invoice_issued_immutable');
    expect((await shown(draft.id)).lines).toEqual(draft.lines);
    await k.ok('invoices.deleteDraft', { id: draft.id });
  });

  it('moves the status only forward (invoice_status_backwards)', async () => {
    const invoice = await issueInvoice(k, payer.id, [line(10_000)]);
    const setStatus = (status: string) => () =>
      k.raw.prepare('UPDATE invoices SET status = ? WHERE id = ?').run(status, invoice.id);
    expect(setStatus('draft')).toThrow('invoice_status_backwards');

    await k.ok('payments.record', {
      invoiceId: invoice.id,
      amountMinor: 4_000,
      currency: 'CHF',
      method: 'card',
      receivedOn: '2026-03-16',
    });
    expect((await shown(invoice.id)).status).toBe('partially_paid');
    for (const back of ['draft', 'unpaid']) expect(setStatus(back), back).toThrow('invoice_status_backwards');

    await k.ok('payments.record', {
      invoiceId: invoice.id,
      amountMinor: 6_810,
      currency: 'CHF',
      method: 'card',
      receivedOn: '2026-03-17',
    });
    expect((await shown(invoice.id)).status).toBe('paid');
    for (const back of ['draft', 'unpaid', 'partially_paid', 'cancelled']) {
      expect(setStatus(back), back).toThrow('invoice_status_backwards');
    }

    const cancelled = await issueInvoice(k, payer.id, [line(500)]);
    await k.ok('invoices.creditNote', { invoiceId: cancelled.id });
    expect((await shown(cancelled.id)).status).toBe('cancelled');
    for (const back of ['draft', 'unpaid', 'partially_paid', 'paid', 'refunded']) {
      expect(
        () => k.raw.prepare('UPDATE invoices SET status = ? WHERE id = ?').run(back, cancelled.id),
        back,
      ).toThrow('invoice_status_backwards');
    }
    expect((await shown(invoice.id)).status).toBe('paid');
  });

  it('has left the invoice exactly as it was issued after all those attempts', async () => {
    expect(await shown(issued.id)).toEqual(issued);
  });
});

describe('copies taken at issue', () => {
  it('keep the billing address and the issuer as they were, whatever is edited afterwards', async () => {
    const invoice = await issueInvoice(k, payer.id, [line(25_000)]);
    expect(invoice.billTo).toEqual({
      name: 'Atelier Rochat Sàrl',
      recipient: 'Atelier Rochat Sàrl, comptabilité',
      street: 'Rue du Marché 4',
      // The structured form the QR-bill v2.3 and e-invoices need, split from the one-line street.
      streetName: 'Rue du Marché',
      buildingNumber: '4',
      line2: null,
      postalCode: '1003',
      city: 'Morges',
      country: 'CH',
      vatNumber: null,
      uid: null,
      email: null,
      iban: null,
      bic: null,
      qrIban: null,
      shortName: null,
      siren: null,
      siret: null,
      leitwegId: null,
      peppolId: null,
      operationCategory: 'services',
      vatOnDebits: false,
    });
    expect(invoice.issuer).toMatchObject({
      name: 'Infomaniak Hosting SA',
      city: 'Les Acacias',
      iban: 'CH9300762011623852957',
    });
    const historyBefore = historyCounts(k.raw);

    // The organization moves, renames itself and bills to a new default address; the
    // provider changes bank.
    await k.ok('addresses.update', {
      id: payer.addressId!,
      line1: 'Avenue de la Gare 12',
      city: 'Renens',
      postalCode: '1020',
    });
    await k.ok('organizations.update', { id: payer.id, name: 'Rochat & Fils SA' });
    const newAddress = await k.ok('addresses.create', {
      organizationId: payer.id,
      label: 'Nouveau siège',
      recipient: 'Rochat & Fils SA',
      line1: 'Chemin des Vignes 3',
      postalCode: '1110',
      city: 'Morges',
      country: 'CH',
      isDefault: true,
    });
    await k.ok('organizations.update', { id: providerId, iban: CH_QR_IBAN });
    expect(historyCounts(k.raw).activity).toBeGreaterThan(historyBefore.activity);

    const after = await shown(invoice.id);
    expect(after.billTo).toEqual(invoice.billTo);
    expect(after.issuer).toEqual(invoice.issuer);
    expect(after.billingAddressId).toBe(payer.addressId);
    expect({ type: after.referenceType, reference: after.paymentReference }).toEqual({
      type: 'SCOR',
      reference: invoice.paymentReference,
    });
    // Only the live name beside it follows the organization.
    expect(after.organizationName).toBe('Rochat & Fils SA');
    expect({ ...after, organizationName: invoice.organizationName }).toEqual(invoice);

    // A new invoice is issued to the new address, with the new bank (a QR-IBAN: a QR reference).
    const next = await issueInvoice(k, payer.id, [line(25_000)]);
    expect(next.billingAddressId).toBe(newAddress.id);
    expect(next.billTo).toMatchObject({
      name: 'Rochat & Fils SA',
      street: 'Chemin des Vignes 3',
      city: 'Morges',
    });
    expect(next.issuer?.iban).toBe('CH4431999123000889012');
    expect(next.referenceType).toBe('QRR');
  });
});
