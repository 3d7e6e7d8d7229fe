// DOMAIN.md, Organization: EU companies may carry an EU VAT number (validated per country);
// Swiss companies carry a UID CHE-123.456.789, never an EU VAT number; individuals carry none.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '#core/api/contract';
import { historyCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-vat-');
let k: TestKontor;
beforeAll(() => {
  k = space.kontor();
});

type NewOrganization = MethodInput<'organizations.create'>;
const company = (country: string, extra: Partial<NewOrganization> = {}): NewOrganization => ({
  kind: 'company',
  name: `Société ${country}`,
  country,
  currency: country === 'CH' ? 'CHF' : 'EUR',
  ...extra,
});

describe('EU companies', () => {
  it('keep a valid VAT number, normalized', async () => {
    const de = await k.ok('organizations.create', company('DE', { vatNumber: 'de 136.695.976' }));
    expect(de.vatNumber).toBe('DE136695976');
    expect(de.uid).toBeNull();
    const fr = await k.ok('organizations.create', company('fr', { vatNumber: 'Fr 40 303 265 045' }));
    expect(fr).toMatchObject({ country: 'FR', vatNumber: 'FR40303265045' });
    const gr = await k.ok('organizations.create', company('GR', { vatNumber: 'el 094-259-216' }));
    expect(gr.vatNumber).toBe('EL094259216');
    expect((await k.ok('organizations.get', { id: de.id })).vatNumber).toBe('DE136695976');
  });

  it('are refused a VAT number with a wrong check digit, with a message in the user’s language', async () => {
    const input = company('DE', { vatNumber: 'DE136695977' });
    const en = await k.fails('organizations.create', input, 'vat_invalid', { locale: 'en' });
    expect(en.params).toMatchObject({ number: 'DE136695977', reason: 'bad_checksum', country: 'DE' });
    expect(en.message).toContain('DE136695977');
    expect(en.message).toMatch(/not valid/);
    expect(en.message).not.toContain('bad_checksum');
    const fr = await k.fails('organizations.create', input, 'vat_invalid', { locale: 'fr-FR' });
    expect(fr.message).toBe(
      'Le numéro de TVA DE136695977 n’est pas valide : sa clé de contrôle est fausse (faute de frappe ?).',
    );
  });

  it('are refused another member state’s VAT number', async () => {
    const error = await k.fails(
      'organizations.create',
      company('FR', { vatNumber: 'DE136695976' }),
      'vat_invalid',
    );
    expect(error.params).toMatchObject({ country: 'FR' });
  });

  it('are refused a Swiss UID', async () => {
    await k.fails(
      'organizations.create',
      company('DE', { uid: 'CHE-116.281.710' }),
      'uid_only_swiss_companies',
    );
  });
});

describe('Swiss companies', () => {
  it('keep a valid UID', async () => {
    const ch = await k.ok('organizations.create', company('CH', { uid: 'CHE116281710' }));
    expect(ch).toMatchObject({ uid: 'CHE-116.281.710', vatNumber: null });
  });

  it('are refused an invalid UID', async () => {
    const error = await k.fails(
      'organizations.create',
      company('CH', { uid: 'CHE-116.281.711' }),
      'uid_invalid',
      {
        locale: 'fr',
      },
    );
    expect(error.message).toContain('CHE-116.281.711');
  });

  it('are refused an EU VAT number', async () => {
    const error = await k.fails(
      'organizations.create',
      company('CH', { vatNumber: 'DE136695976' }),
      'vat_not_for_country',
      {
        locale: 'fr',
      },
    );
    expect(error.message).toContain('CH');
  });
});

describe('individuals and the rest of the world', () => {
  it('refuses a VAT number or a UID on an individual', async () => {
    const person = {
      kind: 'individual' as const,
      name: 'Jean Dupont',
      country: 'FR',
      currency: 'EUR' as const,
    };
    await k.fails('organizations.create', { ...person, vatNumber: 'FR40303265045' }, 'vat_only_companies');
    await k.fails(
      'organizations.create',
      { ...person, country: 'CH', currency: 'CHF', uid: 'CHE-116.281.710' },
      'vat_only_companies',
    );
    // Blank means none.
    expect((await k.ok('organizations.create', { ...person, vatNumber: '   ' })).vatNumber).toBeNull();
  });

  it('refuses an EU VAT number on a company outside the EU', async () => {
    await k.fails('organizations.create', company('US', { vatNumber: 'DE136695976' }), 'vat_not_for_country');
  });
});

describe('changing an organization', () => {
  it('applies the same rules, and a refused change writes nothing', async () => {
    const de = await k.ok('organizations.create', company('DE', { name: 'Wechsel GmbH' }));
    const before = historyCounts(k.raw);
    await k.fails('organizations.update', { id: de.id, vatNumber: 'DE136695977' }, 'vat_invalid');
    await k.fails('organizations.update', { id: de.id, uid: 'CHE-116.281.710' }, 'uid_only_swiss_companies');
    await k.fails(
      'organizations.update',
      { id: de.id, kind: 'individual', vatNumber: 'DE136695976' },
      'vat_only_companies',
    );
    expect(historyCounts(k.raw)).toEqual(before);
    expect((await k.ok('organizations.update', { id: de.id, vatNumber: 'DE 136 695 976' })).vatNumber).toBe(
      'DE136695976',
    );
    // Moving the company to Switzerland without dropping the EU number is refused.
    await k.fails(
      'organizations.update',
      { id: de.id, country: 'CH', currency: 'CHF' },
      'vat_not_for_country',
    );
    const moved = await k.ok('organizations.update', {
      id: de.id,
      country: 'CH',
      currency: 'CHF',
      vatNumber: null,
      uid: 'CHE-116.281.710',
    });
    expect(moved).toMatchObject({ country: 'CH', vatNumber: null, uid: 'CHE-116.281.710' });
  });
});
