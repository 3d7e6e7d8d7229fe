// Which VAT an invoice carries, from where the provider and the customer are (decideVat), as
// a user sees it on the issued invoice: the rate on each line, the VAT summary, the reverse-
// charge mention, and a clear refusal at issue for a rate the rule does not allow.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDraft,
  createPayer,
  type InvoiceDetail,
  line,
  setUpProvider,
  TAX_IDS,
} from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-vat-invoices-');

let k: TestKontor;
beforeAll(async () => {
  k = space.kontor();
  await setUpProvider(k);
});

async function issue(draft: InvoiceDetail): Promise<InvoiceDetail> {
  return k.ok('invoices.issue', { id: draft.id });
}

describe('a Swiss provider', () => {
  it('bills a Swiss customer 8.1 %, and allows 2.6 %, 3.8 % and 0 % on chosen lines', async () => {
    const customer = await createPayer(k, {
      country: 'CH',
      uid: TAX_IDS.chUid,
      name: 'Migros-Genossenschafts-Bund',
    });
    const draft = await createDraft(k, customer.id, [
      line(10_000, { description: 'Hébergement' }),
      line(10_000, { description: 'Livres numériques', vatRateBp: 260 }),
      line(10_000, { description: 'Nuitée', vatRateBp: 380 }),
      line(10_000, { description: 'Débours', vatRateBp: 0 }),
    ]);
    expect(draft.allowedVatRatesBp).toEqual([810, 260, 380, 0]);
    const invoice = await issue(draft);
    expect(invoice.reverseCharge).toBe(false);
    expect(invoice.currency).toBe('CHF');
    expect(invoice.lines.map((l) => [l.vatRateBp, l.vatMinor])).toEqual([
      [810, 810],
      [260, 260],
      [380, 380],
      [0, 0],
    ]);
    expect(invoice.vatSummary).toEqual([
      { vatRateBp: 810, netMinor: 10_000, vatMinor: 810 },
      { vatRateBp: 380, netMinor: 10_000, vatMinor: 380 },
      { vatRateBp: 260, netMinor: 10_000, vatMinor: 260 },
      { vatRateBp: 0, netMinor: 10_000, vatMinor: 0 },
    ]);
    expect(invoice).toMatchObject({ netMinor: 40_000, vatMinor: 1_450, grossMinor: 41_450 });
  });

  it('bills a Liechtenstein customer Swiss VAT too (one VAT area)', async () => {
    const customer = await createPayer(k, { country: 'LI', currency: 'CHF' });
    const invoice = await issue(await createDraft(k, customer.id, [line(20_000)]));
    expect(invoice).toMatchObject({ reverseCharge: false, vatMinor: 1_620, grossMinor: 21_620 });
    expect(invoice.allowedVatRatesBp).toEqual([810, 260, 380, 0]);
  });

  it('bills a German company with a valid VAT number under reverse charge: 0 %, with the mention', async () => {
    const customer = await createPayer(k, {
      country: 'DE',
      vatNumber: TAX_IDS.deVat,
      name: 'Müller Webdesign GmbH',
    });
    const draft = await createDraft(k, customer.id, [line(50_000), line(12_000, { quantityMilli: 2000 })]);
    expect(draft.allowedVatRatesBp).toEqual([0]);
    expect(draft.lines.map((l) => l.vatRateBp)).toEqual([0, 0]);
    const invoice = await issue(draft);
    expect(invoice).toMatchObject({
      reverseCharge: true,
      currency: 'EUR',
      netMinor: 74_000,
      vatMinor: 0,
      grossMinor: 74_000,
    });
    expect(invoice.billTo).toMatchObject({ vatNumber: 'DE136695976', country: 'DE' });
    expect(invoice.vatSummary).toEqual([{ vatRateBp: 0, netMinor: 74_000, vatMinor: 0 }]);
  });

  it('bills a German company without a VAT number like a consumer: German VAT, 19 %', async () => {
    const customer = await createPayer(k, { country: 'DE', name: 'Kleiner Laden' });
    const invoice = await issue(await createDraft(k, customer.id, [line(10_000)]));
    expect(invoice).toMatchObject({ reverseCharge: false, vatMinor: 1_900, grossMinor: 11_900 });
    expect(invoice.allowedVatRatesBp).toEqual([1900, 0]);
  });

  it('bills a French individual French VAT, 20 % (electronic services are taxed where the consumer is)', async () => {
    const customer = await createPayer(k, { country: 'FR', kind: 'individual', name: 'Camille Durand' });
    const invoice = await issue(
      await createDraft(k, customer.id, [line(999, { quantityMilli: 12_000, description: '12 mois' })]),
    );
    // 12 × 9.99 = 119.88; 20 % = 23.976 → 23.98.
    expect(invoice).toMatchObject({
      reverseCharge: false,
      currency: 'EUR',
      netMinor: 11_988,
      vatMinor: 2_398,
      grossMinor: 14_386,
    });
    expect(invoice.lines[0]?.vatRateBp).toBe(2000);
  });

  it('bills a US company 0 % (export), without the reverse-charge mention', async () => {
    const customer = await createPayer(k, { country: 'US', currency: 'EUR', name: 'Acme Corp.' });
    const draft = await createDraft(k, customer.id, [line(30_000)]);
    expect(draft.allowedVatRatesBp).toEqual([0]);
    const invoice = await issue(draft);
    expect(invoice).toMatchObject({ reverseCharge: false, vatMinor: 0, grossMinor: 30_000 });
  });
});

describe('a rate the rule does not allow', () => {
  it('is kept on the draft but refused at issue (vat_rate_not_allowed), in the user’s language', async () => {
    const customer = await createPayer(k, { country: 'CH' });
    // 7.7 % was the Swiss standard rate until 2023.
    const draft = await createDraft(k, customer.id, [line(10_000), line(10_000, { vatRateBp: 770 })]);
    const en = await k.fails('invoices.issue', { id: draft.id }, 'vat_rate_not_allowed', { locale: 'en' });
    expect(en.message).toBe(
      'A VAT rate of 7.7 % is not possible on this invoice (allowed: 8.1 %, 2.6 %, 3.8 %, 0 %).',
    );
    const fr = await k.fails('invoices.issue', { id: draft.id }, 'vat_rate_not_allowed', { locale: 'fr' });
    expect(fr.message).toBe(
      'Un taux de TVA de 7.7 % n’est pas possible sur cette facture (possibles : 8.1 %, 2.6 %, 3.8 %, 0 %).',
    );
    expect(await k.ok('invoices.get', { id: draft.id })).toMatchObject({ status: 'draft', number: null });
    // Corrected, it issues.
    const fixed = await k.ok('invoices.updateDraft', {
      id: draft.id,
      lines: [line(10_000), line(10_000, { vatRateBp: 810 })],
    });
    expect((await issue(fixed)).vatMinor).toBe(1_620);
  });

  it('is refused for a reverse-charge customer: any VAT at all', async () => {
    const customer = await createPayer(k, { country: 'DE', vatNumber: TAX_IDS.deVat });
    const draft = await createDraft(k, customer.id, [line(10_000, { vatRateBp: 1900 })]);
    const error = await k.fails('invoices.issue', { id: draft.id }, 'vat_rate_not_allowed');
    expect(error.message).toBe('A VAT rate of 19 % is not possible on this invoice (allowed: 0 %).');
  });

  it('is judged by the rule when issuing: a VAT number added after the draft turns it into reverse charge', async () => {
    const customer = await createPayer(k, { country: 'FR', name: 'Atelier Lumière SARL' });
    const draft = await createDraft(k, customer.id, [line(10_000)]);
    expect(draft.lines[0]?.vatRateBp).toBe(2000);
    await k.ok('organizations.update', { id: customer.id, vatNumber: TAX_IDS.frVat });
    await k.fails('invoices.issue', { id: draft.id }, 'vat_rate_not_allowed');
    // Saving the lines again applies the rule of the day.
    const repriced = await k.ok('invoices.updateDraft', { id: draft.id, lines: [line(10_000)] });
    const invoice = await issue(repriced);
    expect(invoice).toMatchObject({ reverseCharge: true, vatMinor: 0, grossMinor: 10_000 });
  });
});

describe('an EU provider', () => {
  it('bills its own country’s VAT at home, and reverse charge to another member state’s company', async () => {
    const berlin = await k.ok('organizations.create', {
      kind: 'company',
      name: 'Hosting Berlin GmbH',
      country: 'DE',
      currency: 'EUR',
      vatNumber: TAX_IDS.deVat,
      iban: 'DE89 3704 0044 0532 0130 00',
    });
    // Issuing needs the issuer's own address (firm-setup.test.ts).
    await k.ok('addresses.create', {
      organizationId: berlin.id,
      label: 'Sitz',
      recipient: 'Hosting Berlin GmbH',
      street: 'Friedrichstrasse',
      buildingNumber: '100',
      postalCode: '10117',
      city: 'Berlin',
      country: 'DE',
    });
    const domestic = await createPayer(k, { country: 'DE', vatNumber: TAX_IDS.deVat });
    const french = await createPayer(k, { country: 'FR', vatNumber: TAX_IDS.frVat });
    const home = await issue(
      await createDraft(k, domestic.id, [line(10_000)], { issuerOrganizationId: berlin.id }),
    );
    expect(home).toMatchObject({
      reverseCharge: false,
      vatMinor: 1_900,
      issuer: expect.objectContaining({ name: 'Hosting Berlin GmbH' }),
    });
    const abroad = await issue(
      await createDraft(k, french.id, [line(10_000)], { issuerOrganizationId: berlin.id }),
    );
    expect(abroad).toMatchObject({ reverseCharge: true, vatMinor: 0 });
  });
});
