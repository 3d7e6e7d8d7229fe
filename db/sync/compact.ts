import type { Statement } from 'better-sqlite3';
import type { RawDb } from '../open';

// Device compaction: once the hub has acknowledged a field (its entry has a hub_seq), the older
// acknowledged entries of that same field say nothing any more and are dropped. What stays is
// what the log is read for:
// - last writer wins reads max(hlc) per field and per row (the newest entry of each column,
//   `*` included, stays), and a refused change's row is rebuilt from the log in HLC order
//   (db/sync/apply-rows.ts fold): an entry is dropped only for a NEWER ACKNOWLEDGED one of the
//   same column, never for one still in the outbox (which the hub may refuse);
// - `*` entries (a whole row: a snapshot's row, a money record) are never dropped: they hold
//   columns no later entry repeats;
// - issued invoices: the issue rules read an invoice's `status` entries at the HLC and
//   its oldest entry (the creation) — `invoices.status` is kept whole, and the creation's
//   fields (ids, issuer, created_at) are fixed, so nothing newer ever replaces them;
// - an entry acknowledged by the hub (hub_seq > 0) goes only for another such entry or for one
//   of the same kind (local-only, hub_seq 0): db/sync/restamp.ts reads the newest of them.

/**
 * Entries `c` that may go: acknowledged, not kept by rule, with a newer acknowledged entry of
 * the same field still in the log (an entry taken back meanwhile — parked, or dropped by an
 * issue — replaces nothing).
 */
const DROPPABLE = `c.hub_seq IS NOT NULL AND c.column_name <> '*'
  AND NOT (c.table_name = 'invoices' AND c.column_name = 'status')
  AND EXISTS (SELECT 1 FROM change_log n
    WHERE n.table_name = c.table_name AND n.row_id = c.row_id AND n.column_name = c.column_name
      AND n.hlc > c.hlc AND n.hub_seq IS NOT NULL AND (n.hub_seq > 0 OR c.hub_seq = 0))`;

/** Collects the fields a transaction acknowledged and drops their older entries before it commits. */
export class LogCompactor {
  private pending: [string, string, string][] = [];
  private readonly drop: Statement;

  constructor(raw: RawDb) {
    // One statement for the whole transaction: index seeks (change_log_field_idx) in C.
    this.drop = raw.prepare(
      `DELETE FROM change_log WHERE seq IN (
         SELECT c.seq FROM json_each(?) j
         JOIN change_log c ON c.table_name = j.value ->> 0 AND c.row_id = j.value ->> 1
           AND c.column_name = j.value ->> 2
         WHERE ${DROPPABLE})`,
    );
  }

  /** A field whose entry the hub acknowledged (pushed and answered, or pulled). */
  note(table: string, rowId: string, column: string): void {
    if (column === '*') return;
    this.pending.push([table, rowId, column]);
  }

  /** Inside the transaction that acknowledged them. */
  flush(): number {
    if (this.pending.length === 0) return 0;
    const batch = JSON.stringify(this.pending);
    this.pending = [];
    return this.drop.run(batch).changes;
  }

  discard(): void {
    this.pending = [];
  }
}

/**
 * The whole log at once (tests, the benchmark): every acknowledged entry with a newer
 * acknowledged entry of its field.
 */
export function compactLog(raw: RawDb): number {
  return raw
    .prepare(`DELETE FROM change_log WHERE seq IN (SELECT c.seq FROM change_log c WHERE ${DROPPABLE})`)
    .run().changes;
}

// A device that kept its log from before compaction existed (issue 16) has every older entry
// still in it: only the fields acknowledged since were compacted as they went. Its backlog is
// compacted once, in ranges of log positions, each its own short transaction (a log of a
// million entries would otherwise be one long block of the process that owns the database),
// the range reached kept in app_settings (no schema change) so an interrupted pass resumes.
// Entries written after the pass began are compacted as they are acknowledged.
const BACKLOG_KEY = 'sync.log_backlog_compacted';
/** Log positions per transaction: each entry is one index seek for a newer one (a few µs). */
const BACKLOG_RANGE = 4_000;

type Backlog = { through: number; until: number } | 'done';

function readBacklog(raw: RawDb): Backlog | null {
  const text = raw.prepare('SELECT value FROM app_settings WHERE key = ?').pluck().get(BACKLOG_KEY) as
    | string
    | undefined;
  return text ? (JSON.parse(text) as Backlog) : null;
}

function writeBacklog(raw: RawDb, value: Backlog): void {
  raw
    .prepare(
      'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(BACKLOG_KEY, JSON.stringify(value));
}

/**
 * One step of the once-only pass over the old log: compacts the next range of log positions
 * and returns the entries dropped, or null once the pass is complete (then it never runs again).
 */
export function compactBacklogStep(raw: RawDb, range = BACKLOG_RANGE): number | null {
  const drop = raw.prepare(
    `DELETE FROM change_log WHERE seq IN (
       SELECT c.seq FROM change_log c WHERE c.seq > ? AND c.seq <= ? AND ${DROPPABLE})`,
  );
  return raw.transaction(() => {
    let at = readBacklog(raw);
    if (at === 'done') return null;
    // The pass covers the log as it stands when it starts; what comes later compacts as it goes.
    at ??= {
      through: 0,
      until: (raw.prepare('SELECT max(seq) FROM change_log').pluck().get() as number | null) ?? 0,
    };
    if (at.through >= at.until) {
      writeBacklog(raw, 'done');
      return null;
    }
    const through = Math.min(at.until, at.through + range);
    const dropped = drop.run(at.through, through).changes;
    writeBacklog(raw, { through, until: at.until });
    return dropped;
  })();
}
