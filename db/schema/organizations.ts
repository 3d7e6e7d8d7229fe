import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import {
  CATCH_UP_MODES,
  CURRENCIES,
  DOCUMENT_LOCALES,
  EINVOICE_FORMATS,
  OPERATION_CATEGORIES,
  ORGANIZATION_KINDS,
  PAYMENT_MEANS_CODES,
  PAYMENT_PROFILES,
} from '#common/enums';
import type { ReminderLevel } from '#common/reminders.schema';

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
    // ── e-invoicing (EN 16931, Factur-X, Peppol, XRechnung, QR-bill) ──
    // French companies: SIREN (9 digits) and SIRET of the billed establishment (14 digits).
    siren: text('siren'),
    siret: text('siret'),
    // German public buyers: the Leitweg-ID XRechnung carries as the buyer reference (BT-10).
    leitwegId: text('leitweg_id'),
    // Peppol participant id, "scheme:value" (e.g. 0208:0123456789): BT-34 / BT-49.
    peppolId: text('peppol_id'),
    // What this organization sells when it issues invoices (France's mandatory mention).
    operationCategory: text('operation_category', { enum: OPERATION_CATEGORIES })
      .notNull()
      .default('services'),
    // France: VAT due on debits (on invoicing) rather than on payment, printed and in BT-8.
    vatOnDebits: integer('vat_on_debits', { mode: 'boolean' }).notNull().default(false),
    // How it asks to be paid (UNTDID 4461); null: 58 (SEPA) for a SEPA IBAN, else 30.
    paymentMeansCode: text('payment_means_code', { enum: PAYMENT_MEANS_CODES }),
    bic: text('bic'),
    // A Swiss QR-IBAN for QR-bills with a QR reference, beside the ordinary IBAN above.
    qrIban: text('qr_iban'),
    // The name on a QR-bill when the name is longer than its 70 characters.
    shortName: text('short_name'),
    // What its invoices are sent as; null: the default for its country and kind (einvoice-format.ts).
    einvoiceFormat: text('einvoice_format', { enum: EINVOICE_FORMATS }),
    // The code in the numbers it issues (INV-ACME-2026-…); null: derived from its id
    // (common/invoice-numbering.ts). Unique among the book's organizations (checked when set).
    invoiceCode: text('invoice_code'),
    // The issuer's closing line on every page of the documents it issues (bank, register,
    // thanks): copied into the issuer snapshot at issue, so a later edit leaves issued ones alone.
    invoiceFooter: text('invoice_footer'),
    // The language of the documents it receives; null: from its country and postcode
    // (common/document-locale.ts). For the firm, also the fallback of every customer.
    documentLocale: text('document_locale', { enum: DOCUMENT_LOCALES }),
    // ── the billing run (core/services/billing) ──
    // How far ahead a run bills renewals that fall due (days after the run date).
    billingHorizonDays: integer('billing_horizon_days').notNull().default(30),
    // Missed periods of an overdue product: a line each, or one catch-up line.
    renewalCatchUp: text('renewal_catch_up', { enum: CATCH_UP_MODES }).notNull().default('each'),
    // Its renewals paid from its prepaid balance at issue (the default), or invoiced only.
    paymentProfile: text('payment_profile', { enum: PAYMENT_PROFILES }).notNull().default('prepaid_first'),
    // Days after the due date an unpaid renewal leaves its product active before it expires.
    renewalGraceDays: integer('renewal_grace_days').notNull().default(15),
    // Its payment reminders: when (days after due) and at what fee; null: its issuer's, else
    // the defaults (common/reminders.schema.ts). One value, so levels stay in order everywhere.
    reminderLevels: text('reminder_levels', { mode: 'json' }).$type<ReminderLevel[] | null>(),
  },
  (t) => [index('organizations_name_idx').on(t.name).where(sql`deleted_at is null`)],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
