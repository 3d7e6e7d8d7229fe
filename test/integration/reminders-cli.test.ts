// `kontor reminders`, spawned as a user runs it: a dry listing by default (nothing written), the
// level filter, --run records each reminder once (a second --run records nothing), --json for
// scripts, --pdf saves one reminder's PDF, and a bad level is refused in the caller's language.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, inspect, openTestKontor, REPO_ROOT, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-reminders-cli-');
const bin = path.join(REPO_ROOT, 'bin', 'kontor.js');
let db: string;
let numbers: string[] = [];

function kontor(args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '', LANG: 'C' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const reminders = () => inspect(db, (raw) => count(raw, 'reminders'), { readonly: true });

beforeAll(async () => {
  db = path.join(space.dir(), 'reminders.sqlite');
  const k = openTestKontor({ file: db, now: '2026-01-05T08:00:00.000Z' });
  try {
    await setUpProvider(k, { iban: CH_QR_IBAN });
    const a = await createPayer(k, { name: 'Atelier Mahnung AG' });
    const b = await createPayer(k, { name: 'Bureau Rappel SA' });
    numbers = [
      (await issueInvoice(k, a.id, [line(5_000)])).number ?? '',
      (await issueInvoice(k, b.id, [line(7_000)])).number ?? '',
    ];
    // One was reminded already: due for its second level on 2026-03-01, the other for its first.
    await k.ok('reminders.run', { date: '2026-02-14', organizationId: a.id });
  } finally {
    k.close();
  }
});

describe('kontor reminders', () => {
  it('lists what is due on a date without writing anything', () => {
    const r = kontor(['reminders', '--date', '2026-03-01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Due for a reminder on 2026-03-01: 2 invoice(s) (dry run');
    expect(r.stdout).toContain(numbers[0]);
    expect(r.stdout).toContain(numbers[1]);
    expect(r.stdout).toMatch(/Level 2, CHF: 1 reminder\(s\), 54\.05 CHF due \+ 20\.00 CHF fees = 74\.05 CHF/);
    expect(reminders()).toBe(1);
    const level1 = kontor(['reminders', '--date', '2026-03-01', '--level', '1', '--json']);
    const plan = JSON.parse(level1.stdout) as { reminders: { invoiceNumber: string; level: number }[] };
    expect(plan.reminders.map((x) => [x.invoiceNumber, x.level])).toEqual([[numbers[1], 1]]);
  });

  it('records them with --run, once', () => {
    const r = kontor(['reminders', '--date', '2026-03-01', '--run', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { reminders: unknown[] }).reminders).toHaveLength(2);
    expect(reminders()).toBe(3);
    const again = kontor(['reminders', '--date', '2026-03-01', '--run']);
    expect(again.stdout).toContain('Reminded on 2026-03-01: 0 invoice(s)');
    expect(reminders()).toBe(3);
  });

  it('saves a reminder as PDF', () => {
    const id = inspect(
      db,
      (raw) => raw.prepare('SELECT id FROM reminders WHERE level = 2').pluck().get() as string,
      {
        readonly: true,
      },
    );
    const out = path.join(space.dir(), 'r.pdf');
    const r = kontor(['reminders', '--pdf', id, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  });

  // A refusal from the router leaves the command for the CLI's one handler (cli/main.ts), not a
  // catch block of its own: translated in --locale, exit 1, no file left behind.
  it('refuses an unknown reminder in the caller’s language, leaving no file', () => {
    const out = path.join(space.dir(), 'none.pdf');
    const r = kontor(['--locale', 'de', 'reminders', '--pdf', '00000000-0000-4000-8000-000000000000', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kontor: Diese Mahnung gibt es nicht/);
    expect(r.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a level out of range in the caller’s language, writing nothing', () => {
    const r = kontor(['--locale', 'fr', 'reminders', '--level', '9', '--run']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('level');
    expect(r.stderr).toMatch(/1–5/);
    expect(reminders()).toBe(3);
  });
});
