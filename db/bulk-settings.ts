import type { RawDb } from './open';

// The connection's settings while one long write runs in many short transactions (a billing
// run), put back afterwards — thrown or not — so that other work keeps SQLite's defaults.
//
// Journals in memory (temp_store): a savepoint, and a statement that may abort halfway (one
// whose triggers can RAISE), keep the original of every page they change in a journal, to roll
// back to. SQLite holds it in memory up to 64 KiB, then spills it to a temporary FILE (this
// build's TEMP_STORE=1). A billing run takes a savepoint per invoice, and one invoice changes
// more than 16 pages (the invoice's 13 indexes, the activity's 3, the products moved on): at
// 100k products that was 630,000 pwrite calls to temporary files, about 15 % of the run's CPU.
// In memory they are a few hundred KiB at a time, freed at each release. Outside the run a
// large sort or a VACUUM still spills to disk instead of growing the process.
//
// A larger page cache and a later automatic checkpoint (as a snapshot apply takes them,
// db/sync/snapshot-checkpoints.ts): each of the run's commits rewrites the index pages its rows
// touched, keyed at random (the change log's, the claims'); a checkpoint every 1,000 WAL pages
// copied most of them to the database file after nearly every commit, and a 16 MiB cache read
// them back from the OS. With 4,000 pages between checkpoints and a 32 MiB cache (a 100k run):
// a third fewer reads, a tenth fewer writes, 40 % fewer file syncs (127 → 73); the WAL grows to
// ~16 MiB at most.

const CACHE_KIB = 32_768;
const CHECKPOINT_PAGES = 4_000;

/** Runs `fn` with the settings above, then restores the connection's own. */
export async function withBulkSettings<T>(raw: RawDb, fn: () => Promise<T>): Promise<T> {
  // temp_store cannot change inside a transaction once temporary storage is open: an outer
  // caller's transaction keeps whatever it has.
  if (raw.inTransaction) return fn();
  const before = {
    tempStore: raw.pragma('temp_store', { simple: true }) as number,
    cacheSize: raw.pragma('cache_size', { simple: true }) as number,
    checkpoint: raw.pragma('wal_autocheckpoint', { simple: true }) as number,
  };
  raw.pragma('temp_store = MEMORY');
  // Larger only: a negative cache_size is KiB, a positive one pages (of 4 KiB here).
  const kib = before.cacheSize < 0 ? -before.cacheSize : before.cacheSize * 4;
  if (kib < CACHE_KIB) raw.pragma(`cache_size = -${CACHE_KIB}`);
  if (before.checkpoint > 0 && before.checkpoint < CHECKPOINT_PAGES)
    raw.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  try {
    return await fn();
  } finally {
    // The WAL the write left (up to CHECKPOINT_PAGES) copied now, by the write that made it,
    // rather than by whichever small write commits next under the default threshold.
    if (!raw.inTransaction) raw.pragma('wal_checkpoint(PASSIVE)');
    if (!raw.inTransaction) raw.pragma(`temp_store = ${before.tempStore}`);
    raw.pragma(`cache_size = ${before.cacheSize}`);
    raw.pragma(`wal_autocheckpoint = ${before.checkpoint}`);
  }
}
