// The CLI's friendly commands are typed calls of the contract through the router, so their
// failures are the router's: classified once, in the caller's language, and --locale wins.
// Before, `kontor --locale fr export invoices --out /proc/x.csv` printed the raw code
// export_path_invalid (the command called the service directly), and a store error was
// translated with $LANG whatever --locale said.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FullDisk, mountFullDisk } from '../helpers/full-disk';
import { REPO_ROOT, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-cli-locale-');
const bin = path.join(REPO_ROOT, 'bin', 'kontor.js');
let db: string;
let full: FullDisk | null = null;

function kontor(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '', LANG: 'de_CH.UTF-8', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  db = space.file('cli.sqlite');
  expect(kontor(['demo', '--orgs', '3', '--seed', '2']).code).toBe(0);
  full = mountFullDisk(space.dir());
});
afterAll(() => full?.release());

describe('kontor --locale', () => {
  it('prints the French sentence for a path it cannot write (not the code), over $LANG', () => {
    const res = kontor(['--locale', 'fr', 'export', 'invoices', '--format', 'csv', '--out', '/proc/x.csv']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Kontor ne peut pas écrire dans /proc/x.csv');
    expect(res.stderr).not.toContain('export_path_invalid');
  });

  it('without --locale, speaks $LANG', () => {
    const res = kontor(['pdf', 'INV-NOPE-2026-000001', '--out', path.join(space.dir(), 'x.pdf')]);
    expect(res.code).toBe(1);
    expect(res.stderr).not.toMatch(/invoice_not_found|not_found/);
    expect(res.stderr).toMatch(/Rechnung|existiert/);
  });

  it('a full disk under --out is a sentence, leaves nothing, and the next command works', () => {
    if (!full) return; // mounting a tmpfs needs root; stream-faults.test.ts covers the closed descriptor
    const res = kontor(['--locale', 'fr', 'backup', '--out', path.join(full.dir, 'backup.sqlite')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Le disque est plein/);
    expect(fs.readdirSync(full.dir)).toEqual(['filler']);
    const next = kontor(['orgs', 'list', '--json']);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toHaveLength(3);
  });

  it('--locale-doc writes the export in Italian too, and refuses a language documents do not speak', () => {
    // It mapped any value but fr/de to English without a word, Italian included.
    const out = path.join(space.dir(), 'it.csv');
    const italian = kontor(['export', 'invoices', '--format', 'csv', '--locale-doc', 'it', '--out', out]);
    expect(italian.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toContain('Numero');
    const bad = kontor([
      '--locale',
      'fr',
      'export',
      'invoices',
      '--format',
      'csv',
      '--locale-doc',
      'xx',
      '--out',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('locale-doc');
    expect(bad.stderr).toContain('en, fr, de, it');
    const reminder = kontor([
      'reminders',
      '--pdf',
      'nope',
      '--out',
      path.join(space.dir(), 'r.pdf'),
      '--locale-doc',
      'es',
    ]);
    expect(reminder.code).toBe(2);
  });
});
