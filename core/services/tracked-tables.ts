// The master-data tables whose every write goes through the one write path (activity +
// change log): the synced tables merged per field (db/sync/tables.ts declares them). Each
// row's activity is filed under the organization and product its scope keys name.
import type { Statement } from 'better-sqlite3';
import type { RawDb } from '#db/open';
import { LWW_TABLES, type ScopeKey, SYNC_TABLES, scopeKeyOf } from '#db/sync/tables';

export const trackedTables = LWW_TABLES;

export type TrackedTableName = keyof typeof trackedTables;
export type TrackedTable = (typeof trackedTables)[TrackedTableName];

export interface RowScope {
  organizationId: string | null;
  productId: string | null;
}

type AnyRow = Record<string, unknown>;

const reads = new WeakMap<RawDb, Map<string, Statement>>();

/** One column of a stored row (statements kept per connection: activity is on the write path). */
function storedField(db: RawDb, table: string, column: string, id: string): unknown {
  const byColumn = reads.get(db) ?? new Map<string, Statement>();
  reads.set(db, byColumn);
  const name = `${table}.${column}`;
  const read = byColumn.get(name) ?? db.prepare(`SELECT "${column}" FROM "${table}" WHERE id = ?`).pluck();
  byColumn.set(name, read);
  return read.get(id) ?? null;
}

/** The `key` of stored row `id` of `table`, following foreign keys as the declaration says. */
function storedKey(db: RawDb, table: string, id: string, key: ScopeKey): string | null {
  const described = SYNC_TABLES.get(table);
  if (!described) return null;
  return scopeKeyOf(
    described,
    key,
    id,
    (column) => storedField(db, table, column, id),
    (parentTable, parentId, parentKey) => storedKey(db, parentTable, parentId, parentKey),
  );
}

export function scopeOf(db: RawDb, name: TrackedTableName, row: AnyRow): RowScope {
  const table = SYNC_TABLES.get(name);
  if (!table) return { organizationId: null, productId: null };
  // The row in hand is in drizzle's camelCase; the declaration names SQL columns.
  const field = (column: string) => row[table.columns.get(column)?.key ?? column];
  const parent = (parentTable: string, parentId: string, key: ScopeKey) =>
    storedKey(db, parentTable, parentId, key);
  return {
    organizationId: scopeKeyOf(table, 'orgId', String(row.id), field, parent),
    productId: scopeKeyOf(table, 'productId', String(row.id), field, parent),
  };
}
