import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeSnapshotPosition, SCAN_ORDER, type SnapshotEnd } from '#common/sync/protocol';
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
 * Lines read from the network before they are applied: slices then run through them back to
 * back, each as long as SLICE_MS allows. A line stays bytes — a view of its network chunk,
 * outside V8's heap (#common/sync/snapshot-line) — until the slice that applies it decodes and
 * parses it (db/sync/apply-snapshot.ts), so what a waiting line costs the heap is a small view,
 * and a parsed row lives only while it is written. Measured in a device's own process (the
 * bench's), 1M rows on a loaded machine: rows parsed on arrival and buffered by 256 peaked at
 * 62 MB of heap and 190 MB RSS; lines buffered as text cut from the chunk's decoded string at
 * 132 MB and 260 MB (a line kept its chunk's whole string alive long enough to be copied into
 * V8's old space); lines as bytes at 41 MB and 173 MB. Buffered by 1,024, a commit (its fixed
 * cost) per slice rather than per 256 rows.
 */
const BUFFER_LINES = 1_024;
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
    let buffer: Uint8Array[] = [];
    let appliedThisPage = 0;
    // The page's last line is its end: what drain returns when it met it (a page whose lines
    // stop before it was cut).
    const drain = async (): Promise<SnapshotEnd | null> => {
      let at = 0;
      let end: SnapshotEnd | null = null;
      while (at < buffer.length) {
        const slice = applier.applySnapshotSlice(buffer, at, asOf, o.now(), purge, SLICE_MS, (_, last) => {
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
        // A line that is no row ends the page (anything after it is ignored), or is refused:
        // the rows before it stand.
        if (slice.notRow) end = client.readSnapshotEnd(buffer[at] as Uint8Array);
        report(undefined);
        await yieldToLoop();
        // The WAL's copy into the database file, on a turn of its own (./first-sync-pragmas).
        if (checkpoints.afterSlice()) await yieldToLoop();
        if (o.signal?.aborted) throw new HubFailure('sync_cancelled', 0, 'cancelled');
        if (end) break;
      }
      buffer = [];
      return end;
    };
    let end: SnapshotEnd | null = null;
    for await (const lines of page.lines) {
      for (const line of lines) buffer.push(line);
      if (buffer.length >= BUFFER_LINES) end = await drain();
      if (end) break;
    }
    end ??= await drain();
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
