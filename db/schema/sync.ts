import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// This database's identity as a sync peer. Exactly one row with current = 1; a copied or
// restored file rotates to a new identity so it never reuses another device's series.
export const device = sqliteTable('device', {
  id: text('id').primaryKey(),
  current: integer('current', { mode: 'boolean' }).notNull(),
  createdAt: text('created_at').notNull(),
  // Hash of host name + file path the identity was bound to; a mismatch means the file moved.
  boundTo: text('bound_to').notNull(),
  // Last hybrid-logical-clock timestamp issued here: the clock never goes backwards, even
  // across restarts or a wall clock set back.
  lastHlc: text('last_hlc').notNull(),
  retiredAt: text('retired_at'),
  retiredReason: text('retired_reason'),
});

// One row per field changed, stamped with the HLC of the change: the outbox for sync and
// the per-field clock for last-writer-wins merges.
export const changeLog = sqliteTable(
  'change_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    hlc: text('hlc').notNull(),
    deviceId: text('device_id').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    column: text('column_name').notNull(),
    value: text('value'),
    // Hub sequence number once the hub has acknowledged it; null while in the outbox.
    hubSeq: integer('hub_seq'),
  },
  (t) => [
    index('change_log_field_idx').on(t.tableName, t.rowId, t.column, t.hlc),
    index('change_log_outbox_idx').on(t.hubSeq, t.seq),
  ],
);

export const appSettings = sqliteTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
});

export type ChangeLogRow = typeof changeLog.$inferSelect;
