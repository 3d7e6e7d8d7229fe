// Issue 13, step 4: a document whose e-invoice or QR-bill the rules would refuse is refused at
// issue, with the list of what is missing in the person's language, and nothing is issued;
// checkIssue shows the problems and the QR-bill transliterations before issuing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '#core/api/contract';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-einvoice-check-');
let k: TestKontor;
let chIssuer: string;
let frIssuer: string;

type NewOrganization = MethodInput<'organizations.create'>;
async function org(
  input: NewOrganization,
  street = 'Bahnhofstrasse',
  number: string | null = '1',
  line1?: string,
) {
  const created = await k.ok('organizations.create', input);
  await k.ok('addresses.create', {
    organizationId: created.id,
    label: 'Main',
    recipient: created.name,
    ...(line1 ? { line1 } : { street, buildingNumber: number }),
    postalCode: '8001',
    city: 'Zürich',
    country: created.country,
  });
  return created.id;
}

const draft = (issuerOrganizationId: string, organizationId: string) =>
  k.ok('invoices.create', {
    organizationId,
    issuerOrganizationId,
    lines: [{ description: 'Hosting', quantityMilli: 1000, unitPriceMinor: 10_000, discountBp: 0 }],
  });

beforeAll(async () => {
  k = space.kontor();
  chIssuer = await org({
    kind: 'company',
    name: 'Provider AG',
    country: 'CH',
    currency: 'CHF',
    uid: 'CHE-116.281.710',
    iban: 'CH93 0076 2011 6238 5295 7',
  });
  frIssuer = await org({
    kind: 'company',
    name: 'Fournisseur SAS',
    country: 'FR',
    currency: 'EUR',
    iban: 'FR76 3000 6000 0112 3456 7890 189',
  });
});

describe('issuing refuses', () => {
  it('a French company without SIREN from an issuer without VAT number, listing both, in fr and de; nothing is issued', async () => {
    const customer = await org({
      kind: 'company',
      name: 'Client Sans Siren SAS',
      country: 'FR',
      currency: 'EUR',
    });
    const d = await draft(frIssuer, customer);
    const fr = await k.fails('invoices.issue', { id: d.id }, 'einvoice_not_ready', { locale: 'fr' });
    expect(fr.message).toContain('la société française Client Sans Siren SAS n’a pas de SIREN');
    expect(fr.message).toContain('l’émetteur Fournisseur SAS n’a pas de numéro de TVA');
    const de = await k.fails('invoices.issue', { id: d.id }, 'einvoice_not_ready', { locale: 'de' });
    expect(de.message).toContain('hat keine SIREN');
    const still = await k.ok('invoices.get', { id: d.id });
    expect(still).toMatchObject({ status: 'draft', number: null });
    // Fixed, it issues, and the number is the first of its series: the refusals used none.
    await k.ok('organizations.update', { id: customer, siren: '732829320' });
    await k.ok('organizations.update', { id: frIssuer, vatNumber: 'FR40303265045' });
    const issued = await k.ok('invoices.issue', { id: d.id });
    expect(issued.number).toMatch(/-000001$/);
  });

  it('a QR-bill name over 70 characters without a short name, and accepts it with one', async () => {
    const long = 'Genossenschaft für die Förderung des Wohnens und Arbeitens im Kanton Zürich';
    const customer = await org({ kind: 'company', name: long, country: 'CH', currency: 'CHF' });
    const d = await draft(chIssuer, customer);
    const en = await k.fails('invoices.issue', { id: d.id }, 'einvoice_not_ready', { locale: 'en' });
    expect(en.message).toContain(`has ${[...long].length} characters, a QR-bill allows 70`);
    await k.ok('organizations.update', { id: customer, shortName: 'Wohnbaugenossenschaft Zürich' });
    expect((await k.ok('invoices.issue', { id: d.id })).status).toBe('unpaid');
  });

  it('a character the QR-bill cannot carry, and an address whose street was never split', async () => {
    const emoji = await org({ kind: 'company', name: 'Rocket 🚀 GmbH', country: 'CH', currency: 'CHF' });
    const refused = await k.fails(
      'invoices.issue',
      { id: (await draft(chIssuer, emoji)).id },
      'einvoice_not_ready',
    );
    expect(refused.message).toContain('🚀');
    const boxed = await org(
      { kind: 'company', name: 'Postfach AG', country: 'CH', currency: 'CHF' },
      '',
      null,
      'c/o Muster, Postfach 12',
    );
    const unsplit = await k.fails(
      'invoices.issue',
      { id: (await draft(chIssuer, boxed)).id },
      'einvoice_not_ready',
    );
    expect(unsplit.message).toContain('c/o Muster, Postfach 12');
  });
});

describe('checkIssue', () => {
  it('shows the QR-bill transliterations before issuing and writes nothing (é stays)', async () => {
    const customer = await org({
      kind: 'company',
      name: 'Straẞe “Quotes” Café AG',
      country: 'CH',
      currency: 'CHF',
    });
    const d = await draft(chIssuer, customer);
    const check = await k.ok('invoices.checkIssue', { id: d.id });
    expect(check.problems).toEqual([]);
    expect(check.transliterations).toEqual([
      expect.objectContaining({ from: 'Straẞe “Quotes” Café AG', to: 'StraSSe "Quotes" Café AG' }),
    ]);
    expect(await k.ok('invoices.get', { id: d.id })).toMatchObject({ status: 'draft', number: null });
  });
});
