import { Column, getTableColumns, getTableName } from 'drizzle-orm';
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
  reminders,
  renewals,
  tags,
  workTeamMembers,
  workTeams,
  workTeamProducts,
} from '../schema';
import type { ScopeKey } from '#common/sync/visibility';

// Every table a change may name, declared ONCE here with the facts the device, the hub and
// the activity log derive from it: how it merges, what role it plays on the hub, its parents
// (from its foreign keys), the purge order (children first) and the scope keys a row is
// filed under (SYNC.md "Who sees what"). Electron-free; server/ and core/ both import it.
// Master data is merged per field (last writer wins); money records are append-only rows
// that travel whole (column `*`).

export type SyncKind = 'lww' | 'append';

/**
 * master: data devices write, merged per field; global: the same, seen by everyone (no
 * organization); money: append-only records devices write; hub_only: append-only records only
 * the hub writes (devices read them).
 */
export type SyncRole = 'master' | 'global' | 'money' | 'hub_only';

/** The keys a row is filed under on the hub (hub_rows) and, for orgId/productId, in activity. */
export type { ScopeKey };

/**
 * Where a scope key comes from: a column of the row (`id` is the row's own id), or the same
 * key of the row a foreign-key column points at (`{ via: 'team_id' }`: the team's orgId).
 */
export type KeySource = string | { via: string };

interface TableFacts {
  table: SQLiteTable;
  role: SyncRole;
  keys: Partial<Record<ScopeKey, KeySource>>;
  /** Its rows change who sees what: a change to one recomputes the writer's scope. */
  scope?: true;
}

// Parents before children: the reverse is the order a purge deletes in.
const FACTS = {
  organizations: { table: organizations, role: 'master', keys: { orgId: 'id' }, scope: true },
  people: { table: people, role: 'master', keys: {} },
  memberships: {
    table: memberships,
    role: 'master',
    keys: { orgId: 'organization_id', refId: 'person_id' },
    scope: true,
  },
  billing_addresses: { table: billingAddresses, role: 'master', keys: { orgId: 'organization_id' } },
  products: { table: products, role: 'master', keys: { orgId: 'organization_id', productId: 'id' } },
  tags: { table: tags, role: 'master', keys: { orgId: 'organization_id' } },
  work_teams: { table: workTeams, role: 'master', keys: { orgId: 'organization_id' } },
  work_team_members: {
    table: workTeamMembers,
    role: 'master',
    keys: { refId: 'team_id', orgId: { via: 'team_id' } },
  },
  work_team_products: {
    table: workTeamProducts,
    role: 'master',
    keys: { refId: 'team_id', productId: 'product_id', orgId: { via: 'team_id' } },
  },
  product_tags: {
    table: productTags,
    role: 'master',
    keys: { productId: 'product_id', refId: 'tag_id', orgId: { via: 'product_id' } },
    scope: true,
  },
  // A partnership is filed under the client (its products live there) and the partner.
  partnerships: {
    table: partnerships,
    role: 'master',
    keys: {
      orgId: 'client_organization_id',
      org2Id: 'partner_organization_id',
      status: 'status',
      access: 'access',
    },
    scope: true,
  },
  partnership_products: {
    table: partnershipProducts,
    role: 'master',
    keys: {
      refId: 'partnership_id',
      productId: 'product_id',
      orgId: { via: 'partnership_id' },
      org2Id: { via: 'partnership_id' },
    },
    scope: true,
  },
  partner_notices: { table: partnerNotices, role: 'master', keys: { orgId: 'organization_id' } },
  partner_rates: { table: partnerRates, role: 'master', keys: { orgId: 'organization_id' } },
  degressive_tiers: { table: degressiveTiers, role: 'global', keys: {} },
  price_book: { table: priceBook, role: 'global', keys: {} },
  // The payer (organization_id) and the issuer: both sides of the sale.
  invoices: {
    table: invoices,
    role: 'master',
    // refId: a credit note points at what it corrects (the hub derives what is due).
    keys: {
      orgId: 'organization_id',
      org2Id: 'issuer_organization_id',
      status: 'status',
      refId: 'corrects_invoice_id',
    },
  },
  payments: {
    table: payments,
    role: 'money',
    keys: { orgId: 'organization_id', refId: 'invoice_id', org2Id: { via: 'invoice_id' } },
  },
  ledger_entries: {
    table: ledgerEntries,
    role: 'money',
    keys: { orgId: 'organization_id', refId: 'invoice_id', org2Id: { via: 'invoice_id' } },
  },
  // A billed period's claim (db/schema/renewals.ts): seen with the invoice that bills it.
  renewals: {
    table: renewals,
    role: 'money',
    keys: { orgId: 'organization_id', org2Id: 'issuer_organization_id', refId: 'invoice_id' },
  },
  // A payment reminder: seen with the invoice it reminds (its payer and its issuer).
  reminders: {
    table: reminders,
    role: 'master',
    keys: { orgId: 'organization_id', org2Id: 'issuer_organization_id', refId: 'invoice_id' },
  },
  invoice_voids: {
    table: invoiceVoids,
    role: 'hub_only',
    keys: { orgId: 'organization_id', org2Id: 'issuer_organization_id', refId: 'invoice_id' },
  },
} as const satisfies Record<string, TableFacts>;

export type SyncedTableName = keyof typeof FACTS;
type LwwName = {
  [K in SyncedTableName]: (typeof FACTS)[K]['role'] extends 'master' | 'global' ? K : never;
}[SyncedTableName];

export interface SyncColumn {
  sql: string;
  key: string;
  column: SQLiteColumn;
  /** NOT NULL without a default: a row cannot be created before this field is known. */
  required: boolean;
  /** SQLite takes its values as they are (drizzle maps nothing): toDriver skips the mapping call. */
  plain: boolean;
}

export interface SyncTable {
  name: string;
  kind: SyncKind;
  role: SyncRole;
  table: SQLiteTable;
  columns: Map<string, SyncColumn>;
  byKey: Map<string, SyncColumn>;
  /** Columns that point at another row: a row goes in only once what it points at is there. */
  parents: { column: string; table: string }[];
  keys: Partial<Record<ScopeKey, KeySource>>;
  /** Its rows change who sees what. */
  scope: boolean;
}

const kindOf = (role: SyncRole): SyncKind => (role === 'master' || role === 'global' ? 'lww' : 'append');

function describe(name: string, facts: TableFacts): SyncTable {
  const { table, role } = facts;
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
      plain: column.mapToDriverValue === Column.prototype.mapToDriverValue,
    };
    columns.set(column.name, c);
    byKey.set(key, c);
  }
  const parents = getTableConfig(table).foreignKeys.flatMap((fk) => {
    const ref = fk.reference();
    const column = ref.columns[0];
    return column ? [{ column: column.name, table: getTableName(ref.foreignTable) }] : [];
  });
  if (getTableName(table) !== name)
    throw new Error(`synced table ${name} is declared with ${getTableName(table)}`);
  for (const source of Object.values(facts.keys)) {
    const column = typeof source === 'string' ? source : source.via;
    if (!columns.has(column)) throw new Error(`scope key of ${name} names unknown column ${column}`);
    if (typeof source !== 'string' && !parents.some((p) => p.column === source.via))
      throw new Error(`scope key of ${name} goes via ${source.via}, which is not a foreign key`);
  }
  return {
    name,
    kind: kindOf(role),
    role,
    table,
    columns,
    byKey,
    parents,
    keys: facts.keys,
    scope: 'scope' in facts && facts.scope === true,
  };
}

export const SYNC_TABLES: ReadonlyMap<string, SyncTable> = new Map(
  Object.entries(FACTS).map(([name, facts]) => [name, describe(name, facts)]),
);

/** The order a purge deletes in: children before the rows they point at. */
export const PURGE_ORDER: readonly SyncedTableName[] = (Object.keys(FACTS) as SyncedTableName[]).reverse();

/** The tables merged per field, by name: every write to one goes through the one write path. */
export const LWW_TABLES = Object.fromEntries(
  Object.entries(FACTS)
    .filter(([, f]) => kindOf(f.role) === 'lww')
    .map(([name, f]) => [name, f.table]),
) as { [K in LwwName]: (typeof FACTS)[K]['table'] };

/** The names of the synced tables with `role`. */
export function tablesWithRole(role: SyncRole): string[] {
  return [...SYNC_TABLES.values()].filter((t) => t.role === role).map((t) => t.name);
}

/**
 * One scope key of a row, from its fields (by SQL column name) or, for a key taken via a
 * foreign key, the same key of the row it points at (`parentKey`; null when the row points at
 * nothing). Sync or async: the hub reads parents from its store, the device from SQLite.
 */
export function scopeKeyOf<R>(
  table: SyncTable,
  key: ScopeKey,
  rowId: string,
  field: (column: string) => unknown,
  parentKey: (parentTable: string, parentId: string, key: ScopeKey) => R,
): string | null | R {
  const source = table.keys[key];
  if (source === undefined) return null;
  if (typeof source === 'string') return source === 'id' ? rowId : text(field(source));
  const parentId = text(field(source.via));
  const parent = table.parents.find((p) => p.column === source.via)?.table;
  return parentId && parent ? parentKey(parent, parentId, key) : null;
}

/** Every scope key the declaration gives `table` (see scopeKeyOf). */
export function scopeKeysOf<R>(
  table: SyncTable,
  rowId: string,
  field: (column: string) => unknown,
  parentKey: (parentTable: string, parentId: string, key: ScopeKey) => R,
): Partial<Record<ScopeKey, string | null | R>> {
  const out: Partial<Record<ScopeKey, string | null | R>> = {};
  for (const key of Object.keys(table.keys) as ScopeKey[])
    out[key] = scopeKeyOf(table, key, rowId, field, parentKey);
  return out;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Columns that are bookkeeping of the local copy, not data: never sent, never merged. */
/**
 * Tables that are local derived data, never synced nor filed under any scope: the search
 * index (search_docs and the FTS5 tables search_organizations, search_people,
 * search_products, search_invoices with their shadow tables; migration 0013; search_pending,
 * the rows noted for indexing, migration 0022). Triggers on the tables above note each write
 * and db/search-index.ts indexes the notes before the transaction commits, including rows
 * this device applies from the hub, so they need nothing from sync; a fresh device builds
 * them as its rows arrive.
 */
export const LOCAL_DERIVED_TABLE_PREFIXES = [
  'search_',
  // Money at a glance, the whole book's sums (db/glance.ts, migration 0023), kept by triggers
  // on invoices the same way: each device sums its own rows. Also the open reminder fees
  // (glance_fees: db/glance-fees.ts, migration 0027).
  'glance_',
] as const;

export const isLocalDerivedTable = (name: string): boolean =>
  LOCAL_DERIVED_TABLE_PREFIXES.some((prefix) => name.startsWith(prefix));

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
  // A million rows of a first sync pass here column by column: most columns map nothing, and
  // the call through drizzle's column classes (many shapes at one call site) cost more than
  // the insert's own binding.
  const mapped = c.plain ? value : c.column.mapToDriverValue(value);
  return typeof mapped === 'boolean' ? (mapped ? 1 : 0) : mapped;
}
