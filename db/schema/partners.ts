import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import { CURRENCIES, PRODUCT_KINDS } from '#common/enums';
import { organizations } from './organizations';
import { people } from './people';
import { products } from './products';

// The partner program (DOMAIN.md "Partnership", seeds: partner access types, payment methods,
// cashback and discount). Kept beside the other vocabularies' spirit: closed lists here.
export const PARTNER_ACCESS = ['limited', 'complete'] as const;
export const PARTNER_PAYMENT = ['client', 'partner'] as const;
export const PARTNERSHIP_STATUSES = ['invited', 'active', 'refused', 'withdrawn', 'ended'] as const;
export const PARTNERSHIP_SIDES = ['partner', 'client'] as const;
export const PARTNER_NOTICE_KINDS = ['payment_changed', 'access_changed', 'ended'] as const;

export type PartnerAccess = (typeof PARTNER_ACCESS)[number];
export type PartnerPayment = (typeof PARTNER_PAYMENT)[number];
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];
export type PartnershipSide = (typeof PARTNERSHIP_SIDES)[number];

/** Hard ceiling of a partner discount: the seeds' "discounts of up to 35%". */
export const MAX_PARTNER_DISCOUNT_BP = 3_500;

export const partnerships = sqliteTable(
  'partnerships',
  {
    ...syncedColumns,
    partnerOrganizationId: text('partner_organization_id')
      .notNull()
      .references(() => organizations.id),
    clientOrganizationId: text('client_organization_id')
      .notNull()
      .references(() => organizations.id),
    // What the inviting side asked for; `access`/`payment` are what is in force (the invited
    // side may grant different access than requested, seeds: "Add a customer").
    requestedAccess: text('requested_access', { enum: PARTNER_ACCESS }).notNull(),
    requestedPayment: text('requested_payment', { enum: PARTNER_PAYMENT }),
    access: text('access', { enum: PARTNER_ACCESS }).notNull(),
    // Complete access only: whose payment methods pay orders and renewals.
    payment: text('payment', { enum: PARTNER_PAYMENT }),
    status: text('status', { enum: PARTNERSHIP_STATUSES }).notNull(),
    invitedBy: text('invited_by', { enum: PARTNERSHIP_SIDES }).notNull(),
    invitedByPersonId: text('invited_by_person_id').references(() => people.id),
    invitedEmail: text('invited_email'),
    invitedAt: text('invited_at').notNull(),
    lastSentAt: text('last_sent_at').notNull(),
    sendCount: integer('send_count').notNull().default(1),
    respondedAt: text('responded_at'),
    respondedByPersonId: text('responded_by_person_id').references(() => people.id),
    endedAt: text('ended_at'),
    endedBy: text('ended_by', { enum: PARTNERSHIP_SIDES }),
    endedByPersonId: text('ended_by_person_id').references(() => people.id),
  },
  (t) => [
    // At most one active complete-access partner per client.
    uniqueIndex('partnerships_one_complete_uq')
      .on(t.clientOrganizationId)
      .where(sql`status = 'active' and access = 'complete' and deleted_at is null`),
    // At most one open (invited or active) partnership between the same two organizations.
    uniqueIndex('partnerships_open_pair_uq')
      .on(t.partnerOrganizationId, t.clientOrganizationId)
      .where(sql`status in ('invited', 'active') and deleted_at is null`),
    index('partnerships_partner_idx').on(t.partnerOrganizationId, t.status),
    index('partnerships_client_idx').on(t.clientOrganizationId, t.status),
  ],
);

// A product allocated to a limited-access partner: a pair row keyed `partnershipId:productId`;
// deallocating sets the tombstone. A live allocation per product at most: the limited
// partners of one client manage disjoint product sets (ending a partnership tombstones its rows).
export const partnershipProducts = sqliteTable(
  'partnership_products',
  {
    ...syncedColumns,
    partnershipId: text('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
  },
  (t) => [
    // Over the pair rows (id = partnershipId:productId, the only rows Kontor writes here).
    uniqueIndex('partnership_products_product_uq')
      .on(t.productId)
      .where(sql`deleted_at is null and id = partnership_id || ':' || product_id`),
    index('partnership_products_partnership_idx').on(t.partnershipId).where(sql`deleted_at is null`),
  ],
);

// What the partner is told (the seeds: "the partner will receive notification of the change").
export const partnerNotices = sqliteTable(
  'partner_notices',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    partnershipId: text('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    kind: text('kind', { enum: PARTNER_NOTICE_KINDS }).notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown>>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown>>(),
    readAt: text('read_at'),
  },
  (t) => [index('partner_notices_org_idx').on(t.organizationId, t.createdAt)],
);

// Ranges (discount ≤ 3500 bp, rates ≤ 10000 bp, prices ≥ 0) are held by the zod inputs and the
// service, like every other column of the store (no CHECK constraints in this schema).

// Partner tier: the partner's discount per product kind, in basis points. Pair row keyed
// `partnerOrganizationId:productKind`.
export const partnerRates = sqliteTable(
  'partner_rates',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    productKind: text('product_kind', { enum: PRODUCT_KINDS }).notNull(),
    discountBp: integer('discount_bp').notNull(),
  },
);

// Degressive (volume) tiers, by number of hostings: from `minQuantity` on, `rateBp` off what
// remains after the partner discount. Pair row keyed `productKind:minQuantity`; the seeds give
// one point only (35 web hostings → 25 %), so the table is user data with defaults in code.
export const degressiveTiers = sqliteTable(
  'degressive_tiers',
  {
    ...syncedColumns,
    productKind: text('product_kind', { enum: PRODUCT_KINDS }).notNull(),
    minQuantity: integer('min_quantity').notNull(),
    rateBp: integer('rate_bp').notNull(),
  },
);

// Public price per product kind and currency, for one hosting and one month. Pair row keyed
// `productKind:currency`.
export const priceBook = sqliteTable(
  'price_book',
  {
    ...syncedColumns,
    productKind: text('product_kind', { enum: PRODUCT_KINDS }).notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    publicPriceMinor: integer('public_price_minor').notNull(),
  },
);

export type Partnership = typeof partnerships.$inferSelect;
export type PartnershipProduct = typeof partnershipProducts.$inferSelect;
export type PartnerNotice = typeof partnerNotices.$inferSelect;
export type PartnerRate = typeof partnerRates.$inferSelect;
export type DegressiveTier = typeof degressiveTiers.$inferSelect;
export type PriceBookEntry = typeof priceBook.$inferSelect;
