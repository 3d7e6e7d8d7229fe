// Issue 14 "Search that finds anything": one search over organizations (name with accents
// and case folded, UID, VAT number, city), people (name, e-mail), products, and invoices
// (number, customer name, amount in any of the person's formats, payment reference),
// through the router; and the list search fields that use the same index.
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider, TAX_IDS } from '../helpers/invoices';

const space = useTempSpace('kontor-search-');
let k: TestKontor;
let kaserei: { id: string };
let berlin: { id: string };
let invoice: { id: string; number: string | null; paymentReference: string | null; grossMinor: number };
let draftId: string;
let personId: string;
let productId: string;

const search = (text: string) => k.ok('search.all', { text });
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

beforeAll(async () => {
  k = space.kontor();
  await setUpProvider(k, { name: 'Kontor Fiduciaire Sàrl', iban: CH_QR_IBAN });
  kaserei = await createPayer(k, { name: 'Käserei Müller AG', uid: 'CHE-109.322.551', city: 'Zürich' });
  berlin = await createPayer(k, { name: 'Éditions Berliner GmbH', country: 'DE', vatNumber: TAX_IDS.deVat });
  // 2,340.98 net + 8.1 % VAT = 2,527.77 (rounded half away from zero on the line's VAT).
  const issued = await issueInvoice(k, kaserei.id, [line(233_836)]);
  invoice = issued;
  const draft = await k.ok('invoices.create', { organizationId: berlin.id, lines: [line(1_000)] });
  draftId = draft.id;
  const person = await k.ok('people.create', { name: 'Zoë Weiß-Dupré', email: 'zoe.weiss@kaserei.ch' });
  personId = person.id;
  const product = await k.ok('products.create', {
    organizationId: kaserei.id,
    kind: 'web_hosting',
    name: 'Hébergement Öko Pro',
    publicPriceMinor: 12_000,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
  });
  productId = product.id;
});

describe('one search finds every kind by every field', () => {
  it('finds an organization by its name with the accents left out, in any case, and by a prefix', async () => {
    expect(invoice.grossMinor).toBe(252_777);
    for (const text of ['kase', 'KASEREI', 'käserei müller', 'muller', 'Kaserei AG']) {
      expect(ids((await search(text)).organizations), text).toContain(kaserei.id);
    }
    expect(ids((await search('editions')).organizations)).toEqual([berlin.id]);
    expect((await search('kontor fiduciaire zzz')).organizations).toEqual([]);
  });

  it('finds an organization by its UID, VAT number and city, however they are typed', async () => {
    for (const text of ['CHE-109.322.551', 'che109322551', '109322551', '109.322']) {
      expect(ids((await search(text)).organizations), text).toContain(kaserei.id);
    }
    for (const text of [TAX_IDS.deVat, TAX_IDS.deVat.toLowerCase(), TAX_IDS.deVat.slice(2)]) {
      expect(ids((await search(text)).organizations), text).toEqual([berlin.id]);
    }
    expect(ids((await search('zurich')).organizations)).toEqual([kaserei.id]);
    expect(ids((await search('Berlin')).organizations)).toEqual([berlin.id]);
  });

  it('finds a person by name and e-mail, and a product by name', async () => {
    for (const text of ['zoe', 'weiss', 'dupre', 'zoe.weiss@kaserei.ch', 'zoe.wei']) {
      expect(ids((await search(text)).people), text).toEqual([personId]);
    }
    for (const text of ['hebergement oko', 'oko pro', 'ÖKO']) {
      expect(ids((await search(text)).products), text).toEqual([productId]);
    }
  });

  it('finds an invoice by number, customer name (accents left out), amount in every format, and reference', async () => {
    const number = invoice.number!;
    const reference = invoice.paymentReference!;
    expect(reference).toMatch(/^\d{27}$/);
    const texts = [
      number,
      number.toLowerCase(),
      number.slice(-6),
      'kaserei',
      'Kaserei Muller',
      '2527.77',
      '2,527.77',
      "2'527.77",
      '2’527.77',
      '2 527,77',
      '2.527,77',
      "2'527.7",
      '2527',
      reference,
      'kaserei 2527.77',
    ];
    for (const text of texts) {
      expect(ids((await search(text)).invoices), text).toContain(invoice.id);
    }
    expect(ids((await search('2527.78')).invoices)).toEqual([]);
    expect(ids((await search('kaserei 99.99')).invoices)).toEqual([]);
    // A draft has no bill-to snapshot yet: its customer is its organization, by today's name.
    expect(ids((await search('editions berliner')).invoices)).toEqual([draftId]);
    await k.ok('organizations.update', { id: berlin.id, name: 'Verlag Nord GmbH' });
    expect(ids((await search('verlag nord')).invoices)).toEqual([draftId]);
    expect(ids((await search('editions')).invoices)).toEqual([]);
  });

  it('groups the answer by kind: one query finds the organization, its person, product and invoices', async () => {
    const all = await search('kaser');
    expect(ids(all.organizations)).toEqual([kaserei.id]);
    expect(ids(all.people)).toEqual([personId]);
    expect(ids(all.invoices)).toContain(invoice.id);
    expect(all.invoices[0]).toMatchObject({ customerName: 'Käserei Müller AG', grossMinor: 252_777, currency: 'CHF' });
  });

  it('reads typed FTS5 syntax as plain words, and finds nothing in blank or punctuation-only text', async () => {
    for (const text of ['', '   ', '--', '"', 'NEAR(a b)', 'kase*', 'name:kase', '^kase', 'a OR b', '(((']) {
      const result = await search(text);
      expect(result, text).toBeDefined();
    }
    expect(ids((await search('kase*')).organizations)).toEqual([kaserei.id]);
    expect(ids((await search('words:kase')).organizations)).toEqual([]);
    expect(await search('--')).toEqual({ organizations: [], people: [], products: [], invoices: [] });
  });

  it('drops deleted rows from the index at once', async () => {
    const product = await k.ok('products.create', {
      organizationId: kaserei.id,
      kind: 'web_hosting',
      name: 'Ephemeral Quokka',
      publicPriceMinor: 100,
      billingFrequency: 'monthly',
      nextRenewalOn: '2027-01-01',
    });
    expect(ids((await search('quokka')).products)).toEqual([product.id]);
    await k.ok('products.delete', { id: product.id });
    expect((await search('quokka')).products).toEqual([]);
  });
});

describe('the list search fields use the same index', () => {
  it('filters invoices, organizations, people and products like the one search', async () => {
    const invoices = await k.ok('invoices.list', { search: "2'527.77" });
    expect(ids(invoices.rows)).toEqual([invoice.id]);
    expect(ids((await k.ok('invoices.list', { search: 'kaserei' })).rows)).toEqual([invoice.id]);
    expect(ids(await k.ok('organizations.list', { search: 'kase' }))).toEqual([kaserei.id]);
    expect(ids(await k.ok('organizations.list', { search: '109322551' }))).toEqual([kaserei.id]);
    expect(ids(await k.ok('people.list', { search: 'dupre' }))).toEqual([personId]);
    const products = await k.ok('products.list', { organizationId: kaserei.id, search: 'oko', limit: 10 });
    expect(ids(products.rows)).toEqual([productId]);
  });
});
