// `kontor renew`, spawned as a user runs it: --dry-run shows what falls due and writes nothing,
// the run bills it (JSON and table), a second run bills nothing, and a bad date is refused in
// the caller's language with nothing written.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBook } from '../helpers/billing';
import { camt } from '../helpers/camt';
import { count, inspect, openTestKontor, REPO_ROOT, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-renew-cli-');
const bin = path.join(REPO_ROOT, 'bin', 'kontor.js');
let db: string;

function kontor(args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '', LANG: 'C' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const invoices = () => inspect(db, (raw) => count(raw, 'invoices'), { readonly: true });

beforeAll(async () => {
  db = path.join(space.dir(), 'renew.sqlite');
  const k = openTestKontor({ file: db, now: '2026-03-20T08:00:00.000Z' });
  try {
    await buildBook(k, [
      {
        case: 'plain',
        kind: 'web_hosting',
        publicPriceMinor: 990,
        frequency: 'monthly',
        nextRenewalOn: '2026-04-01',
        autoRenew: true,
      },
      {
        case: 'complete_partner',
        kind: 'web_hosting',
        publicPriceMinor: 34_720,
        frequency: 'annual',
        nextRenewalOn: '2026-04-05',
        autoRenew: true,
      },
    ]);
  } finally {
    k.close();
  }
});

describe('kontor renew', () => {
  it('--dry-run shows the invoices per payer and writes nothing', () => {
    const r = kontor(['renew', '--date', '2026-03-20', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Billing run for 2026-03-20: 2 invoice(s)');
    expect(r.stdout).toMatch(/Client Seul\s+Client Seul\s+1\s+9\.90 CHF\s+10\.70 CHF\s+balance short/);
    // The partner pays its preferential price (20 % discount): 347.20 → 277.76.
    expect(r.stdout).toMatch(/Agence Alpha\s+Client Géré\s+1\s+277\.76 CHF/);
    expect(invoices()).toBe(0);
  });

  it('bills, and a second run bills nothing', () => {
    const r = kontor(['renew', '--date', '2026-03-20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      invoices: { number: string; grossMinor: number }[];
      failed: unknown[];
    };
    expect(report.failed).toEqual([]);
    expect(report.invoices.map((i) => i.grossMinor).sort((a, b) => a - b)).toEqual([1_070, 30_026]);
    expect(report.invoices.every((i) => /^INV-/.test(i.number))).toBe(true);
    const again = kontor(['renew', '--date', '2026-03-20']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Billed 0 invoice(s) for 2026-03-20');
    expect(invoices()).toBe(2);
  });

  it('kontor import statement pays the renewal from the bank credit; a second import records nothing', () => {
    const number = inspect(
      db,
      (raw) =>
        raw
          .prepare("SELECT number FROM invoices WHERE gross_minor = 1070 AND kind = 'invoice'")
          .pluck()
          .get() as string,
      { readonly: true },
    );
    const file = path.join(space.dir(), 'camt054.xml');
    fs.writeFileSync(
      file,
      camt({
        kind: '054',
        version: '08',
        credits: [{ ref: 'CLI-1', amount: '10.70', text: `Facture ${number}` }],
      }),
    );
    const preview = kontor(['import', 'statement', file, '--dry-run']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('preview, nothing written');
    expect(preview.stdout).toMatch(new RegExp(`CLI-1\\s+10\\.70 CHF\\s+2026-03-25\\s+exact\\s+${number}`));
    const done = kontor(['import', 'statement', file]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('paid 1, partly paid 0, to prepaid 0, to reconcile 0, already imported 0');
    const status = inspect(
      db,
      (raw) => raw.prepare('SELECT status FROM invoices WHERE number = ?').pluck().get(number),
      { readonly: true },
    );
    expect(status).toBe('paid');
    expect(kontor(['import', 'statement', file]).stdout).toContain('already imported 1');
    const broken = path.join(space.dir(), 'broken.xml');
    fs.writeFileSync(broken, fs.readFileSync(file, 'utf8').slice(0, 300));
    const refused = kontor(['--locale', 'de', 'import', 'statement', broken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Nichts wurde importiert');
  });

  it('refuses a bad date in the caller’s language and writes nothing', () => {
    const r = kontor(['--locale', 'fr', 'renew', '--date', '2026-13-01']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('date');
    expect(r.stderr).toMatch(/Veuillez|valide/);
    expect(invoices()).toBe(2);
  });
});
