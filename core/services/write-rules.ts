// The rules every tracked write follows, whichever path writes it (ctx.write's TrackedWriter in
// ./context.ts, the batch paths' ./batch-writer.ts): who may write it, which change-log rows it
// leaves, and when a field counts as changed.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { isDerived } from '#db/sync/tables';
import { requireWriteAuthority } from './authority';
import type { Ctx } from './context';
import { type TrackedTable, type TrackedTableName, trackedTables } from './tracked-tables';

/** Bookkeeping a change never carries. */
export const EXCLUDED_FROM_LOG = new Set(['updatedAt']);

export const tableNames = new Map<TrackedTable, TrackedTableName>(
  (Object.entries(trackedTables) as [TrackedTableName, TrackedTable][]).map(([name, table]) => [table, name]),
);

/**
 * The acting person may do this, by common/authority's table (./authority.ts): refused
 * before anything is written, as the hub would refuse it. Derived values never travel and
 * are not judged. Also judges the writes of batch paths (./batch-writer.ts).
 */
export function judgeWrite(
  ctx: Ctx,
  table: TrackedTable,
  before: Record<string, unknown> | null,
  values: Record<string, unknown>,
): void {
  const { name, sqlName } = namesOf(table);
  const changed: Record<string, unknown> = {};
  for (const key in values) {
    const value = values[key];
    if (value === undefined || EXCLUDED_FROM_LOG.has(key)) continue;
    const column = sqlName.get(key) ?? key;
    if (
      isDerived(name, column) ||
      (name === 'invoices' && column === 'status' && before?.status !== 'draft' && before)
    )
      continue;
    changed[column] = value;
  }
  requireWriteAuthority(ctx, name, before ? sqlRow(sqlName, before) : null, changed);
}

/** A row's fields under their SQL column names, the bookkeeping ones left out. */
function sqlRow(sqlName: Map<string, string>, o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in o) {
    const value = o[key];
    if (value !== undefined && !EXCLUDED_FROM_LOG.has(key)) out[sqlName.get(key) ?? key] = value;
  }
  return out;
}

const names = new Map<TrackedTable, { name: TrackedTableName; sqlName: Map<string, string> }>();

/**
 * A table's name and its fields' SQL column names, worked out once per table: judged on every
 * tracked write, building them from drizzle's column objects each time was most of the
 * judgement's cost in the billing run.
 */
function namesOf(table: TrackedTable) {
  let found = names.get(table);
  if (!found) {
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    found = {
      name: tableNames.get(table) ?? (getTableName(table) as TrackedTableName),
      sqlName: new Map(Object.entries(columns).map(([key, column]) => [key, column.name])),
    };
    names.set(table, found);
  }
  return found;
}

/**
 * The change-log rows of one tracked write, as TrackedWriter.record writes them (batch paths
 * write the same rows with prepared statements, ./batch-writer.ts): every written field but
 * the bookkeeping ones, derived values logged as history and acknowledged at once.
 */
export function changeRowsOf(
  table: TrackedTable,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): { column: string; value: string | null; hubSeq: number | null }[] {
  const { name, sqlName } = namesOf(table);
  return Object.entries(after)
    .filter(([key]) => !EXCLUDED_FROM_LOG.has(key) && key !== 'id')
    .map(([key, value]) => {
      const column = sqlName.get(key) ?? key;
      // Derived values (totals, paid, how far an issued invoice is settled) are recomputed
      // after every merge (db/sync/derived.ts): logged here as history, acknowledged at
      // once (hub_seq 0), so they never travel; only the issue itself does.
      const localOnly =
        isDerived(name, column) ||
        (name === 'invoices' && column === 'status' && before !== null && before.status !== 'draft');
      return {
        column,
        value: value === undefined ? null : JSON.stringify(value),
        hubSeq: localOnly ? 0 : null,
      };
    });
}

/** TrackedWriter's rule for "this field changes" (batch paths use it too). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
