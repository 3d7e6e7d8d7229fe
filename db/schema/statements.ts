import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const STATEMENT_ENTRY_STATUSES = ['open', 'assigned', 'dismissed'] as const;

// A bank statement's credit that matched no invoice (core/services/bank): it waits in the "to
// reconcile" list until the accountant assigns it (to an invoice, or to an organization's prepaid
// account) or dismisses it. Matched credits leave no row here: they are payments (or prepaid
// deposits) whose reference is the bank's entry reference, which is also what makes a second
// import of the same statement record nothing twice, on every device, since payments sync.
// Local to the device that imported the file, like received documents: the file is its own.
export const statementEntries = sqliteTable(
  'statement_entries',
  {
    // The entry's key: `camt:` + the bank's entry reference (the payments' reference too).
    id: text('id').primaryKey(),
    importedAt: text('imported_at').notNull(),
    fileName: text('file_name').notNull(),
    accountIban: text('account_iban'),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    bookedOn: text('booked_on').notNull(),
    valueOn: text('value_on').notNull(),
    reference: text('reference'),
    remittance: text('remittance'),
    debtorName: text('debtor_name'),
    // Why it waits: no invoice found, or a currency no prepaid account is kept in.
    reason: text('reason').notNull(),
    status: text('status', { enum: STATEMENT_ENTRY_STATUSES }).notNull().default('open'),
    resolvedAt: text('resolved_at'),
    paymentId: text('payment_id'),
  },
  (t) => [index('statement_entries_status_idx').on(t.status, t.bookedOn)],
);

export type StatementEntry = typeof statementEntries.$inferSelect;
