// Changes a device cannot apply yet wait in sync_deferred: parked for a newer version or an
// unknown table/column, or a row waiting for the rest of itself (its required fields, the rows
// it points at). Apart from RowStore (./apply-rows.ts) because the bound and the fair retry
// are their own rules; RowStore hands in how a waiting row is tried (materialize).
import type { Statement } from 'better-sqlite3';
import { fail } from '#common/errors';
import type { WireChange } from '#common/sync/protocol';
import type { RawDb } from '../open';
import { SYNC_TABLES, type SyncTable } from './tables';

/**
 * At most this many changes wait on a device (parked for a newer version, or rows waiting for
 * the rest of themselves): a hub that sends more fails the page, loudly, instead of growing the
 * store without bound.
 */
export const MAX_PARKED = 100_000;
/** How long one page may spend retrying waiting rows (the rest continue with the next page). */
export const PENDING_BUDGET_MS = 200;

export class ParkedRows {
  /** Marks a row as waiting for the rest of itself (counted against MAX_PARKED). */
  readonly markPending: { run(row: { table: string; row: string; now: string }): void };
  /** Where the last settlePending stopped: the next one continues there, so every row gets its turn. */
  private pendingCursor = 0;
  /** Rows in sync_deferred, counted once per page then kept as they are added and removed. */
  private parked: number | null = null;
  private readonly countParked: Statement;
  private readonly countPending: Statement;
  private readonly nextPending: Statement;
  private readonly dropPending: Statement;
  private readonly defer: Statement;

  constructor(
    raw: RawDb,
    /** Writes a waiting row if it can go in now (RowStore.materialize). */
    private readonly materialize: (table: SyncTable, rowId: string, now: string) => boolean,
  ) {
    this.defer = raw.prepare(
      `INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const pend = raw.prepare(
      `INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
       SELECT 0, '', @table, @row, '', NULL, 'pending_row', @now
       WHERE NOT EXISTS (SELECT 1 FROM sync_deferred WHERE reason = 'pending_row' AND table_name = @table AND row_id = @row)`,
    );
    this.markPending = { run: (row) => this.parkOne(() => pend.run(row).changes) };
    this.countParked = raw.prepare('SELECT count(*) FROM sync_deferred').pluck();
    this.countPending = raw
      .prepare("SELECT count(*) FROM sync_deferred WHERE reason = 'pending_row'")
      .pluck();
    this.nextPending = raw.prepare(
      "SELECT id, table_name, row_id FROM sync_deferred WHERE reason = 'pending_row' AND id > ? ORDER BY id LIMIT 200",
    );
    this.dropPending = raw.prepare('DELETE FROM sync_deferred WHERE id = ?');
  }

  /**
   * Rows waiting for the rest of themselves, retried at the end of every page — for at most
   * PENDING_BUDGET_MS, continuing the next time where this one stopped, and until every
   * waiting row was tried once since the last one went in. A hub that sent rows which never
   * complete slows no page beyond the budget, and every waiting row still gets its turn.
   */
  settlePending(now: string, budgetMs = PENDING_BUDGET_MS): void {
    const started = performance.now();
    this.parked = null;
    let waiting = this.countPending.get() as number;
    let cursor = this.pendingCursor;
    let triedSinceProgress = 0;
    // The budget is checked after each row: every call tries at least one.
    while (waiting > 0 && triedSinceProgress < waiting) {
      const batch = this.nextPending.all(cursor) as { id: number; table_name: string; row_id: string }[];
      if (batch.length === 0) {
        if (cursor === 0) break;
        cursor = 0;
        continue;
      }
      for (const p of batch) {
        cursor = p.id;
        const table = SYNC_TABLES.get(p.table_name);
        if (!table || this.materialize(table, p.row_id, now)) {
          this.dropPending.run(p.id);
          waiting--;
          triedSinceProgress = 0;
        } else triedSinceProgress++;
        if (triedSinceProgress >= waiting) break;
        if (performance.now() - started >= budgetMs) {
          this.pendingCursor = cursor;
          return;
        }
      }
    }
    this.pendingCursor = cursor;
  }

  /** Parks one change the device cannot apply (an unknown table or column, a newer version…). */
  park(change: WireChange, hubSeq: number, reason: string, now: string): void {
    this.parkOne(
      () =>
        this.defer.run(
          hubSeq,
          change.hlc,
          change.table,
          change.rowId,
          change.column,
          change.value,
          reason,
          now,
        ).changes,
    );
  }

  /** Adds one row to sync_deferred unless that would pass MAX_PARKED: then the page fails, whole. */
  private parkOne(insert: () => number): void {
    this.parked ??= this.countParked.get() as number;
    if (this.parked >= MAX_PARKED) fail('sync_deferred_full', { limit: MAX_PARKED });
    this.parked += insert();
  }
}
