import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectCount, expectText, type Session, startSession } from './harness';

// Issue 14, defect 5, as a person sees it: the preview said "4 rows read, no error" in green
// and the dry run then refused the file. The preview now lists what the dry run finds (a UID
// another organization holds) and the one "MWST-Nr" column is mapped by itself.
describe('the import page shows the dry run’s errors in its preview', () => {
  let s: Session;
  let file: string;

  beforeAll(async () => {
    fs.rmSync(path.join(ARTIFACTS, 'import-preview'), { recursive: true, force: true });
    s = await startSession('import-preview', {
      locale: 'de-CH',
      viewport: { width: 1024, height: 700 },
      seed: async (kontor) => {
        const r = await kontor.router.invoke('organizations.create', {
          kind: 'company',
          name: 'Bestehende Treuhand AG',
          country: 'CH',
          currency: 'CHF',
          uid: 'CHE-116.281.710',
        });
        if (!r.ok) throw new Error(r.error.message);
      },
    });
    file = path.join(s.dir, 'kunden.csv');
    fs.writeFileSync(
      file,
      [
        'Name,Land,Währung,MWST-Nr',
        'Käserei Müller AG,CH,CHF,CHE-109.322.551 MWST',
        'Muster GmbH,DE,EUR,DE136695976',
        'Dupont SA,FR,EUR,FR40303265045',
        'Doppel AG,CH,CHF,CHE-116.281.710',
        '',
      ].join('\r\n'),
    );
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists line 5’s UID held by another organization before any run, never “no error”', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/import`);
    await page.getByTestId('import-kind').selectOption('organizations');
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-errors').waitFor();
    await expectCount(page.getByTestId('import-error'), 1);
    await expectText(page.getByTestId('import-error'), 'Bestehende Treuhand AG');
    expect(await page.getByTestId('import-error').getAttribute('data-line')).toBe('5');
    await expectCount(page.getByTestId('import-no-errors'), 0);
    expect(await page.getByTestId('import-map-taxId').inputValue()).toBe('3');
    await s.shot('preview-errors');
    // Nothing was written by the preview.
    const orgs = await s.kontor.router.invoke('organizations.list', {});
    expect(JSON.stringify(orgs)).not.toContain('Käserei');
  });
});
