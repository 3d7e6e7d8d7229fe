// Issue 14, defect 5: the import preview said "4 rows read, no error" in green and the dry run
// then reported errors (the preview read the rows, the dry run also applied the write's rules:
// a UID another organization holds, VAT check digits). One rule, one place: once the formats
// are settled, the preview's errors are the dry run's. And one "MWST-Nr" column holding Swiss
// UIDs and EU VAT numbers alike is mapped, each value going where its form says.
import { beforeAll, describe, expect, it } from 'vitest';
import { taxIdFieldOf } from '#core/import/tax-id-column';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-import-preview-');
let k: TestKontor;

const csv = (...lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`).toString('base64');
const HEAD = 'Name,Land,Währung,MWST-Nr';
const MIXED = [
  HEAD,
  'Käserei Müller AG,CH,CHF,CHE-109.322.551 MWST',
  'Muster GmbH,DE,EUR,DE136695976',
  'Dupont SA,FR,EUR,FR40303265045',
  'Doppel AG,CH,CHF,CHE-116.281.710',
];
const count = () => k.raw.prepare('SELECT count(*) FROM organizations').pluck().get() as number;

beforeAll(async () => {
  k = space.kontor();
  await k.ok('organizations.create', {
    kind: 'company',
    name: 'Bestehende Treuhand AG',
    country: 'CH',
    currency: 'CHF',
    uid: 'CHE-116.281.710',
  });
});

describe('the import preview runs the dry run’s checks', () => {
  it('lists the UID another organization holds, exactly as the dry run does, and writes nothing', async () => {
    const before = count();
    const input = { kind: 'organizations' as const, contentBase64: csv(...MIXED), locale: 'de' as const };
    const preview = await k.ok('imports.preview', input);
    expect(preview.mapping.taxId).toBe(3);
    expect(preview.checked).toBe('all');
    expect(preview.errors.map((e) => e.line)).toEqual([5]);
    expect(preview.messages[0]).toContain('Bestehende Treuhand AG');
    const dry = await k.ok('imports.run', { ...input, dryRun: true });
    expect(dry.errors.map((e) => e.message)).toEqual(preview.messages);
    // The import itself refuses, and nothing is written by any of the three.
    const run = await k.ok('imports.run', { ...input, dryRun: false });
    expect(run.refused).toBe(true);
    expect(count()).toBe(before);
  });

  it('says nothing is wrong only when the import would take every row', async () => {
    const input = {
      kind: 'organizations' as const,
      contentBase64: csv(...MIXED),
      locale: 'en' as const,
      acceptDuplicateTaxIds: true,
    };
    const preview = await k.ok('imports.preview', input);
    expect(preview).toMatchObject({ checked: 'all', errors: [], messages: [] });
    const run = await k.ok('imports.run', { ...input, dryRun: false });
    expect(run).toMatchObject({ imported: 4, refused: false });
    const stored = k.raw
      .prepare('SELECT name, uid, vat_number AS vatNumber FROM organizations ORDER BY name')
      .all() as { name: string; uid: string | null; vatNumber: string | null }[];
    expect(stored.find((o) => o.name === 'Käserei Müller AG')).toMatchObject({ uid: 'CHE-109.322.551', vatNumber: null });
    expect(stored.find((o) => o.name === 'Muster GmbH')).toMatchObject({ uid: null, vatNumber: 'DE136695976' });
    expect(stored.find((o) => o.name === 'Dupont SA')).toMatchObject({ uid: null, vatNumber: 'FR40303265045' });
  });

  it('refuses a value of the mixed column that is neither form, in the person’s language', async () => {
    const before = count();
    const input = {
      kind: 'organizations' as const,
      contentBase64: csv(HEAD, 'Nowhere Ltd,GB,EUR,ABC-123'),
      locale: 'fr' as const,
    };
    const preview = await k.ok('imports.preview', input);
    expect(preview.errors.map((e) => e.line)).toEqual([2]);
    expect(preview.messages[0]).toContain('ni un IDE suisse');
    expect((await k.ok('imports.run', { ...input, dryRun: false })).refused).toBe(true);
    expect(count()).toBe(before);
  });

  it('before the formats are chosen, reads the rows only and says so', async () => {
    const preview = await k.ok('imports.preview', {
      kind: 'invoices',
      contentBase64: csv('Number,Organization,Issued on,Currency,Net,VAT,Total', 'F-1,Muster GmbH,03/04/2026,EUR,1,0,1'),
      locale: 'en',
    });
    expect(preview.dateFormat).toBeNull();
    expect(preview.checked).toBe('rows');
  });
});

describe('a tax number is placed by its form', () => {
  it('CHE → UID, an EU prefix → VAT number, a bare number by the country, anything else nowhere', () => {
    expect(taxIdFieldOf('CHE-116.281.710 MWST', 'DE')).toBe('uid');
    expect(taxIdFieldOf('che116281710', 'CH')).toBe('uid');
    expect(taxIdFieldOf('DE 136 695 976', 'CH')).toBe('vatNumber');
    expect(taxIdFieldOf('EL094259216', 'GR')).toBe('vatNumber');
    expect(taxIdFieldOf('136695976', 'DE')).toBe('vatNumber');
    expect(taxIdFieldOf('116281710', 'CH')).toBe('uid');
    expect(taxIdFieldOf('ABC-123', 'GB')).toBeNull();
    expect(taxIdFieldOf('123', 'US')).toBeNull();
  });
});
