// Who sees which row (SYNC.md "Who sees what"), stated ONCE as a table: for each synced table,
// the ways a row of it may be seen, each a conjunction of "this key of the row is in that set
// of the viewer's scope". Both sides derive their checks from it:
// - the hub (server/scope.ts canSee, server/sync/visible-sql.ts) over the sets of one user's
//   scope, computed from the hub's state, as JavaScript for pulled changes and as SQL for the
//   snapshot scan;
// - the device (core/services/visibility.ts) over the same sets of one acting organization,
//   as SQL subqueries over its local partnerships.
// The row keys are the scope keys db/sync/tables.ts files every row under (hub_rows columns).

/** The keys a row is filed under (db/sync/tables.ts declares where each table takes them). */
export type ScopeKey = 'orgId' | 'org2Id' | 'productId' | 'refId' | 'status' | 'access';

/** The sets of a viewer's scope (server/scope.ts computes them for a hub user). */
export const SCOPE_SETS = [
  'member',
  'full',
  'limitedClients',
  'limitedProducts',
  'related',
  'people',
  'tags',
  'referencedAddresses',
  'referencedPeople',
] as const;
export type ScopeSet = (typeof SCOPE_SETS)[number];

/** What a grant tests: the row's own id, or one of its scope keys. */
export type RowKey = 'rowId' | Extract<ScopeKey, 'orgId' | 'org2Id' | 'productId'>;

/** One way to see a row: every (row key ∈ set) of it holds. */
export type Grant = readonly (readonly [RowKey, ScopeSet])[];

/** Rows everyone sees (tables without an organization: the firm's price book and tiers). */
export const EVERYONE = 'everyone';
export type Visibility = readonly Grant[] | typeof EVERYONE;

const fullOrg: Grant = [['orgId', 'full']];

/** Tables not named here are seen by whoever sees their organization whole. */
export const DEFAULT_VISIBILITY: readonly Grant[] = [fullOrg];

export const VISIBILITY: Readonly<Record<string, Visibility>> = {
  degressive_tiers: EVERYONE,
  price_book: EVERYONE,
  // A limited partner sees its client's name; both ends of a partnership see each other's.
  organizations: [[['rowId', 'full']], [['rowId', 'limitedClients']], [['rowId', 'related']]],
  people: [[['rowId', 'people']], [['rowId', 'referencedPeople']]],
  billing_addresses: [fullOrg, [['rowId', 'referencedAddresses']]],
  tags: [fullOrg, [['rowId', 'tags']]],
  products: [fullOrg, [['rowId', 'limitedProducts']]],
  product_tags: [fullOrg, [['productId', 'limitedProducts']]],
  // Money and documents: the payer's side and the issuer's, never a partner in between.
  invoices: [[['orgId', 'member']], [['org2Id', 'member']]],
  invoice_voids: [[['orgId', 'member']], [['org2Id', 'member']]],
  payments: [[['orgId', 'member']], [['org2Id', 'member']]],
  ledger_entries: [[['orgId', 'member']], [['org2Id', 'member']]],
  renewals: [[['orgId', 'member']], [['org2Id', 'member']]],
  reminders: [[['orgId', 'member']], [['org2Id', 'member']]],
  partnerships: [fullOrg, [['org2Id', 'member']]],
  // The partner's side sees an allocation only while it sees the product: an allocation of
  // an ended partnership would otherwise wait on its device forever for a product it lost.
  partnership_products: [
    fullOrg,
    [
      ['org2Id', 'member'],
      ['productId', 'limitedProducts'],
    ],
  ],
};

export function visibilityOf(table: string): Visibility {
  return VISIBILITY[table] ?? DEFAULT_VISIBILITY;
}

/**
 * What an acting organization's screens list on the device, where it narrows what its
 * device holds: an invoice lives with the organization that pays it (DOMAIN.md "Invoice
 * visibility"); the issuer's device holds it to book and send it, its partner screens don't.
 */
export const ACTING_VIEW: Readonly<Record<string, readonly Grant[]>> = {
  invoices: [[['orgId', 'member']]],
};

export function actingVisibilityOf(table: string): Visibility {
  return ACTING_VIEW[table] ?? visibilityOf(table);
}

/** The rule as a predicate over a row's keys and a membership test of the scope's sets. */
export function sees(
  table: string,
  key: (k: RowKey) => string | null,
  inSet: (set: ScopeSet, value: string) => boolean,
): boolean {
  const rule = visibilityOf(table);
  if (rule === EVERYONE) return true;
  return rule.some((grant) =>
    grant.every(([k, set]) => {
      const v = key(k);
      return v !== null && inSet(set, v);
    }),
  );
}
