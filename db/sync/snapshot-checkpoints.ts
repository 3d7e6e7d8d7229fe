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

/** Pages the WAL may grow by between two checkpoints: SQLite's own default threshold. */
const CHECKPOINT_PAGES = 1_000;
/** The page cache while a snapshot comes in (KiB, SQLite's negative form). */
const SNAPSHOT_CACHE_KIB = 32_768;

export class SnapshotCheckpoints {
  private readonly autocheckpoint: number;
  private readonly cacheSize: number;
  /** Slices between two checkpoints, adapted to how many pages a slice writes. */
  private every = 4;
  private slices = 0;

  constructor(
    private readonly raw: RawDb,
    bulk = false,
  ) {
    this.autocheckpoint = raw.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.cacheSize = raw.pragma('cache_size', { simple: true }) as number;
    raw.pragma('wal_autocheckpoint = 0');
    if (!bulk && this.cacheSize > -SNAPSHOT_CACHE_KIB) raw.pragma(`cache_size = -${SNAPSHOT_CACHE_KIB}`);
  }

  /** After a slice committed; true when it checkpointed (the caller yields after that too). */
  afterSlice(): boolean {
    if (++this.slices < this.every) return false;
    const [result] = this.raw.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    const pages = Math.max(1, result?.log ?? CHECKPOINT_PAGES);
    // Next time after as many slices as write about CHECKPOINT_PAGES pages.
    this.every = Math.max(1, Math.min(64, Math.round((this.slices * CHECKPOINT_PAGES) / pages)));
    this.slices = 0;
    return true;
  }

  end(): void {
    this.raw.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
    this.raw.pragma(`cache_size = ${this.cacheSize}`);
  }
}
