import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'kontor.js');
let dir: string;
let db: string;

function run(file: string, args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, '--db', file, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const kontor = (args: string[], input?: string) => run(db, args, input);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-cli-'));
  db = path.join(dir, 'cli.sqlite');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kontor CLI', () => {
  it('vat check prints one line per number and exits 0 only when all are valid', () => {
    const ok = kontor(['vat', 'check', 'DE136695976', 'CHE-116.281.710']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual(['valid DE136695976', 'valid CHE-116.281.710']);
    const mixed = kontor(['vat', 'check', 'DE136695976', 'DE136695977', 'XX123']);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout.trim().split('\n')).toEqual([
      'valid DE136695976',
      'invalid bad_checksum',
      'invalid unknown_country',
    ]);
  });

  it('vat check - reads one number a line from standard input', () => {
    const res = kontor(['vat', 'check', '-'], 'ATU13585627\n\nBE0403019262\nFR00000000000\n');
    expect(res.code).toBe(1);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('valid ATU13585627');
    expect(lines[2]).toMatch(/^invalid /);
  });

  it('demo fills realistic data and orgs list shows it, as a table and as JSON', () => {
    expect(kontor(['demo', '--orgs', '5', '--seed', '3']).code).toBe(0);
    const orgs = JSON.parse(kontor(['orgs', 'list', '--json']).stdout) as {
      name: string;
      country: string;
      currency: string;
    }[];
    expect(orgs).toHaveLength(5);
    expect(new Set(orgs.map((o) => o.country))).toEqual(new Set(['CH', 'FR', 'DE', 'IT', 'BE']));
    expect(new Set(orgs.map((o) => o.currency))).toEqual(new Set(['CHF', 'EUR']));
    expect(orgs.some((o) => /[À-ž]/.test(o.name))).toBe(true);
    expect(kontor(['orgs', 'list']).stdout.split('\n')[0]).toMatch(/^ID\s+NAME/);
  });

  it('the same seed gives the same demo data', () => {
    const other = path.join(dir, 'again.sqlite');
    expect(run(other, ['demo', '--orgs', '5', '--seed', '3']).code).toBe(0);
    const names = (file: string) =>
      (JSON.parse(run(file, ['orgs', 'list', '--json']).stdout) as { name: string }[]).map((o) => o.name);
    expect(names(other)).toEqual(names(db));
  });

  it('methods lists every API method with its input schema', () => {
    const methods = JSON.parse(kontor(['methods', '--json']).stdout) as {
      name: string;
      input: { type?: string };
    }[];
    expect(methods.map((m) => m.name)).toEqual(
      expect.arrayContaining(['tags.rename', 'organizations.create', 'system.backup']),
    );
    expect(methods.find((m) => m.name === 'tags.rename')?.input.type).toBe('object');
  });

  it('call invokes a method and prints JSON; a failure exits 1 with { code, message }', () => {
    const orgs = JSON.parse(kontor(['orgs', 'list', '--json']).stdout) as { id: string }[];
    const created = kontor([
      'call',
      'tags.create',
      JSON.stringify({ organizationId: orgs[0]?.id, name: 'Priorité' }),
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).name).toBe('Priorité');
    const clash = kontor([
      '--locale',
      'fr',
      'call',
      'tags.create',
      JSON.stringify({ organizationId: orgs[0]?.id, name: 'PRIORITÉ' }),
    ]);
    expect(clash.code).toBe(1);
    const error = JSON.parse(clash.stderr);
    expect(error.code).toBe('tag_name_taken');
    expect(error.message).toContain('étiquette');
  });

  it('call on a stream method writes its file to --out or to stdout with --out -', () => {
    const file = path.join(dir, 'called.csv');
    const input = JSON.stringify({ format: 'csv', profile: 'excel-ch', locale: 'en' });
    const saved = kontor(['call', 'exports.invoicesFile', input, '--out', file]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ saved: true });
    const written = fs.readFileSync(file, 'utf8');
    expect(written.length).toBeGreaterThan(20);
    const piped = kontor(['call', 'exports.invoicesFile', input, '--out', '-']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(written);
    // Without a destination the bytes have nowhere to go: a usage error, not method_kind.
    const bare = kontor(['call', 'exports.invoicesFile', input]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--out');
    const notStream = kontor(['call', 'system.info', '{}', '--out', file]);
    expect(notStream.code).toBe(2);
  });

  it('bad arguments exit 2 with a usage line', () => {
    const cases = [
      ['frobnicate'],
      ['orgs'],
      ['vat'],
      ['call'],
      ['call', 'tags.list', '{not json'],
      ['demo', '--orgs', 'many'],
      ['backup'],
    ];
    for (const args of cases) {
      const res = kontor(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain('usage:');
    }
  });

  it('backup writes an intact copy and restore brings it back with a new device identity', () => {
    const backupFile = path.join(dir, 'copy.sqlite');
    const before = JSON.parse(kontor(['call', 'system.info']).stdout) as { deviceId: string };
    expect(kontor(['backup', '--out', backupFile]).code).toBe(0);
    expect(fs.statSync(backupFile).size).toBeGreaterThan(0);
    const orgs = JSON.parse(kontor(['orgs', 'list', '--json']).stdout) as {
      id: string;
      productCount: number;
    }[];
    // An organization that still holds products cannot be deleted; its products go first.
    const victim = orgs.find((o) => o.productCount > 0) ?? orgs[0];
    const refused = kontor(['call', 'organizations.delete', JSON.stringify({ id: victim?.id })]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).code).toBe('organization_has_products');
    const productsOf = JSON.parse(
      kontor(['call', 'products.list', JSON.stringify({ organizationId: victim?.id, limit: 1000 })]).stdout,
    ) as { rows: { id: string }[] };
    for (const p of productsOf.rows)
      expect(kontor(['call', 'products.delete', JSON.stringify({ id: p.id })]).code).toBe(0);
    expect(kontor(['call', 'organizations.delete', JSON.stringify({ id: victim?.id })]).code).toBe(0);
    expect(JSON.parse(kontor(['orgs', 'list', '--json']).stdout)).toHaveLength(4);
    expect(kontor(['restore', backupFile]).code).toBe(0);
    expect(JSON.parse(kontor(['orgs', 'list', '--json']).stdout)).toHaveLength(5);
    const after = JSON.parse(kontor(['call', 'system.info']).stdout) as { deviceId: string };
    expect(after.deviceId).not.toBe(before.deviceId);
    // Eleven CLI starts: ~1 s each on an idle machine, 10 s and more on a loaded CI box.
  }, 300_000);

  it('--as ORG_ID lists, exports and prints only what that organization may see', () => {
    type Row = { number: string | null; organizationId: string };
    const book = path.join(dir, 'as.sqlite');
    const kontor = (args: string[]) => run(book, args);
    expect(kontor(['demo', '--orgs', '3', '--invoices', '30', '--seed', '5']).code).toBe(0);
    const all = JSON.parse(kontor(['invoices', 'list', '--json', '--limit', '100000']).stdout) as Row[];
    const payer = all[0]?.organizationId as string;
    const mine = all.filter((r) => r.organizationId === payer);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
    const seen = JSON.parse(kontor(['invoices', 'list', '--json', '--limit', '100000', '--as', payer]).stdout) as Row[];
    expect(seen.map((r) => r.number).sort()).toEqual(mine.map((r) => r.number).sort());
    const csv = path.join(dir, 'as.csv');
    expect(kontor(['export', 'invoices', '--format', 'csv', '--out', csv, '--as', payer]).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(mine.length + 1);
    const other = all.find((r) => r.organizationId !== payer && r.number);
    const refused = kontor(['pdf', other?.number as string, '--out', path.join(dir, 'x.pdf'), '--as', payer]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not visible');
    const ghost = kontor(['invoices', 'list', '--as', 'no-such-organization']);
    expect(ghost.code).toBe(1);
    // Seven CLI starts, each loading tsx: slow on a busy machine.
  }, 300_000);
});
