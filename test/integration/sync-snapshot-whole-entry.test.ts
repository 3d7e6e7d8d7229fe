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

describe('a snapshot row new to the device', () => {
  it("keeps the row's fields in its `*` entry whatever JSON spelling the hub used, waiting or not", async () => {
    const a = space.kontor();
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Bench SA',
      country: 'CH',
      currency: 'CHF',
    });
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
});
