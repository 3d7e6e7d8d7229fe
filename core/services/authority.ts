import { and, eq, isNull } from 'drizzle-orm';
import { type Actor, actorClass } from '#common/authority/actors';
import {
  AUTHORITY,
  allowedTo,
  can,
  type Operation,
  refusesTransition,
  refusesValue,
} from '#common/authority/table';
import { fail } from '#common/errors';
import { memberships, partnerships } from '#db/schema/index';
import type { Ctx } from './context';

// The device refuses before writing what the hub would refuse (common/authority's table, the
// same codes): the acting person's class on the organization a row belongs to, read from this
// device's own store. No acting person is the book's keeper — the firm's administrator, as
// every call without one has always been (core/services/visibility.ts).

type Role = 'legal_representative' | 'administrator' | 'accountant' | 'member';
const RANK: Record<Role, number> = { legal_representative: 3, administrator: 2, accountant: 1, member: 0 };

/** The acting person's class on an organization (null: none — a stranger to it). */
export function actorOn(ctx: Ctx, organizationId: string | null): Actor | null {
  const personId = ctx.actor.personId;
  if (!personId) return 'firm_administrator';
  if (!organizationId) return null;
  const roles = ctx.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.personId, personId),
        eq(memberships.organizationId, organizationId),
        isNull(memberships.deletedAt),
      ),
    )
    .all()
    .map((r) => r.role as Role)
    .sort((a, b) => RANK[b] - RANK[a]);
  if (roles[0]) return roles[0];
  // Whoever created it acts as its legal representative (the hub's rule for the user that
  // pushed a new organization): it names the first members.
  const created = ctx.raw
    .prepare(
      "SELECT 1 FROM activity WHERE organization_id = ? AND entity = 'organizations' AND entity_id = ? AND actor_person_id = ? AND before IS NULL LIMIT 1",
    )
    .pluck()
    .get(organizationId, organizationId, personId);
  if (created) return 'legal_representative';
  // A partner of it: an active partnership of an organization the person belongs to.
  const own = ctx.db
    .select({ org: memberships.organizationId })
    .from(memberships)
    .where(and(eq(memberships.personId, personId), isNull(memberships.deletedAt)))
    .all()
    .map((r) => r.org);
  const p = ctx.db
    .select()
    .from(partnerships)
    .where(
      and(
        eq(partnerships.clientOrganizationId, organizationId),
        eq(partnerships.status, 'active'),
        isNull(partnerships.deletedAt),
      ),
    )
    .all()
    .find((x) => own.includes(x.partnerOrganizationId));
  return p
    ? actorClass({ firmRole: null, role: null, partnership: { access: p.access, payment: p.payment } })
    : null;
}

/** Refuses (not_allowed, as the hub would) what the acting person may not do to this table. */
export function requireAuthority(
  ctx: Ctx,
  table: string,
  operation: Operation,
  organizationId: string | null,
  what: { column?: string; values?: Record<string, unknown> } = {},
): void {
  const actor = actorOn(ctx, organizationId);
  const refused = () =>
    fail('not_allowed', { table, operation, column: what.column ?? null, actor: actor ?? 'none' });
  if (!allowedTo(actor, table, operation, what)) refused();
}

/** The organizations a row is judged against, read from this device's store (common/authority's owner rule). */
function ownersOf(ctx: Ctx, table: string, row: Record<string, unknown>): (string | null)[] | 'new person' {
  const o = AUTHORITY[table]?.owner;
  if (!o || 'global' in o) return [null];
  if ('self' in o) return [typeof row.id === 'string' ? row.id : null];
  if ('person' in o) {
    const orgs = ctx.raw
      .prepare('SELECT DISTINCT organization_id FROM memberships WHERE person_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(row.id) as string[];
    // A person no organization holds yet: its membership, written next, is judged instead.
    return orgs.length > 0 ? orgs : 'new person';
  }
  if ('via' in o) {
    const col = o.via === 'partnerships' ? 'client_organization_id' : 'organization_id';
    const parent = ctx.raw.prepare(`SELECT "${col}" FROM "${o.via}" WHERE id = ?`).pluck().get(row[o.column]);
    return [typeof parent === 'string' ? parent : null];
  }
  const owner = row[o.column];
  return [typeof owner === 'string' ? owner : null];
}

/** The partner's side of a partnership: its class when the acting person represents the partner. */
function partnerSide(ctx: Ctx, row: Record<string, unknown>): Actor | null {
  const role = ctx.raw
    .prepare(
      "SELECT 1 FROM memberships WHERE person_id = ? AND organization_id = ? AND role = 'legal_representative' AND deleted_at IS NULL",
    )
    .pluck()
    .get(ctx.actor.personId, row.partner_organization_id);
  if (!role) return null;
  const access = row.access === 'complete' ? 'complete' : 'limited';
  const payment = row.payment === 'partner' ? 'partner' : row.payment === 'client' ? 'client' : null;
  return actorClass({ firmRole: null, role: null, partnership: { access, payment } });
}

/**
 * The one device-side check, run by the write path (context.ts) before every tracked write:
 * the acting person may do this to this row, by common/authority's table, judged against the
 * row as this store holds it (its owner, never the new values' claim). Refused with the hub's
 * code (not_allowed, field_fixed), naming the table, the operation and the column.
 */
export function requireWriteAuthority(
  ctx: Ctx,
  table: string,
  stored: Record<string, unknown> | null,
  values: Record<string, unknown>,
): void {
  const rule = AUTHORITY[table];
  if (!rule) return;
  const row = stored ?? values;
  // Fixed fields stay fixed for everyone, the firm included (the hub answers field_fixed).
  if (stored)
    for (const [column, value] of Object.entries(values))
      if (
        rule.fields[column]?.update === 'never' &&
        JSON.stringify(value) !== JSON.stringify(stored[column] ?? null)
      )
        refuseWrite('field_fixed', table, 'update', column, null);
  let actors: (Actor | null)[];
  if (!ctx.actor.personId) actors = ['firm_administrator'];
  else if (table === 'partnerships' && !actorOn(ctx, String(row.client_organization_id ?? '')))
    actors = [partnerSide(ctx, row)];
  else if (table === 'partnerships') actors = [actorOn(ctx, String(row.client_organization_id))];
  else {
    const owners = ownersOf(ctx, table, row);
    if (owners === 'new person') return;
    actors = owners.map((org) => actorOn(ctx, org));
  }
  // No closures made per write here: this runs for every tracked write (a billing run, ~40,000).
  if (!stored) {
    if (!actors.some((a) => can(a, table, 'insert') && refusesValue(a, table, 'insert', values) === null))
      refuseWrite('not_allowed', table, 'insert', null, actors[0] ?? null);
    return;
  }
  for (const [column, value] of Object.entries(values)) {
    if (column === 'deleted_at') {
      const op = value === null ? 'insert' : 'tombstone';
      if (!actors.some((a) => can(a, table, op))) refuseWrite('not_allowed', table, op, column, actors[0] ?? null);
      continue;
    }
    if (!rule.fields[column]) continue;
    const change = { [column]: value };
    if (
      !actors.some(
        (a) =>
          can(a, table, 'update', column) &&
          refusesValue(a, table, 'update', change) === null &&
          refusesTransition(a, table, stored, change) === null,
      )
    )
      refuseWrite('not_allowed', table, 'update', column, actors[0] ?? null);
  }
}

function refuseWrite(
  code: 'not_allowed' | 'field_fixed',
  table: string,
  operation: string,
  column: string | null,
  actor: Actor | null,
): never {
  return fail(code, { table, operation, column, actor: actor ?? 'none' });
}
