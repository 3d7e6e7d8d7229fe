import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_PRIORITY_CODE } from './sql-worker';

// The WAL's copy into the database file (a checkpoint) on a thread of its own, while the
// owning connection goes on writing. A PASSIVE checkpoint neither waits for nor blocks a
// writer (SQLite copies the frames committed when it starts; a commit meanwhile appends after
// them), so it can run beside the owning thread instead of between two of its transactions.
// On the owning thread it was mostly waiting, not working: measured over a 200k-row first sync
// on the loaded 2-core machine, 43 checkpoints held the event loop 1.36 s of wall time for
// 0.31 s of CPU — the two file syncs each checkpoint makes (the WAL's, then the database's),
// up to 62 ms for one, the owning process's longest wall-clock blocks.
//
// The worker's code is a string (eval) for the reason ./sql-worker.ts gives: it then runs from
// the TypeScript sources and from the esbuild bundles alike. It holds no transaction between
// two requests (no read lock that would keep the WAL from starting over).

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
${BACKGROUND_PRIORITY_CODE}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma('synchronous = NORMAL');
// A checkpoint copies frames from the WAL file to the database file: it needs no page cache.
db.pragma('cache_size = -256');
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
});
parentPort.postMessage('ready');
`;

/** What one checkpoint reported: the WAL's frames when it began, and how many it copied. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

/** A thread that runs PASSIVE checkpoints of one database file on request. */
export class CheckpointWorker {
  private readonly worker: Worker;
  private inFlight = false;
  private dead = false;

  /** `done` is called on the owning thread with each checkpoint's result. */
  constructor(file: string, done: (r: CheckpointResult) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_CODE, { eval: true, workerData: { driver, file } });
    // Never what keeps the process alive: a snapshot that ends stops it, one that throws too.
    this.worker.unref();
    this.worker.on('message', (m: CheckpointResult | 'ready') => {
      if (m === 'ready') return;
      this.inFlight = false;
      done(m);
    });
    // A thread that cannot start or fails (a host that forbids them): the caller checkpoints
    // on its own connection again, as before.
    const gone = () => {
      this.dead = true;
      this.inFlight = false;
    };
    this.worker.on('error', gone);
    this.worker.on('exit', gone);
  }

  /** False when the thread is gone: the caller checkpoints itself. */
  get usable(): boolean {
    return !this.dead;
  }

  /** Whether a checkpoint asked for has not reported yet. */
  get busy(): boolean {
    return this.inFlight;
  }

  /** Asks for a checkpoint; false (nothing asked) while one runs or when the thread is gone. */
  request(): boolean {
    if (this.dead || this.inFlight) return false;
    this.inFlight = true;
    this.worker.postMessage('checkpoint');
    return true;
  }

  /** The thread closes its connection and ends (after the checkpoint it may be running). */
  stop(): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.postMessage('stop');
  }
}
