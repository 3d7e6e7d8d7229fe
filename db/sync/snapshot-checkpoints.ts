import { type CheckpointResult, CheckpointWorker } from '../checkpoint-worker';
import type { RawDb } from '../open';

// While a snapshot comes in, the WAL's copy into the database file (a checkpoint) runs as a
// step of its own between two slices, instead of inside whichever slice's commit passes
// SQLite's automatic threshold: that commit then did its slice's work AND copied ~1,000 pages
// (and synced the file), the owning process's longest blocks. What this changes is when the
// copy runs, not what a commit guarantees: every slice still commits to the WAL as before
// (journal_mode WAL, synchronous NORMAL), a crash mid-snapshot recovers from the WAL as always,
// and the automatic checkpoint comes back when the snapshot ends, thrown or not. A bigger page
// cache for the duration is memory only: the indexes a million rows are written into (names
// in random order) are read from it rather than from the OS page by page; not in a bulk load
// (./bulk-load.ts), which defers those indexes: there it would only be memory.
//
// The copy runs on a thread of its own (../checkpoint-worker.ts) where threads run: the owning
// thread only asks for it and goes on applying. Its own checkpoint between two slices stays the
// way when the thread is gone, and the safety valve when the thread falls behind (a loaded
// machine that starves it): the WAL never grows much past what the thread last left.

/** Pages the WAL may grow by between two checkpoints: SQLite's own default threshold. */
const CHECKPOINT_PAGES = 1_000;
/** The WAL's size (pages) past which the owning thread copies the rest itself, so it starts over. */
const MAX_WAL_PAGES = 8_000;
/** Rounds of `every` slices the thread may be behind before the owning thread checkpoints itself. */
const BEHIND_ROUNDS = 8;
/** The page cache while a snapshot comes in (KiB, SQLite's negative form). */
const SNAPSHOT_CACHE_KIB = 32_768;

export class SnapshotCheckpoints {
  private readonly autocheckpoint: number;
  private readonly cacheSize: number;
  /** Slices between two checkpoints, adapted to how many pages a slice writes. */
  private every = 4;
  private slices = 0;
  /** The slices the thread's last checkpoint followed. */
  private asked = 0;
  /** The WAL grew past MAX_WAL_PAGES: the next slice checkpoints here. */
  private catchUp = false;
  private readonly worker: CheckpointWorker | null;
  /** Checkpoints done, by whom: what the tests check the thread against. */
  readonly done = { thread: 0, inline: 0 };

  /**
   * `offLoop`: checkpoints on a thread of their own (a file's connection only; false keeps
   * them between slices on the owning thread, the way the tests compare it with).
   */
  constructor(
    private readonly raw: RawDb,
    bulk = false,
    offLoop = true,
  ) {
    this.autocheckpoint = raw.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.cacheSize = raw.pragma('cache_size', { simple: true }) as number;
    raw.pragma('wal_autocheckpoint = 0');
    if (!bulk && this.cacheSize > -SNAPSHOT_CACHE_KIB) raw.pragma(`cache_size = -${SNAPSHOT_CACHE_KIB}`);
    this.worker =
      offLoop && !raw.memory && raw.name !== ''
        ? new CheckpointWorker(raw.name, (r) => this.fromThread(r))
        : null;
  }

  /** After a slice committed; true when it checkpointed here (the caller yields after that too). */
  afterSlice(): boolean {
    this.slices++;
    if (this.worker?.usable) {
      if (!this.worker.busy && !this.catchUp) {
        if (this.slices < this.every) return false;
        this.worker.request();
        this.asked = this.slices;
        this.slices = 0;
        return false;
      }
      // Still copying after many rounds (a loaded machine starves the thread): a checkpoint
      // here too, so the WAL does not grow without bound (SQLite lets one run at a time: this
      // one copies nothing while the thread's goes on).
      if (!this.catchUp && this.slices < BEHIND_ROUNDS * this.every) return false;
    } else if (this.slices < this.every) return false;
    const [result] = this.raw.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    this.done.inline++;
    this.catchUp = false;
    this.every = nextEvery(this.slices, result);
    this.slices = 0;
    return true;
  }

  /** Whether the thread is copying (the tests wait for it, keeping the valve out of the way). */
  get threadBusy(): boolean {
    return this.worker?.busy ?? false;
  }

  private fromThread(result: CheckpointResult): void {
    this.done.thread++;
    // The WAL starts over only when a write begins with every frame copied; the owning thread
    // writing while the thread copies can keep that from happening for long. Past MAX_WAL_PAGES,
    // the next slice copies the few frames written meanwhile itself, and the WAL starts over.
    if (result.log > MAX_WAL_PAGES) this.catchUp = true;
    this.every = nextEvery(this.asked, result);
  }

  end(): void {
    this.worker?.stop();
    this.raw.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
    this.raw.pragma(`cache_size = ${this.cacheSize}`);
  }
}

/** After as many slices as write about CHECKPOINT_PAGES pages, from the last checkpoint's WAL size. */
function nextEvery(slices: number, result: CheckpointResult | undefined): number {
  // A checkpoint that could not run (another one held the lock) reports -1.
  const pages = result && result.log > 0 ? result.log : CHECKPOINT_PAGES;
  return Math.max(1, Math.min(64, Math.round((Math.max(1, slices) * CHECKPOINT_PAGES) / pages)));
}
