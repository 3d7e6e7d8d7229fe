import type { HubStore } from '../store/types';
import { compactedThrough, headSeq } from './pull';

// Hub compaction: history older than the retention window folds into the snapshot state.
// hub_fields already holds every field's winning value and HLC (what a snapshot serves), so
// folding is dropping the hub_log rows older than the window (and the batch answers kept for
// idempotency, hub_batches). A device whose cursor is below what was dropped gets "take a
// snapshot" from pull (server/sync/pull.ts), which its engine already does transparently.
//
// Order matters for a pull reading the log meanwhile: 'compacted' is raised and committed
// before any row goes, and pull checks it after its scan, so a pull that missed a deleted
// row always sees the raised counter and answers "snapshot" instead of a page with a hole.

/** Default retention window: 90 days (`kontor hub serve --retention-days`). */
export const DEFAULT_RETENTION_DAYS = 90;
export const DAY_MS = 86_400_000;
/** How often a running hub writes a mark and compacts. */
export const COMPACT_EVERY_MS = 3_600_000;
/** Log rows deleted per transaction: the SQLite store is one queue, pushes wait behind it. */
const DELETE_CHUNK = 20_000;

export interface CompactionResult {
  /** Every hub_log row up to this sequence is gone (0: none yet). */
  compactedThrough: number;
  logRowsDropped: number;
  batchesDropped: number;
}

/** 'retention-days' as the CLI and the environment give it: a whole number of days ≥ 0, or null. */
export function parseRetentionDays(text: string): number | null {
  if (!/^\d{1,5}$/.test(text.trim())) return null;
  return Number(text.trim());
}

/**
 * Writes a mark (the head as of `now`), then drops the history older than `retentionMs`: the
 * hub_log rows up to the newest mark at least that old, and the batch answers written before
 * it. Safe to run from several hub processes at once (each step is idempotent).
 */
export async function compactHub(store: HubStore, now: number, retentionMs: number): Promise<CompactionResult> {
  const head = await store.read(headSeq);
  const horizon = await store.write(async (sql) => {
    // The first time a position is seen is the one that counts (ON CONFLICT keeps it).
    await sql.run('INSERT INTO hub_marks (seq, at) VALUES (?, ?) ON CONFLICT (seq) DO NOTHING', [head, now]);
    const mark = await sql.all<{ seq: number | null }>('SELECT max(seq) AS seq FROM hub_marks WHERE at <= ?', [
      now - retentionMs,
    ]);
    const through = Number(mark[0]?.seq ?? 0);
    const done = await compactedThrough(sql);
    if (through > done)
      await sql.run("UPDATE hub_counters SET value = ? WHERE name = 'compacted' AND value < ?", [through, through]);
    // Marks below the horizon say nothing any more (one stays: the horizon's own).
    await sql.run('DELETE FROM hub_marks WHERE seq < ?', [through]);
    return Math.max(through, done);
  });
  let logRowsDropped = 0;
  for (;;) {
    // Chunked by position so each transaction is short on both stores.
    const low = await store.read((sql) =>
      sql.all<{ seq: number | null }>('SELECT min(seq) AS seq FROM hub_log WHERE seq <= ?', [horizon]),
    );
    const from = low[0]?.seq;
    if (from === null || from === undefined) break;
    const to = Math.min(horizon, Number(from) + DELETE_CHUNK - 1);
    logRowsDropped += await store.write((sql) =>
      sql.run('DELETE FROM hub_log WHERE seq >= ? AND seq <= ?', [Number(from), to]),
    );
  }
  const before = new Date(now - retentionMs).toISOString();
  const batchesDropped = await store.write((sql) => sql.run('DELETE FROM hub_batches WHERE created_at < ?', [before]));
  return { compactedThrough: horizon, logRowsDropped, batchesDropped };
}

/** What the hub keeps of its history: the sizes the sync benchmark reports before and after. */
export async function historySize(store: HubStore): Promise<{ logRows: number; batches: number; fields: number }> {
  return store.read(async (sql) => {
    const count = async (table: string) =>
      Number((await sql.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0);
    return { logRows: await count('hub_log'), batches: await count('hub_batches'), fields: await count('hub_fields') };
  });
}
