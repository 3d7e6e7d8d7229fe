import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { CURRENCIES, LEDGER_ENTRY_KINDS, PAYMENT_METHODS, PAYMENT_OUTCOMES } from '#common/enums';
import { invoices } from './invoices';
import { organizations } from './organizations';

// Money records are append-only (triggers refuse UPDATE and DELETE): a correction is a new,
// reversing entry. Each row carries the HLC of its creation for sync.
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    createdAt: text('created_at').notNull(),
    hlc: text('hlc').notNull(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    invoiceId: text('invoice_id').references(() => invoices.id),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    receivedOn: text('received_on').notNull(),
    reference: text('reference'),
    // Applied to the invoice, deposited to the prepaid account because it did not match, or the
    // invoice's reminder fees paid (common/enums.ts PAYMENT_OUTCOMES).
    outcome: text('outcome', { enum: PAYMENT_OUTCOMES }).notNull(),
    depositReason: text('deposit_reason'),
  },
  (t) => [
    index('payments_invoice_idx').on(t.invoiceId),
    index('payments_org_idx').on(t.organizationId, t.receivedOn),
    // A statement credit already booked is found by its bank reference (a second import).
    index('payments_reference_idx').on(t.reference).where(sql`reference is not null`),
  ],
);

export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: text('id').primaryKey(),
    createdAt: text('created_at').notNull(),
    hlc: text('hlc').notNull(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind', { enum: LEDGER_ENTRY_KINDS }).notNull(),
    // Signed: credits positive, debits negative.
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    bookedOn: text('booked_on').notNull(),
    invoiceId: text('invoice_id').references(() => invoices.id),
    paymentId: text('payment_id').references(() => payments.id),
    reversesEntryId: text('reverses_entry_id'),
    method: text('method'),
    note: text('note'),
  },
  (t) => [
    index('ledger_entries_org_idx').on(t.organizationId, t.currency, t.createdAt, t.id),
    // An invoice's entries: what the hub gave back of it (over-payments, fee over-payments),
    // read per invoice after every merge and per reminder by the open fees (billing/reminder-fees.ts).
    index('ledger_entries_invoice_idx').on(t.invoiceId).where(sql`invoice_id is not null`),
  ],
);

// Derived running balance per account, maintained by trigger so the "never below zero"
// check is O(1) however long the ledger grows.
export const prepaidBalances = sqliteTable(
  'prepaid_balances',
  {
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    balanceMinor: integer('balance_minor').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.currency] })],
);

export type Payment = typeof payments.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
