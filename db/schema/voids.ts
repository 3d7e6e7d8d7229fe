import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { INVOICE_KINDS } from '#common/enums';
import { invoices } from './invoices';
import { organizations } from './organizations';

// A number that was consumed but carries no invoice: the issue of a draft that another
// device issued first (the hub keeps the first issue it receives). Written by the hub only,
// append-only like money records, so every number of a series is an invoice or a void.
export const invoiceVoids = sqliteTable(
  'invoice_voids',
  {
    id: text('id').primaryKey(),
    createdAt: text('created_at').notNull(),
    hlc: text('hlc').notNull(),
    issuerOrganizationId: text('issuer_organization_id')
      .notNull()
      .references(() => organizations.id),
    // The payer of the invoice the number was drawn for: who sees the void sees the invoice.
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull(),
    series: text('series').notNull(),
    sequence: integer('sequence').notNull(),
    number: text('number').notNull(),
    // The date the lost issue gave the document.
    voidedOn: text('voided_on').notNull(),
    reason: text('reason', { enum: ['issue_lost_race'] }).notNull(),
    // The number the invoice carries instead (null when the winner was numbered at sync later).
    winningNumber: text('winning_number'),
    // The device whose issue lost (whose series the number belongs to).
    deviceId: text('device_id').notNull(),
  },
  (t) => [
    uniqueIndex('invoice_voids_number_uq').on(t.issuerOrganizationId, t.number),
    index('invoice_voids_series_idx').on(t.issuerOrganizationId, t.series, t.sequence),
  ],
);

export type InvoiceVoid = typeof invoiceVoids.$inferSelect;
