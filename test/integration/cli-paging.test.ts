// Issue 11: every list command pages with --limit and --cursor on the router's keyset cursors.
// Paging through with a small limit must yield every row exactly once, in the list's order,
// equal names included (the id breaks the tie, so a page boundary never splits or repeats them).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempSpace } from '../helpers/kontor';

const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'kontor.js');
const space = useTempSpace('kontor-cli-paging-');

function run(db: string, args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every page of `args` with --limit `limit`, following the `next:` cursor on stderr. */
function pageThrough(db: string, args: string[], limit: number): { ids: string[]; pages: number } {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = run(db, [...args, '--json', '--limit', String(limit), ...(cursor ? ['--cursor', cursor] : [])]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string }[];
    expect(rows.length).toBeLessThanOrEqual(limit);
    ids.push(...rows.map((row) => row.id));
    cursor = /^next: (\S+)$/m.exec(r.stderr)?.[1];
    pages++;
    expect(pages).toBeLessThan(50);
  } while (cursor);
  return { ids, pages };
}

describe('list commands page with --limit and --cursor', () => {
  it('orgs list and invoices list yield every row once, in order', { timeout: 180_000 }, () => {
    const db = space.file('paging.sqlite');
    expect(run(db, ['demo', '--orgs', '4', '--invoices', '9', '--seed', '11']).code).toBe(0);
    // Equal names (and one differing only by case) straddle page boundaries.
    for (const name of ['Zeta Conseil', 'zeta conseil', 'Zeta Conseil']) {
      const r = run(db, [
        'call',
        'organizations.create',
        JSON.stringify({ kind: 'company', name, country: 'CH', currency: 'CHF' }),
      ]);
      expect(r.code, r.stderr).toBe(0);
    }

    const allOrgs = JSON.parse(run(db, ['orgs', 'list', '--json']).stdout) as { id: string }[];
    expect(allOrgs.length).toBeGreaterThanOrEqual(7);
    const orgs = pageThrough(db, ['orgs', 'list'], 2);
    expect(orgs.ids).toEqual(allOrgs.map((o) => o.id));
    expect(new Set(orgs.ids).size).toBe(orgs.ids.length);
    expect(orgs.pages).toBe(Math.ceil(allOrgs.length / 2));
    // The text table pages too, its cursor on stderr, not among the rows.
    const text = run(db, ['orgs', 'list', '--limit', '3']);
    expect(text.stdout.trim().split('\n')).toHaveLength(4);
    expect(text.stderr).toMatch(/^next: \S+$/m);

    const all = run(db, ['invoices', 'list', '--json', '--limit', '10000']);
    expect(all.stderr).not.toMatch(/next:/);
    const allInvoices = JSON.parse(all.stdout) as { id: string }[];
    expect(allInvoices.length).toBeGreaterThan(4);
    const invoices = pageThrough(db, ['invoices', 'list'], 2);
    expect(invoices.ids).toEqual(allInvoices.map((i) => i.id));
    expect(new Set(invoices.ids).size).toBe(invoices.ids.length);

    for (const bad of ['0', '-1', 'x', '1.5']) {
      expect(run(db, ['orgs', 'list', '--limit', bad]).code).toBe(2);
      expect(run(db, ['invoices', 'list', '--limit', bad]).code).toBe(2);
    }
    // A cursor that is not one: a clear refusal, not a crash.
    const forged = run(db, ['orgs', 'list', '--cursor', 'bm90IGEgY3Vyc29y']);
    expect(forged.code).toBe(1);
    expect(forged.stderr).not.toMatch(/at .*\.m?js/);
  });
});
