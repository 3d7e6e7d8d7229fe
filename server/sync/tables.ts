// What the hub knows about each synced table, derived from the one declaration in
// db/sync/tables.ts: which rules apply to it, and how a row's scope keys are derived from its
// fields (SYNC.md "Who sees what").
import { type ScopeKey, SYNC_TABLES, scopeKeysOf, tablesWithRole } from '#db/sync/tables';

export const MONEY_TABLES: readonly string[] = tablesWithRole('money');
/** Records only the hub writes (a consumed number that lost an issue race): devices read them. */
export const HUB_ONLY_TABLES: readonly string[] = tablesWithRole('hub_only');
export const GLOBAL_TABLES: readonly string[] = tablesWithRole('global');
export const MASTER_TABLES: readonly string[] = [...tablesWithRole('master'), ...GLOBAL_TABLES];

export const SYNCED_TABLES: ReadonlySet<string> = new Set<string>(SYNC_TABLES.keys());
export const isHubOnlyTable = (t: string) => HUB_ONLY_TABLES.includes(t);
export const isMoneyTable = (t: string) => MONEY_TABLES.includes(t);
export const isGlobalTable = (t: string) => GLOBAL_TABLES.includes(t);

/** Tables whose rows change who sees what: a change to one recomputes the writer's scope. */
export const SCOPE_TABLES: ReadonlySet<string> = new Set(
  [...SYNC_TABLES.values()].filter((t) => t.scope).map((t) => t.name),
);

/** The scope keys of a row, stored in hub_rows. */
export interface RowKeys {
  orgId: string | null;
  org2Id: string | null;
  productId: string | null;
  refId: string | null;
  status: string | null;
  access: string | null;
  live: boolean;
}

/** Current field values of a row, decoded from their JSON text. */
export type Fields = Record<string, unknown>;

/** Keys of a parent row another row's scope depends on. */
export type ParentLookup = (table: string, rowId: string) => Promise<RowKeys | null>;

const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export async function rowKeysOf(
  table: string,
  rowId: string,
  f: Fields,
  parent: ParentLookup,
): Promise<RowKeys> {
  const live = f.deleted_at === undefined || f.deleted_at === null;
  const k: RowKeys = {
    orgId: null,
    org2Id: null,
    productId: null,
    refId: null,
    status: null,
    access: null,
    live,
  };
  const described = SYNC_TABLES.get(table);
  if (!described) {
    k.orgId = s(f.organization_id);
    return k;
  }
  // A key taken via a foreign key is the same key of the row it points at (its stored keys).
  const keys = scopeKeysOf(
    described,
    rowId,
    (column) => f[column],
    async (parentTable, parentId, key) => {
      const row = await parent(parentTable, parentId);
      return row?.[key] ?? null;
    },
  );
  const entries = Object.entries(keys) as [ScopeKey, string | null | Promise<string | null>][];
  const values = await Promise.all(entries.map(([, value]) => value));
  entries.forEach(([key], i) => {
    k[key] = values[i] ?? null;
  });
  return k;
}
