import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';
import type { Db, OpenedStore, RawDb } from '#db/open';
import { ensureDeviceIdentity } from '#db/sync/device';
import { Hlc } from '#db/sync/hlc';
import { fail } from '#common/errors';
import type { TrackedTable } from './tracked-tables';
import { TrackedWriter } from './tracked-writer';

export interface Clock {
  now(): Date;
}
export interface Ids {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * uuidv7's random numbers drawn 4 KiB at a time: its default generator refills a buffer of 8
 * (one getRandomValues call every ~3 ids), 3 % of a billing run that draws an id for every
 * activity row. The same generator otherwise (monotonic, counter, timestamp).
 */
class BufferedRandom {
  private readonly buffer = new Uint32Array(1024);
  private at = this.buffer.length;
  nextUint32(): number {
    if (this.at === this.buffer.length) {
      randomFillSync(this.buffer);
      this.at = 0;
    }
    return this.buffer[this.at++] as number;
  }
}
const v7 = new V7Generator(new BufferedRandom());
export const uuidIds: Ids = { next: () => v7.generate().toString() };

export type Row<T extends TrackedTable> = T['$inferSelect'];
export type Insert<T extends TrackedTable> = Omit<
  T['$inferInsert'],
  'createdAt' | 'updatedAt' | 'deletedAt' | 'id'
> & {
  id?: string;
};
export type Patch<T extends TrackedTable> = Partial<Omit<T['$inferInsert'], 'id' | 'createdAt' | 'updatedAt'>>;

/** The one write path. Every tracked write also appends an activity row and change-log rows. */
export interface WriteTx {
  readonly db: Db;
  readonly now: Date;
  insert<T extends TrackedTable>(table: T, values: Insert<T>): Row<T>;
  update<T extends TrackedTable>(table: T, id: string, patch: Patch<T>): Row<T>;
  /** Tombstones a row; deleting is itself a last-writer-wins field. */
  remove<T extends TrackedTable>(table: T, id: string): Row<T>;
  /** For pair rows keyed by their pair: insert, or clear the tombstone of an earlier one. */
  upsertPair<T extends TrackedTable>(table: T, values: Insert<T> & { id: string }): Row<T>;
  /** A change-log row for a value that is not a column of a tracked table (a draft's lines). */
  logChange(tableName: string, rowId: string, column: string, value: unknown, hlc?: string): string;
  /** An activity row for a change written outside the tracked tables (money records). */
  recordActivity(entry: ActivityEntry): void;
}

export interface ActivityEntry {
  entity: string;
  entityId: string;
  organizationId: string | null;
  productId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  hlc?: string;
}

export interface Ctx {
  readonly db: Db;
  readonly raw: RawDb;
  readonly store: OpenedStore;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly hlc: Hlc;
  readonly deviceId: string;
  actor: { personId: string | null };
  /** What only the process hosting the store can do (swap the file on restore). */
  host: HostControl | null;
  write<T>(action: string, fn: (tx: WriteTx) => T, options?: WriteOptions): T;
}

export interface WriteOptions {
  /** Sync the WAL to disk at commit (synchronous=FULL): issued invoices, ledger entries. */
  durable?: boolean;
}

export interface RestoreResult {
  restoredFrom: string;
  safetyCopy: string;
  deviceId: string;
}

import type { Jobs } from './jobs.service';
import type { SyncProgress } from '../sync/engine';
import type { SecretStore } from './mail/secrets';

export interface HostControl {
  appVersion: string;
  restore(file: string): Promise<RestoreResult>;
  /** The background sync of this store (core/sync/engine.ts), when the host runs one. */
  sync?: SyncControl;
  /** The background jobs of this store (jobs.* methods). */
  jobs?: Jobs;
  /** Where secrets such as the SMTP password live: the OS keychain (desktop) or the environment. */
  secrets?: SecretStore;
}

export interface SyncControl {
  syncNow(): Promise<SyncRoundSummary>;
  /** Wakes the background loop after the hub was configured. */
  start(): void;
  consecutiveFailures: number;
  /** What the round in flight does: rows done/total and rate (null between rounds). */
  readonly progress: SyncProgress | null;
  /** Stops the round in flight where it stands (a snapshot resumes there). */
  cancel(): boolean;
}

export interface SyncRoundSummary {
  pushed: number;
  rejected: number;
  applied: number;
  superseded: number;
  duplicate: number;
  deferred: number;
  snapshotRows: number;
  purged: number;
  rewound: number;
}

export interface CtxOptions {
  clock?: Clock;
  ids?: Ids;
  actorPersonId?: string | null;
}

export function createContext(store: OpenedStore, options: CtxOptions = {}): Ctx {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidIds;
  const identity = ensureDeviceIdentity(store.raw, store.file, clock.now());
  const hlc = new Hlc(identity.id, () => clock.now().getTime(), identity.lastHlc);
  const saveHlc = store.raw.prepare('UPDATE device SET last_hlc = ? WHERE id = ?');
  const storedHlc = store.raw.prepare('SELECT last_hlc FROM device WHERE id = ?').pluck();
  // A device the hub revoked keeps its data and refuses every change (sync_state.read_only).
  const revoked = store.raw.prepare('SELECT read_only FROM sync_state WHERE id = 1').pluck();

  const ctx: Ctx = {
    db: store.db,
    raw: store.raw,
    store,
    clock,
    ids,
    hlc,
    deviceId: identity.id,
    actor: { personId: options.actorPersonId ?? null },
    host: null,
    write<T>(action: string, fn: (tx: WriteTx) => T, writeOptions: WriteOptions = {}): T {
      if (revoked.get() === 1) fail('device_revoked');
      const run = store.raw.transaction(() => {
        // Another connection to this file (the CLI beside the app) may have written since we
        // last did, under this same device id: continue after its timestamps, never reuse them.
        const stored = storedHlc.get(identity.id) as string | undefined;
        if (stored) hlc.observeOwn(stored);
        const tx = new TrackedWriter(ctx, action, clock.now());
        const result = fn(tx);
        saveHlc.run(hlc.lastIssued, identity.id);
        return result;
      });
      // IMMEDIATE takes the write lock up front, so a second connection (the CLI beside the
      // app) waits on busy_timeout instead of failing halfway through with SQLITE_BUSY.
      // Inside an outer transaction (an import, a credit note's several steps) the outer
      // commit is the one that must be durable; the pragma cannot change in there anyway.
      if (!writeOptions.durable || store.raw.inTransaction) return run.immediate();
      return durably(store.raw, () => run.immediate());
    },
  };
  return ctx;
}

/**
 * Runs several writes as one transaction (each ctx.write inside becomes a savepoint), synced
 * to disk at commit when `durable`: a credit note that is issued and applied, or neither.
 */
export function atomically<T>(ctx: Ctx, fn: () => T, durable = false): T {
  const run = ctx.raw.transaction(fn);
  if (ctx.raw.inTransaction) return run();
  if (!durable) return run.immediate();
  return durably(ctx.raw, () => run.immediate());
}

/**
 * Runs a transaction with the WAL synced to disk at its commit (synchronous=FULL), then back
 * to NORMAL (db/open.ts): issued invoices and ledger entries survive a power cut, other writes
 * keep WAL's speed. The pragma cannot change inside a transaction, so it switches around one.
 */
function durably<T>(raw: RawDb, commit: () => T): T {
  raw.pragma('synchronous = FULL');
  try {
    return commit();
  } finally {
    raw.pragma('synchronous = NORMAL');
  }
}
