// A bulk load skips a snapshot row's clock read when the row provably has no clock entry yet
// (db/sync/fresh-rows.ts). A wrong skip inserts a row the book already holds: the INSERT fails
// and the row is set aside instead of merged, or its clock is written twice. So every way a
// row can already be there when it arrives is played here, and the book must end exactly as
// one that read every row's clock: a row the hub repeats in a slice and in a later one, rows
// out of order, row ids that JavaScript and SQLite order differently, entries written between
// slices by something else, and a new round (a new applier) that is handed rows again.
import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import { Applier } from '#db/sync/apply';
import type { RawDb } from '#db/open';
import { useTempSpace } from '../helpers/kontor';
import { drainOutbox } from '../helpers/sync';

const space = useTempSpace('kontor-bulk-fresh-');

function contents(raw: RawDb): unknown {
  return {
    organizations: raw.prepare('SELECT * FROM organizations ORDER BY id').all(),
    log: raw
      .prepare(
        'SELECT hlc, device_id, table_name, row_id, column_name, value, hub_seq FROM change_log ORDER BY table_name, row_id, column_name, hlc',
      )
      .all(),
    parked: raw.prepare('SELECT table_name, row_id, column_name, reason FROM sync_deferred ORDER BY id').all(),
  };
}

describe('a bulk load that skips the clock read of new rows', () => {
  it('ends as a book that read every row’s clock, however the rows come', async () => {
    const hub = space.kontor();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const org = await hub.ok('organizations.create', {
        kind: 'company',
        name: `Org ${i}`,
        country: 'CH',
        currency: 'CHF',
      });
      ids.push(org.id);
    }
    // Later field writes: a row then has clocks newer than its `*`.
    for (const id of ids.slice(0, 4)) await hub.ok('organizations.update', { id, name: `Renamed ${id}` });
    const byRow = new Map<string, SnapshotRow>();
    for (const c of drainOutbox(hub)) {
      if (c.column === '*' || c.table !== 'organizations') continue;
      const row = byRow.get(c.rowId) ?? { table: c.table, rowId: c.rowId, fields: {} };
      row.fields[c.column] = [c.value, c.hlc];
      byRow.set(c.rowId, row);
    }
    const original = [...byRow.values()].sort((a, b) => (a.rowId < b.rowId ? -1 : 1));
    // Ids renamed so that some are not ASCII and sort one way in UTF-16 (JavaScript), another
    // in UTF-8 (SQLite): '\u{1F600}' < '\uFF21' in one, > in the other.
    const renamed = (row: SnapshotRow, rowId: string): SnapshotRow => ({ ...row, rowId });
    const rows = [
      ...original.slice(0, 5),
      renamed(original[5] as SnapshotRow, 'zz-\u{1F600}'),
      renamed(original[6] as SnapshotRow, 'zz-\uFF21'),
      renamed(original[7] as SnapshotRow, 'zz-\u00e9'),
    ];
    const r = (i: number) => JSON.stringify(rows[i]);
    // What the hub hands, slice by slice: 'other' slices are applied by something else (a
    // second applier, not bulk) between the load's slices — entries the load did not write.
    const plan: { lines: string[]; other?: boolean; newRound?: boolean }[] = [
      { lines: [r(0), r(2), r(2), r(1)] }, // a repeat in one slice, then a row below the top
      { lines: [r(4)], other: true }, // written by something else, ahead of the load
      { lines: [r(3), r(4), r(0)] }, // the load meets it; a row of an earlier slice again
      { lines: [r(6), r(5), r(7), r(5)] }, // ids ordered differently by JS and SQLite, repeated
      { lines: [r(7), r(6)], newRound: true }, // a new round, handed rows it already holds
      { lines: [r(0), r(3), r(4), r(5)] },
    ];

    const play = (bulk: boolean) => {
      const book = space.kontor();
      const now = book.clock.now().toISOString();
      let applier = new Applier(book.raw);
      applier.rows.bulkLoading = bulk;
      for (const step of plan) {
        if (step.newRound) {
          applier = new Applier(book.raw);
          applier.rows.bulkLoading = bulk;
        }
        const by = step.other ? new Applier(book.raw) : applier;
        // Each step is one slice (one transaction): the load's checks start again in each.
        for (let at = 0; at < step.lines.length; )
          at = by.applySnapshotSlice(step.lines, at, 7, now, false, step.other ? 0 : 1_000).next;
      }
      return contents(book.raw);
    };
    const rowByRow = play(false);
    const bulk = play(true);
    expect(bulk).toEqual(rowByRow);
    // Every row is there once, none set aside.
    expect((rowByRow as { organizations: unknown[] }).organizations).toHaveLength(8);
    expect((rowByRow as { parked: unknown[] }).parked).toEqual([]);
  });
});
