import { invoices, type Payment, payments } from '#db/schema/index';
import { creditEarnedCashback } from '../billing/cashback';
import { reactivateOnPayment } from '../billing/lifecycle';
import { insertReturning } from '../batch-writer';
import type { Ctx, WriteTx } from '../context';

/**
 * Appends one payment row (append-only in the store), with its change-log and activity rows.
 * `id`: a deterministic one where two devices must record the same payment once (a statement entry).
 */
export function appendPayment(
  tx: WriteTx,
  ctx: Ctx,
  values: Omit<Payment, 'id' | 'createdAt' | 'hlc'> & { id?: string },
): Payment {
  const hlc = ctx.hlc.now();
  const row = insertReturning(ctx, payments, {
    ...values,
    id: values.id ?? ctx.ids.next(),
    createdAt: tx.now.toISOString(),
    hlc,
  });
  tx.logChange('payments', row.id, '*', row, hlc);
  tx.recordActivity({
    entity: 'payments',
    entityId: row.id,
    organizationId: row.organizationId,
    after: row,
    hlc,
  });
  return row;
}

/**
 * Applies money to an invoice: what it has been paid, and whether that settles it. Settling
 * it credits the cashback it earned and reactivates the products it renewed (billing/).
 */
export function applyPayment(
  tx: WriteTx,
  ctx: Ctx,
  invoice: { id: string; paidMinor: number; creditedMinor: number; grossMinor: number },
  amountMinor: number,
): void {
  const paid = invoice.paidMinor + amountMinor;
  // Credit notes count towards settling: they lowered what the invoice asks.
  const settled = paid + invoice.creditedMinor >= invoice.grossMinor;
  tx.update(invoices, invoice.id, { paidMinor: paid, status: settled ? 'paid' : 'partially_paid' });
  if (settled) {
    creditEarnedCashback(tx, ctx, invoice.id);
    reactivateOnPayment(tx, ctx, invoice.id);
  }
}
