// payments.importStatement (issue 12): a camt.053 / camt.054 file read (core/import/bank/camt),
// every credit proposed a match (match.ts), shown before anything is written; running it writes
// all of it or nothing, in one durable transaction: payments on invoices (method bank transfer,
// the value date, the bank's reference kept), prepaid deposits with their reason, and the
// unmatched credits in the to-reconcile list. Importing the same statement again records nothing
// twice: a credit is remembered by its bank reference (payments.reference, statement_entries.id).
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { fail } from '#common/errors';
import type { AssignStatementEntry, ImportStatement } from '#common/statements.schema';
import { readStatement } from '#core/import/bank/camt';
import { type Currency, statementEntries } from '#db/schema/index';
import { requireAuthority } from '../authority';
import { atomically, type Ctx, type WriteTx } from '../context';
import { getInvoice, payableOf } from '../invoices/detail';
import { BatchWriter } from '../batch-writer';
import { openFeesOf } from '../billing/reminder-fees';
import { appendEntry } from '../ledger/entries';
import { appendPayment, applyPayment } from '../ledger/payments';
import { getOrganization } from '../organizations.service';
import { entryKey, type ProposedEntry, proposeMatches } from './match';

export interface StatementImport {
  fileName: string;
  message: string;
  messageId: string;
  entries: ProposedEntry[];
  skipped: number;
  counts: Record<ProposedEntry['outcome']['kind'], number>;
  written: boolean;
}

/**
 * The id of the money a statement entry records: derived from the account and the entry's key,
 * so two devices importing the same statement offline record the same payment (and deposit),
 * which sync keeps once (a random id paid the invoice once per device).
 */
export const statementMoneyId = (kind: 'payment' | 'deposit', accountIban: string | null, key: string) =>
  `${kind === 'payment' ? 'sp' : 'sd'}:${crypto
    .createHash('sha256')
    .update(`${accountIban ?? ''}\u0000${key}`)
    .digest('hex')
    .slice(0, 40)}`;

export function importStatement(ctx: Ctx, input: z.infer<typeof ImportStatement>): StatementImport {
  const bytes = Buffer.from(input.contentBase64, 'base64');
  const statement = readStatement(bytes, input.fileName);
  const run = () => {
    const entries = proposeMatches(ctx, statement.credits);
    if (!input.dryRun)
      ctx.write(
        'statement.imported',
        (tx) => {
          // Thousands of credits in one transaction: the same writes through statements prepared once.
          const writer = new BatchWriter(ctx, tx.now);
          const fast = writer.asWriteTx('statement.imported', tx.now);
          for (const e of entries) record(fast, ctx, e, input.fileName, writer);
        },
        { durable: true },
      );
    return entries;
  };
  // Proposed and written in one transaction: what the preview of this run showed is what it writes.
  const entries = input.dryRun ? run() : atomically(ctx, run, true);
  const counts = { exact: 0, partial: 0, deposit: 0, unmatched: 0, duplicate: 0 };
  for (const e of entries) counts[e.outcome.kind]++;
  return {
    fileName: input.fileName,
    message: statement.message,
    messageId: statement.messageId,
    entries,
    skipped: statement.skipped,
    counts,
    written: !input.dryRun,
  };
}

function record(tx: WriteTx, ctx: Ctx, e: ProposedEntry, fileName: string, writer: BatchWriter): void {
  const o = e.outcome;
  if (o.kind === 'duplicate') return;
  if (o.kind === 'unmatched') {
    writer.insertRow(statementEntries, {
      id: e.key,
      importedAt: tx.now.toISOString(),
      fileName,
      accountIban: e.accountIban,
      amountMinor: e.amountMinor,
      currency: e.currency,
      bookedOn: e.bookedOn,
      valueOn: e.valueOn,
      reference: e.reference,
      remittance: e.text,
      debtorName: e.debtorName,
      reason: o.reason,
    });
    tx.recordActivity({
      entity: 'statement_entries',
      entityId: e.key,
      organizationId: null,
      after: { reason: o.reason },
    });
    return;
  }
  // A reminder's QR-bill paid exactly: the invoice gets what it owed, then the reminders' fees
  // are paid as the firm's fee income (billing/reminder-fees.ts), never the payer's prepaid money.
  const fee = o.kind === 'exact' ? (o.reminderFeeMinor ?? 0) : 0;
  const money = {
    invoiceId: o.invoiceId,
    organizationId: o.organizationId,
    currency: e.currency as Currency,
    receivedOn: e.valueOn,
    reference: e.key,
    accountIban: e.accountIban,
  };
  if (e.amountMinor - fee > 0)
    pay(tx, ctx, {
      ...money,
      amountMinor: e.amountMinor - fee,
      depositReason: o.kind === 'deposit' ? o.reason : null,
    });
  if (fee > 0)
    pay(tx, ctx, {
      ...money,
      amountMinor: fee,
      idKey: `${e.key}:reminder_fee`,
      depositReason: null,
      fee: true,
    });
}

/** One credit as money: a payment on the invoice, or the same money deposited to the payer's prepaid account. */
function pay(
  tx: WriteTx,
  ctx: Ctx,
  p: {
    invoiceId: string | null;
    organizationId: string;
    amountMinor: number;
    currency: Currency;
    receivedOn: string;
    reference: string;
    /** What the money's ids derive from (default: the reference). */
    idKey?: string;
    accountIban: string | null;
    depositReason: string | null;
    /** The invoice's reminder fees paid: recorded as such, the invoice itself untouched. */
    fee?: boolean;
  },
) {
  // Money is booked by the firm (common/authority), refused here as the hub would.
  requireAuthority(ctx, 'payments', 'insert', p.organizationId);
  const payment = appendPayment(tx, ctx, {
    id: statementMoneyId('payment', p.accountIban, p.idKey ?? p.reference),
    organizationId: p.organizationId,
    invoiceId: p.invoiceId,
    method: 'bank_transfer',
    amountMinor: p.amountMinor,
    currency: p.currency,
    receivedOn: p.receivedOn,
    reference: p.reference,
    outcome: p.fee ? 'fee' : p.depositReason ? 'deposited' : 'applied',
    depositReason: p.fee ? null : p.depositReason,
  });
  if (p.fee) return payment;
  if (p.depositReason) {
    appendEntry(tx, ctx, {
      id: statementMoneyId('deposit', p.accountIban, p.idKey ?? p.reference),
      organizationId: p.organizationId,
      kind: 'deposit',
      amountMinor: p.amountMinor,
      currency: p.currency,
      invoiceId: p.invoiceId,
      paymentId: payment.id,
      method: 'bank_transfer',
      note: p.depositReason,
    });
  } else if (p.invoiceId) applyPayment(tx, ctx, payableOf(ctx, p.invoiceId), p.amountMinor);
  return payment;
}

/** The credits waiting to be reconciled, oldest first. */
// The waiting list is this device's; the money is synced. A credit another device matched (it
// knew the invoice) arrives here as a payment with the entry's reference: no longer waiting.
const notBooked = sql`NOT EXISTS (SELECT 1 FROM payments p WHERE p.reference = ${statementEntries.id})`;

export function unmatchedEntries(ctx: Ctx) {
  return ctx.db
    .select()
    .from(statementEntries)
    .where(and(eq(statementEntries.status, 'open'), notBooked))
    .orderBy(statementEntries.bookedOn, statementEntries.id)
    .all();
}

function openEntry(ctx: Ctx, id: string) {
  const entry = ctx.db
    .select()
    .from(statementEntries)
    .where(and(eq(statementEntries.id, id), eq(statementEntries.status, 'open'), notBooked))
    .get();
  if (!entry) fail('statement_entry_not_found');
  return entry;
}

/** The accountant's decision: this credit pays that invoice (by the same rules), or goes to that organization's prepaid account. */
export function assignEntry(ctx: Ctx, input: z.infer<typeof AssignStatementEntry>) {
  return ctx.write(
    'statement.entry_assigned',
    (tx) => {
      const entry = openEntry(ctx, input.entryId);
      if (entry.currency !== 'CHF' && entry.currency !== 'EUR')
        fail('currency_mismatch', { from: entry.currency, to: 'CHF/EUR' });
      let target: { invoiceId: string | null; organizationId: string; reason: string | null };
      let fee = 0;
      if (input.invoiceId) {
        const invoice = getInvoice(ctx, input.invoiceId);
        if (invoice.kind !== 'invoice' || invoice.status === 'draft')
          fail('invoice_not_payable', { number: invoice.number ?? '', status: invoice.status });
        // Due plus the reminders' open fees, or the fees alone: both paid, as an import would.
        const fees = entry.currency === invoice.currency ? openFeesOf(ctx, invoice.id) : 0;
        if (fees > 0 && entry.amountMinor === invoice.dueMinor + fees) fee = fees;
        const settled = ['paid', 'refunded', 'cancelled'].includes(invoice.status);
        const reason =
          fee > 0
            ? null
            : settled
              ? 'already_settled'
              : entry.currency !== invoice.currency
                ? 'currency_mismatch'
                : entry.amountMinor > invoice.dueMinor
                  ? 'more_than_due'
                  : null;
        target = { invoiceId: invoice.id, organizationId: invoice.organizationId, reason };
      } else {
        const org = getOrganization(ctx, input.organizationId as string);
        target = { invoiceId: null, organizationId: org.id, reason: 'assigned_to_prepaid' };
      }
      const money = {
        invoiceId: target.invoiceId,
        organizationId: target.organizationId,
        currency: entry.currency as Currency,
        receivedOn: entry.valueOn,
        reference: entry.id,
        accountIban: entry.accountIban,
      };
      // The invoice first, then its fees (billing/reminder-fees.ts): the entry names the first.
      const applied =
        entry.amountMinor - fee > 0
          ? pay(tx, ctx, { ...money, amountMinor: entry.amountMinor - fee, depositReason: target.reason })
          : null;
      const feePaid =
        fee > 0
          ? pay(tx, ctx, {
              ...money,
              amountMinor: fee,
              idKey: `${entry.id}:reminder_fee`,
              depositReason: null,
              fee: true,
            })
          : null;
      // A credit is never zero (camt amounts are positive): one of the two was written.
      const payment = applied ?? feePaid ?? fail('statement_entry_not_found');
      tx.db
        .update(statementEntries)
        .set({ status: 'assigned', resolvedAt: tx.now.toISOString(), paymentId: payment.id })
        .where(eq(statementEntries.id, entry.id))
        .run();
      return payment;
    },
    { durable: true },
  );
}

export function dismissEntry(ctx: Ctx, entryId: string) {
  return ctx.write('statement.entry_dismissed', (tx) => {
    const entry = openEntry(ctx, entryId);
    tx.db
      .update(statementEntries)
      .set({ status: 'dismissed', resolvedAt: tx.now.toISOString() })
      .where(eq(statementEntries.id, entry.id))
      .run();
    tx.recordActivity({
      entity: 'statement_entries',
      entityId: entry.id,
      organizationId: null,
      after: { status: 'dismissed' },
    });
    return { id: entry.id };
  });
}

export { entryKey };
