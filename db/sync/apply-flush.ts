import type { RawDb } from '../open';
import type { ApplyStats } from './apply';
import type { RowStore } from './apply-rows';
import type { Fields } from './apply-values';
import type { SyncTable } from './tables';

/**
 * Writes a row's merged fields (the Applier's last stage for each row of a page or snapshot
 * slice): update, insert, or wait for the rest of the row. A local constraint that refuses the
 * write (a tag name taken here meanwhile) parks the row's changes instead of failing the page.
 */
export function flushRow(
  raw: RawDb,
  rows: RowStore,
  table: SyncTable,
  rowId: string,
  fields: Fields,
  now: string,
  seqs: readonly number[],
  stats: ApplyStats,
  isNew: boolean,
  /** Nothing of the row was in the store before this page (a pull's new row). */
  fresh = false,
): void {
  // A new row other than an invoice (whose lines are more statements) is one INSERT, which
  // SQLite undoes alone when it fails: no savepoint per row on the bulk path (and no closure
  // made per row of a million).
  // A pull's fresh row likewise, unless settling a default address may write other rows first.
  const single = table.name !== 'invoices' && (isNew || (fresh && table.name !== 'billing_addresses'));
  try {
    if (single) writeRow(rows, table, rowId, fields, now, isNew, fresh);
    else raw.transaction(writeRow)(rows, table, rowId, fields, now, isNew, fresh);
  } catch (error) {
    // A local constraint (a tag name taken here meanwhile): keep the changes aside, shown
    // in the status, instead of failing the whole page or losing them.
    const reason = error instanceof Error ? `constraint: ${error.message}` : 'constraint';
    // What the failed write did is undone: a row seen to exist in it may be gone (./seen-parents.ts).
    rows.parents.forget();
    rows.log.flush();
    const takeBack = raw.prepare(
      'DELETE FROM change_log WHERE table_name = ? AND row_id = ? AND hub_seq = ? RETURNING hlc, column_name, value, hub_seq',
    );
    for (const seq of new Set(seqs)) {
      const taken = takeBack.all(table.name, rowId, seq) as {
        hlc: string;
        column_name: string;
        value: string | null;
        hub_seq: number;
      }[];
      for (const r of taken) {
        rows.park(
          { table: table.name, rowId, column: r.column_name, value: r.value, hlc: r.hlc },
          r.hub_seq,
          reason,
          now,
        );
      }
    }
    stats.deferred++;
  }
}

/** Update, insert, or wait for the rest of the row. */
function writeRow(
  rows: RowStore,
  table: SyncTable,
  rowId: string,
  fields: Fields,
  now: string,
  isNew: boolean,
  fresh: boolean,
): void {
  const exists = !isNew && rows.exists(table.name).get(rowId) !== undefined;
  if (exists) {
    if (rows.ready(table, fields)) rows.writeFields(table, rowId, fields, now);
    else rows.markPending.run({ table: table.name, row: rowId, now });
    return;
  }
  // A new row whole in this page goes in as it came (no fold of the log it was just written to).
  if ((isNew || fresh) && rows.ready(table, fields, true)) {
    rows.insertRow(table, rowId, fields, now);
    return;
  }
  // Not all of the row (or of what it points at) has arrived yet: a page boundary split
  // a creation. It is in the log; a marker makes sure it goes in when the rest comes.
  if (!rows.materialize(table, rowId, now)) rows.markPending.run({ table: table.name, row: rowId, now });
}
