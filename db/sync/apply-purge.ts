import type { RawDb } from '../open';
import type { RowStore } from './apply-rows';
// Deletion order for a purge (rows that point at others go first), from the one declaration.
import { PURGE_ORDER, SYNC_TABLES } from './tables';

/**
 * After a scope change's snapshot: drop what the device may no longer see, except its unpushed
 * changes. Runs inside the Applier's guarded transaction.
 */
export function purgeUnseen(raw: RawDb, rows: RowStore): number {
  let purged = 0;
  const keep = `(SELECT row_id FROM sync_snapshot_seen WHERE table_name = @t
    UNION SELECT row_id FROM change_log WHERE table_name = @t AND hub_seq IS NULL)`;
  raw
    .prepare(`DELETE FROM invoice_lines WHERE invoice_id NOT IN ${keep.replaceAll('@t', "'invoices'")}`)
    .run();
  for (const name of PURGE_ORDER) {
    const gone = raw
      .prepare(`SELECT id FROM "${name}" WHERE id NOT IN ${keep}`)
      .pluck()
      .all({ t: name }) as string[];
    if (gone.length === 0) continue;
    const del = raw.prepare(`DELETE FROM "${name}" WHERE id = ?`);
    const delLog = raw.prepare('DELETE FROM change_log WHERE table_name = ? AND row_id = ?');
    for (const id of gone) {
      if (name === 'ledger_entries') rows.unbook(id);
      del.run(id);
      delLog.run(name, id);
      purged++;
    }
  }
  purged += purgeOrphans(raw, rows);
  raw.prepare('DELETE FROM sync_snapshot_seen').run();
  return purged;
}

/**
 * Rows still in scope that point at a purged row (a taken-back product's tombstoned
 * allocation, which the partner may still see) would fail the foreign keys at commit: they
 * go with what they point at, until nothing points into the void.
 */
function purgeOrphans(raw: RawDb, rows: RowStore): number {
  let purged = 0;
  const delLog = raw.prepare('DELETE FROM change_log WHERE table_name = ? AND row_id = ?');
  for (let changed = true; changed; ) {
    changed = false;
    raw.prepare('DELETE FROM invoice_lines WHERE invoice_id NOT IN (SELECT id FROM invoices)').run();
    for (const t of SYNC_TABLES.values()) {
      for (const parent of t.parents) {
        const orphans = raw
          .prepare(
            `SELECT id FROM "${t.name}" WHERE "${parent.column}" IS NOT NULL
               AND "${parent.column}" NOT IN (SELECT id FROM "${parent.table}")`,
          )
          .pluck()
          .all() as string[];
        for (const id of orphans) {
          if (t.name === 'ledger_entries') rows.unbook(id);
          raw.prepare(`DELETE FROM "${t.name}" WHERE id = ?`).run(id);
          delLog.run(t.name, id);
          purged++;
          changed = true;
        }
      }
    }
  }
  return purged;
}
