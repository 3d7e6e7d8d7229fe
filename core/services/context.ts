import { eq, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { uuidv7 } from 'uuidv7';
import type { Db, OpenedStore, RawDb } from '#db/open';
import { activity, changeLog } from '#db/schema/index';
import { ensureDeviceIdentity } from '#db/sync/device';
import { Hlc } from '#db/sync/hlc';
import { isDerived } from '#db/sync/tables';
import { fail } from '#common/errors';
import { requireWriteAuthority } from './authority';
import {
  type RowScope,
  scopeOf,
  type TrackedTable,
  type TrackedTableName,
  trackedTables,
} from './tracked-tables';

export interface Clock {
  now(): Date;
}
export interface Ids {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: Ids = { next: () => uuidv7() };

type Row<T extends TrackedTable> = T['$inferSelect'];
type Insert<T extends TrackedTable> = Omit<
  T['$inferInsert'],
  'createdAt' | 'updatedAt' | 'deletedAt' | 'id'
> & {
  id?: string;
};
type Patch<T extends TrackedTable> = Partial<Omit<T['$inferInsert'], 'id' | 'createdAt' | 'updatedAt'>>;

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

const EXCLUDED_FROM_LOG = new Set(['updatedAt']);

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

const tableNames = new Map<TrackedTable, TrackedTableName>(
  (Object.entries(trackedTables) as [TrackedTableName, TrackedTable][]).map(([name, table]) => [table, name]),
);

class TrackedWriter implements WriteTx {
  readonly db: Db;
  private readonly stamp: string;

  constructor(
    private readonly ctx: Ctx,
    private readonly action: string,
    readonly now: Date,
  ) {
    this.db = ctx.db;
    this.stamp = now.toISOString();
  }

  insert<T extends TrackedTable>(table: T, values: Insert<T>): Row<T> {
    const row = {
      ...values,
      id: values.id ?? this.ctx.ids.next(),
      createdAt: this.stamp,
      updatedAt: this.stamp,
      deletedAt: null,
    };
    this.judge(table, null, row);
    const inserted = this.db
      .insert(table as TrackedTable)
      .values(row as never)
      .returning()
      .get() as Row<T>;
    const full = inserted as Record<string, unknown>;
    this.record(table, full, null, withoutBookkeeping(full));
    return inserted;
  }

  update<T extends TrackedTable>(table: T, id: string, patch: Patch<T>): Row<T> {
    const before = this.find(table, id);
    const changed: Record<string, unknown> = {};
    const previous: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!sameValue(before[key], value)) {
        changed[key] = value;
        previous[key] = before[key];
      }
    }
    if (Object.keys(changed).length === 0) return before as Row<T>;
    this.judge(table, before, changed);
    const updated = this.db
      .update(table as TrackedTable)
      .set({ ...changed, updatedAt: this.stamp } as never)
      .where(eq(idColumn(table), id))
      .returning()
      .get() as Row<T>;
    this.record(table, updated as Record<string, unknown>, previous, changed);
    return updated;
  }

  remove<T extends TrackedTable>(table: T, id: string): Row<T> {
    const before = this.find(table, id);
    if (before.deletedAt) return before as Row<T>;
    return this.update(table, id, { deletedAt: this.stamp } as Patch<T>);
  }

  upsertPair<T extends TrackedTable>(table: T, values: Insert<T> & { id: string }): Row<T> {
    const existing = this.db
      .select()
      .from(table as TrackedTable)
      .where(eq(idColumn(table), values.id))
      .get() as Record<string, unknown> | undefined;
    if (!existing) return this.insert(table, values);
    const { id: _id, ...rest } = values;
    return this.update(table, values.id, { ...rest, deletedAt: null } as Patch<T>);
  }

  logChange(tableName: string, rowId: string, column: string, value: unknown, stamp?: string): string {
    const hlc = stamp ?? this.ctx.hlc.now();
    this.db
      .insert(changeLog)
      .values({
        hlc,
        deviceId: this.ctx.deviceId,
        tableName,
        rowId,
        column,
        value: JSON.stringify(value ?? null),
      })
      .run();
    return hlc;
  }

  recordActivity(entry: ActivityEntry): void {
    this.db
      .insert(activity)
      .values({
        id: this.ctx.ids.next(),
        at: this.stamp,
        hlc: entry.hlc ?? this.ctx.hlc.now(),
        actorPersonId: this.ctx.actor.personId,
        deviceId: this.ctx.deviceId,
        organizationId: entry.organizationId,
        productId: entry.productId ?? null,
        action: this.action,
        entity: entry.entity,
        entityId: entry.entityId,
        before: entry.before ?? null,
        after: entry.after ?? null,
      })
      .run();
  }

  /**
   * The acting person may do this, by common/authority's table (./authority.ts): refused
   * before anything is written, as the hub would refuse it. Derived values never travel and
   * are not judged.
   */
  private judge(
    table: TrackedTable,
    before: Record<string, unknown> | null,
    values: Record<string, unknown>,
  ) {
    const name = tableNames.get(table) ?? getTableName(table);
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    const sql = (o: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(o)
          .filter(([k, v]) => v !== undefined && !EXCLUDED_FROM_LOG.has(k))
          .map(([k, v]) => [columns[k]?.name ?? k, v]),
      );
    const changed = sql(values);
    for (const column of Object.keys(changed))
      if (
        isDerived(name, column) ||
        (name === 'invoices' && column === 'status' && before?.status !== 'draft' && before)
      )
        delete changed[column];
    requireWriteAuthority(this.ctx, name, before ? sql(before) : null, changed);
  }

  private find(table: TrackedTable, id: string): Record<string, unknown> {
    const row = this.db
      .select()
      .from(table as TrackedTable)
      .where(eq(idColumn(table), id))
      .get() as Record<string, unknown> | undefined;
    if (!row) fail('not_found', { entity: getTableName(table), id });
    return row;
  }

  private record(
    table: TrackedTable,
    row: Record<string, unknown>,
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
  ): void {
    const name = tableNames.get(table) ?? (getTableName(table) as TrackedTableName);
    const hlc = this.ctx.hlc.now();
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    const rowId = String(row.id);
    const logRows = Object.entries(after)
      .filter(([key]) => !EXCLUDED_FROM_LOG.has(key) && key !== 'id')
      .map(([key, value]) => {
        const column = columns[key]?.name ?? key;
        // Derived values (totals, paid, how far an issued invoice is settled) are recomputed
        // after every merge (db/sync/derived.ts): logged here as history, acknowledged at
        // once (hub_seq 0), so they never travel; only the issue itself does.
        const localOnly =
          isDerived(name, column) ||
          (name === 'invoices' && column === 'status' && before !== null && before.status !== 'draft');
        return {
          hlc,
          deviceId: this.ctx.deviceId,
          tableName: name,
          rowId,
          column,
          value: value === undefined ? null : JSON.stringify(value),
          hubSeq: localOnly ? 0 : null,
        };
      });
    if (logRows.length > 0) this.db.insert(changeLog).values(logRows).run();
    const scope: RowScope = scopeOf(this.ctx.raw, name, row);
    this.db
      .insert(activity)
      .values({
        id: this.ctx.ids.next(),
        at: this.stamp,
        hlc,
        actorPersonId: this.ctx.actor.personId,
        deviceId: this.ctx.deviceId,
        organizationId: scope.organizationId,
        productId: scope.productId,
        action: this.action,
        entity: name,
        entityId: rowId,
        before,
        after,
      })
      .run();
  }
}

function idColumn(table: TrackedTable): SQLiteColumn {
  return (getTableColumns(table) as Record<string, SQLiteColumn>).id as SQLiteColumn;
}

function withoutBookkeeping(row: Record<string, unknown>): Record<string, unknown> {
  const { updatedAt: _u, deletedAt: _d, ...rest } = row;
  return rest;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null && b == null) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
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
