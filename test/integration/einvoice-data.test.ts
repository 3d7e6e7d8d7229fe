// The data e-invoices need (issue 13, step 1): identifiers checked with their check digits and
// refused in the person's language, structured addresses, the unsplit list, line VAT
// categories, and the same checks on a CSV import.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '#core/api/contract';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-einvoice-data-');
let k: TestKontor;
beforeAll(() => {
  k = space.kontor();
});

type NewOrganization = MethodInput<'organizations.create'>;
const company = (country: string, extra: Partial<NewOrganization> = {}): NewOrganization => ({
  kind: 'company',
  name: `Client ${country} ${Math.random().toString(36).slice(2, 7)}`,
  country,
  currency: country === 'CH' ? 'CHF' : 'EUR',
  ...extra,
});

describe('identifiers', () => {
  it('keeps valid ones normalized; a SIRET brings its SIREN', async () => {
    const fr = await k.ok(
      'organizations.create',
      company('FR', { siret: '732 829 320 00074', bic: 'bnpa fr pp' }),
    );
    expect(fr).toMatchObject({ siren: '732829320', siret: '73282932000074', bic: 'BNPAFRPP' });
    const de = await k.ok('organizations.create', company('DE', { leitwegId: '04011000-1234512345-06' }));
    expect(de.leitwegId).toBe('04011000-1234512345-06');
    const be = await k.ok('organizations.create', company('BE', { peppolId: '0208:0403.170.701' }));
    expect(be.peppolId).toBe('0208:0403170701');
    expect(be.operationCategory).toBe('services');
    const updated = await k.ok('organizations.update', {
      id: be.id,
      einvoiceFormat: 'cii',
      vatOnDebits: true,
    });
    expect(updated).toMatchObject({ einvoiceFormat: 'cii', vatOnDebits: true, peppolId: '0208:0403170701' });
  });

  it('refuses wrong check digits in en, fr and de', async () => {
    const bad = company('FR', { siren: '732829321' });
    const en = await k.fails('organizations.create', bad, 'siren_invalid', { locale: 'en' });
    expect(en.message).toContain('732829321');
    expect(en.message).not.toContain('bad_checksum');
    const fr = await k.fails('organizations.create', bad, 'siren_invalid', { locale: 'fr' });
    expect(fr.message).toBe(
      'Le SIREN 732829321 n’est pas valide : sa clé de contrôle est fausse (faute de frappe ?).',
    );
    const de = await k.fails('organizations.create', bad, 'siren_invalid', { locale: 'de' });
    expect(de.message).toContain('Die SIREN 732829321 ist ungültig');
    await k.fails(
      'organizations.create',
      company('FR', { siren: '552100554', siret: '73282932000074' }),
      'siret_not_of_siren',
    );
    await k.fails('organizations.create', company('CH', { siren: '732829320' }), 'french_ids_only_fr');
    await k.fails(
      'organizations.create',
      company('DE', { leitwegId: '04011000-1234512345-07' }),
      'leitweg_invalid',
    );
    await k.fails(
      'organizations.create',
      company('BE', { peppolId: '0208:0403170702' }),
      'peppol_id_invalid',
    );
    await k.fails('organizations.create', company('BE', { peppolId: '1234:abc' }), 'peppol_id_invalid');
    await k.fails(
      'organizations.create',
      company('CH', { qrIban: 'CH93 0076 2011 6238 5295 7' }),
      'qr_iban_invalid',
    );
    await k.fails('organizations.create', company('CH', { bic: 'NOTABIC' }), 'bic_invalid');
  });
});

describe('structured addresses', () => {
  it('splits a one-line street, composes the printed line, and lists what it cannot split', async () => {
    const org = await k.ok('organizations.create', company('CH'));
    const split = await k.ok('addresses.create', {
      organizationId: org.id,
      label: 'HQ',
      recipient: org.name,
      line1: 'Bahnhofstrasse 12',
      postalCode: '8001',
      city: 'Zürich',
      country: 'CH',
    });
    expect(split).toMatchObject({
      street: 'Bahnhofstrasse',
      buildingNumber: '12',
      line1: 'Bahnhofstrasse 12',
    });
    const fr = await k.ok('addresses.create', {
      organizationId: org.id,
      label: 'Paris',
      recipient: org.name,
      street: 'rue de la Paix',
      buildingNumber: '12',
      postalCode: '75002',
      city: 'Paris',
      country: 'FR',
    });
    expect(fr.line1).toBe('12 rue de la Paix');
    const box = await k.ok('addresses.create', {
      organizationId: org.id,
      label: 'Box',
      recipient: org.name,
      line1: 'c/o Muster AG, Postfach 12',
      postalCode: '3000',
      city: 'Bern',
      country: 'CH',
    });
    expect(box.street).toBeNull();
    const unsplit = await k.ok('addresses.unsplit', { organizationId: org.id });
    expect(unsplit.map((a) => a.id)).toEqual([box.id]);
    const fixed = await k.ok('addresses.update', { id: box.id, street: 'Postfach', buildingNumber: null });
    expect(fixed.street).toBe('Postfach');
    expect(await k.ok('addresses.unsplit', { organizationId: org.id })).toEqual([]);
  });
});

describe('invoice lines', () => {
  it('carry a unit and a VAT category; an exempt line needs its reason', async () => {
    const issuer = await k.ok('organizations.create', company('CH', { uid: 'CHE-116.281.710' }));
    const customer = await k.ok('organizations.create', company('CH'));
    const draft = await k.ok('invoices.create', {
      organizationId: customer.id,
      issuerOrganizationId: issuer.id,
      lines: [
        {
          description: 'Hosting',
          quantityMilli: 12_000,
          unitPriceMinor: 1000,
          discountBp: 0,
          unitCode: 'MON',
        },
        { description: 'Training', quantityMilli: 1000, unitPriceMinor: 5000, discountBp: 0, vatRateBp: 0 },
      ],
    });
    expect(draft.lines.map((l) => [l.unitCode, l.vatCategory])).toEqual([
      ['MON', 'S'],
      ['C62', 'Z'],
    ]);
    const refused = await k.fails(
      'invoices.create',
      {
        organizationId: customer.id,
        issuerOrganizationId: issuer.id,
        lines: [
          {
            description: 'Course',
            quantityMilli: 1000,
            unitPriceMinor: 100,
            discountBp: 0,
            vatRateBp: 0,
            vatCategory: 'E',
          },
        ],
      },
      'vat_category_invalid',
      { locale: 'fr' },
    );
    expect(refused.message).toContain('motif d’exonération');
  });
});

describe('CSV import', () => {
  it('imports the identifiers and refuses a wrong SIREN with a translated line error', async () => {
    const file = path.join(space.dir(), 'orgs.csv');
    fs.writeFileSync(
      file,
      'Nom;Pays;Devise;SIREN;Peppol ID;Format e-facture\n' +
        'Alpha SAS;FR;EUR;732829320;0009:73282932000074;Factur-X\n' +
        'Beta SAS;FR;EUR;732829321;;\n',
    );
    const refused = await k.ok('imports.run', {
      kind: 'organizations',
      contentBase64: fs.readFileSync(file).toString('base64'),
      locale: 'fr',
    });
    expect(refused.refused).toBe(true);
    expect(refused.errors[0]?.message).toMatch(/^Ligne 3 : Le SIREN 732829321/);
    const only = await k.ok('imports.run', {
      kind: 'organizations',
      contentBase64: fs.readFileSync(file).toString('base64'),
      locale: 'fr',
      onlyValid: true,
    });
    expect(only.imported).toBe(1);
    const alpha = (await k.ok('organizations.list', { search: 'Alpha SAS' }))[0];
    expect(alpha).toMatchObject({
      siren: '732829320',
      peppolId: '0009:73282932000074',
      einvoiceFormat: 'factur_x',
    });
  });
});
