import { getTableColumns, getTableName } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  billingAddresses,
  degressiveTiers,
  invoices,
  invoiceVoids,
  ledgerEntries,
  memberships,
  organizations,
  partnerNotices,
  partnerRates,
  partnershipProducts,
  partnerships,
  payments,
  people,
  priceBook,
  products,
  productTags,
  tags,
  workTeamMembers,
  workTeams,
  workTeamProducts,
} from '../schema';

// Every table a change may name, by SQL name, with what sync needs to know about its
// columns. Shared by the device and the hub; Electron-free. Master data is merged per field
// (last writer wins); money records are append-only rows that travel whole (column `*`).

export type SyncKind = 'lww' | 'append';

export interface SyncColumn {
  sql: string;
  key: string;
  column: SQLiteColumn;
  /** NOT NULL without a default: a row cannot be created before this field is known. */
  required: boolean;
}

export interface SyncTable {
  name: string;
  kind: SyncKind;
  table: SQLiteTable;
  columns: Map<string, SyncColumn>;
  byKey: Map<string, SyncColumn>;
  /** Columns that point at another row: a row goes in only once what it points at is there. */
  parents: { column: string; table: string }[];
}

const LWW: SQLiteTable[] = [
  organizations,
  people,
  memberships,
  billingAddresses,
  products,
  tags,
  productTags,
  workTeams,
  workTeamMembers,
  workTeamProducts,
  invoices,
  partnerships,
  partnershipProducts,
  partnerNotices,
  partnerRates,
  degressiveTiers,
  priceBook,
];
const APPEND: SQLiteTable[] = [payments, ledgerEntries, invoiceVoids];

function describe(table: SQLiteTable, kind: SyncKind): SyncTable {
  const columns = new Map<string, SyncColumn>();
  const byKey = new Map<string, SyncColumn>();
  for (const [key, column] of Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>)) {
    const c = {
      sql: column.name,
      key,
      column,
      // Bookkeeping the local copy fills in itself is never waited for.
      required:
        column.notNull &&
        !column.hasDefault &&
        !column.primary &&
        column.name !== 'updated_at' &&
        column.name !== 'created_at',
    };
    columns.set(column.name, c);
    byKey.set(key, c);
  }
  const parents = getTableConfig(table).foreignKeys.flatMap((fk) => {
    const ref = fk.reference();
    const column = ref.columns[0];
    return column ? [{ column: column.name, table: getTableName(ref.foreignTable) }] : [];
  });
  return { name: getTableName(table), kind, table, columns, byKey, parents };
}

export const SYNC_TABLES: ReadonlyMap<string, SyncTable> = new Map(
  [...LWW.map((t) => describe(t, 'lww')), ...APPEND.map((t) => describe(t, 'append'))].map((t) => [
    t.name,
    t,
  ]),
);

/** Columns that are bookkeeping of the local copy, not data: never sent, never merged. */
export const LOCAL_COLUMNS = new Set(['updated_at']);

/**
 * Values an invoice derives from other rows (db/sync/derived.ts): totals from its lines, paid
 * and settlement status from payments, credit notes and conversions. Never sent, never merged
 * (two devices' concurrent payments would otherwise keep only the last writer's sum):
 * recomputed after every merge, on the device and on the hub.
 */
export const DERIVED_COLUMNS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['invoices', new Set(['net_minor', 'vat_minor', 'gross_minor', 'paid_minor'])],
]);
export const isDerived = (table: string, column: string): boolean =>
  DERIVED_COLUMNS.get(table)?.has(column) ?? false;

/** On the wire an invoice's status says draft or issued; how far it is settled is derived. */
export function wireStatus(status: unknown): unknown {
  return typeof status === 'string' && status !== 'draft' ? 'unpaid' : status;
}

/** A row as it travels: without derived values, an invoice's status as draft or issued. */
export function forWire(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const derived = DERIVED_COLUMNS.get(table);
  if (!derived) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!derived.has(k)) out[k] = v;
  if (table === 'invoices' && 'status' in out) out.status = wireStatus(out.status);
  return out;
}

/** A draft's priced lines: a value of the invoice, stored locally in invoice_lines. */
export const LINES_COLUMN = 'lines';
export const WHOLE_ROW = '*';

/** The JSON-ready value of a column as SQLite returns it (booleans, JSON columns decoded). */
export function fromDriver(c: SyncColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return c.column.mapFromDriverValue(value);
}

/** What SQLite stores for a JSON-decoded value of this column. */
export function toDriver(c: SyncColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const mapped = c.column.mapToDriverValue(value);
  return typeof mapped === 'boolean' ? (mapped ? 1 : 0) : mapped;
}
