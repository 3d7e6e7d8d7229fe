import type { Statement } from 'better-sqlite3';
import { todayIso } from '#common/dates';
import { fail, moneyParam } from '#common/errors';
import {
  type Currency,
  type LedgerEntry,
  type LedgerEntryKind,
  ledgerEntries,
} from '#db/schema/index';
import { insertReturning } from '../batch-writer';
import type { Ctx, WriteTx } from '../context';

// The prepaid ledger's primitives. They sit below invoices, partners and the ledger service and
// import none of them, so every caller gets the same bookkeeping whatever else its process
// loaded (a refund used to be a hook that stayed a no-op until ledger.service was imported).

export function balanceOf(ctx: Ctx, organizationId: string, currency: Currency): number {
  let query = balanceQueries.get(ctx.raw);
  if (!query) {
    query = ctx.raw
      .prepare('SELECT balance_minor FROM prepaid_balances WHERE organization_id = ? AND currency = ?')
      .pluck();
    balanceQueries.set(ctx.raw, query);
  }
  return (query.get(organizationId, currency) as number | undefined) ?? 0;
}

/**
 * Prepared once per connection, a plain statement: a billing run asks it for every payer, twice
 * (the plan, then the issue), and drizzle's own prepared query cost 5× the read.
 */
const balanceQueries = new WeakMap<Ctx['raw'], Statement>();


/** Appends one ledger entry (the store refuses a debit past zero; we say so first, clearly). */
export function appendEntry(
  tx: WriteTx,
  ctx: Ctx,
  entry: {
    /** A deterministic id where two devices must write the same entry once (cashback). */
    id?: string;
    organizationId: string;
    kind: LedgerEntryKind;
    amountMinor: number;
    currency: Currency;
    invoiceId?: string | null;
    paymentId?: string | null;
    method?: string | null;
    note?: string | null;
    reversesEntryId?: string | null;
  },
): LedgerEntry {
  if (entry.amountMinor < 0) {
    const balance = balanceOf(ctx, entry.organizationId, entry.currency);
    if (balance + entry.amountMinor < 0) {
      fail('prepaid_insufficient_balance', {
        balance: moneyParam(balance, entry.currency),
        amount: moneyParam(-entry.amountMinor, entry.currency),
      });
    }
  }
  const hlc = ctx.hlc.now();
  const row = insertReturning(ctx, ledgerEntries, {
    id: entry.id ?? ctx.ids.next(),
    createdAt: tx.now.toISOString(),
    hlc,
    organizationId: entry.organizationId,
    kind: entry.kind,
    amountMinor: entry.amountMinor,
    currency: entry.currency,
    bookedOn: todayIso(tx.now),
    invoiceId: entry.invoiceId ?? null,
    paymentId: entry.paymentId ?? null,
    reversesEntryId: entry.reversesEntryId ?? null,
    method: entry.method ?? null,
    note: entry.note ?? null,
  });
  tx.logChange('ledger_entries', row.id, '*', row, hlc);
  tx.recordActivity({
    entity: 'ledger_entries',
    entityId: row.id,
    organizationId: row.organizationId,
    after: row,
    hlc,
  });
  return row;
}

/** A refund by credit note returns what was paid to the payer's prepaid account. */
export function refundToPrepaid(
  tx: WriteTx,
  ctx: Ctx,
  invoice: { id: string; organizationId: string; currency: Currency },
  amountMinor: number,
): LedgerEntry {
  return appendEntry(tx, ctx, {
    organizationId: invoice.organizationId,
    kind: 'deposit',
    amountMinor,
    currency: invoice.currency,
    invoiceId: invoice.id,
    note: 'credit_note_refund',
  });
}
