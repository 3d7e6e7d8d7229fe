// Money at a glance, maintained (migration 0023; read by core/services/dashboard.service.ts):
// two small device-local tables that sum the whole book's invoices so the home dashboard never
// walks a million of them — what is open per currency and due date (glance_open), what was
// earned per currency and issue date (glance_revenue, credit notes subtracted). Kept in the same
// transaction as every write by triggers on invoices (insert, update, delete), so services,
// imports, the demo and sync apply all keep them; bulk paths set the insert trigger aside
// (db/derived-inserts.ts) and add their rows here, set-based.
//
// Derived data, never synced and never filed under any scope (LOCAL_DERIVED_TABLE_PREFIXES in
// db/sync/tables.ts): each device computes its own from its own rows, so the tables are not in
// common/authority, which covers what devices exchange.
//
// What counts — the same conditions as the triggers of 0023 and the dashboard's one-organization
// queries (three places SQL cannot share; test/integration/glance-aggregates.test.ts compares
// the tables with a scan that uses these two):
import type { RawDb } from './open';

/** An invoice is open: due, not yet wholly paid. */
export const OPEN_SQL = "kind = 'invoice' AND status IN ('unpaid', 'partially_paid') AND deleted_at IS NULL";
/** An invoice or credit note counts in revenue: issued and not cancelled. */
export const EARNED_SQL =
  "kind IN ('invoice', 'credit_note') AND status NOT IN ('draft', 'cancelled') AND deleted_at IS NULL";
/** Its revenue: a credit note subtracts. */
export const SIGNED_GROSS_SQL = "CASE WHEN kind = 'credit_note' THEN -gross_minor ELSE gross_minor END";

/** The glance rows of the invoices matching `where` (their contribution, summed), added in. */
function addSql(where: string): string[] {
  return [
    `INSERT INTO glance_open (currency, due_on, n, due_minor)
       SELECT currency, coalesce(due_on, ''), count(*), sum(gross_minor - paid_minor) FROM invoices
       WHERE ${where} AND ${OPEN_SQL} GROUP BY 1, 2
       ON CONFLICT (currency, due_on) DO UPDATE SET n = n + excluded.n, due_minor = due_minor + excluded.due_minor`,
    `INSERT INTO glance_revenue (issued_on, currency, n, gross_minor)
       SELECT issued_on, currency, count(*), sum(${SIGNED_GROSS_SQL}) FROM invoices
       WHERE ${where} AND ${EARNED_SQL} GROUP BY 1, 2
       ON CONFLICT (issued_on, currency) DO UPDATE SET n = n + excluded.n, gross_minor = gross_minor + excluded.gross_minor`,
  ];
}

/**
 * Statements that sum the glance tables again from every invoice: a bulk load that set the
 * insert trigger aside and added nothing (db/sync/bulk-load.ts) ends with them. Plain SQL, so
 * another connection (a worker thread's) can run them.
 */
export function reglanceEverythingSql(): string[] {
  return ['DELETE FROM glance_open', 'DELETE FROM glance_revenue', ...addSql('1')];
}

const prepared = new WeakMap<RawDb, { since: (rowid: number) => void; one: (id: string) => void }>();

function statementsFor(raw: RawDb) {
  let st = prepared.get(raw);
  if (st) return st;
  if (!raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'glance_open'").get()) {
    st = { since: () => {}, one: () => {} };
  } else {
    const since = addSql('rowid > ?').map((sql) => raw.prepare(sql));
    const one = addSql('id = ?').map((sql) => raw.prepare(sql));
    st = {
      since: (rowid) => {
        for (const s of since) s.run(rowid);
      },
      one: (id) => {
        for (const s of one) s.run(id);
      },
    };
  }
  prepared.set(raw, st);
  return st;
}

/** Adds the invoices written after rowid `after` (a bulk batch, its insert trigger set aside). */
export function addInvoicesSince(raw: RawDb, after: number): void {
  statementsFor(raw).since(after);
}

/** Adds one invoice inserted while the insert trigger was set aside. */
export function addInvoice(raw: RawDb, id: string): void {
  statementsFor(raw).one(id);
}
