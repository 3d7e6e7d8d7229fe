// Bulk inserts and the derived data kept by triggers (the search index's notes, migration 0022;
// money at a glance, migration 0023; open reminder fees, migration 0027). Any INSERT trigger makes SQLite keep a statement journal
// for every row inserted into a table with foreign keys — a copy of each page the row touches,
// ~14 for an invoice — which cost as much as the insert itself. So a bulk path (the bulk invoice
// writer, a sync snapshot's slices) sets the insert triggers aside inside its transaction and
// accounts for its rows itself, set-based (insertedInvoicesSince) or row by row (insertedRow).
// Updates and deletes keep their triggers: bulk paths rarely do them, and those are per row.
import { addInvoice, addInvoicesSince } from './glance';
import { refeeInserted } from './glance-fees';
import type { RawDb } from './open';
import { noteInserted, noteInvoicesSince } from './search-index';

/** The insert triggers of derived data, by the table they watch. */
const INSERT_TRIGGERS = {
  organizations: ['search_organizations_ai'],
  people: ['search_people_ai'],
  products: ['search_products_ai'],
  invoices: ['search_invoices_ai', 'glance_invoices_ai'],
  billing_addresses: ['search_addresses_ai'],
  reminders: ['glance_fees_reminders_ai'],
  payments: ['glance_fees_payments_ai'],
  ledger_entries: ['glance_fees_ledger_ai'],
} as const;
export type WatchedTable = keyof typeof INSERT_TRIGGERS;
export const WATCHED_TABLES = Object.keys(INSERT_TRIGGERS) as WatchedTable[];
/** Every insert trigger of derived data, by name. */
export const DERIVED_INSERT_TRIGGERS: readonly string[] = Object.values(INSERT_TRIGGERS).flat();

/**
 * Runs `fn` — inside the caller's transaction — with the insert triggers of `tables` dropped,
 * and puts them back before returning, thrown or not (a rollback puts them back too). Schema
 * statements: SQLite prepares the connection's statements again once after them, which a
 * batch of thousands of rows does not notice.
 */
export function withoutInsertTriggers<T>(raw: RawDb, tables: readonly WatchedTable[], fn: () => T): T {
  if (!raw.inTransaction) throw new Error('withoutInsertTriggers runs inside a transaction');
  const names = tables.flatMap((t) => INSERT_TRIGGERS[t]);
  const saved = raw
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${names.map(() => '?').join(', ')})`,
    )
    .all(...names) as { name: string; sql: string }[];
  for (const { name } of saved) raw.exec(`DROP TRIGGER "${name}"`);
  try {
    return fn();
  } finally {
    for (const { sql } of saved) raw.exec(sql.replace(/^CREATE TRIGGER /i, 'CREATE TRIGGER IF NOT EXISTS '));
  }
}

/**
 * What the insert triggers would have done for one row inserted while they were set aside.
 * Only then: the search note is harmless twice, the glance sums are not.
 */
export function insertedRow(raw: RawDb, table: string, rowId: string, organizationId: unknown): void {
  noteInserted(raw, table, rowId, organizationId);
  if (table === 'invoices') addInvoice(raw, rowId);
  else refeeInserted(raw, table, rowId);
}

/** The same for every invoice written after rowid `after` (a bulk batch, in rowid order). */
export function insertedInvoicesSince(raw: RawDb, after: number): void {
  noteInvoicesSince(raw, after);
  addInvoicesSince(raw, after);
}
