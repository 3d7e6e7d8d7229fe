// A bulk load inserts plainly new snapshot rows many at a time (db/sync/insert-batch.ts). A
// batch that goes wrong writes a row the book should not hold, loses one it should, or lets a
// row read the store before the rows ahead of it are in. So the rows come here the ways that
// can happen, in one slice, and the book must end exactly as one that inserted row by row
// (not a bulk load): a row a local constraint refuses in the middle of a batch (two people
// with one e-mail from an inconsistent hub: the rows before and after it go in), rows pointing
// at a parent that comes later in the slice or sits in the batch still waiting, a row met
// again while its first coming waits in the batch, and tables changing mid-batch.
import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import type { RawDb } from '#db/open';
import { Applier, type ApplyStats } from '#db/sync/apply';
import { useTempSpace } from '../helpers/kontor';
import { companyWithDomains } from '../helpers/seed';
import { snapshotRowsOf } from '../helpers/sync';

const space = useTempSpace('kontor-insert-batch-');

function contents(raw: RawDb): unknown {
  const all = (table: string) => raw.prepare(`SELECT * FROM "${table}" ORDER BY id`).all();
  return {
    organizations: all('organizations'),
    people: all('people'),
    products: all('products'),
    log: raw
      .prepare(
        'SELECT hlc, device_id, table_name, row_id, column_name, value, hub_seq FROM change_log ORDER BY table_name, row_id, column_name, hlc',
      )
      .all(),
    parked: raw
      .prepare('SELECT table_name, row_id, column_name, reason FROM sync_deferred ORDER BY id')
      .all(),
  };
}

describe('a bulk load inserting new rows many at a time', () => {
  it('ends as a book that inserted row by row, refused rows and late parents included', async () => {
    const hub = space.kontor();
    const { organizationId: orgId, productIds: products } = await companyWithDomains(hub, 'Late SA', 40);
    const people: string[] = [];
    for (let i = 0; i < 40; i++)
      people.push((await hub.ok('people.create', { name: `P ${i}`, email: `p${i}@example.ch` })).id);
    const rows = snapshotRowsOf(hub);
    const line = (id: string) => JSON.stringify(rows.get(id));
    const sorted = (ids: string[]) => [...ids].sort();
    const ps = sorted(people);
    const pr = sorted(products);
    // An inconsistent hub: person 20 has person 5's e-mail (people_email_uq refuses it here).
    const twin = rows.get(ps[20] as string) as SnapshotRow;
    twin.fields.email = (rows.get(ps[5] as string) as SnapshotRow).fields.email as [string, string];
    // Person 30 met again in the same slice, with a newer name, while its first coming waits.
    const again: SnapshotRow = JSON.parse(line(ps[30] as string));
    const [, hlc] = again.fields.name as [string, string];
    again.fields.name = [
      JSON.stringify('P 30 renamed'),
      hlc.replace(/^\d{15}/, (t) => String(Number(t) + 1).padStart(15, '0')),
    ];
    // Two slices: the first ends before the organization its last products point at comes.
    const slices = [
      [
        ...ps.slice(0, 31).map(line), // 31 people: a refused one in the middle of a batch
        JSON.stringify(again),
        ...ps.slice(31).map(line),
        ...pr.slice(0, 3).map(line), // products whose organization comes in the next slice
      ],
      [
        ...pr.slice(3, 6).map(line), // …and in this one, after them
        line(orgId), // waits in the batch…
        ...pr.slice(6).map(line), // …when the next product looks for it
      ],
    ];
    const play = (bulk: boolean) => {
      const book = space.kontor();
      const applier = new Applier(book.raw);
      applier.rows.bulkLoading = bulk;
      const totals: ApplyStats = { applied: 0, superseded: 0, duplicate: 0, deferred: 0 };
      for (const lines of slices) {
        for (let at = 0; at < lines.length; ) {
          const slice = applier.applySnapshotSlice(
            lines,
            at,
            7,
            book.clock.now().toISOString(),
            false,
            1_000,
          );
          for (const k of Object.keys(totals) as (keyof ApplyStats)[]) totals[k] += slice.stats[k];
          if (slice.notRow) throw new Error(`line ${slice.next} is no row`);
          at = slice.next;
        }
      }
      return { contents: contents(book.raw), totals };
    };
    const rowByRow = play(false);
    const batched = play(true);
    expect(batched).toEqual(rowByRow);
    const held = rowByRow.contents as { people: { id: string; name: string }[]; products: unknown[] };
    // Every row but the refused one is there; the row met again has its newer name.
    expect(held.people.map((p) => p.id)).toEqual(ps.filter((_, i) => i !== 20));
    expect(held.people.find((p) => p.id === ps[30])?.name).toBe('P 30 renamed');
    expect(held.products).toHaveLength(40);
    expect(rowByRow.totals.deferred).toBe(1);
  });
});
