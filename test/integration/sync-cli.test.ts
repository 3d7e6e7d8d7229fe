// `kontor sync` as a script sees it (issue 11): --json with applied, superseded, refused and
// pending counts, exit 1 when anything was refused; `sync status` never answers with the
// bad-arguments code 2 when it has something to say (3: needs attention). Real processes,
// run asynchronously: the hub lives in this test's process and must keep answering.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { useTempSpace } from '../helpers/kontor';

const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'kontor.js');
const space = useTempSpace('kontor-sync-cli-');

function run(db: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, '--db', db, ...args],
      { encoding: 'utf8', env: { ...process.env, KONTOR_DB: '' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite');
});
afterAll(async () => {
  await hub?.cleanup();
});

describe('kontor sync for scripts', () => {
  it('--json counts applied, superseded, refused and pending; a refusal exits 1; status exits 3, not 2', {
    timeout: 120_000,
  }, async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('cli-user');
    const a = space.file('a.sqlite');
    const b = space.file('b.sqlite');
    const call = async (db: string, method: string, input: unknown) => {
      const r = await run(db, ['call', method, JSON.stringify(input)]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    for (const db of [a, b]) {
      const { code } = await admin.enrollCode('cli-user');
      const first = await run(db, ['sync', '--hub', hub.url, '--enroll', code, '--json']);
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ refused: 0, pending: 0 });
    }
    const provider = await call(a, 'organizations.create', {
      kind: 'company',
      name: 'Provider SA',
      country: 'CH',
      currency: 'CHF',
      // A VAT invoice names its issuer's VAT number (firm-setup.test.ts).
      uid: 'CHE-116.281.710',
      iban: 'CH93 0076 2011 6238 5295 7',
    });
    await call(a, 'addresses.create', {
      organizationId: provider.id,
      label: 'Siège',
      recipient: 'Provider SA',
      line1: 'Rue 1',
      postalCode: '1003',
      city: 'Lausanne',
      country: 'CH',
    });
    await call(a, 'settings.setProvider', { organizationId: provider.id });
    const draft = await call(a, 'invoices.create', {
      organizationId: provider.id,
      lines: [{ description: 'Base line', quantityMilli: 1000, unitPriceMinor: 5000 }],
    });
    const pushed = await run(a, ['sync', '--json']);
    expect(pushed.code, pushed.stderr).toBe(0);
    const counts = JSON.parse(pushed.stdout) as Record<string, number>;
    expect(Object.keys(counts)).toEqual(
      expect.arrayContaining(['applied', 'superseded', 'refused', 'pending', 'pushed']),
    );
    expect(counts.pushed).toBeGreaterThan(0);
    const pulled = JSON.parse((await run(b, ['sync', '--json'])).stdout) as Record<string, number>;
    expect(pulled.applied).toBeGreaterThan(0);
    await call(b, 'settings.setProvider', { organizationId: provider.id });

    // Both issue the same draft offline: A syncs first and wins; B's issue is refused.
    await call(a, 'invoices.issue', { id: draft.id });
    await call(b, 'invoices.issue', { id: draft.id });
    expect((await run(a, ['sync', '--json'])).code).toBe(0);
    const lost = await run(b, ['sync', '--json']);
    expect(lost.code).toBe(1);
    expect(JSON.parse(lost.stdout)).toMatchObject({ pending: 0 });
    expect(JSON.parse(lost.stdout).refused).toBeGreaterThan(0);
    // The person whose issue lost sees the void in the series report, with the winning number.
    const series = await run(b, ['invoices', 'series', '--json']);
    expect(series.code, series.stderr).toBe(0);
    const report = JSON.parse(series.stdout) as { voids: { winningNumber: string }[]; missing: number[] }[];
    expect(report.flatMap((r) => r.voids)).toHaveLength(1);
    expect(report.every((r) => r.missing.length === 0)).toBe(true);
    const text = await run(b, ['invoices', 'series']);
    expect(text.stdout).toMatch(/void INV-.* issue_lost_race, the document is INV-/);
    // Lists page: --limit, a next cursor, --cursor, and lines on request.
    await call(a, 'invoices.create', {
      organizationId: provider.id,
      lines: [{ description: 'Second', quantityMilli: 1000, unitPriceMinor: 100 }],
    });
    const first = await run(a, ['invoices', 'list', '--json', '--limit', '1', '--lines']);
    expect(first.code, first.stderr).toBe(0);
    const [row] = JSON.parse(first.stdout) as { id: string; lines: { description: string }[] }[];
    expect(row?.lines.length).toBeGreaterThan(0);
    const next = /next: (\S+)/.exec(first.stderr)?.[1];
    expect(next).toBeTruthy();
    const second = JSON.parse((await run(a, ['invoices', 'list', '--json', '--cursor', next!])).stdout) as {
      id: string;
    }[];
    expect(second.map((r) => r.id)).not.toContain(row?.id);
    expect(second).toHaveLength(1);
    const plain = await run(b, ['sync', 'status']);
    expect(plain.code).toBe(3);
    expect(plain.stdout).toMatch(/refused:\s+[1-9]/);

    // A last error (the hub cannot be reached) is something to look at, not bad arguments.
    const down = await run(a, ['sync', '--hub', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    const status = await run(a, ['sync', 'status', '--json']);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout).lastError).not.toBeNull();
    expect((await run(a, ['sync', 'status', '--bogus'])).code).toBe(2);
  });
});
