import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The device side of sync: where the hub is, how far this device has read its log, and what
// could not be applied or pushed. One row (id = 1) in sync_state.
export const syncState = sqliteTable('sync_state', {
  id: integer('id').primaryKey(),
  hubUrl: text('hub_url'),
  token: text('token'),
  userId: text('user_id'),
  // The device identity the token was issued to: a copied or restored file rotates its
  // identity, and must enroll again instead of writing under the original's token.
  enrolledDeviceId: text('enrolled_device_id'),
  seriesCode: text('series_code'),
  organizationIds: text('organization_ids', { mode: 'json' }).$type<string[]>(),
  // Hub sequence number read up to: pull?since=cursor.
  cursor: integer('cursor').notNull().default(0),
  // A snapshot in progress (first sync, scope change): its next page and its `asOf`.
  snapshotNext: text('snapshot_next'),
  snapshotAsOf: integer('snapshot_as_of'),
  needsSnapshot: integer('needs_snapshot', { mode: 'boolean' }).notNull().default(true),
  // The snapshot follows a scope change: what it does not deliver is purged at its end.
  purgeAfterSnapshot: integer('purge_after_snapshot', { mode: 'boolean' }).notNull().default(false),
  lastSyncAt: text('last_sync_at'),
  lastAttemptAt: text('last_attempt_at'),
  // { code, params } of the last failure, translated where it is shown.
  lastError: text('last_error', { mode: 'json' }).$type<{
    code: string;
    params?: Record<string, unknown>;
  } | null>(),
  // The hub revoked this device: it keeps its data and refuses writes.
  readOnly: integer('read_only', { mode: 'boolean' }).notNull().default(false),
});

// Changes of mine the hub refused, with its reason, until the user resolves them.
export const syncRejections = sqliteTable(
  'sync_rejections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hlc: text('hlc').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    column: text('column_name').notNull(),
    value: text('value'),
    reason: text('reason').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    rejectedAt: text('rejected_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolution: text('resolution'),
  },
  (t) => [index('sync_rejections_open_idx').on(t.resolvedAt, t.id)],
);

// Changes pulled from the hub that this version cannot apply (a newer schema's table or
// column): kept, never dropped, and applied again after an upgrade. Also a marker per row
// still waiting for the rest of itself (reason 'pending_row'): found by its index, never by a
// scan, and bounded in number (db/sync/apply-rows.ts).
export const syncDeferred = sqliteTable(
  'sync_deferred',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // The change's place in the hub's log (the snapshot's `asOf` for a snapshot field).
    hubSeq: integer('hub_seq').notNull(),
    hlc: text('hlc').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    column: text('column_name').notNull(),
    value: text('value'),
    reason: text('reason').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [index('sync_deferred_reason_row_idx').on(t.reason, t.tableName, t.rowId)],
);

// Holds one row only inside a sync transaction that writes the hub's decision over the
// store's own guards (an issued invoice the hub numbered differently, a debit it refused);
// every app write path sees it empty, so the immutability triggers still hold for them.
export const syncGuard = sqliteTable('sync_guard', {
  id: integer('id').primaryKey(),
});

// Rows a scope-change snapshot has delivered so far: once it is complete, what is not here
// (and not an unpushed change of this device) left the device's scope and is purged.
export const syncSnapshotSeen = sqliteTable(
  'sync_snapshot_seen',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tableName, t.rowId] })],
);
