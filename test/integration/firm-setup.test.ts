// Issue 14, "Your firm, first": the firm (the organization that issues the invoices) is set up
// in one call with its address, tax number, bank account and document defaults, each checked
// with its check digits; issuing refuses a document the firm cannot legally issue or be paid on,
// listing what is missing; the firm's language, its footer and its customers' regions decide
// what the documents say; demo data goes into an empty database only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MethodInput } from '#core/api/contract';
import { CH_IBAN, CH_QR_IBAN, createPayer, line } from '../helpers/invoices';
import { count, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-firm-');

const FIRM: MethodInput<'firm.save'> = {
  name: 'Treuhand Muster GmbH',
  country: 'CH',
  currency: 'CHF',
  taxId: 'CHE-116.281.710',
  iban: CH_IBAN,
  qrIban: CH_QR_IBAN,
  bic: 'UBSWCHZH80A',
  paymentTermDays: 20,
  documentLocale: 'de',
  invoiceFooter: 'Handelsregister Zürich CH-020.4.012.345-6 · Danke für Ihr Vertrauen',
  street: 'Bahnhofstrasse',
  buildingNumber: '10',
  postalCode: '8001',
  city: 'Zürich',
  email: 'rechnungen@muster.ch',
};

function pdfText(bytes: Buffer): string {
  const file = path.join(space.dir(), 'doc.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('the firm', () => {
  it('is missing on a fresh database, and invoicing says to set it up in the person’s language', async () => {
    const k = space.kontor();
    expect(await k.ok('firm.get', {})).toEqual({ organization: null, address: null, gaps: ['firm'] });
    const payer = await createPayer(k);
    const de = await k.fails('invoices.create', { organizationId: payer.id, lines: [line(1000)] }, 'issuer_missing', {
      locale: 'de',
    });
    expect(de.message).toContain('Einstellungen → Firma');
  });

  it('refuses a wrong IBAN, an ordinary IBAN as QR-IBAN and a wrong UID check digit, and stores nothing', async () => {
    const k = space.kontor();
    const before = count(k.raw, 'organizations');
    const iban = await k.fails('firm.save', { ...FIRM, iban: 'CH93 0076 2011 6238 5295 8' }, 'issuer_iban_invalid', {
      locale: 'fr',
    });
    expect(iban.message).toContain('CH93 0076 2011 6238 5295 8');
    await k.fails('firm.save', { ...FIRM, qrIban: CH_IBAN }, 'qr_iban_invalid');
    await k.fails('firm.save', { ...FIRM, taxId: 'CHE-116.281.711' }, 'uid_invalid');
    expect(count(k.raw, 'organizations')).toBe(before);
    expect(count(k.raw, 'billing_addresses')).toBe(0);
    expect((await k.ok('firm.get', {})).gaps).toEqual(['firm']);
  });

  it('is saved with its structured address and made the issuer; saving again updates the same one', async () => {
    const k = space.kontor();
    const firm = await k.ok('firm.save', FIRM);
    expect(firm.gaps).toEqual([]);
    expect(firm.organization).toMatchObject({
      name: FIRM.name,
      uid: 'CHE-116.281.710',
      iban: 'CH9300762011623852957',
      qrIban: 'CH4431999123000889012',
      bic: 'UBSWCHZH80A',
      paymentTermDays: 20,
      documentLocale: 'de',
      invoiceFooter: FIRM.invoiceFooter,
    });
    expect(firm.address).toMatchObject({ street: 'Bahnhofstrasse', buildingNumber: '10', postalCode: '8001' });
    expect((await k.ok('settings.get', {})).providerOrganizationId).toBe(firm.organization?.id);
    const again = await k.ok('firm.save', { ...FIRM, city: 'Zürich 1', iban: null });
    expect(again.organization?.id).toBe(firm.organization?.id);
    expect(again.address?.id).toBe(firm.address?.id);
    expect(again.address?.city).toBe('Zürich 1');
    expect(count(k.raw, 'organizations')).toBe(1);
  });

  it('without a bank account: the gap is listed and an invoice is refused at issue, nothing numbered', async () => {
    const k = space.kontor();
    const firm = await k.ok('firm.save', { ...FIRM, iban: null, qrIban: null });
    expect(firm.gaps).toEqual(['iban']);
    const payer = await createPayer(k);
    const draft = await k.ok('invoices.create', { organizationId: payer.id, lines: [line(10_000)] });
    const refused = await k.fails('invoices.issue', { id: draft.id }, 'einvoice_not_ready', { locale: 'en' });
    expect(refused.message).toContain('has no IBAN or QR-IBAN');
    expect(refused.params?.problems).toEqual([
      expect.objectContaining({
        code: 'issuer_iban_missing',
        params: { name: FIRM.name, organizationId: firm.organization?.id },
      }),
    ]);
    expect(await k.ok('invoices.get', { id: draft.id })).toMatchObject({ status: 'draft', number: null });
    await k.ok('firm.save', FIRM);
    expect((await k.ok('invoices.issue', { id: draft.id })).number).toMatch(/-000001$/);
  });

  it('without a tax number: a VAT invoice is refused, listing the missing number', async () => {
    const k = space.kontor();
    const firm = await k.ok('firm.save', { ...FIRM, taxId: null });
    expect(firm.gaps).toEqual(['tax_id']);
    const payer = await createPayer(k);
    const draft = await k.ok('invoices.create', { organizationId: payer.id, lines: [line(10_000)] });
    const refused = await k.fails('invoices.issue', { id: draft.id }, 'einvoice_not_ready', { locale: 'de' });
    expect(refused.message).toContain('hat keine USt-IdNr.');
  });

  it('a 97-character customer name is refused at issue (not at PDF time), and issues with a short name', async () => {
    const k = space.kontor();
    await k.ok('firm.save', FIRM);
    const name = `Verein ${'sehr '.repeat(18)}langer Name`.slice(0, 97);
    expect([...name].length).toBe(97);
    const payer = await createPayer(k, { name });
    const draft = await k.ok('invoices.create', { organizationId: payer.id, lines: [line(10_000)] });
    await k.fails('invoices.issue', { id: draft.id }, 'einvoice_not_ready');
    expect((await k.ok('invoices.get', { id: draft.id })).status).toBe('draft');
    await k.ok('organizations.update', { id: payer.id, shortName: 'Verein langer Name' });
    const issued = await k.ok('invoices.issue', { id: draft.id });
    const pdf = await k.bytes('invoices.pdf', { id: issued.id });
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('documents follow the firm', () => {
  it('a Zürich customer gets German, a Lausanne one French, a Lugano one Italian, elsewhere the firm’s language; the footer is printed and kept', async () => {
    const k = space.kontor();
    await k.ok('firm.save', { ...FIRM, documentLocale: 'en' });
    const zurich = await createPayer(k, { city: 'Zürich' });
    // createPayer gives CH payers the Lausanne postcode; the Zürich one is moved to 8001.
    await k.ok('addresses.update', { id: zurich.addressId ?? '', postalCode: '8001' });
    const lausanne = await createPayer(k);
    const us = await createPayer(k, { country: 'US', currency: 'EUR' });
    const ticino = await createPayer(k, { city: 'Lugano' });
    await k.ok('addresses.update', { id: ticino.addressId ?? '', postalCode: '6900' });
    const localeOf = async (organizationId: string) =>
      (await k.ok('invoices.create', { organizationId, lines: [line(10_000)] })).locale;
    expect(await localeOf(zurich.id)).toBe('de');
    expect(await localeOf(lausanne.id)).toBe('fr');
    expect(await localeOf(us.id)).toBe('en');
    expect(await localeOf(ticino.id)).toBe('it');
    // The customer's own choice wins.
    await k.ok('organizations.update', { id: lausanne.id, documentLocale: 'de' });
    expect(await localeOf(lausanne.id)).toBe('de');

    const draft = await k.ok('invoices.create', { organizationId: zurich.id, lines: [line(180_000)] });
    const issued = await k.ok('invoices.issue', { id: draft.id });
    expect(issued.issuer?.footer).toBe(FIRM.invoiceFooter);
    // A later footer leaves the issued document's alone.
    await k.ok('firm.save', { ...FIRM, invoiceFooter: 'Neue Fusszeile' });
    const text = pdfText((await k.bytes('invoices.pdf', { id: issued.id })).bytes);
    expect(text).toContain('Handelsregister Zürich CH-020.4.012.345-6');
    expect(text).not.toContain('Neue Fusszeile');
    expect(text).toContain('Rechnung');

    // Lugano's invoice is written in Italian, its amounts, rate and dates in it-CH as on
    // screen: CHF 1'945.80 (grouped, where CLDR's it-CH leaves four digits bare), 8.1%, dd.mm.yyyy.
    const ticinoDraft = await k.ok('invoices.create', { organizationId: ticino.id, lines: [line(180_000)] });
    const ticinoIssued = await k.ok('invoices.issue', { id: ticinoDraft.id });
    const italian = pdfText((await k.bytes('invoices.pdf', { id: ticinoIssued.id })).bytes);
    for (const words of ['Fattura', 'Totale IVA inclusa', 'Sezione pagamento', 'Scadenza', 'IDI'])
      expect(italian, words).toContain(words);
    expect(italian).toMatch(/CHF\s1'945\.80/);
    expect(italian).toContain('8.1%');
    expect(italian).not.toMatch(/\d,\d/);
    expect(italian).toMatch(/\d{2}\.\d{2}\.\d{4}/);
  });
});

describe('demo data', () => {
  it('fills an empty database once, with an issuer ready to issue, and is refused afterwards', async () => {
    const k = space.kontor();
    const loaded = await k.ok('firm.loadDemo', {});
    expect(loaded.organizations).toBe(13);
    expect(loaded.invoices).toBeGreaterThan(0);
    expect((await k.ok('firm.get', {})).gaps).toEqual([]);
    const before = count(k.raw, 'organizations');
    const refused = await k.fails('firm.loadDemo', {}, 'demo_not_empty', { locale: 'fr' });
    expect(refused.message).toContain('base vide');
    expect(count(k.raw, 'organizations')).toBe(before);
  });
});
