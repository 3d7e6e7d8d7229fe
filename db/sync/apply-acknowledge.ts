import type { Statement } from 'better-sqlite3';
import type { ChangeResult, WireChange } from '#common/sync/protocol';
import type { RawDb } from '../open';
import type { RowStore } from './apply-rows';

export interface PushStats {
  acknowledged: number;
  rejected: number;
  /** Acknowledged, but a newer write of the same field already stood on the hub. */
  superseded: number;
}

/**
 * Records the hub's answer to a pushed batch; a refused change leaves the store as the hub has
 * it. Runs inside the Applier's guarded transaction; `ackOwn` sets a log entry's hub_seq.
 */
export function acknowledgeBatch(
  raw: RawDb,
  ackOwn: Statement,
  rows: RowStore,
  batch: readonly WireChange[],
  seqs: readonly number[],
  results: readonly ChangeResult[],
  now: string,
  /** The hub holds this change now: older entries of its field may go (./compact.ts). */
  acked: (change: WireChange) => void,
): PushStats {
  const stats: PushStats = { acknowledged: 0, rejected: 0, superseded: 0 };
  const rejectedRows = new Map<string, { table: string; rowId: string; columns: Set<string> }>();
  const insertRejection = raw.prepare(
    `INSERT INTO sync_rejections (hlc, table_name, row_id, column_name, value, reason, detail, rejected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const dropFromLog = raw.prepare('DELETE FROM change_log WHERE seq = ?');
  results.forEach((result, i) => {
    const seq = seqs[i];
    const change = batch[i];
    if (seq === undefined || !change) return;
    if (result.outcome !== 'rejected') {
      ackOwn.run(result.hubSeq ?? 0, seq);
      acked(change);
      stats.acknowledged++;
      if (result.outcome === 'superseded') stats.superseded++;
      return;
    }
    stats.rejected++;
    // A draft edit that reached the hub after another device's issue lost a race: told
    // as such, with the number that won (the hub's reason stays the general one).
    const lostToIssue =
      result.reason === 'invoice_issued_immutable' &&
      change.table === 'invoices' &&
      typeof result.detail?.winningNumber === 'string';
    insertRejection.run(
      change.hlc,
      change.table,
      change.rowId,
      change.column,
      change.value,
      lostToIssue ? 'invoice_issued_elsewhere' : (result.reason ?? 'rejected'),
      result.detail
        ? JSON.stringify(lostToIssue ? { ...result.detail, column: change.column } : result.detail)
        : null,
      now,
    );
    dropFromLog.run(seq);
    const key = `${change.table}\u0000${change.rowId}`;
    const entry = rejectedRows.get(key) ?? {
      table: change.table,
      rowId: change.rowId,
      columns: new Set(),
    };
    entry.columns.add(change.column);
    rejectedRows.set(key, entry);
  });
  // Newest first: a refused row's refused children (a tag's assignments, a team's products) go
  // before it, else the parent saw them still pointing at it and stayed on the device.
  for (const { table, rowId, columns } of [...rejectedRows.values()].reverse())
    rows.restore(table, rowId, columns, now);
  return stats;
}
