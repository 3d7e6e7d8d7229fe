import { DERIVED_INSERT_TRIGGERS } from '../derived-inserts';
import { reglanceEverythingSql } from '../glance';
import { refeeEverythingSql } from '../glance-fees';
import type { RawDb } from '../open';
import { reindexEverythingSql } from '../search-index';
import { runSqlInWorker, type SqlWorkerOptions } from '../sql-worker';
import { SYNC_TABLES } from './tables';

// The first snapshot into an EMPTY book (a new device) as a bulk load. Applying a million rows
// into the tables as they are costs 15–20x a bare insert of the same rows: the listing indexes
// (name, sort key, renewal, price, … — the UI's orders) take every row at a random place, so a
// slice of 500 rows writes ~200 pages per index to the WAL, and the search index grows by a
// segment per slice. For a book that holds nothing yet, nothing is lost by building them once
// at the end instead, from sorted input: the indexes below and the derived data's insert
// triggers (../derived-inserts.ts) are dropped, the rows go in with no search note and no
// glance sum, and the end rebuilds the indexes, the triggers, the search index and the glance
// sums in a worker thread (../sql-worker.ts, one transaction) so the owning process's loop
// never waits. Whatever else writes meanwhile (the user, on a book still filling) is indexed
// and summed by that end too: it indexes and sums every row, not only the snapshot's.
//
// Crash safety: the dropped indexes' and triggers' SQL is kept in app_settings (BULK_KEY) in the same
// transaction that drops them, and removed in the same transaction that rebuilds them. A
// process killed in between leaves the key: the next open of the file (../open.ts) rebuilds
// everything before anything reads it, and the snapshot then resumes where it stopped (its
// position is in sync_state, moved with every slice), in the ordinary mode.

/** The app_settings key that says a bulk load is under way, with the SQL of what it dropped. */
export const BULK_KEY = 'sync.bulk_load';

/**
 * The indexes a bulk load defers: listing orders no apply step reads (the applier looks rows
 * up by primary key, the change log by its own indexes, lines and payments by invoice). Unique
 * indexes are never deferred: they are constraints, and the rows must meet them as they come.
 */
export const DEFERRED_INDEXES: readonly string[] = [
  'products_org_name_idx',
  'products_org_renewal_idx',
  'products_org_price_idx',
  'products_org_kind_idx',
  'products_org_status_idx',
  'products_org_sort_idx',
  'organizations_name_idx',
  'organizations_sort_idx',
  'people_sort_idx',
  'invoices_org_issued_idx',
  'invoices_issued_idx',
  'invoices_status_cover_idx',
  'invoices_due_idx',
];

interface Saved {
  indexes: { name: string; sql: string }[];
  /** The derived data's insert triggers (../derived-inserts.ts), set aside for the whole load. */
  triggers?: { name: string; sql: string }[];
}

/** A book with nothing in it: no synced row, no clock entry, nothing parked. */
export function bookIsEmpty(raw: RawDb): boolean {
  const tables = [...SYNC_TABLES.keys(), 'change_log', 'sync_deferred'];
  return tables.every((t) => raw.prepare(`SELECT EXISTS (SELECT 1 FROM "${t}")`).pluck().get() === 0);
}

function saved(raw: RawDb): Saved | null {
  // A file migrated only part way (tests of old migrations) has no app_settings: no bulk load.
  if (!raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_settings'").get())
    return null;
  const text = raw.prepare('SELECT value FROM app_settings WHERE key = ?').pluck().get(BULK_KEY) as
    | string
    | undefined;
  return text === undefined ? null : (JSON.parse(text) as Saved);
}

/** Whether a bulk load is under way (or was cut by a crash) in this file. */
export function bulkLoadPending(raw: RawDb): boolean {
  return saved(raw) !== null;
}

/**
 * Begins a bulk load: keeps the deferred indexes' SQL and drops them, in one transaction.
 * Only into an empty book (false, and nothing done, otherwise); true when one is under way.
 */
export function beginBulkLoad(raw: RawDb): boolean {
  return raw
    .transaction(() => {
      if (saved(raw) !== null) return true;
      if (!bookIsEmpty(raw)) return false;
      const schema = (type: string, names: readonly string[]) =>
        raw
          .prepare(
            `SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL AND name IN (${names.map(() => '?').join(', ')})`,
          )
          .all(type, ...names) as { name: string; sql: string }[];
      const indexes = schema('index', DEFERRED_INDEXES);
      const triggers = schema('trigger', DERIVED_INSERT_TRIGGERS);
      raw
        .prepare('INSERT INTO app_settings (key, value) VALUES (?, ?)')
        .run(BULK_KEY, JSON.stringify({ indexes, triggers } satisfies Saved));
      for (const { name } of indexes) raw.exec(`DROP INDEX "${name}"`);
      // Dropped once for the whole load rather than around every slice (../derived-inserts.ts
      // does that for the ordinary mode): each schema change makes the connection prepare all
      // its statements again, thousands of times over a million rows in slices of 256.
      for (const { name } of triggers) raw.exec(`DROP TRIGGER "${name}"`);
      return true;
    })
    .immediate();
}

/** What ends a bulk load, in order: indexes, triggers, search index, glance sums and fees, the key removed. */
function finishSql({ indexes, triggers = [] }: Saved): string[] {
  return [
    ...indexes.map(({ sql }) => sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS ')),
    ...triggers.map(({ sql }) => sql.replace(/^CREATE TRIGGER /i, 'CREATE TRIGGER IF NOT EXISTS ')),
    ...reindexEverythingSql(),
    ...reglanceEverythingSql(),
    ...refeeEverythingSql(),
    `DELETE FROM app_settings WHERE key = '${BULK_KEY}'`,
  ];
}

/**
 * Ends the bulk load of `raw`'s file in a worker thread (one transaction: done whole or not at
 * all). Nothing to do when no bulk load is under way (a crash's recovery at open did it).
 */
export async function finishBulkLoad(raw: RawDb, options: SqlWorkerOptions = {}): Promise<void> {
  const s = saved(raw);
  if (!s) return;
  await runSqlInWorker(raw.name, finishSql(s), options);
}

/**
 * At open: a bulk load a crash cut is finished here, before anything reads the book (its
 * listing indexes, search index and glance sums are missing until then). Synchronous: a
 * rare start after a crash waits for it; the snapshot resumes afterwards in the ordinary mode.
 */
export function recoverBulkLoad(raw: RawDb): boolean {
  const s = saved(raw);
  if (!s) return false;
  raw.transaction(() => {
    for (const sql of finishSql(s)) raw.exec(sql);
  })();
  return true;
}
