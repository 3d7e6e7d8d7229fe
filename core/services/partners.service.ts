// The partner program: partnerships between a partner organization and its managed clients,
// the price book, quotes, cashback and the partner dashboard (DOMAIN.md "Partnership",
// "Partner money"; the seeds' partner pages). Every rule is checked here with a clear code,
// and the store holds the two that can be held there (partial unique indexes): one active
// complete-access partner per client, one live allocation per product.
import { and, asc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Currency,
  degressiveTiers,
  type LedgerEntry,
  ledgerEntries,
  memberships,
  organizations,
  type PartnerPayment,
  type Partnership,
  type PartnershipSide,
  partnerNotices,
  partnerRates,
  partnershipProducts,
  partnerships,
  people,
  priceBook,
  type ProductKind,
  products,
} from '#db/schema/index';
import { fail } from '#common/errors';
import type {
  AcceptPartnership,
  AddPartner,
  AllocateProducts,
  ChangeAccess,
  ChangePayment,
  CreditCashback,
  EndPartnership,
  InviteClient,
  ListPartnerships,
  MarkNoticesSeen,
  OrderEvent,
  PartnerDashboard,
  QuoteInput,
  SetDegressiveTiers,
  SetDiscount,
  SetPublicPrice,
} from '#common/partners.schema';
import {
  type DegressiveTierInput,
  DEGRESSIVE_KINDS,
  degressiveRateFor,
  type MoneyCase,
  moneyCase,
  type Quote,
  quote,
} from '#common/pricing';
import type { Ctx, WriteTx } from './context';
import { appendEntry } from './ledger/entries';
import { getOrganization } from './organizations.service';

// ---------------------------------------------------------------------------------------
// Price book defaults (user data overrides them).

/** No partner tier recorded: the seeds' worked example uses a 20 % partner discount. */
export const DEFAULT_DISCOUNT_BP = 2_000;
/**
 * The seeds give ONE point of the degressive scale (35 web hostings → 25 %). The other
 * thresholds are placeholders the user edits (partners.setDegressiveTiers).
 */
export const DEFAULT_DEGRESSIVE_TIERS: readonly DegressiveTierInput[] = [
  { minQuantity: 1, rateBp: 0 },
  { minQuantity: 5, rateBp: 1_000 },
  { minQuantity: 10, rateBp: 1_500 },
  { minQuantity: 20, rateBp: 2_000 },
  { minQuantity: 35, rateBp: 2_500 },
];
/** Public monthly price of one web hosting, derived from the seeds (CHF 347.20 / 35, € 201.25 / 35). */
export const DEFAULT_PUBLIC_PRICES: Partial<Record<ProductKind, Record<Currency, number>>> = {
  web_hosting: { CHF: 992, EUR: 575 },
};
/** Seeds (dealer conditions): managed products of at least CHF 2,000 or EUR 1,800 a year. */
export const DEALER_THRESHOLD_MINOR: Record<Currency, number> = { CHF: 200_000, EUR: 180_000 };

// ---------------------------------------------------------------------------------------
// Reading.

export interface PartnershipView extends Partnership {
  partnerName: string;
  clientName: string;
  productIds: string[];
}

function findPartnership(ctx: Ctx, id: string): Partnership {
  return (
    ctx.db
      .select()
      .from(partnerships)
      .where(and(eq(partnerships.id, id), isNull(partnerships.deletedAt)))
      .get() ?? fail('partnership_not_found', { id })
  );
}

function allocatedProductIds(ctx: Ctx, partnershipId: string): string[] {
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
function assertActs(ctx: Ctx, organizationId: string, power: Power = 'legal'): string {
  const personId = ctx.actor.personId;
  if (!personId) fail('no_acting_person');
  const roles =
    power === 'legal'
      ? ['legal_representative' as const]
      : ['legal_representative' as const, 'administrator' as const];
  const row = ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        eq(memberships.personId, personId),
        inArray(memberships.role, roles),
        isNull(memberships.deletedAt),
      ),
    )
    .get();
  if (!row) {
    const organization = getOrganization(ctx, organizationId).name;
    fail(power === 'legal' ? 'partner_not_legal_representative' : 'partner_not_administrator', {
      organization,
    });
  }
  return personId;
}

function orgOf(p: Partnership, side: PartnershipSide): string {
  return side === 'partner' ? p.partnerOrganizationId : p.clientOrganizationId;
}
const otherSide = (side: PartnershipSide): PartnershipSide => (side === 'partner' ? 'client' : 'partner');

function assertNotClosed(p: Partnership): void {
  if (p.status === 'ended' || p.status === 'refused' || p.status === 'withdrawn')
    fail('partnership_closed', { status: p.status });
}
function assertPending(p: Partnership): void {
  assertNotClosed(p);
  if (p.status !== 'invited') fail('partnership_not_pending', { status: p.status });
}
function assertActive(p: Partnership): void {
  assertNotClosed(p);
  if (p.status !== 'active') fail('partnership_not_active', { status: p.status });
}

// ---------------------------------------------------------------------------------------
// Rules.

function normalizePayment(access: 'limited' | 'complete', payment: PartnerPayment | undefined | null) {
  if (access === 'limited') {
    if (payment) fail('partner_payment_complete_only');
    return null;
  }
  if (!payment) fail('partner_payment_required');
  return payment;
}

function assertNoOtherComplete(tx: WriteTx, clientOrganizationId: string, exceptId?: string): void {
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

/** Products exist, stay in the client's organization, and no other partner manages them. */
function allocate(tx: WriteTx, p: Partnership, productIds: readonly string[]): number {
  const unique = [...new Set(productIds)];
  let changed = 0;
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const found = tx.db
      .select({ id: products.id, name: products.name, organizationId: products.organizationId })
      .from(products)
      .where(and(inArray(products.id, slice), isNull(products.deletedAt)))
      .all();
    const missing = slice.find((id) => !found.some((f) => f.id === id));
    if (missing) fail('product_not_found', { id: missing });
    for (const product of found) {
      if (product.organizationId !== p.clientOrganizationId)
        fail('product_wrong_organization', { productId: product.id });
      const taken = tx.db
        .select({ partnershipId: partnershipProducts.partnershipId, partner: organizations.name })
        .from(partnershipProducts)
        .innerJoin(partnerships, eq(partnerships.id, partnershipProducts.partnershipId))
        .innerJoin(organizations, eq(organizations.id, partnerships.partnerOrganizationId))
        .where(and(eq(partnershipProducts.productId, product.id), isNull(partnershipProducts.deletedAt)))
        .get();
      if (taken && taken.partnershipId !== p.id)
        fail('partner_product_taken', { product: product.name, partner: taken.partner });
      if (taken) continue;
      tx.upsertPair(partnershipProducts, {
        id: `${p.id}:${product.id}`,
        partnershipId: p.id,
        productId: product.id,
      });
      changed++;
    }
  }
  return changed;
}

function deallocateAll(tx: WriteTx, partnershipId: string): void {
  for (const row of tx.db
    .select({ id: partnershipProducts.id })
    .from(partnershipProducts)
    .where(and(eq(partnershipProducts.partnershipId, partnershipId), isNull(partnershipProducts.deletedAt)))
    .all())
    tx.remove(partnershipProducts, row.id);
}

function assertNoOpenPair(tx: WriteTx, partnerOrganizationId: string, clientOrganizationId: string): void {
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
function clientByEmail(ctx: Ctx, email: string): string {
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
    deallocateAll(tx, p.id);
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

function isLegal(ctx: Ctx, organizationId: string, personId: string): boolean {
  return !!ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        eq(memberships.personId, personId),
        eq(memberships.role, 'legal_representative'),
        isNull(memberships.deletedAt),
      ),
    )
    .get();
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

function allocationTarget(ctx: Ctx, partnershipId: string): Partnership {
  const p = findPartnership(ctx, partnershipId);
  assertNotClosed(p);
  assertActs(ctx, p.clientOrganizationId, 'admin');
  if (p.access !== 'limited') fail('partner_limited_only');
  return p;
}

export function allocateProducts(ctx: Ctx, input: z.infer<typeof AllocateProducts>): PartnershipView {
  ctx.write('partnership.products_allocated', (tx) => {
    allocate(tx, allocationTarget(ctx, input.partnershipId), input.productIds);
  });
  return getPartnership(ctx, input.partnershipId);
}

export function deallocateProducts(ctx: Ctx, input: z.infer<typeof AllocateProducts>): PartnershipView {
  ctx.write('partnership.products_deallocated', (tx) => {
    const p = allocationTarget(ctx, input.partnershipId);
    for (const productId of new Set(input.productIds)) {
      const existing = tx.db
        .select()
        .from(partnershipProducts)
        .where(eq(partnershipProducts.id, `${p.id}:${productId}`))
        .get();
      if (!existing || existing.deletedAt) continue;
      tx.remove(partnershipProducts, existing.id);
    }
  });
  return getPartnership(ctx, input.partnershipId);
}

// ---------------------------------------------------------------------------------------
// Price book.

export function setDiscount(ctx: Ctx, input: z.infer<typeof SetDiscount>) {
  return ctx.write('price_book.discount_set', (tx) => {
    getOrganization(ctx, input.partnerOrganizationId);
    return tx.upsertPair(partnerRates, {
      id: `${input.partnerOrganizationId}:${input.productKind}`,
      organizationId: input.partnerOrganizationId,
      productKind: input.productKind,
      discountBp: input.discountBp,
    });
  });
}

export function setPublicPrice(ctx: Ctx, input: z.infer<typeof SetPublicPrice>) {
  return ctx.write('price_book.price_set', (tx) =>
    tx.upsertPair(priceBook, {
      id: `${input.productKind}:${input.currency}`,
      productKind: input.productKind,
      currency: input.currency,
      publicPriceMinor: input.publicPriceMinor,
    }),
  );
}

/** Replaces a kind's degressive scale: thresholds not given are tombstoned. */
export function setDegressiveTiers(ctx: Ctx, input: z.infer<typeof SetDegressiveTiers>) {
  ctx.write('price_book.tiers_set', (tx) => {
    const wanted = new Map(input.tiers.map((t) => [`${input.productKind}:${t.minQuantity}`, t]));
    for (const row of tx.db
      .select()
      .from(degressiveTiers)
      .where(eq(degressiveTiers.productKind, input.productKind))
      .all()) {
      if (!wanted.has(row.id) && !row.deletedAt) tx.remove(degressiveTiers, row.id);
    }
    for (const [id, t] of wanted) {
      tx.upsertPair(degressiveTiers, {
        id,
        productKind: input.productKind,
        minQuantity: t.minQuantity,
        rateBp: t.rateBp,
      });
    }
  });
  return priceBookFor(ctx, input.productKind).tiers;
}

export function priceBookFor(ctx: Ctx, kind: ProductKind, partnerOrganizationId?: string) {
  const stored = ctx.db
    .select({ minQuantity: degressiveTiers.minQuantity, rateBp: degressiveTiers.rateBp })
    .from(degressiveTiers)
    .where(and(eq(degressiveTiers.productKind, kind), isNull(degressiveTiers.deletedAt)))
    .orderBy(asc(degressiveTiers.minQuantity))
    .all();
  const everSet = ctx.db
    .select({ id: degressiveTiers.id })
    .from(degressiveTiers)
    .where(eq(degressiveTiers.productKind, kind))
    .get();
  const tiers = DEGRESSIVE_KINDS.includes(kind) ? (everSet ? stored : [...DEFAULT_DEGRESSIVE_TIERS]) : [];
  const rate = partnerOrganizationId
    ? ctx.db
        .select({ discountBp: partnerRates.discountBp })
        .from(partnerRates)
        .where(and(eq(partnerRates.id, `${partnerOrganizationId}:${kind}`), isNull(partnerRates.deletedAt)))
        .get()
    : undefined;
  const publicPrice = (currency: Currency): number | null =>
    ctx.db
      .select({ p: priceBook.publicPriceMinor })
      .from(priceBook)
      .where(and(eq(priceBook.id, `${kind}:${currency}`), isNull(priceBook.deletedAt)))
      .get()?.p ??
    DEFAULT_PUBLIC_PRICES[kind]?.[currency] ??
    null;
  return { tiers, discountBp: rate?.discountBp ?? DEFAULT_DISCOUNT_BP, publicPrice };
}

// ---------------------------------------------------------------------------------------
// Quotes and cashback.

export interface QuoteResult extends Quote {
  productKind: ProductKind;
  currency: Currency;
}

function priced(
  ctx: Ctx,
  partnerOrganizationId: string,
  kind: ProductKind,
  currency: Currency,
  quantity: number,
  moneyCaseValue: MoneyCase,
  overrides: { publicUnitMinor?: number; discountBp?: number; degressiveBp?: number },
): QuoteResult {
  const book = priceBookFor(ctx, kind, partnerOrganizationId);
  const publicUnitMinor = overrides.publicUnitMinor ?? book.publicPrice(currency);
  if (publicUnitMinor === null) fail('price_unknown', { kind, currency });
  const q = quote({
    publicUnitMinor,
    quantity,
    discountBp: overrides.discountBp ?? book.discountBp,
    degressiveBp: overrides.degressiveBp ?? degressiveRateFor(kind, book.tiers, quantity),
    case: moneyCaseValue,
  });
  return { ...q, productKind: kind, currency };
}

export function quoteFor(ctx: Ctx, input: z.infer<typeof QuoteInput>): QuoteResult {
  const partner = getOrganization(ctx, input.partnerOrganizationId);
  const c = moneyCase({
    access: input.access,
    payment: input.access === 'complete' ? input.payment : null,
    orderedBy: input.orderedBy,
    managedByPartner: true,
  });
  if (c === 'forbidden') fail('partner_cannot_order');
  return priced(ctx, partner.id, input.productKind, input.currency ?? partner.currency, input.quantity, c, {
    publicUnitMinor: input.publicPriceMinor,
    discountBp: input.discountBp,
    degressiveBp: input.degressiveBp,
  });
}

export interface CashbackDecision extends QuoteResult {
  partnershipId: string;
  partnerOrganizationId: string;
  clientOrganizationId: string;
  reason: string;
}

/** What an order or renewal earns the partner: DOMAIN.md's cases, over the price book. */
export function cashbackFor(ctx: Ctx, input: z.infer<typeof OrderEvent>): CashbackDecision {
  const p = findPartnership(ctx, input.partnershipId);
  assertActive(p);
  // Who pays: the client pays its own orders; a partner's order is paid per the arrangement.
  const arrangement: PartnerPayment | null = p.access === 'complete' ? p.payment : null;
  if (
    input.orderedBy === 'partner' &&
    p.access === 'complete' &&
    input.payment &&
    input.payment !== arrangement
  )
    fail('partner_payment_mismatch', { arrangement: arrangement ?? '', given: input.payment });
  if (input.orderedBy === 'client' && input.payment === 'partner')
    fail('partner_payment_mismatch', { arrangement: 'client', given: 'partner' });
  let managed = p.access === 'complete';
  if (p.access === 'limited' && input.productId) {
    managed = allocatedProductIds(ctx, p.id).includes(input.productId);
  }
  if (input.productId) {
    const product = ctx.db.select().from(products).where(eq(products.id, input.productId)).get();
    if (!product) fail('product_not_found', { id: input.productId });
    if (product.organizationId !== p.clientOrganizationId)
      fail('product_wrong_organization', { productId: product.id });
  }
  const c = moneyCase({
    access: p.access,
    payment: input.orderedBy === 'client' ? 'client' : arrangement,
    orderedBy: input.orderedBy,
    managedByPartner: managed,
  });
  if (c === 'forbidden') fail('partner_cannot_order');
  const currency = input.currency ?? getOrganization(ctx, p.clientOrganizationId).currency;
  const q = priced(ctx, p.partnerOrganizationId, input.productKind, currency, input.quantity, c, {
    publicUnitMinor: input.publicUnitMinor,
  });
  const reason =
    c === 'none'
      ? 'product_not_managed'
      : c === 'discount'
        ? 'partner_paid_preferential_price'
        : `${p.access}_${input.orderedBy}_ordered`;
  return {
    ...q,
    partnershipId: p.id,
    partnerOrganizationId: p.partnerOrganizationId,
    clientOrganizationId: p.clientOrganizationId,
    reason,
  };
}

/** A cashback ledger entry names the partnership that earned it in its note (client exports read it too). */
export const CASHBACK_NOTE = 'partnership:';

/** Credits the cashback an order earned to the partner's prepaid ledger (append-only, linked). */
export function creditCashback(
  ctx: Ctx,
  input: z.infer<typeof CreditCashback>,
): { decision: CashbackDecision; entry: LedgerEntry } {
  return ctx.write(
    'partner.cashback_credited',
    (tx) => {
      const decision = cashbackFor(ctx, input);
      if (decision.case !== 'cashback' || decision.total.cashbackMinor <= 0)
        fail('partner_no_cashback', { reason: decision.reason });
      if (input.invoiceId) {
        const invoice = ctx.raw.prepare('select id from invoices where id = ?').get(input.invoiceId);
        if (!invoice) fail('invoice_not_found', { id: input.invoiceId });
      }
      const entry = appendEntry(tx, ctx, {
        organizationId: decision.partnerOrganizationId,
        kind: 'cashback',
        amountMinor: decision.total.cashbackMinor,
        currency: decision.currency,
        invoiceId: input.invoiceId ?? null,
        note: `${CASHBACK_NOTE}${decision.partnershipId}`,
      });
      return { decision, entry };
    },
    { durable: true },
  );
}

// ---------------------------------------------------------------------------------------
// Dashboard.

const PERIODS_PER_YEAR = { monthly: 12, quarterly: 4, annual: 1 } as const;

export function partnerDashboard(ctx: Ctx, input: z.infer<typeof PartnerDashboard>) {
  const partner = getOrganization(ctx, input.partnerOrganizationId);
  const year = input.year ?? ctx.clock.now().getUTCFullYear();
  const all = listPartnerships(ctx, { organizationId: partner.id, role: 'partner' });
  const active = all.filter((p) => p.status === 'active');
  const volume: Record<Currency, number> = { CHF: 0, EUR: 0 };
  let productsUnderManagement = 0;
  const clients = active.map((p) => {
    const managed = ctx.db
      .select({
        id: products.id,
        price: products.publicPriceMinor,
        currency: products.currency,
        freq: products.billingFrequency,
      })
      .from(products)
      .where(
        and(
          eq(products.organizationId, p.clientOrganizationId),
          isNull(products.deletedAt),
          eq(products.status, 'active'),
          p.access === 'limited'
            ? inArray(products.id, p.productIds.length ? p.productIds : [''])
            : undefined,
        ),
      )
      .all();
    productsUnderManagement += managed.length;
    let yearlyMinor = 0;
    for (const m of managed) {
      const yearly = m.price * PERIODS_PER_YEAR[m.freq];
      volume[m.currency] += yearly;
      yearlyMinor += yearly;
    }
    return {
      partnershipId: p.id,
      clientOrganizationId: p.clientOrganizationId,
      clientName: p.clientName,
      access: p.access,
      payment: p.payment,
      status: p.status,
      products: managed.length,
      yearlyVolumeMinor: yearlyMinor,
    };
  });
  const entries = ctx.db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.organizationId, partner.id),
        eq(ledgerEntries.kind, 'cashback'),
        sql`${ledgerEntries.bookedOn} like ${`${year}-%`}`,
      ),
    )
    .all();
  const byMonth = new Map<string, number>();
  const byClient = new Map<string, number>();
  const clientOf = new Map(all.map((p) => [p.id, p.clientOrganizationId]));
  for (const e of entries) {
    const key = `${e.bookedOn.slice(0, 7)}|${e.currency}`;
    byMonth.set(key, (byMonth.get(key) ?? 0) + e.amountMinor);
    const pid = e.note?.startsWith(CASHBACK_NOTE) ? e.note.slice(CASHBACK_NOTE.length) : null;
    const client = (pid && clientOf.get(pid)) || 'unknown';
    const ck = `${client}|${e.currency}`;
    byClient.set(ck, (byClient.get(ck) ?? 0) + e.amountMinor);
  }
  const names = new Map(all.map((p) => [p.clientOrganizationId, p.clientName]));
  return {
    partnerOrganizationId: partner.id,
    year,
    clients,
    productsUnderManagement,
    volume: (['CHF', 'EUR'] as const).map((currency) => ({
      currency,
      yearlyMinor: volume[currency],
      thresholdMinor: DEALER_THRESHOLD_MINOR[currency],
      reached: volume[currency] >= DEALER_THRESHOLD_MINOR[currency],
    })),
    dealerEligible: (['CHF', 'EUR'] as const).some((c) => volume[c] >= DEALER_THRESHOLD_MINOR[c]),
    cashbackByMonth: [...byMonth]
      .map(([k, amountMinor]) => {
        const [month, currency] = k.split('|') as [string, Currency];
        return { month, currency, amountMinor };
      })
      .sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency)),
    cashbackByClient: [...byClient].map(([k, amountMinor]) => {
      const [clientOrganizationId, currency] = k.split('|') as [string, Currency];
      return {
        clientOrganizationId,
        clientName: names.get(clientOrganizationId) ?? null,
        currency,
        amountMinor,
      };
    }),
    pendingInvitations: all
      .filter((p) => p.status === 'invited')
      .map((p) => ({
        partnershipId: p.id,
        clientOrganizationId: p.clientOrganizationId,
        clientName: p.clientName,
        invitedBy: p.invitedBy,
        requestedAccess: p.requestedAccess,
        invitedEmail: p.invitedEmail,
        lastSentAt: p.lastSentAt,
      })),
    notices: ctx.db
      .select()
      .from(partnerNotices)
      .where(
        and(
          eq(partnerNotices.organizationId, partner.id),
          isNull(partnerNotices.readAt),
          isNull(partnerNotices.deletedAt),
        ),
      )
      .orderBy(asc(partnerNotices.createdAt))
      .all(),
  };
}
