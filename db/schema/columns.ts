import { text } from 'drizzle-orm/sqlite-core';

// Every synced master-data table carries the same bookkeeping columns. A delete is a
// tombstone (`deleted_at`), itself a last-writer-wins field, so a row is never removed and
// foreign keys from history (activity, invoices) keep pointing at something real.
export const syncedColumns = {
  id: text('id').primaryKey(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deletedAt: text('deleted_at'),
};
