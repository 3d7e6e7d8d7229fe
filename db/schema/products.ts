import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { billingAddresses } from './billing-addresses';
import { syncedColumns } from './columns';
import { BILLING_FREQUENCIES, CURRENCIES, PRODUCT_KINDS, PRODUCT_STATUSES } from '#common/enums';
import { organizations } from './organizations';


export const products = sqliteTable(
  'products',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind', { enum: PRODUCT_KINDS }).notNull(),
    name: text('name').notNull(),
    // Public price for one billing period, in minor units of `currency`.
    publicPriceMinor: integer('public_price_minor').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    billingFrequency: text('billing_frequency', { enum: BILLING_FREQUENCIES }).notNull(),
    // ISO date (yyyy-mm-dd): the day the current term ends and the next one is billed.
    nextRenewalOn: text('next_renewal_on').notNull(),
    autoRenew: integer('auto_renew', { mode: 'boolean' }).notNull().default(true),
    status: text('status', { enum: PRODUCT_STATUSES }).notNull().default('active'),
    billingAddressId: text('billing_address_id').references(() => billingAddresses.id),
  },
  (t) => [
    // Keyset pagination over (sort column, id) within an organization: one index per sort.
    index('products_org_name_idx').on(t.organizationId, t.name, t.id).where(sql`deleted_at is null`),
    index('products_org_renewal_idx').on(t.organizationId, t.nextRenewalOn, t.id).where(sql`deleted_at is null`),
    index('products_org_price_idx').on(t.organizationId, t.publicPriceMinor, t.id).where(sql`deleted_at is null`),
    index('products_org_kind_idx').on(t.organizationId, t.kind, t.id).where(sql`deleted_at is null`),
    index('products_org_status_idx').on(t.organizationId, t.status, t.id).where(sql`deleted_at is null`),
  ],
);

export type Product = typeof products.$inferSelect;
