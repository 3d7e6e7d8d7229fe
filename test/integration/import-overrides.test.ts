// Issue 15: an import refuses what does not add up, "or accepts it only with an explicit flag
// the message names". Every check is one or the other: the overrulable ones (a VAT rate not of
// the payer's country at that date, a currency not the payer's, a VAT number or UID another
// organization holds) name their --accept-… flag and the app's box of the same name, and the
// flag keeps the row — through the CLI as through the method the app's dialog calls; the
// others (net + VAT ≠ total, a negative invoice, hidden characters, an unknown organization,
// a number already held) name no flag, and no flag lets them in.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorsEn } from '#common/i18n/errors.en';
import { errorsDe } from '#common/i18n/errors.de';
import { errorsFr } from '#common/i18n/errors.fr';
import { USAGE } from '../../cli/usage';
import de from '../../renderer/src/i18n/de.json';
import en from '../../renderer/src/i18n/en.json';
import fr from '../../renderer/src/i18n/fr.json';
import { createPayer, setUpProvider, TAX_IDS } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-overrides-');
const root = path.resolve(__dirname, '..', '..');
const HEAD = 'Number,Kind,Status,Issued on,Organization,Currency,Net,VAT,Total,Paid';
const ALL_FLAGS = ['--accept-vat-rates', '--accept-currencies', '--accept-duplicate-tax-ids'];

let k: TestKontor;
let dir: string;

function cli(args: string[], locale = 'en') {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'bin', 'kontor.js'), '--db', k.file, '--locale', locale, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, KONTOR_DB: '' },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, ...lines: string[]): string {
  const out = path.join(dir, name);
  fs.writeFileSync(out, `${lines.join('\r\n')}\r\n`);
  return out;
}

const invoiceCount = () => k.raw.prepare('SELECT count(*) FROM invoices').pluck().get() as number;

beforeAll(async () => {
  k = space.kontor();
  dir = space.dir();
  await setUpProvider(k, { name: 'Fournisseur Drapeaux SA' });
  await createPayer(k, { name: 'Client Franc SA', city: 'Lausanne' });
});

describe('an overrulable refusal names its flag, and the flag works', () => {
  it('every --accept-… a message names is a flag of the CLI and a box of the app, in en, fr and de', () => {
    const catalogs = [
      [errorsEn, en, 'in the app: “'],
      [errorsFr, fr, 'dans l’application : « '],
      [errorsDe, de, 'in der App: „'],
    ] as const;
    const named = new Set<string>();
    for (const [errors, app, lead] of catalogs) {
      const boxes = Object.values(app.imports.overrides);
      for (const [code, message] of Object.entries(errors)) {
        const flag = /--accept-[a-z-]+/.exec(message)?.[0];
        if (!flag) continue;
        named.add(flag);
        expect(USAGE, code).toContain(flag);
        // The app's name for it, quoted after the flag, is the label of one of the dialog's boxes.
        const start = message.indexOf(lead);
        expect(start, `${code}: ${message}`).toBeGreaterThan(0);
        const label = message
          .slice(start + lead.length)
          .split(/[”»“]/)[0]
          ?.trim();
        expect(boxes, `${code}: ${label}`).toContain(label);
      }
    }
    expect([...named].sort()).toEqual([...ALL_FLAGS].sort());
  });

  it('a currency not the payer’s: refused naming --accept-currencies; kept in its currency with it', async () => {
    const csv = file(
      'eur.csv',
      HEAD,
      'E-1,invoice,unpaid,2026-01-05,Client Franc SA,EUR,100.00,8.10,108.10,0',
    );
    const refused = cli(['import', 'invoices', csv], 'fr');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Ligne 2 (Devise) : La devise EUR n’est pas celle de Client Franc SA (CHF).',
    );
    expect(refused.stderr).toContain('--accept-currencies');
    expect(refused.stderr).toContain('« Garder les autres devises »');
    expect(invoiceCount()).toBe(0);

    const kept = cli(['import', 'invoices', csv, '--accept-currencies']);
    expect([kept.code, kept.stderr]).toEqual([0, '']);
    expect(k.raw.prepare("SELECT currency, gross_minor FROM invoices WHERE number = 'E-1'").get()).toEqual({
      currency: 'EUR',
      gross_minor: 10_810,
    });
  });

  it('a VAT rate not of the country at that date: refused naming --accept-vat-rates; kept with it', async () => {
    const csv = file(
      'rate.csv',
      HEAD,
      'R-1,invoice,unpaid,2026-01-05,Client Franc SA,CHF,100.00,50.00,150.00,0',
    );
    const refused = cli(['import', 'invoices', csv], 'de');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--accept-vat-rates');
    expect(refused.stderr).toContain('„Andere MWST-Sätze behalten“');
    const kept = cli(['import', 'invoices', csv, '--accept-vat-rates']);
    expect([kept.code, kept.stderr]).toEqual([0, '']);
    expect(k.raw.prepare("SELECT vat_minor FROM invoices WHERE number = 'R-1'").pluck().get()).toBe(5_000);
  });

  // The provider holds TAX_IDS.chUid; a branch of it comes in a file.
  it('a VAT number another organization holds: refused naming --accept-duplicate-tax-ids; imported with it', async () => {
    const csv = file(
      'orgs.csv',
      'Name,Country,Currency,UID',
      `Client Franc Succursale,CH,CHF,${TAX_IDS.chUid}`,
    );
    const refused = cli(['import', 'organizations', csv]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Line 2: ${TAX_IDS.chUid} is already the VAT number or UID of Fournisseur Drapeaux SA`,
    );
    expect(refused.stderr).toContain('--accept-duplicate-tax-ids');
    expect(refused.stderr).toContain('“Allow shared VAT numbers and UIDs”');
    const kept = cli(['import', 'organizations', csv, '--accept-duplicate-tax-ids']);
    expect([kept.code, kept.stderr]).toEqual([0, '']);
    const holders = k.raw
      .prepare('SELECT name FROM organizations WHERE uid = ? ORDER BY name')
      .pluck()
      .all(TAX_IDS.chUid);
    expect(holders).toEqual(['Client Franc Succursale', 'Fournisseur Drapeaux SA']);
  });

  it('the method the app’s dialog calls takes the same overrides', async () => {
    const run = (csv: string, extra: Record<string, boolean>) =>
      k.ok('imports.run', {
        kind: 'invoices',
        contentBase64: Buffer.from(`${csv}\r\n`).toString('base64'),
        ...extra,
      });
    const csv = `${HEAD}\r\nE-2,invoice,paid,2026-02-05,Client Franc SA,EUR,10.00,0.81,10.81,10.81`;
    expect((await run(csv, {})).errors.map((e) => e.code)).toEqual(['import_currency_mismatch']);
    expect(await run(csv, { acceptCurrencies: true })).toMatchObject({ imported: 1, refused: false });
  });
});

describe('a refusal that names no flag has none', () => {
  it('net + VAT ≠ total, a negative invoice, hidden characters, an unknown organization, a number held: refused with every flag given', () => {
    const before = invoiceCount();
    const csv = file(
      'hard.csv',
      HEAD,
      'X-1,invoice,unpaid,2026-01-05,Client Franc SA,CHF,100.00,8.10,150.00,0',
      'X-2,invoice,unpaid,2026-01-05,Client Franc SA,CHF,-10.00,-0.81,-10.81,0',
      'X-3,invoice,unpaid,2026-01-05,Client\u200bFranc SA,CHF,100.00,8.10,108.10,0',
      'X-4,invoice,unpaid,2026-01-05,Personne SA,CHF,100.00,8.10,108.10,0',
      'E-1,invoice,unpaid,2026-01-05,Client Franc SA,CHF,100.00,8.10,108.10,0',
    );
    const result = cli(['import', 'invoices', csv, ...ALL_FLAGS]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    // Each with its line and the column at fault.
    expect(
      lines.map((l) => [
        /^Line \d+/.exec(l)?.[0],
        /Total incl\. tax|Organization|Invoice number/.exec(l)?.[0],
      ]),
    ).toEqual([
      ['Line 2', 'Total incl. tax'],
      ['Line 3', 'Total incl. tax'],
      ['Line 4', 'Organization'],
      ['Line 5', 'Organization'],
      ['Line 6', 'Invoice number'],
    ]);
    for (const message of lines) expect(message).not.toContain('--accept');
    expect(invoiceCount()).toBe(before);
  });
});
