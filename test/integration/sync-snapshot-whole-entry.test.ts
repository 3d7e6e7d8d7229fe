// A snapshot row new to the device goes in with ONE clock entry, `*`, whose value is the row as
// of the snapshot — joined from the wire's own JSON texts, not parsed and written again. Any
// valid JSON text the hub sends (spaces, escapes, exponents) must give a `*` entry that reads
// back as exactly the row's fields, and a row that waits for its parent must come out of that
// entry the same as a row that went in at once.
import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import { Applier } from '#db/sync/apply';
import { useTempSpace } from '../helpers/kontor';
import { drainOutbox } from '../helpers/sync';

const space = useTempSpace('kontor-snapshot-whole-');

/** The same value in another valid JSON spelling. */
function respell(text: string | null): string | null {
  if (text === null) return null;
  const value = JSON.parse(text) as unknown;
  if (typeof value === 'number') return ` ${value === 0 ? '-0e0' : `${value / 10}e1`} `;
  if (typeof value === 'string')
    return `"${[...value].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
  return ` ${text}\n`;
}

const benchSa = (k: ReturnType<typeof space.kontor>) =>
  k.ok('organizations.create', { kind: 'company', name: 'Bench SA', country: 'CH', currency: 'CHF' });

describe('a snapshot row new to the device', () => {
  it("keeps the row's fields in its `*` entry whatever JSON spelling the hub used, waiting or not", async () => {
    const a = space.kontor();
    const org = await benchSa(a);
    const product = await a.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: 'Vacherin "Mont-d’Or" ü',
      publicPriceMinor: 1_500,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    const rows = new Map<string, SnapshotRow>();
    for (const c of drainOutbox(a)) {
      if (c.column === '*') continue;
      const key = `${c.table}:${c.rowId}`;
      const row = rows.get(key) ?? { table: c.table, rowId: c.rowId, fields: {} };
      row.fields[c.column] = [respell(c.value), c.hlc];
      rows.set(key, row);
    }
    const productRow = rows.get(`products:${product.id}`);
    const orgRow = rows.get(`organizations:${org.id}`);
    if (!productRow || !orgRow) throw new Error('the rows are missing');

    for (const order of [
      [orgRow, productRow],
      // The product first: it waits for its organization, then is rebuilt from its `*` entry.
      [productRow, orgRow],
    ]) {
      const b = space.kontor();
      const applier = new Applier(b.raw);
      const now = b.clock.now().toISOString();
      const lines = order.map((r) => JSON.stringify(r));
      for (let at = 0; at < lines.length; ) at = applier.applySnapshotSlice(lines, at, 1, now, false, 0).next;
      for (const row of order) {
        const text = b.raw
          .prepare("SELECT value FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = '*'")
          .pluck()
          .get(row.table, row.rowId) as string;
        const expected = Object.fromEntries(
          Object.entries(row.fields)
            .filter(([column]) => column !== 'search_text')
            .map(([column, [value]]) => [column, value === null ? null : JSON.parse(value)]),
        );
        expect(JSON.parse(text)).toEqual(expect.objectContaining(expected));
      }
      const got = await b.ok('products.get', { id: product.id });
      const want = await a.ok('products.get', { id: product.id });
      for (const key of [
        'name',
        'publicPriceMinor',
        'nextRenewalOn',
        'organizationId',
        'billingFrequency',
        'kind',
      ] as const)
        expect(got[key]).toEqual(want[key]);
    }
  });

  it('counts the clock entries still waiting to be written: a row met again, a slice that failed', async () => {
    const a = space.kontor();
    const org = await benchSa(a);
    const p1 = await a.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: 'one.ch',
      publicPriceMinor: 100,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    const p2 = await a.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: 'two.ch',
      publicPriceMinor: 200,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    await a.ok('products.update', { id: p1.id, name: 'one-renamed.ch' });
    const rows = new Map<string, SnapshotRow>();
    const firstName = new Map<string, [string | null, string]>();
    for (const c of drainOutbox(a)) {
      if (c.column === '*') continue;
      const key = `${c.table}:${c.rowId}`;
      const row = rows.get(key) ?? { table: c.table, rowId: c.rowId, fields: {} };
      if (c.column === 'name' && !firstName.has(key)) firstName.set(key, [c.value, c.hlc]);
      row.fields[c.column] = [c.value, c.hlc];
      rows.set(key, row);
    }
    const line = (key: string) => JSON.stringify(rows.get(key));
    const logOf = (b: ReturnType<typeof space.kontor>, id: string) =>
      b.raw
        .prepare('SELECT column_name, hlc FROM change_log WHERE row_id = ? ORDER BY column_name, hlc')
        .all(id);

    // The hub repeats a row in one slice, first as it was, then renamed: the second merges.
    const b = space.kontor();
    const applier = new Applier(b.raw);
    const now = b.clock.now().toISOString();
    const old = rows.get(`products:${p1.id}`) as SnapshotRow;
    const before = {
      ...old,
      fields: { ...old.fields, name: firstName.get(`products:${p1.id}`) as [string | null, string] },
    };
    const lines = [line(`organizations:${org.id}`), JSON.stringify(before), line(`products:${p1.id}`)];
    applier.applySnapshotSlice(lines, 0, 1, now, false, Number.POSITIVE_INFINITY);
    expect((await b.ok('products.get', { id: p1.id })).name).toBe('one-renamed.ch');

    // A slice that fails leaves nothing behind, not even entries that were still waiting.
    const c = space.kontor();
    const again = new Applier(c.raw);
    const broken = { ...(rows.get(`products:${p2.id}`) as SnapshotRow) };
    broken.fields = { ...broken.fields, name: ['{not json', broken.fields.name?.[1] ?? ''] };
    const good = [line(`organizations:${org.id}`), line(`products:${p1.id}`)];
    expect(() =>
      again.applySnapshotSlice([...good, JSON.stringify(broken)], 0, 1, now, false, Number.POSITIVE_INFINITY),
    ).toThrow();
    expect(c.raw.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(0);
    again.applySnapshotSlice(good, 0, 1, now, false, Number.POSITIVE_INFINITY);
    // The same log as a device that only ever applied the good rows.
    const d = space.kontor();
    new Applier(d.raw).applySnapshotSlice(good, 0, 1, now, false, Number.POSITIVE_INFINITY);
    for (const id of [org.id, p1.id]) expect(logOf(c, id)).toEqual(logOf(d, id));
    expect((await c.ok('products.get', { id: p1.id })).name).toBe('one-renamed.ch');
  });
});
