import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import { organizations } from './organizations';

export const billingAddresses = sqliteTable(
  'billing_addresses',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    label: text('label').notNull(),
    recipient: text('recipient').notNull(),
    // The printed street line; composed from street and building number when they are known.
    line1: text('line1').notNull(),
    // Structured (QR-bill v2.3 type S): null street = the one-line street could not be split
    // yet (listed for the accountant by addresses.unsplit).
    street: text('street'),
    buildingNumber: text('building_number'),
    line2: text('line2'),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull(),
    email: text('email'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('billing_addresses_org_idx').on(t.organizationId),
    // One default per organization, enforced by the store, not only by the service.
    uniqueIndex('billing_addresses_one_default_uq')
      .on(t.organizationId)
      .where(sql`is_default = 1 and deleted_at is null`),
  ],
);

export type BillingAddress = typeof billingAddresses.$inferSelect;
