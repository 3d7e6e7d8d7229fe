import { and, eq, isNull } from 'drizzle-orm';
import { type Actor, actorClass } from '#common/authority/actors';
import { can, type Operation, refusesValue } from '#common/authority/table';
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
  if (!can(actor, table, operation, what.column)) refused();
  if (what.values && operation !== 'tombstone' && refusesValue(actor, table, operation, what.values) !== null)
    refused();
}
