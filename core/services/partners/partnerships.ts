// What every partner operation reads and checks first: a partnership and its allocated
// products, who may act for which side, and the rules that span more than one operation
// (one open pair per partner and client, one active complete-access partner per client).
import { and, asc, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { z } from 'zod';
import {
  memberships,
  organizations,
  type PartnerPayment,
  type Partnership,
  type PartnershipSide,
  partnershipProducts,
  partnerships,
  people,
} from '#db/schema/index';
import { fail } from '#common/errors';
import type { ListPartnerships } from '#common/partners.schema';
import type { Ctx, WriteTx } from '../context';
import { getOrganization } from '../organizations.service';
import { liveMembership } from '../people.service';

// ---------------------------------------------------------------------------------------
// Reading.

export interface PartnershipView extends Partnership {
  partnerName: string;
  clientName: string;
  productIds: string[];
}

export function findPartnership(ctx: Ctx, id: string): Partnership {
  return (
    ctx.db
      .select()
      .from(partnerships)
      .where(and(eq(partnerships.id, id), isNull(partnerships.deletedAt)))
      .get() ?? fail('partnership_not_found', { id })
  );
}

export function allocatedProductIds(ctx: Ctx, partnershipId: string): string[] {
  return ctx.db
    .select({ productId: partnershipProducts.productId })
    .from(partnershipProducts)
    .where(and(eq(partnershipProducts.partnershipId, partnershipId), isNull(partnershipProducts.deletedAt)))
    .orderBy(asc(partnershipProducts.productId))
    .all()
    .map((r) => r.productId);
}

function view(ctx: Ctx, p: Partnership): PartnershipView {
  return {
    ...p,
    partnerName: getOrganization(ctx, p.partnerOrganizationId).name,
    clientName: getOrganization(ctx, p.clientOrganizationId).name,
    productIds: allocatedProductIds(ctx, p.id),
  };
}

export function getPartnership(ctx: Ctx, id: string): PartnershipView {
  return view(ctx, findPartnership(ctx, id));
}

export function listPartnerships(ctx: Ctx, input: z.infer<typeof ListPartnerships>): PartnershipView[] {
  getOrganization(ctx, input.organizationId);
  const asPartner = eq(partnerships.partnerOrganizationId, input.organizationId);
  const asClient = eq(partnerships.clientOrganizationId, input.organizationId);
  const side =
    input.role === 'partner' ? asPartner : input.role === 'client' ? asClient : or(asPartner, asClient);
  return ctx.db
    .select()
    .from(partnerships)
    .where(and(side, isNull(partnerships.deletedAt)))
    .orderBy(asc(partnerships.invitedAt), asc(partnerships.id))
    .all()
    .map((p) => view(ctx, p));
}

// ---------------------------------------------------------------------------------------
// Who acts.

type Power = 'legal' | 'admin';

/** The acting person must be a legal representative (or, for `admin`, an administrator) of `organizationId`. */
export function assertActs(ctx: Ctx, organizationId: string, power: Power = 'legal'): string {
  const personId = ctx.actor.personId;
  if (!personId) fail('no_acting_person');
  const roles =
    power === 'legal'
      ? ['legal_representative' as const]
      : ['legal_representative' as const, 'administrator' as const];
  const row = liveMembership(ctx.db, organizationId, personId, roles);
  if (!row) {
    const organization = getOrganization(ctx, organizationId).name;
    fail(power === 'legal' ? 'partner_not_legal_representative' : 'partner_not_administrator', {
      organization,
    });
  }
  return personId;
}

export function orgOf(p: Partnership, side: PartnershipSide): string {
  return side === 'partner' ? p.partnerOrganizationId : p.clientOrganizationId;
}
export const otherSide = (side: PartnershipSide): PartnershipSide =>
  side === 'partner' ? 'client' : 'partner';

export function assertNotClosed(p: Partnership): void {
  if (p.status === 'ended' || p.status === 'refused' || p.status === 'withdrawn')
    fail('partnership_closed', { status: p.status });
}
export function assertPending(p: Partnership): void {
  assertNotClosed(p);
  if (p.status !== 'invited') fail('partnership_not_pending', { status: p.status });
}
export function assertActive(p: Partnership): void {
  assertNotClosed(p);
  if (p.status !== 'active') fail('partnership_not_active', { status: p.status });
}

// ---------------------------------------------------------------------------------------
// Rules.

export function normalizePayment(access: 'limited' | 'complete', payment: PartnerPayment | undefined | null) {
  if (access === 'limited') {
    if (payment) fail('partner_payment_complete_only');
    return null;
  }
  if (!payment) fail('partner_payment_required');
  return payment;
}

export function assertNoOtherComplete(tx: WriteTx, clientOrganizationId: string, exceptId?: string): void {
  const other = tx.db
    .select({ id: partnerships.id, partner: partnerships.partnerOrganizationId })
    .from(partnerships)
    .where(
      and(
        eq(partnerships.clientOrganizationId, clientOrganizationId),
        eq(partnerships.status, 'active'),
        eq(partnerships.access, 'complete'),
        isNull(partnerships.deletedAt),
        exceptId ? ne(partnerships.id, exceptId) : undefined,
      ),
    )
    .get();
  if (other) {
    const ctxOrgName = (id: string) =>
      tx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, id)).get()
        ?.name ?? id;
    fail('partner_complete_taken', {
      client: ctxOrgName(clientOrganizationId),
      partner: ctxOrgName(other.partner),
    });
  }
}

export function assertNoOpenPair(
  tx: WriteTx,
  partnerOrganizationId: string,
  clientOrganizationId: string,
): void {
  if (partnerOrganizationId === clientOrganizationId) fail('partnership_self');
  const open = tx.db
    .select({ id: partnerships.id })
    .from(partnerships)
    .where(
      and(
        eq(partnerships.partnerOrganizationId, partnerOrganizationId),
        eq(partnerships.clientOrganizationId, clientOrganizationId),
        inArray(partnerships.status, ['invited', 'active']),
        isNull(partnerships.deletedAt),
      ),
    )
    .get();
  if (open) {
    fail('partnership_already_open', {
      partner:
        tx.db.select().from(organizations).where(eq(organizations.id, partnerOrganizationId)).get()?.name ??
        '',
      client:
        tx.db.select().from(organizations).where(eq(organizations.id, clientOrganizationId)).get()?.name ??
        '',
    });
  }
}

/** The organization a contact e-mail invites: the one its person legally represents. */
export function clientByEmail(ctx: Ctx, email: string): string {
  const rows = ctx.db
    .select({ organizationId: memberships.organizationId, name: organizations.name })
    .from(people)
    .innerJoin(memberships, eq(memberships.personId, people.id))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(
        eq(people.email, email),
        eq(memberships.role, 'legal_representative'),
        isNull(people.deletedAt),
        isNull(memberships.deletedAt),
        isNull(organizations.deletedAt),
      ),
    )
    .all();
  if (rows.length === 0) fail('partner_invitee_unknown', { email });
  if (rows.length > 1)
    fail('partner_invitee_ambiguous', { email, organizations: rows.map((r) => r.name).join(', ') });
  return (rows[0] as { organizationId: string }).organizationId;
}

export function isLegal(ctx: Ctx, organizationId: string, personId: string): boolean {
  return !!liveMembership(ctx.db, organizationId, personId, ['legal_representative']);
}
