import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { CURRENCIES } from '#common/enums';
import { syncedColumns } from './columns';
import { invoiceParties } from './invoice-parties';

// One payment reminder: the Nth reminder of one unpaid invoice (core/services/billing/
// reminders.ts). Its id is derived from the invoice and the level, so two devices that remind
// the same invoice offline write the same row, and sync merges it to one (last writer wins per
// field, like master data; server/HUB.md "Reminders"). Its fee is a charge the reminder makes:
// not VAT-bearing (compensation for the cost of dunning, not a supply), printed as a line of the
// reminder and included in its QR-bill beside what the invoice still owes.
export const reminders = sqliteTable(
  'reminders',
  {
    ...syncedColumns,
    // The invoice's payer and issuer: who is reminded, and by whom.
    ...invoiceParties(),
    level: integer('level').notNull(),
    // The last level of the organization's sequence: printed as a final notice.
    final: integer('final', { mode: 'boolean' }).notNull().default(false),
    remindedOn: text('reminded_on').notNull(),
    payBy: text('pay_by').notNull(),
    // What the invoice still owed that day (dueOf: net of payments and credit notes).
    dueMinor: integer('due_minor').notNull(),
    // This reminder's fee, and every fee of this invoice's reminders up to it (its QR-bill asks for due + fees).
    feeMinor: integer('fee_minor').notNull().default(0),
    feesMinor: integer('fees_minor').notNull().default(0),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
  },
  (t) => [
    index('reminders_invoice_idx').on(t.invoiceId, t.level),
    index('reminders_org_idx').on(t.organizationId, t.remindedOn).where(sql`deleted_at is null`),
  ],
);

export type Reminder = typeof reminders.$inferSelect;
