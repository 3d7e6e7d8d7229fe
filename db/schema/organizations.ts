import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import { CURRENCIES, ORGANIZATION_KINDS } from '#common/enums';

export const organizations = sqliteTable(
  'organizations',
  {
    ...syncedColumns,
    kind: text('kind', { enum: ORGANIZATION_KINDS }).notNull(),
    name: text('name').notNull(),
    country: text('country').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    // Normalized EU VAT number (e.g. DE136695976); only EU companies carry one.
    vatNumber: text('vat_number'),
    // Swiss enterprise identification number (CHE-123.456.789); Swiss companies only.
    uid: text('uid'),
    color: text('color').notNull(),
    logo: text('logo'),
    // Renewal reminders: null = off, otherwise days ahead (the seeds allow up to two months).
    renewalReminderDays: integer('renewal_reminder_days'),
    // Where this organization is paid when it issues invoices (the provider, a partner).
    iban: text('iban'),
    // Days an invoice it issues gives the payer.
    paymentTermDays: integer('payment_term_days').notNull().default(30),
    // The code in the numbers it issues (INV-ACME-2026-…); null: derived from its id
    // (common/invoice-numbering.ts). Unique among the book's organizations (checked when set).
    invoiceCode: text('invoice_code'),
  },
  (t) => [index('organizations_name_idx').on(t.name).where(sql`deleted_at is null`)],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
