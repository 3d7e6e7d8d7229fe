import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Long SQL off the owning process's event loop: a worker thread opens its own better-sqlite3
// connection on the same file (WAL: the owning connection keeps reading meanwhile) and runs
// the statements in ONE immediate transaction — all of them or none, so a worker killed or
// terminated midway leaves the file as it was. A CREATE INDEX over a million rows, or the
// search index of a million names, is seconds of one SQLite call: no slicing can keep that
// under 50 ms on the thread that owns the UI, a thread of its own can.
//
// The worker's code is a string (eval) that only requires better-sqlite3, resolved here: the
// same code then runs from the TypeScript sources (tsx, vitest) and from the esbuild bundles
// (the Electron main process, the CLI), where a worker file next to this one would not exist.
// While the worker holds the write lock, a write on another connection waits for it (up to
// its busy timeout); reads do not.

/**
 * Worker code (a string, for the reason above) that lowers the calling thread's scheduling
 * priority (nice 10), where Linux lets a thread do so (/proc/thread-self names its id;
 * setpriority on a thread id changes that thread alone). A worker's SQL is background work:
 * on a machine with fewer free cores than busy threads, the event loop's thread — the UI's —
 * should get the core when it wakes rather than wait for the worker's time slice to end.
 * Elsewhere the thread keeps the process's priority.
 */
export const BACKGROUND_PRIORITY_CODE = `
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 10);
} catch {}
`;

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
${BACKGROUND_PRIORITY_CODE}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyMs });
try {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -' + workerData.cacheKib);
  db.exec('BEGIN IMMEDIATE');
  try {
    workerData.statements.forEach((sql, i) => {
      db.exec(sql);
      parentPort.postMessage({ done: i + 1 });
    });
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  // The WAL now holds everything written (hundreds of MB for a million rows' indexes): copied
  // into the database and emptied here, off the owning thread, instead of staying that size.
  db.pragma('wal_checkpoint(TRUNCATE)');
} finally {
  db.close();
}
`;

export interface SqlWorkerOptions {
  /** After each statement: how many of them are done. */
  progress?: (done: number, total: number) => void;
  /** Aborting terminates the worker: its transaction never commits. */
  signal?: AbortSignal;
  /** How long the worker waits for the write lock (ms). */
  busyMs?: number;
  /**
   * The worker's page cache (KiB): CREATE INDEX sorts within it, spilling to a temporary file.
   * 4 MiB, not the driver's 16: the same time for the indexes and search index of 500k
   * products (3.8 s CPU either way, measured), 30 MB less resident memory.
   */
  cacheKib?: number;
}

/** Runs `statements` on `file` in one transaction in a worker thread; resolves once committed. */
export function runSqlInWorker(
  file: string,
  statements: readonly string[],
  options: SqlWorkerOptions = {},
): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason ?? new Error('aborted'));
      return;
    }
    const worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: {
        driver,
        file,
        statements: [...statements],
        busyMs: options.busyMs ?? 5_000,
        cacheKib: options.cacheKib ?? 4_096,
      },
    });
    let failure: unknown = null;
    const onAbort = () => {
      failure = options.signal?.reason ?? new Error('aborted');
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { done: number }) => options.progress?.(m.done, statements.length));
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (failure !== null) reject(failure);
      else if (code !== 0) reject(new Error(`the SQL worker stopped with code ${code}`));
      else resolve();
    });
  });
}
