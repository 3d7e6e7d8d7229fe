// What an organization may see when it acts (DOMAIN.md "Invoice visibility", "Partnership"),
// derived from the one visibility rule the hub also follows (common/sync/visibility.ts).
// Every rule is an SQL condition on the rows themselves, with uncorrelated subqueries over
// the partnerships of the acting organization: SQLite evaluates each subquery once, the
// outer query keeps its index (a list stays a keyset walk over the same index), and no list
// of ids is ever loaded into JavaScript, however big the book.
//
// No actingOrganizationId means the whole book: the firm's accountant view, as before.
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { invoices, type Organization, organizations, payments, products } from '#db/schema/index';
import { fail } from '#common/errors';
import { actingVisibilityOf, EVERYONE, type RowKey, type ScopeSet } from '#common/sync/visibility';
import type { Ctx } from './context';

export type VisibleKind = 'organization' | 'product' | 'invoice' | 'payment' | 'ledger';

// Only an active partnership grants anything: invited, refused, withdrawn and ended ones
// grant nothing, and ending one takes access away with the very next query.
const ACTIVE = sql.raw(`ps.status = 'active' and ps.deleted_at is null`);

/** Organizations `acting` manages as a partner (both access types): a limited partner sees its client's name. */
export function clientsOf(acting: string): SQL {
  return sql`select ps.client_organization_id from partnerships ps
    where ps.partner_organization_id = ${acting} and ${ACTIVE}`;
}

/** Organizations that manage `acting`: a client sees who its partners are. */
export function partnersOf(acting: string): SQL {
  return sql`select ps.partner_organization_id from partnerships ps
    where ps.client_organization_id = ${acting} and ${ACTIVE}`;
}

/** Clients whose every product `acting` manages (complete access). */
export function completeClientsOf(acting: string): SQL {
  return sql`select ps.client_organization_id from partnerships ps
    where ps.partner_organization_id = ${acting} and ps.access = 'complete' and ${ACTIVE}`;
}

/** Products allocated to `acting` by clients that gave it limited access (live allocations only). */
export function allocatedTo(acting: string): SQL {
  return sql`select pp.product_id from partnership_products pp
    join partnerships ps on ps.id = pp.partnership_id
    where ps.partner_organization_id = ${acting} and ps.access = 'limited' and ${ACTIVE}
      and pp.deleted_at is null`;
}

/** Clients that gave `acting` limited access. */
function limitedClientsOf(acting: string): SQL {
  return sql`select ps.client_organization_id from partnerships ps
    where ps.partner_organization_id = ${acting} and ps.access = 'limited' and ${ACTIVE}`;
}

/**
 * The sets of the one visibility rule (common/sync/visibility.ts) for an acting organization,
 * as conditions on a column: the same sets the hub computes for a user, here from the local
 * partnerships. Sets of rows the hub hands a device only as references (people, tags,
 * addresses named by visible rows) grant nothing on an acting organization's screens.
 */
function inScopeSet(column: SQLiteColumn, set: ScopeSet, acting: string): SQL | null {
  switch (set) {
    case 'member':
      return sql`${column} = ${acting}`;
    case 'full':
      return sql`(${column} = ${acting} or ${column} in (${completeClientsOf(acting)}))`;
    case 'limitedClients':
      return sql`${column} in (${limitedClientsOf(acting)})`;
    case 'limitedProducts':
      return sql`${column} in (${allocatedTo(acting)})`;
    case 'related':
      return sql`${column} in (${partnersOf(acting)})`;
    default:
      return null;
  }
}

/** The rule of `table` for an acting organization, over the columns that hold its keys. */
function actingRuleSql(table: string, acting: string, columns: Partial<Record<RowKey, SQLiteColumn>>): SQL {
  const rule = actingVisibilityOf(table);
  if (rule === EVERYONE) return sql`1 = 1`;
  const grants: SQL[] = [];
  for (const grant of rule) {
    const parts: SQL[] = [];
    for (const [key, set] of grant) {
      const column = columns[key];
      const part = column ? inScopeSet(column, set, acting) : null;
      if (!part) break;
      parts.push(part);
    }
    if (parts.length === grant.length) grants.push(sql.join(parts, sql` and `));
  }
  return grants.length ? sql`(${sql.join(grants, sql` or `)})` : sql`1 = 0`;
}

/** Condition on an organization id column: itself, its clients and its partners in active partnerships. */
export function organizationVisibleSql(acting: string, column: SQLiteColumn = organizations.id): SQL {
  return actingRuleSql('organizations', acting, { rowId: column });
}

/**
 * Condition on the products table: its own products, every product of a client that gave it
 * complete access, and the products a client allocated to it under limited access. Never a
 * product of another partner's client, never an unallocated one.
 */
export function productVisibleSql(acting: string): SQL {
  return actingRuleSql('products', acting, { rowId: products.id, orgId: products.organizationId });
}

/**
 * Condition on the invoices table. An invoice lives with the organization that pays it: the
 * client when the client pays, the partner when the partner pays; the other side never sees it.
 * A plain equality, so lists keep walking invoices_org_issued_idx.
 */
export function invoiceVisibleSql(acting: string): SQL {
  return actingRuleSql('invoices', acting, { orgId: invoices.organizationId });
}

/** The acting organization, which must exist. */
export function actingOrganization(ctx: Ctx, acting: string): Organization {
  // Read here rather than through organizations.service, which imports this module.
  const org = ctx.db
    .select()
    .from(organizations)
    .where(and(eq(organizations.id, acting), isNull(organizations.deletedAt)))
    .get();
  return org ?? fail('organization_not_found', { id: acting });
}

function exists(ctx: Ctx, kind: VisibleKind, id: string, acting: string): boolean {
  switch (kind) {
    case 'organization':
      return !!ctx.db
        .select({ id: organizations.id })
        .from(organizations)
        .where(and(eq(organizations.id, id), organizationVisibleSql(acting)))
        .get();
    case 'product':
      return !!ctx.db
        .select({ id: products.id })
        .from(products)
        .where(and(eq(products.id, id), productVisibleSql(acting)))
        .get();
    case 'invoice':
      return !!ctx.db
        .select({ id: invoices.id })
        .from(invoices)
        .where(and(eq(invoices.id, id), invoiceVisibleSql(acting)))
        .get();
    // A payment belongs to the organization that paid (the one its invoice lives with).
    case 'payment':
      return !!ctx.db
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.id, id), eq(payments.organizationId, acting)))
        .get();
    // A prepaid account belongs to its organization alone; `id` is that organization.
    case 'ledger':
      return id === acting;
  }
}

/**
 * Fails with `not_visible` when `acting` may not see the `kind` row `id` (and with
 * organization_not_found when the acting organization does not exist). Without `acting`,
 * everything is visible. Checks visibility only: whether the row exists is the caller's
 * business (it says invoice_not_found, product_not_found… as before).
 */
export function assertVisible(
  ctx: Ctx,
  acting: string | null | undefined,
  kind: VisibleKind,
  id: string,
): void {
  if (!acting) return;
  const org = actingOrganization(ctx, acting);
  if (!exists(ctx, kind, id, acting)) fail('not_visible', { entity: kind, id, organization: org.name });
}

/**
 * Whether `acting` sees the whole of `organizationId` — itself, or a client that gave it
 * complete access. A limited partner sees only what was allocated to it: never the client's
 * members, nor its tags and addresses beyond the allocated products (the hub's scope agrees).
 */
export function seesWhole(ctx: Ctx, acting: string | null | undefined, organizationId: string): boolean {
  if (!acting || acting === organizationId) return true;
  return !!ctx.db
    .select({ one: sql<number>`1` })
    .from(organizations)
    .where(
      and(eq(organizations.id, organizationId), sql`${organizations.id} in (${completeClientsOf(acting)})`),
    )
    .get();
}

/** May `acting` see the row? (For screens that grey out rather than fail.) */
export function isVisible(ctx: Ctx, acting: string, kind: VisibleKind, id: string): boolean {
  actingOrganization(ctx, acting);
  return exists(ctx, kind, id, acting);
}

/**
 * Where `acting` may create products: in itself, or in a client that gave it complete access
 * (a limited partner cannot order for its client). Products always live with the client.
 */
export function assertMayOrderFor(ctx: Ctx, acting: string | null | undefined, organizationId: string): void {
  if (!acting || acting === organizationId) return;
  const org = actingOrganization(ctx, acting);
  const complete = ctx.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(
        eq(organizations.id, organizationId),
        isNull(organizations.deletedAt),
        sql`${organizations.id} in (${completeClientsOf(acting)})`,
      ),
    )
    .get();
  if (complete) return;
  const managed = ctx.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, organizationId), sql`${organizations.id} in (${clientsOf(acting)})`))
    .get();
  if (managed) fail('partner_cannot_order');
  fail('not_visible', { entity: 'organization', id: organizationId, organization: org.name });
}
