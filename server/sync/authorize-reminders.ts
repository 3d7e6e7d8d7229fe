import type { ChangeResult } from '#common/sync/protocol';
import { chargedFees } from '#common/reminder-fee-paid';
import { reminderId } from '#common/reminder-key';
import { type HubView, reject } from './authorize';
import type { Fields } from './tables';

// A payment reminder (db/schema/reminders.ts) is judged against the hub's own rows, never the
// device's word: its id is its invoice and level (one reminder per invoice and level, whoever
// writes it), and it names an issued invoice the hub holds with the same payer, issuer and
// currency. Who may write one at all is common/authority (the firm), checked before this.

export async function judgeReminder(view: HubView, rowId: string, row: Fields): Promise<ChangeResult | null> {
  const refuse = (problem: string) => reject('reminder_mismatch', { table: 'reminders', rowId, problem });
  if (rowId !== reminderId(String(row.invoice_id), Number(row.level))) return refuse('id');
  const invoice = await view.row('invoices', String(row.invoice_id));
  if (
    invoice?.kind !== 'invoice' ||
    invoice.status === 'draft' ||
    invoice.organization_id !== row.organization_id ||
    invoice.issuer_organization_id !== row.issuer_organization_id ||
    invoice.currency !== row.currency
  )
    return refuse('invoice');
  if (String(row.pay_by) < String(row.reminded_on)) return refuse('pay_by');
  return null;
}

/**
 * A reminder fee paid (a payment of outcome 'fee'): the firm's income, so the hub bounds it by
 * what the invoice's reminders charged — an invoice the hub holds as issued, paid by the same
 * payer in its currency, and never more than every fee its live reminders charged
 * (Σ reminders.fee_minor). No honest device writes more: its fee is what it holds open, and
 * the reminders that charged it reach the hub before the payment (their HLC is older). Paid
 * beyond what is still open but within what was charged is two devices each booking the open
 * fee from two bank credits: applied, and the hub deposits the rest to the payer's prepaid
 * account after the batch (./derived.ts feeOverpaymentOf), as it does for an invoice.
 */
export async function judgeFeePayment(
  view: HubView,
  rowId: string,
  row: Fields,
): Promise<ChangeResult | null> {
  const invoiceId = typeof row.invoice_id === 'string' ? row.invoice_id : null;
  const invoice = invoiceId ? await view.row('invoices', invoiceId) : null;
  if (
    invoice?.kind !== 'invoice' ||
    invoice.status === 'draft' ||
    invoice.organization_id !== row.organization_id ||
    invoice.currency !== row.currency
  )
    return reject('reminder_fee_mismatch', { table: 'payments', rowId, invoiceId });
  const charged = chargedFees(await view.referring('reminders', invoiceId as string));
  const amount = Number(row.amount_minor);
  if (amount > charged)
    return reject('reminder_fee_over_charged', {
      table: 'payments',
      rowId,
      chargedMinor: charged,
      amountMinor: amount,
    });
  return null;
}
