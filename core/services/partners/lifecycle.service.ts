// The partnership lifecycle (DOMAIN.md "Partnership"): invitation from either side,
// accept/refuse/resend/withdraw, end, and the client's changes of payment and access, which
// leave the partner a notice.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { partnerNotices, partnershipProducts, partnerships } from '#db/schema/index';
import { fail } from '#common/errors';
import type {
  AcceptPartnership,
  AddPartner,
  ChangeAccess,
  ChangePayment,
  EndPartnership,
  InviteClient,
  MarkNoticesSeen,
} from '#common/partners.schema';
import type { Ctx } from '../context';
import { getOrganization } from '../organizations.service';
import { allocate, deallocateAll } from './allocations.service';
import {
  allocatedProductIds,
  assertActive,
  assertActs,
  assertNoOpenPair,
  assertNoOtherComplete,
  assertPending,
  clientByEmail,
  findPartnership,
  getPartnership,
  isLegal,
  normalizePayment,
  orgOf,
  otherSide,
  type PartnershipView,
} from './partnerships';

// ---------------------------------------------------------------------------------------
// Lifecycle.

export function inviteClient(ctx: Ctx, input: z.infer<typeof InviteClient>): PartnershipView {
  const created = ctx.write('partnership.invited', (tx) => {
    getOrganization(ctx, input.partnerOrganizationId);
    const personId = assertActs(ctx, input.partnerOrganizationId);
    const clientId = input.clientOrganizationId ?? clientByEmail(ctx, input.clientEmail as string);
    getOrganization(ctx, clientId);
    const payment = normalizePayment(input.access, input.payment);
    assertNoOpenPair(tx, input.partnerOrganizationId, clientId);
    const stamp = tx.now.toISOString();
    return tx.insert(partnerships, {
      partnerOrganizationId: input.partnerOrganizationId,
      clientOrganizationId: clientId,
      requestedAccess: input.access,
      requestedPayment: payment,
      access: input.access,
      payment,
      status: 'invited',
      invitedBy: 'partner',
      invitedByPersonId: personId,
      invitedEmail: input.clientEmail ?? null,
      invitedAt: stamp,
      lastSentAt: stamp,
      sendCount: 1,
    });
  });
  return getPartnership(ctx, created.id);
}

export function addPartner(ctx: Ctx, input: z.infer<typeof AddPartner>): PartnershipView {
  const created = ctx.write('partnership.invited', (tx) => {
    getOrganization(ctx, input.clientOrganizationId);
    getOrganization(ctx, input.partnerOrganizationId);
    const personId = assertActs(ctx, input.clientOrganizationId);
    const payment = normalizePayment(input.access, input.payment);
    if (input.access === 'complete' && input.productIds.length > 0) fail('partner_limited_only');
    assertNoOpenPair(tx, input.partnerOrganizationId, input.clientOrganizationId);
    const stamp = tx.now.toISOString();
    const row = tx.insert(partnerships, {
      partnerOrganizationId: input.partnerOrganizationId,
      clientOrganizationId: input.clientOrganizationId,
      requestedAccess: input.access,
      requestedPayment: payment,
      access: input.access,
      payment,
      status: 'invited',
      invitedBy: 'client',
      invitedByPersonId: personId,
      invitedEmail: null,
      invitedAt: stamp,
      lastSentAt: stamp,
      sendCount: 1,
    });
    // The client picks the products now; they are the partner's once it accepts.
    allocate(tx, row, input.productIds);
    return row;
  });
  return getPartnership(ctx, created.id);
}

export function acceptPartnership(ctx: Ctx, input: z.infer<typeof AcceptPartnership>): PartnershipView {
  ctx.write('partnership.accepted', (tx) => {
    const p = findPartnership(ctx, input.partnershipId);
    assertPending(p);
    const side = otherSide(p.invitedBy);
    const personId = assertActs(ctx, orgOf(p, side));
    // The client decides what it grants (seeds: "may grant different access rights").
    const grants =
      input.access !== undefined || input.payment !== undefined || input.productIds !== undefined;
    if (grants && side !== 'client') fail('partnership_wrong_side', { side: 'client' });
    const access = input.access ?? p.access;
    const payment = normalizePayment(
      access,
      access === 'limited' ? input.payment : (input.payment ?? p.payment),
    );
    if (access === 'complete') {
      if (input.productIds?.length) fail('partner_limited_only');
      assertNoOtherComplete(tx, p.clientOrganizationId, p.id);
      deallocateAll(tx, p.id);
    }
    const updated = tx.update(partnerships, p.id, {
      status: 'active',
      access,
      payment,
      respondedAt: tx.now.toISOString(),
      respondedByPersonId: personId,
    });
    if (access === 'limited' && input.productIds) allocate(tx, updated, input.productIds);
  });
  return getPartnership(ctx, input.partnershipId);
}

export function refusePartnership(ctx: Ctx, partnershipId: string): PartnershipView {
  ctx.write('partnership.refused', (tx) => {
    const p = findPartnership(ctx, partnershipId);
    assertPending(p);
    const personId = assertActs(ctx, orgOf(p, otherSide(p.invitedBy)));
    // Allocations are the client's to take back (common/authority): a partner refusing the
    // client's invitation leaves them to the client; a refused partnership grants nothing.
    if (p.invitedBy === 'partner') deallocateAll(tx, p.id);
    tx.update(partnerships, p.id, {
      status: 'refused',
      respondedAt: tx.now.toISOString(),
      respondedByPersonId: personId,
    });
  });
  return getPartnership(ctx, partnershipId);
}

export function resendInvitation(ctx: Ctx, partnershipId: string): PartnershipView {
  ctx.write('partnership.resent', (tx) => {
    const p = findPartnership(ctx, partnershipId);
    assertPending(p);
    assertActs(ctx, orgOf(p, p.invitedBy));
    tx.update(partnerships, p.id, { lastSentAt: tx.now.toISOString(), sendCount: p.sendCount + 1 });
  });
  return getPartnership(ctx, partnershipId);
}

export function withdrawInvitation(ctx: Ctx, partnershipId: string): PartnershipView {
  ctx.write('partnership.withdrawn', (tx) => {
    const p = findPartnership(ctx, partnershipId);
    assertPending(p);
    const personId = assertActs(ctx, orgOf(p, p.invitedBy));
    deallocateAll(tx, p.id);
    tx.update(partnerships, p.id, {
      status: 'withdrawn',
      endedAt: tx.now.toISOString(),
      endedBy: p.invitedBy,
      endedByPersonId: personId,
    });
  });
  return getPartnership(ctx, partnershipId);
}

/** Either side ends an active partnership, confirmed; the partner loses access at once. */
export function endPartnership(ctx: Ctx, input: z.infer<typeof EndPartnership>): PartnershipView {
  ctx.write('partnership.ended', (tx) => {
    const p = findPartnership(ctx, input.partnershipId);
    assertActive(p);
    const personId = ctx.actor.personId;
    if (!personId) fail('no_acting_person');
    let side = input.side;
    if (!side) {
      // The side the acting person represents (the partner's first if both).
      side = isLegal(ctx, p.partnerOrganizationId, personId) ? 'partner' : 'client';
    }
    assertActs(ctx, orgOf(p, side));
    if (!input.confirm) fail('partnership_confirm_required');
    deallocateAll(tx, p.id);
    tx.update(partnerships, p.id, {
      status: 'ended',
      endedAt: tx.now.toISOString(),
      endedBy: side,
      endedByPersonId: personId,
    });
  });
  return getPartnership(ctx, input.partnershipId);
}

/** The client changes whose payment methods pay; the partner gets a notice (and its activity row). */
export function changePayment(ctx: Ctx, input: z.infer<typeof ChangePayment>): PartnershipView {
  ctx.write('partnership.payment_changed', (tx) => {
    const p = findPartnership(ctx, input.partnershipId);
    assertActive(p);
    assertActs(ctx, p.clientOrganizationId, 'admin');
    if (p.access !== 'complete') fail('partner_payment_complete_only');
    if (p.payment === input.payment) return;
    tx.update(partnerships, p.id, { payment: input.payment });
    tx.insert(partnerNotices, {
      organizationId: p.partnerOrganizationId,
      partnershipId: p.id,
      kind: 'payment_changed',
      before: { payment: p.payment },
      after: { payment: input.payment },
      readAt: null,
    });
  });
  return getPartnership(ctx, input.partnershipId);
}

/**
 * The client changes an active partnership's access. Granting complete access is a legal
 * representative's decision (as adding a partner is), and the one-complete-partner rule holds;
 * going limited takes the chosen products only. The partner gets a notice.
 */
export function changeAccess(ctx: Ctx, input: z.infer<typeof ChangeAccess>): PartnershipView {
  ctx.write('partnership.access_changed', (tx) => {
    const p = findPartnership(ctx, input.partnershipId);
    assertActive(p);
    assertActs(ctx, p.clientOrganizationId);
    const payment = normalizePayment(
      input.access,
      input.access === 'complete'
        ? (input.payment ?? (p.access === 'complete' ? p.payment : undefined))
        : input.payment,
    );
    const before = { access: p.access, payment: p.payment, productIds: allocatedProductIds(ctx, p.id) };
    if (input.access === 'complete') {
      if (input.productIds?.length) fail('partner_limited_only');
      if (p.access === 'complete' && p.payment === payment) return;
      assertNoOtherComplete(tx, p.clientOrganizationId, p.id);
      deallocateAll(tx, p.id);
    } else {
      if (p.access === 'limited' && input.productIds === undefined) return;
      const keep = new Set(input.productIds ?? []);
      for (const id of before.productIds) if (!keep.has(id)) tx.remove(partnershipProducts, `${p.id}:${id}`);
    }
    const updated = tx.update(partnerships, p.id, { access: input.access, payment });
    if (input.access === 'limited' && input.productIds?.length) allocate(tx, updated, input.productIds);
    tx.insert(partnerNotices, {
      organizationId: p.partnerOrganizationId,
      partnershipId: p.id,
      kind: 'access_changed',
      before,
      after: { access: input.access, payment, productIds: allocatedProductIds(ctx, p.id) },
      readAt: null,
    });
  });
  return getPartnership(ctx, input.partnershipId);
}

/** The partner's administrators mark notices seen (they stay, with the time they were read). */
export function markNoticesSeen(ctx: Ctx, input: z.infer<typeof MarkNoticesSeen>): { seen: number } {
  return ctx.write('partner.notices_seen', (tx) => {
    getOrganization(ctx, input.organizationId);
    assertActs(ctx, input.organizationId, 'admin');
    const unread = tx.db
      .select({ id: partnerNotices.id })
      .from(partnerNotices)
      .where(
        and(
          eq(partnerNotices.organizationId, input.organizationId),
          isNull(partnerNotices.readAt),
          isNull(partnerNotices.deletedAt),
          input.noticeIds ? inArray(partnerNotices.id, input.noticeIds) : undefined,
        ),
      )
      .all();
    const stamp = tx.now.toISOString();
    for (const n of unread) tx.update(partnerNotices, n.id, { readAt: stamp });
    return { seen: unread.length };
  });
}
