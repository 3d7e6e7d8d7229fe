import { isFirm } from '#common/authority/actors';
import { AUTHORITY, can, refusesValue } from '#common/authority/table';
import { FEE_OUTCOME } from '#common/reminder-fee-paid';
import type { ChangeResult } from '#common/sync/protocol';
import { SYNC_TABLES } from '#db/sync/tables';
import { reject, type Authority, type HubView } from './authorize';
import { judgeFeePayment } from './authorize-reminders';
import { grossOfLines } from './derived';
import type { Fields } from './tables';
import { checkValue } from './validate';

// Money records (payments, ledger entries) are written whole, once. The firm books money;
// anyone else only pays an invoice its own organization pays, from its own prepaid balance,
// never more than is due (DOMAIN.md "Payment", "Prepaid account"; SYNC.md kind 2).

const ISSUED_UNPAID = new Set(['unpaid', 'partially_paid']);

type MoneyInput = { table: string; rowId: string; hlc: string; row: Fields; newerSchema: boolean };

/** The row's values, the same answer whether or not the row exists or is in scope. */
export function checkMoneyValues(input: MoneyInput): ChangeResult | null {
  const { table, rowId, row } = input;
  for (const [column, value] of Object.entries(row)) {
    const problem = checkValue(table, column, value, input.newerSchema);
    if (problem) return problem;
  }
  if (row.id !== undefined && row.id !== rowId)
    return reject('value_invalid', { table, column: 'id', problem: 'another row id' });
  if (row.hlc !== undefined && row.hlc !== input.hlc)
    return reject('value_invalid', { table, column: 'hlc', problem: 'another timestamp' });
  const missing = [...(SYNC_TABLES.get(table)?.columns.values() ?? [])]
    .filter((c) => c.required && c.sql !== 'hlc' && (row[c.sql] === undefined || row[c.sql] === null))
    .map((c) => c.sql);
  // Answered as a row out of scope: a refusal never tells whether the id exists.
  if (missing.length > 0) return reject('out_of_scope', { table, rowId });
  return null;
}

/** Who may write this money record, judged after its values and its scope. */
export async function judgeMoney(
  authority: Authority,
  view: HubView,
  input: MoneyInput,
): Promise<ChangeResult | null> {
  const { table, rowId, row } = input;
  const rule = AUTHORITY[table]!;
  const [actor = null] = await authority.actorsOn(table, rule, { ...row, id: rowId });
  const refused = (column: string | null) =>
    reject('not_allowed', { table, rowId, column, operation: 'insert', actor });
  if (!can(actor, table, 'insert')) return refused(null);
  const bad = refusesValue(actor, table, 'insert', row);
  if (bad) return refused(bad);
  // The firm books any money; a reminder fee paid is income, bounded by the fees charged.
  if (actor !== null && isFirm(actor))
    return table === 'payments' && row.outcome === FEE_OUTCOME ? judgeFeePayment(view, rowId, row) : null;

  // Not the firm: the payer paying its own invoice.
  const invoiceId = typeof row.invoice_id === 'string' ? row.invoice_id : null;
  const invoice = invoiceId ? await view.row('invoices', invoiceId) : null;
  if (
    !invoice ||
    invoice.organization_id !== row.organization_id ||
    !ISSUED_UNPAID.has(String(invoice.status))
  )
    return reject('payment_not_own_invoice', { table, rowId, invoiceId });
  // What the invoice asks is its lines' gross as the hub computes it (./derived.ts): totals are
  // derived on every side and never travel, so a stored gross_minor is only a device's claim.
  const due = grossOfLines(invoice.lines) - (await view.paidOf(invoiceId as string));
  const amount = Number(row.amount_minor);
  if (table === 'payments') {
    if (row.method !== 'prepaid' || row.outcome !== 'applied') return refused('method');
    if (amount > due) return reject('payment_over_due', { table, rowId, dueMinor: due, amountMinor: amount });
  } else {
    if (amount >= 0) return refused('amount_minor');
    // The debit of a prepaid payment already judged: it moves exactly that payment's amount.
    const paymentId = typeof row.payment_id === 'string' ? row.payment_id : null;
    const payment = paymentId ? await view.row('payments', paymentId) : null;
    if (
      payment &&
      payment.invoice_id === invoiceId &&
      payment.organization_id === row.organization_id &&
      payment.method === 'prepaid' &&
      payment.amount_minor === -amount
    )
      return null;
    if (-amount > due)
      return reject('payment_over_due', { table, rowId, dueMinor: due, amountMinor: -amount });
  }
  return null;
}
