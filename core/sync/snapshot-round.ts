import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeSnapshotPosition, SCAN_ORDER, type SnapshotRow } from '#common/sync/protocol';
import type { Applier, ApplyStats } from '#db/sync/apply';
import type { RawDb } from '#db/open';
import { beginBulkLoad, bulkLoadPending, finishBulkLoad, recoverBulkLoad } from '#db/sync/bulk-load';
import { SnapshotCheckpoints } from '#db/sync/snapshot-checkpoints';
import { HubFailure, type HubClient } from './hub-client';
import { readSyncState, writeSyncState } from './state';

// Taking a snapshot: pages streamed from the hub, applied as they arrive in transactions that
// stop after SLICE_MS (the process that owns the database — the desktop app's main process —
// stays responsive: a turn of the event loop between two), each moving the device's position
// to after its last row. A page cut anywhere (network, hub killed) keeps what it applied and
// the next request starts after it: nothing applied twice, nothing skipped.

/**
 * CPU time for a snapshot transaction's rows (ms). Its commit comes on top — the rows' search
 * entries set-based, the WAL write of every page they touched (a slice of ~500 products touches
 * ~200: names land all over their index) — about as long again: 12 keeps the owning process's
 * longest block (measured: 31–39 ms at load 13; 94 ms with 20 and 4,096-row drains) under 50.
 */
export const SLICE_MS = 12;
/** Bytes of one page: the hub ends it after the row that passes them. */
const PAGE_BYTES = 16 * 1024 * 1024;
/**
 * Rows parsed from the network before they are applied: slices then run through them back to
 * back, each as long as SLICE_MS allows. Row by row, 1,024 (256 ended every slice early: a
 * commit, with its fixed cost — the pages of the listing and search indexes — per 256 rows).
 * In a bulk load a commit costs little, and what counts is how long a parsed row lives: rows
 * that outlive two young-generation collections are copied into V8's old space and wait there
 * for a full collection. Measured at 200k rows on a loaded machine, for the same CPU: heap
 * peaks of 66–67 MB in two runs with 256 and 162–165 MB in two others (V8 lets its old space
 * grow further when its collections look slow, as they do under load), 177 MB with 1,024;
 * 4,096 was +35 MB at 100k. Parsing runs between two turns of the event loop too (an async
 * iterator yields microtasks only): a turn is given every PARSE_TURN rows.
 */
const BUFFER_ROWS = 1_024;
const BULK_BUFFER_ROWS = 256;
const PARSE_TURN = 256;
/** Cut pages in a row without a single new row applied: then the round fails (and retries later). */
const MAX_CUTS = 5;

export interface SnapshotProgress {
  done: number;
  /** Rows the hub had left when this snapshot (or its resumption) began. */
  total: number | null;
  rowsPerSecond: number;
  /**
   * At the end of a new device's bulk load (#db/sync/bulk-load), while a worker thread builds
   * the listing indexes, the search index and the glance sums: its steps done of total.
   */
  indexes?: { done: number; total: number };
}

export interface SnapshotRoundOptions {
  raw: RawDb;
  client: HubClient;
  applier: Applier;
  now: () => string;
  add: (s: ApplyStats) => void;
  onRows: (n: number) => void;
  onPurged: (n: number) => void;
  progress?: (p: SnapshotProgress) => void;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Rows per page (tests cut pages small); the hub also ends a page at PAGE_BYTES. */
  pageRows?: number;
}

export async function takeSnapshot(o: SnapshotRoundOptions): Promise<void> {
  // A new device's first snapshot, into a book that holds nothing yet, is a bulk load (its
  // listing and search indexes built once at the end, #db/sync/bulk-load); one under way
  // (a snapshot cut, a round that failed) goes on as one.
  const state = readSyncState(o.raw);
  const bulk =
    bulkLoadPending(o.raw) ||
    (state.snapshotNext === null && !state.purgeAfterSnapshot && beginBulkLoad(o.raw));
  const checkpoints = new SnapshotCheckpoints(o.raw, bulk);
  o.applier.rows.bulkLoading = bulk;
  try {
    await snapshotPages(o, checkpoints, bulk);
  } finally {
    o.applier.rows.bulkLoading = false;
    checkpoints.end();
  }
}

/** The end of a bulk load: indexes built in a worker thread, progress in steps. */
async function finishBulk(
  o: SnapshotRoundOptions,
  report: (indexes: SnapshotProgress['indexes']) => void,
): Promise<void> {
  try {
    await finishBulkLoad(o.raw, {
      signal: o.signal,
      progress: (done, total) => report({ done, total }),
    });
  } catch (error) {
    if (o.signal?.aborted) throw new HubFailure('sync_cancelled', 0, 'cancelled');
    // A worker thread that cannot run here (a host that forbids them, a packaging that hides
    // the driver from it): the same transaction on this connection, a long block once rather
    // than a first sync that never ends. An error of the statements themselves throws again.
    o.log?.(`[sync] the bulk load's end ran on the main thread: ${String(error)}`);
    recoverBulkLoad(o.raw);
  }
}

async function snapshotPages(
  o: SnapshotRoundOptions,
  checkpoints: SnapshotCheckpoints,
  bulk: boolean,
): Promise<void> {
  const { raw, client, applier } = o;
  const started = performance.now();
  let done = 0;
  let total: number | null = null;
  let cuts = 0;
  const report = (indexes?: SnapshotProgress['indexes']) =>
    o.progress?.({
      done,
      total,
      rowsPerSecond: Math.round(done / Math.max(0.001, (performance.now() - started) / 1000)),
      ...(indexes ? { indexes } : {}),
    });
  for (let first = true; ; first = false) {
    const state = readSyncState(raw);
    const page = await client.snapshotStream(state.snapshotNext, {
      maxBytes: PAGE_BYTES,
      count: first,
      signal: o.signal,
      ...(o.pageRows ? { limit: o.pageRows } : {}),
    });
    if (first) total = page.head.remaining ?? null;
    const asOf = page.head.asOf;
    const purge = state.purgeAfterSnapshot;
    let buffer: SnapshotRow[] = [];
    let appliedThisPage = 0;
    const drain = async () => {
      let at = 0;
      while (at < buffer.length) {
        const slice = applier.applySnapshotSlice(buffer, at, asOf, o.now(), purge, SLICE_MS, (next) => {
          const last = buffer[next - 1] as SnapshotRow;
          writeSyncState(raw, {
            snapshotNext: encodeSnapshotPosition({
              asOf,
              table: last.table,
              rowId: last.rowId,
              order: SCAN_ORDER,
            }),
            snapshotAsOf: asOf,
          });
        });
        o.add(slice.stats);
        o.onRows(slice.next - at);
        done += slice.next - at;
        appliedThisPage += slice.next - at;
        at = slice.next;
        report(undefined);
        await yieldToLoop();
        // The WAL's copy into the database file, on a turn of its own (./first-sync-pragmas).
        if (checkpoints.afterSlice()) await yieldToLoop();
        if (o.signal?.aborted) throw new HubFailure('sync_cancelled', 0, 'cancelled');
      }
      buffer = [];
    };
    let parsed = 0;
    for await (const rows of page.rows) {
      for (const row of rows) buffer.push(row);
      parsed += rows.length;
      if (buffer.length >= (bulk ? BULK_BUFFER_ROWS : BUFFER_ROWS)) await drain();
      else if (parsed >= PARSE_TURN) await yieldToLoop();
      if (parsed >= PARSE_TURN) parsed = 0;
    }
    await drain();
    const end = page.end();
    if (!end) {
      // Cut: resume after the last row applied.
      cuts = appliedThisPage > 0 ? 1 : cuts + 1;
      if (o.signal?.aborted) throw new HubFailure('sync_cancelled', 0, 'cancelled');
      if (cuts > MAX_CUTS) throw new HubFailure('hub_unreachable', 0, 'the snapshot was cut again and again');
      continue;
    }
    cuts = 0;
    if (end.next !== null) {
      raw.transaction(() => writeSyncState(raw, { snapshotNext: end.next, snapshotAsOf: asOf }))();
      continue;
    }
    // Indexes before the snapshot counts as taken: a failure here leaves the position at the
    // end, and the next round asks for what follows it (nothing) and finishes again.
    if (bulk) await finishBulk(o, report);
    raw.transaction(() => {
      if (purge) o.onPurged(applier.purgeUnseen());
      writeSyncState(raw, {
        needsSnapshot: false,
        purgeAfterSnapshot: false,
        snapshotNext: null,
        snapshotAsOf: null,
        // Changes after the snapshot's moment follow by pull; never move the cursor back.
        cursor: Math.max(asOf, purge ? 0 : state.cursor),
      });
    })();
    return;
  }
}
