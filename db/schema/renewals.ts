import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { BILLING_FREQUENCIES, CURRENCIES, MONEY_CASES, RENEWAL_ORIGINS } from '#common/enums';
import { invoiceParties } from './invoice-parties';
import { organizations } from './organizations';
import { partnerships } from './partners';
import { products } from './products';

// One billed period of one product: the renewal's deterministic key (`period_key`, product and
// period start) claimed by the invoice that bills it. Append-only like money records: a device
// refuses to bill a key it already holds a live claim for; two devices that billed the same key
// offline both keep their claim, and every device elects the same one (billing/duplicates.ts,
// server/HUB.md "Renewals"): the other invoice loses its line (a draft) or is cancelled by an
// automatic credit note from the device that issued it.
export const renewals = sqliteTable(
  'renewals',
  {
    id: text('id').primaryKey(),
    createdAt: text('created_at').notNull(),
    hlc: text('hlc').notNull(),
    // `${product_id}:${period_start}`: the same on every device that bills this period.
    periodKey: text('period_key').notNull(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    // The product's owner (the client), the invoice's payer and its issuer.
    productsOrganizationId: text('products_organization_id')
      .notNull()
      .references(() => organizations.id),
    ...invoiceParties(),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    frequency: text('frequency', { enum: BILLING_FREQUENCIES }).notNull(),
    origin: text('origin', { enum: RENEWAL_ORIGINS }).notNull(),
    // The period's price excl. VAT as billed, and what the partner earns once it is paid.
    netMinor: integer('net_minor').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    moneyCase: text('money_case', { enum: MONEY_CASES }).notNull(),
    partnershipId: text('partnership_id').references(() => partnerships.id),
    partnerOrganizationId: text('partner_organization_id').references(() => organizations.id),
    cashbackMinor: integer('cashback_minor').notNull().default(0),
    // The exact description of the invoice line that bills it (a catch-up line bills several).
    lineDescription: text('line_description').notNull(),
  },
  (t) => [
    index('renewals_key_idx').on(t.periodKey),
    index('renewals_invoice_idx').on(t.invoiceId),
    index('renewals_product_idx').on(t.productId, t.periodStart),
  ],
);

export type Renewal = typeof renewals.$inferSelect;
