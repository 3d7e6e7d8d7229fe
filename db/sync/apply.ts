import type { Statement } from 'better-sqlite3';
import type { ChangeResult, PulledChange, SnapshotRow, WireChange } from '#common/sync/protocol';
import type { SnapshotLine } from '#common/sync/snapshot-line';
import type { RawDb } from '../open';
import { acknowledgeBatch, type PushStats } from './apply-acknowledge';
import { flushRow } from './apply-flush';
import { purgeUnseen } from './apply-purge';
import { RowStore } from './apply-rows';
import { applySnapshotLines } from './apply-snapshot';
import { deviceOf, type Fields, parseValue } from './apply-values';
import { LogCompactor } from './compact';
import { InvoiceDeriver } from './derived';
import { IssueRules } from './issue-apply';
import { linesToWire, normalise } from './outbox';
import { PageBook } from './page-book';
import { PENDING_BUDGET_MS } from './parked-rows';
import { isDerived, SYNC_TABLES, type SyncTable, WHOLE_ROW } from './tables';

export type { PushStats } from './apply-acknowledge';

// Applies the hub's changes to the local store, one SQLite transaction per page: all of a
// page or none of it, so a process killed mid-apply resumes from the same cursor. Per field,
// last writer wins against the local field clock — max(hlc) in change_log for that field or
// its row's `*` — which also holds this device's own unpushed edits. Applied changes are
// recorded in change_log with their hub_seq: they are not pushed back, and they are the clock.

/** Per row of a page: its merged fields; `fresh` when the store had nothing of it before the page. */
export type Touched = Map<
  string,
  { table: SyncTable; rowId: string; fields: Fields; seqs: number[]; fresh?: boolean }
>;

export interface ApplyStats {
  applied: number;
  superseded: number;
  duplicate: number;
  deferred: number;
}

export const emptyStats = (): ApplyStats => ({ applied: 0, superseded: 0, duplicate: 0, deferred: 0 });

// The stages live apart (db/sync/apply-*.ts): row writes and the waiting rows in RowStore,
// the push answer in apply-acknowledge, the scope purge in apply-purge; here, what decides
// whether a pulled change applies (field LWW, issue rules, money records) and the transaction.
export class Applier {
  private readonly ackOwn: Statement;
  /** What the log holds of a pulled change's row: per page, from memory for rows new to it (./page-book.ts). */
  readonly book: PageBook;
  /** @internal for apply-snapshot.ts */
  readonly rowClock: Statement;
  private readonly record: Statement;
  /** @internal for apply-snapshot.ts */
  readonly seen: Statement;
  private maxRemoteHlc = '';
  /** @internal for apply-snapshot.ts */
  readonly issues: IssueRules;
  private readonly deriver: InvoiceDeriver;
  /** @internal for apply-snapshot.ts */
  readonly rows: RowStore;
  /** Older clock entries of the fields a transaction acknowledged go before it commits (./compact.ts). */
  private readonly compactor: LogCompactor;

  constructor(private readonly raw: RawDb) {
    this.issues = new IssueRules(raw);
    this.deriver = new InvoiceDeriver(raw);
    this.rows = new RowStore(raw);
    this.compactor = new LogCompactor(raw);
    this.ackOwn = raw.prepare('UPDATE change_log SET hub_seq = ? WHERE seq = ?');
    this.rowClock = raw
      .prepare('SELECT max(hlc) FROM change_log WHERE table_name = ? AND row_id = ?')
      .pluck();
    this.book = new PageBook(raw, this.rowClock);
    this.record = raw.prepare(
      'INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.seen = raw.prepare('INSERT OR IGNORE INTO sync_snapshot_seen (table_name, row_id) VALUES (?, ?)');
  }

  /** The newest remote timestamp applied so far: the local clock must continue after it. */
  get newestRemoteHlc(): string {
    return this.maxRemoteHlc;
  }

  /** One page of pulled changes, in hub order, in one transaction. */
  applyPage(changes: readonly PulledChange[], now: string): ApplyStats {
    return this.guarded(() => {
      const stats = emptyStats();
      const touched: Touched = new Map();
      this.issues.notePage(changes);
      this.book.begin(changes);
      try {
        for (const change of changes) this.applyOne(change, change.seq, now, stats, touched);
      } finally {
        this.book.end();
      }
      for (const { table, rowId, fields, seqs, fresh } of touched.values()) {
        this.flush(table, rowId, fields, now, seqs, stats, false, fresh);
      }
      this.rows.settlePending(now);
      return stats;
    });
  }

  /**
   * Lines of a snapshot page (as text) from index `from`, in one transaction that stops after
   * the line that passes `budgetMs` (the owning process never blocks longer than that plus one
   * row) or before the first line that is no row (`notRow`: the page's end, or a line the
   * caller refuses); `commit` runs last inside it with the index after the last applied row
   * and that row, so the device's position moves with the rows it holds.
   */
  applySnapshotSlice(
    lines: readonly SnapshotLine[],
    from: number,
    asOf: number,
    now: string,
    trackSeen: boolean,
    budgetMs: number,
    commit?: (next: number, last: SnapshotRow) => void,
  ): { stats: ApplyStats; next: number; notRow: boolean } {
    return this.guarded(() => {
      const stats = emptyStats();
      const slice = applySnapshotLines(this, lines, from, asOf, now, trackSeen, stats, budgetMs);
      // Waiting rows get no more of the slice's time than its rows did (they continue next slice).
      this.rows.settlePending(now, Math.min(PENDING_BUDGET_MS, budgetMs));
      if (slice.last) commit?.(slice.next, slice.last);
      return { stats, next: slice.next, notRow: slice.notRow };
    });
  }

  /** Records the hub's answer to a pushed batch; a refused change leaves the store as the hub has it. */
  acknowledge(
    batch: readonly WireChange[],
    seqs: readonly number[],
    results: readonly ChangeResult[],
    now: string,
  ): PushStats {
    return this.guarded(() =>
      acknowledgeBatch(this.raw, this.ackOwn, this.rows, batch, seqs, results, now, (c) =>
        this.compactor.note(c.table, c.rowId, c.column),
      ),
    );
  }

  /** Writes back what the log (without the dropped changes) says a row's fields are. */
  restore(tableName: string, rowId: string, columns: ReadonlySet<string>, now: string): void {
    this.rows.restore(tableName, rowId, columns, now);
  }

  /** After a scope change's snapshot: drop what the device may no longer see, except its unpushed changes. */
  purgeUnseen(): number {
    return this.guarded(() => purgeUnseen(this.raw, this.rows));
  }

  /** Changes parked for a newer version: applied again once this version knows them. */
  retryDeferred(now: string): ApplyStats {
    const parked = this.raw
      .prepare(
        "SELECT hub_seq, hlc, table_name, row_id, column_name, value FROM sync_deferred WHERE reason <> 'pending_row' ORDER BY id",
      )
      .all() as {
      hub_seq: number;
      hlc: string;
      table_name: string;
      row_id: string;
      column_name: string;
      value: string | null;
    }[];
    if (parked.length === 0) return emptyStats();
    this.raw.prepare("DELETE FROM sync_deferred WHERE reason <> 'pending_row'").run();
    return this.applyPage(
      parked.map((p) => ({
        seq: Math.abs(p.hub_seq),
        hlc: p.hlc,
        table: p.table_name,
        rowId: p.row_id,
        column: p.column_name,
        value: p.value,
      })),
      now,
    );
  }

  // ---------------------------------------------------------------------------------------

  private guarded<T>(fn: () => T): T {
    const run = this.raw.transaction(() => {
      this.raw.pragma('defer_foreign_keys = ON');
      this.rows.statement('INSERT OR IGNORE INTO sync_guard (id) VALUES (1)').run();
      const out = fn();
      // Before anything below reads the rows or the change log.
      this.rows.inserts.flush();
      this.rows.log.flush();
      for (const id of this.rows.dirtyInvoices) this.deriver.recompute(id);
      this.rows.dirtyInvoices.clear();
      this.compactor.flush();
      // Prepared once (a snapshot runs thousands of these transactions), not per transaction.
      this.rows.statement('DELETE FROM sync_guard').run();
      return out;
    });
    try {
      return this.raw.inTransaction ? run() : run.immediate();
    } finally {
      this.compactor.discard();
      this.rows.inserts.discard();
      this.rows.log.discard();
    }
  }

  /** @internal for apply-snapshot.ts */
  applyOne(change: WireChange, hubSeq: number, now: string, stats: ApplyStats, touched: Touched): void {
    const table = SYNC_TABLES.get(change.table);
    if (!table) {
      this.rows.park(change, hubSeq, 'unknown_table', now);
      stats.deferred++;
      return;
    }
    // Derived values never merge (db/sync/derived.ts): an old peer's are ignored, not parked.
    if (isDerived(table.name, change.column)) {
      stats.duplicate++;
      return;
    }
    if (change.column !== WHOLE_ROW && !this.rows.knownColumn(table, change.column)) {
      this.rows.park(
        change,
        hubSeq,
        change.column.startsWith('$') ? 'unknown_command' : 'unknown_column',
        now,
      );
      stats.deferred++;
      return;
    }
    const same = this.book.same(change);
    if (same) {
      // Our own change coming back (its push answer was lost), or a replayed page.
      if (same.hub_seq === null) {
        this.ackOwn.run(hubSeq, same.seq);
        this.compactor.note(change.table, change.rowId, change.column);
      }
      stats.duplicate++;
      return;
    }
    this.noteRemote(change.hlc);
    if (table.kind === 'append') {
      this.appendRow(table, change, hubSeq, now, stats);
      return;
    }
    // An issue applies whole whatever the clocks; anything else on an issued invoice lost to it.
    const forced = this.issues.forced(change);
    if (!forced && this.issues.frozen(change)) {
      stats.superseded++;
      return;
    }
    const clock = this.book.fieldClock(change.table, change.rowId, change.column);
    if (
      !forced &&
      clock !== null &&
      clock >= change.hlc &&
      !(clock === change.hlc && this.wholeRowLacks(change))
    ) {
      stats.superseded++;
      return;
    }
    // Only a row this store already had can hold an own write the issue overrides.
    const overrides = forced && this.book.rowClock(change.table, change.rowId) !== null;
    const key = `${change.table}\u0000${change.rowId}`;
    let entry = touched.get(key);
    if (!entry) {
      // Read before this change is recorded: whether the row is new to this store.
      entry = {
        table,
        rowId: change.rowId,
        fields: new Map(),
        seqs: [],
        fresh: this.book.rowClock(change.table, change.rowId) === null,
      };
      touched.set(key, entry);
    }
    if (overrides && change.column !== WHOLE_ROW)
      this.issues.override(change, change.column, change.value, now);
    this.record.run(
      change.hlc,
      deviceOf(change.hlc),
      change.table,
      change.rowId,
      change.column,
      change.value,
      hubSeq,
    );
    if (this.book.recorded(change, hubSeq))
      this.compactor.note(change.table, change.rowId, change.column);
    entry.seqs.push(hubSeq);
    if (change.column === WHOLE_ROW) {
      const whole = parseValue(change.value);
      if (whole && typeof whole === 'object') {
        for (const [column, value] of Object.entries(normalise(table, whole as Record<string, unknown>))) {
          if (column === 'id' || !this.rows.knownColumn(table, column) || isDerived(table.name, column))
            continue;
          if (forced) {
            if (overrides) this.issues.override(change, column, JSON.stringify(value ?? null), now);
            entry.fields.set(column, value);
            continue;
          }
          // A newer edit of one field must survive an older whole row.
          const fieldClock = this.book.fieldClock(change.table, change.rowId, column);
          if (fieldClock !== null && fieldClock > change.hlc) continue;
          entry.fields.set(column, value);
        }
      }
    } else {
      entry.fields.set(change.column, parseValue(change.value));
    }
    stats.applied++;
  }

  private appendRow(
    table: SyncTable,
    change: WireChange,
    hubSeq: number,
    now: string,
    stats: ApplyStats,
  ): void {
    const whole = parseValue(change.value);
    if (change.column !== WHOLE_ROW || !whole || typeof whole !== 'object') {
      this.rows.park(change, hubSeq, 'unknown_column', now);
      stats.deferred++;
      return;
    }
    const exists = this.rows.exists(table.name).get(change.rowId);
    this.record.run(
      change.hlc,
      deviceOf(change.hlc),
      change.table,
      change.rowId,
      WHOLE_ROW,
      change.value,
      hubSeq,
    );
    this.book.recorded(change, hubSeq);
    if (exists) {
      this.rows.adoptStamp(table, change.rowId, normalise(table, whole as Record<string, unknown>));
      stats.duplicate++;
      return;
    }
    const fields: Fields = new Map(Object.entries(normalise(table, whole as Record<string, unknown>)));
    fields.delete('id');
    if (this.rows.ready(table, fields, true)) this.rows.insertRow(table, change.rowId, fields, now);
    else this.rows.markPending.run({ table: table.name, row: change.rowId, now });
    stats.applied++;
  }

  /** @internal for apply-snapshot.ts: writes a row's merged fields (./apply-flush.ts). */
  flush(
    table: SyncTable,
    rowId: string,
    fields: Fields,
    now: string,
    seqs: readonly number[],
    stats: ApplyStats,
    isNew = false,
    fresh = false,
  ): void {
    flushRow(this.raw, this.rows, table, rowId, fields, now, seqs, stats, isNew, fresh);
  }

  /**
   * A snapshot's `*` entry at this very HLC without this column: the field was parked (a newer
   * schema's) when the row came in, so the entry is no newer value of it.
   */
  private wholeRowLacks(change: WireChange): boolean {
    const text = this.book.wholeRowAt(change.table, change.rowId, change.hlc);
    const whole = text ? parseValue(text) : null;
    return whole !== null && typeof whole === 'object' && !Object.hasOwn(whole, change.column);
  }

  /** @internal for apply-snapshot.ts */
  noteRemote(hlc: string): void {
    if (hlc > this.maxRemoteHlc) this.maxRemoteHlc = hlc;
  }
}

export function linesOf(raw: RawDb, invoiceId: string): Record<string, unknown>[] {
  return linesToWire(
    raw
      .prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position')
      .all(invoiceId) as Record<string, unknown>[],
  );
}
