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
  requireWriteAuthority(ctx, name, before ? sql(before) : null, changed);
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
  const name = tableNames.get(table) ?? (getTableName(table) as TrackedTableName);
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  return Object.entries(after)
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
        column,
        value: value === undefined ? null : JSON.stringify(value),
        hubSeq: localOnly ? 0 : null,
      };
    });
}

/** TrackedWriter's rule for "this field changes" (batch paths use it too). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null && b == null) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
