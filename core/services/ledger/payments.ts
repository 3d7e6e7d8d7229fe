import { invoices, type Payment, payments } from '#db/schema/index';
import type { Ctx, WriteTx } from '../context';

/** Appends one payment row (append-only in the store), with its change-log and activity rows. */
export function appendPayment(
  tx: WriteTx,
  ctx: Ctx,
  values: Omit<Payment, 'id' | 'createdAt' | 'hlc'>,
): Payment {
  const hlc = ctx.hlc.now();
  const row = tx.db
    .insert(payments)
    .values({ ...values, id: ctx.ids.next(), createdAt: tx.now.toISOString(), hlc })
    .returning()
    .get();
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

/** Applies money to an invoice: what it has been paid, and whether that settles it. */
export function applyPayment(
  tx: WriteTx,
  invoice: { id: string; paidMinor: number; creditedMinor: number; grossMinor: number },
  amountMinor: number,
): void {
  const paid = invoice.paidMinor + amountMinor;
  tx.update(invoices, invoice.id, {
    paidMinor: paid,
    // Credit notes count towards settling: they lowered what the invoice asks.
    status: paid + invoice.creditedMinor >= invoice.grossMinor ? 'paid' : 'partially_paid',
  });
}
