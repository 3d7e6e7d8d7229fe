// `kontor import einvoice FILE…` and `kontor export received`, as a person types them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorsDir } from '../helpers/en16931';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'kontor.js');
let dir: string;
let db: string;

function kontor(args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-received-cli-'));
  db = path.join(dir, 'cli.sqlite');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kontor import einvoice', () => {
  it('imports files, says which were there already, refuses a broken one with its rule, and exports', () => {
    const created = kontor([
      'call',
      'organizations.create',
      JSON.stringify({ kind: 'company', name: 'ODIN 59', country: 'CH', currency: 'EUR' }),
    ]);
    expect(created.code).toBe(0);
    const orgId = (JSON.parse(created.stdout) as { id: string }).id;
    const examples = path.join(validatorsDir(), 'examples');
    const cii = path.join(examples, 'CII_example1.xml');
    const ubl = path.join(examples, 'UBL_example1.xml');
    const first = kontor(['--locale', 'de', 'import', 'einvoice', cii, ubl, '--org', orgId]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('CII_example1.xml: 12115118');
    expect(first.stderr).toContain('bereits am');

    const tampered = path.join(dir, 'tampered.xml');
    fs.writeFileSync(tampered, fs.readFileSync(ubl, 'utf8').replace('>250.33<', '>250.34<'));
    const refused = kontor(['import', 'einvoice', tampered, '--org', orgId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('BR-CO-15');

    const out = path.join(dir, 'received.csv');
    const exported = kontor(['export', 'received', '--format', 'csv', '--profile', 'excel-ch', '--out', out]);
    expect(exported.code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv).toContain('De Koksmaat');
    expect(csv.split('\n').filter((l) => l.includes('12115118'))).toHaveLength(1);

    expect(kontor(['import', 'einvoice']).code).not.toBe(0);
  }, 120_000);
});
