import { SCOPE_SETS, type ScopeSet, sees } from '#common/sync/visibility';
import { chunks, type Sql, type Statement } from './store/types';

/**
 * What one user may see and write (SYNC.md "Who sees what"), computed from hub state only:
 * - member: organizations an admin linked the user to, or that the user created;
 * - full: member ∪ clients of the member organizations' active complete-access partnerships;
 * - limited products: products allocated to the member organizations' active limited partnerships
 *   (with their tags, and the client organization's own row);
 * - related: the organization on the other side of a partnership in any state, and the payer
 *   and issuer of a visible invoice (their rows only);
 * - people: persons with a live membership in a full organization.
 * - referenced: rows a visible row points at that would otherwise be out of scope — the billing
 *   address of an allocated product, the people named on a partnership (who invited, answered,
 *   ended) — seen, never written: without them a limited partner's device could never insert
 *   the product or the partnership (their foreign keys would wait forever).
 */
export type Scope = Record<ScopeSet, Set<string>>;

export type ScopeJson = Record<keyof Scope, string[]>;

const SCOPE_KEYS: readonly ScopeSet[] = SCOPE_SETS;

async function inChunks(
  sql: Sql,
  prefix: string,
  ids: Iterable<string>,
  suffix = '',
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const part of chunks([...ids], 500)) {
    out.push(...(await sql.all(`${prefix} (${part.map(() => '?').join(', ')})${suffix}`, part)));
  }
  return out;
}

/** A row of the scope's first reads: `k` says which (p: partnership, i: invoice sides, m: person). */
export interface ScopeRead {
  k: 'p' | 'i' | 'm';
  row_id: string | null;
  org_id: string | null;
  org2_id: string | null;
  status: string | null;
  access: string | null;
  live: number | null;
}

// The three reads every scope starts with, each a branch of one UNION ALL (casts: PostgreSQL
// types a UNION's NULL columns by its first branch). Partnerships: those with a member
// organization on either side (the clients of full-access partnerships come after, by
// clientPartnerships) — never every partnership of the hub, which each push would read.
// Invoices: both sides named by the member organizations' invoices. People: a live
// membership's person (its ref_id) in the given organizations. Migration 007 indexes org2_id
// so that both ORs are index reads.
const PARTNERSHIP =
  "SELECT CAST('p' AS TEXT) AS k, row_id, org_id, org2_id, status, access, live FROM hub_rows WHERE table_name = 'partnerships' AND";
const INVOICE_SIDES =
  "SELECT DISTINCT CAST('i' AS TEXT) AS k, CAST(NULL AS TEXT) AS row_id, org_id, org2_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS BIGINT) FROM hub_rows WHERE table_name = 'invoices' AND";
const PEOPLE =
  "SELECT CAST('m' AS TEXT) AS k, ref_id AS row_id, org_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS BIGINT) FROM hub_rows WHERE table_name = 'memberships' AND live = 1 AND";

/** The three first reads over the member organizations (`member(column)`: the column is one of them). */
const firstReadsIn = (member: (column: string) => string) =>
  `${PARTNERSHIP} (${member('org_id')} OR ${member('org2_id')}) UNION ALL ${INVOICE_SIDES} (${member('org_id')} OR ${member('org2_id')}) UNION ALL ${PEOPLE} ${member('org_id')}`;

/**
 * The scope's first reads in one round trip (a push computes the scope every time: each round
 * trip counts on PostgreSQL). More member organizations than one statement's list: one read
 * each, the lists in chunks (a partnership between two chunks comes twice: scopeOf keeps one).
 */
async function firstReads(sql: Sql, member: ReadonlySet<string>): Promise<ScopeRead[]> {
  const ids = [...member];
  if (ids.length === 0) return [];
  if (ids.length <= 500) {
    const marks = `(${ids.map(() => '?').join(', ')})`;
    return sql.all<ScopeRead>(firstReadsIn((column) => `${column} IN ${marks}`), [...ids, ...ids, ...ids, ...ids, ...ids]);
  }
  const out: ScopeRead[] = [];
  for (const part of chunks(ids, 500)) {
    const marks = `(${part.map(() => '?').join(', ')})`;
    out.push(
      ...(await sql.all<ScopeRead>(`${PARTNERSHIP} (org_id IN ${marks} OR org2_id IN ${marks})`, [
        ...part,
        ...part,
      ])),
    );
    out.push(
      ...(await sql.all<ScopeRead>(`${INVOICE_SIDES} (org_id IN ${marks} OR org2_id IN ${marks})`, [
        ...part,
        ...part,
      ])),
    );
  }
  return [...out, ...((await inChunks(sql, `${PEOPLE} org_id IN`, ids)) as unknown as ScopeRead[])];
}

/**
 * PostgreSQL, a push's opening (server/sync/push-opening.ts): the user's links (`k` 'l', the
 * organization in row_id, `created` in live) and the scope's first reads over them, in one
 * statement — one snapshot, so the links and what was read for them agree. The links are read
 * once (a materialized CTE: a prepared statement's generic plan, not knowing the user, may
 * scan the table) and used as an array (`= ANY`), which keeps both sides of each `OR` an
 * index read as a list does (a bitmap OR of the two indexes once the table holds rows).
 */
export function linksAndFirstReads(userId: string): Statement {
  // The cast makes the subquery a scalar (an array), not `= ANY (subquery)` over rows.
  const member = (column: string) => `${column} = ANY(CAST((SELECT ids FROM a) AS text[]))`;
  return {
    text: `WITH m AS MATERIALIZED (SELECT organization_id, created FROM hub_user_orgs WHERE user_id = ?),
         a AS MATERIALIZED (SELECT ARRAY(SELECT organization_id FROM m) AS ids)
       SELECT CAST('l' AS TEXT) AS k, organization_id AS row_id, CAST(NULL AS TEXT) AS org_id, CAST(NULL AS TEXT) AS org2_id,
              CAST(NULL AS TEXT) AS status, CAST(NULL AS TEXT) AS access, created AS live
         FROM m UNION ALL ${firstReadsIn(member)}`,
    params: [userId],
  };
}

/** linksAndFirstReads' rows: the links, and the first reads scopeOf takes. */
export function splitLinks(rows: readonly Record<string, unknown>[]): {
  links: { organization_id: string; created: number }[];
  first: ScopeRead[];
} {
  const links: { organization_id: string; created: number }[] = [];
  const first: ScopeRead[] = [];
  for (const r of rows) {
    if (r.k === 'l') links.push({ organization_id: String(r.row_id), created: Number(r.live) });
    else first.push(r as unknown as ScopeRead);
  }
  return { links, first };
}

/**
 * What the full-access clients that are not member organizations bring: their partnerships (a
 * client's partnership with another firm is its own row, seen with the client's rows) and their
 * people, in one read per 500 clients; none without such clients.
 */
async function clientReads(sql: Sql, clients: string[]): Promise<ScopeRead[]> {
  const out: ScopeRead[] = [];
  for (const part of chunks(clients, 500)) {
    const marks = `(${part.map(() => '?').join(', ')})`;
    out.push(
      ...(await sql.all<ScopeRead>(`${PARTNERSHIP} org_id IN ${marks} UNION ALL ${PEOPLE} org_id IN ${marks}`, [
        ...part,
        ...part,
      ])),
    );
  }
  return out;
}

/**
 * `linked`: the user's links when the caller has just read them (a push's actor), and `first`
 * the first reads over them when read in the same statement (linksAndFirstReads): reads fewer.
 */
export async function scopeOf(
  sql: Sql,
  userId: string,
  linked?: ReadonlySet<string>,
  preread?: ScopeRead[],
): Promise<Scope> {
  const member = new Set(
    linked ??
      (
        await sql.all<{ organization_id: string }>(
          'SELECT organization_id FROM hub_user_orgs WHERE user_id = ?',
          [userId],
        )
      ).map((r) => r.organization_id),
  );
  const full = new Set(member);
  const limitedClients = new Set<string>();
  const related = new Set<string>();
  const limitedPartnerships: string[] = [];
  const first = linked && preread ? preread : await firstReads(sql, member);
  // By row: a partnership read twice (both sides in different chunks, or a client's partnership
  // with a member organization read again below) counts once.
  const byId = new Map<string, ScopeRead & { row_id: string }>();
  const keep = (rows: ScopeRead[]) => {
    for (const r of rows)
      if (r.k === 'p' && r.row_id !== null) byId.set(r.row_id, { ...r, row_id: r.row_id });
  };
  keep(first);
  // Only a partnership whose firm (org2_id) is a member makes a client: all of them were read.
  for (const p of byId.values()) {
    if (!p.live || !p.org_id || !p.org2_id || !member.has(p.org2_id) || p.status !== 'active') continue;
    if (p.access === 'complete') full.add(p.org_id);
    else {
      limitedClients.add(p.org_id);
      limitedPartnerships.push(p.row_id);
    }
  }
  const clients = await clientReads(
    sql,
    [...full].filter((o) => !member.has(o)),
  );
  keep(clients);
  const partnerships = [...byId.values()];
  // Every state, ended and refused included: the partnership row is its two sides' own record,
  // and it points at both organizations, so without the other side's row it would wait on the
  // device forever (and every row pointing at it with it). Ending takes the client's rows away,
  // not the partnership nor the name of the organization on its other side.
  for (const p of partnerships) {
    if (!p.live || !p.org_id || !p.org2_id) continue;
    if (full.has(p.org_id) || member.has(p.org2_id)) {
      related.add(p.org_id);
      related.add(p.org2_id);
    }
  }
  // The organizations a visible invoice names — its payer and its issuer (the firm's provider
  // issues to a partner, a partner to its client) — their rows only: else the invoice waits on
  // the device for its issuer forever.
  for (const r of first) {
    if (r.k !== 'i') continue;
    for (const [seen, other] of [
      [r.org_id, r.org2_id],
      [r.org2_id, r.org_id],
    ])
      if (seen && member.has(seen) && other && !full.has(other)) related.add(other);
  }
  const limitedProducts = new Set(
    (
      await inChunks(
        sql,
        "SELECT product_id FROM hub_rows WHERE table_name = 'partnership_products' AND live = 1 AND ref_id IN",
        limitedPartnerships,
      )
    ).map((r) => String(r.product_id)),
  );
  // The member organizations' people came with the first reads, the full-access clients' with
  // their partnerships.
  const people = new Set([...first, ...clients].filter((r) => r.k === 'm').map((r) => String(r.row_id)));
  const tags = new Set(
    (
      await inChunks(
        sql,
        "SELECT ref_id FROM hub_rows WHERE table_name = 'product_tags' AND live = 1 AND product_id IN",
        limitedProducts,
      )
    ).map((r) => String(r.ref_id)),
  );
  const idsIn = (rows: Record<string, unknown>[]) =>
    new Set(
      rows
        .map((r) => (typeof r.value === 'string' ? (JSON.parse(r.value) as unknown) : null))
        .filter((v): v is string => typeof v === 'string'),
    );
  const referencedAddresses = idsIn(
    await inChunks(
      sql,
      "SELECT value FROM hub_fields WHERE table_name = 'products' AND column_name = 'billing_address_id' AND row_id IN",
      limitedProducts,
    ),
  );
  const visiblePartnerships = partnerships
    .filter((p) => p.live && ((p.org_id && full.has(p.org_id)) || (p.org2_id && member.has(p.org2_id))))
    .map((p) => p.row_id);
  const referencedPeople = idsIn(
    await inChunks(
      sql,
      "SELECT value FROM hub_fields WHERE table_name = 'partnerships' AND column_name IN ('invited_by_person_id', 'responded_by_person_id', 'ended_by_person_id') AND row_id IN",
      visiblePartnerships,
    ),
  );
  return {
    member,
    full,
    limitedClients,
    limitedProducts,
    related,
    people,
    tags,
    referencedAddresses,
    referencedPeople,
  };
}

/**
 * Whether a write of a row of `table`, its product key `before` (null: a new row) and `after`
 * it, leaves `scope` exactly as scopeOf would read it again after the write. A tag link
 * (product_tags) enters a scope only as a tag of a limited product (`tags` above): a link of
 * any other product changes nobody's scope, and the push need not write and read the scope
 * again for it (tagging 2,000 products read the whole scope 2,000 times). Every other table
 * whose rows change a scope: false, read it again.
 */
export function scopeKeptBy(
  scope: Scope,
  table: string,
  before: { productId: string | null } | null,
  after: { productId: string | null },
): boolean {
  if (table !== 'product_tags') return false;
  return !has(scope.limitedProducts, before?.productId ?? null) && !has(scope.limitedProducts, after.productId);
}

export interface KeyedRow {
  table_name: string;
  row_id: string;
  org_id: string | null;
  org2_id: string | null;
  product_id: string | null;
}

const has = (set: Set<string>, v: string | null) => v !== null && set.has(v);

const KEY_COLUMN = { orgId: 'org_id', org2Id: 'org2_id', productId: 'product_id' } as const;

/** The one visibility rule (common/sync/visibility.ts) over this user's scope. */
export function canSee(scope: Scope, r: KeyedRow): boolean {
  return sees(
    r.table_name,
    (k) => (k === 'rowId' ? r.row_id : r[KEY_COLUMN[k]]),
    (set, value) => scope[set].has(value),
  );
}

/**
 * Whether the user may write this row. Like seeing it, except that an organization's own
 * row is written only by those with full access to it (a limited partner sees the client's
 * name, it does not edit it), a limited partner writes only the allocated products, and only
 * the client's side allocates products to a partner.
 */
export function canWrite(scope: Scope, r: KeyedRow): boolean {
  if (r.table_name === 'organizations') return scope.full.has(r.row_id);
  // Rows seen only because a visible row points at them stay read-only.
  if (r.table_name === 'people') return scope.people.has(r.row_id);
  if (r.table_name === 'billing_addresses') return has(scope.full, r.org_id);
  if (r.table_name === 'tags' || r.table_name === 'product_tags') return has(scope.full, r.org_id);
  // Allocating a client's products grants access to them: the client's side decides.
  if (r.table_name === 'partnership_products') return has(scope.full, r.org_id);
  return canSee(scope, r);
}

export function scopeToJson(scope: Scope): ScopeJson {
  return Object.fromEntries(SCOPE_KEYS.map((k) => [k, [...scope[k]].sort()])) as ScopeJson;
}

/** What the device's last synced scope lacks now (lost) and what it did not have (gained). */
export function scopeDiff(
  before: ScopeJson,
  now: Scope,
): { lost: boolean; gained: Record<keyof Scope, string[]> } {
  let lost = false;
  const gained = {} as Record<keyof Scope, string[]>;
  for (const k of SCOPE_KEYS) {
    const old = new Set(before[k] ?? []);
    for (const v of old) if (!now[k].has(v)) lost = true;
    gained[k] = [...now[k]].filter((v) => !old.has(v));
  }
  return { lost, gained };
}
