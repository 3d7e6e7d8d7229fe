import type { ChangeResult } from '#common/sync/protocol';
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
