import type { RawDb } from './open';

// A savepoint, and a statement that may abort halfway (one whose triggers can RAISE), keep the
// original of every page they change in a journal, to roll back to. SQLite holds that journal
// in memory up to 64 KiB, then spills it to a temporary FILE (temp_store DEFAULT: this build's
// TEMP_STORE=1). A billing run takes a savepoint per invoice, and one invoice changes more than
// 16 pages (the invoice's 13 indexes, the activity's 3, the products moved on): at 100k
// products that was 630,000 pwrite calls to temporary files, about 15 % of the run's CPU.
// While a bulk write runs, temp_store = MEMORY keeps those journals in memory (a few hundred
// KiB at a time, freed at each release); afterwards it is back to what it was, so a large sort
// or a VACUUM elsewhere still spills to disk instead of growing the process.

/** Runs `fn` with SQLite's temporary journals in memory (see above), then restores the setting. */
export async function withMemoryJournals<T>(raw: RawDb, fn: () => Promise<T>): Promise<T> {
  // The setting cannot change inside a transaction once temporary storage is open; an outer
  // caller's transaction keeps whatever it has.
  if (raw.inTransaction) return fn();
  const before = raw.pragma('temp_store', { simple: true }) as number;
  raw.pragma('temp_store = MEMORY');
  try {
    return await fn();
  } finally {
    if (!raw.inTransaction) raw.pragma(`temp_store = ${before}`);
  }
}
