// Reminder fees (issue 12, dunning): a reminder's fee is a charge of the firm on its customer,
// owed beside the invoice, not part of it. The charge is the reminder row itself (its fee_minor,
// linked to its invoice and payer, synced and judged as reminders are); what settles it is a
// payment of outcome 'fee' on the same invoice — the firm's fee income, never money on the
// customer's prepaid account. Settling order, from the seeds' "always pay the exact amount of
// the invoice": money matched to an invoice pays the invoice first, then its reminders' fees,
// oldest level first. So what is open is derived, one fact in one place:
//   open fees of an invoice = Σ reminders.fee_minor − Σ fees paid (#common/reminder-fee-paid)
import type { Currency } from '#common/enums';
import { givesFeesBackSql, paysFeesSql } from '#common/reminder-fee-paid';
import type { Ctx } from '../context';
import { preparedOnce } from '../query-helpers';

export interface FeeCharge {
  reminderId: string;
  invoiceId: string;
  level: number;
  payBy: string;
  currency: Currency;
  feeMinor: number;
  /** What of this fee is still owed, after the invoice's fee payments (oldest level first). */
  openMinor: number;
}

interface ChargeRow {
  reminderId: string;
  invoiceId: string;
  level: number;
  payBy: string;
  currency: Currency;
  feeMinor: number;
  paidMinor: number;
}

// A credit note that cancels or refunds the invoice withdraws the claim the reminders pressed:
// their fees are no longer owed (a partial credit note leaves them).
// Fees paid: payments of outcome 'fee', and — in books written before fees were income — the
// fees an import deposited to the payer's prepaid account (deposit_reason 'reminder_fee'): the
// customer paid them; that money stays where it was booked (money is append-only). Less what
// the hub deposited back as fee money beyond every fee charged (two devices that each booked
// the open fee from two bank credits: server/HUB.md "Reminders").
const FEES_PAID = `(coalesce((SELECT sum(p.amount_minor) FROM payments p
                     WHERE p.invoice_id = INVOICE AND ${paysFeesSql('p')}), 0)
                 - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
                     WHERE e.invoice_id = INVOICE AND ${givesFeesBackSql('e')}), 0))`;
const feesPaidOf = (invoice: string) => FEES_PAID.replaceAll('INVOICE', invoice);
const CHARGES_SQL = `SELECT r.id AS reminderId, r.invoice_id AS invoiceId, r.level, r.pay_by AS payBy,
         r.currency, r.fee_minor AS feeMinor,
         ${feesPaidOf('r.invoice_id')} AS paidMinor
  FROM reminders r JOIN invoices i ON i.id = r.invoice_id
  WHERE r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded')`;

/** Each invoice's fee payments spread over its reminders' fees, oldest level first. */
function settle(rows: readonly ChargeRow[]): FeeCharge[] {
  const left = new Map<string, number>();
  // Ids compared as code units: only grouping and level order matter, and a collator costs
  // ~4× more per comparison (thousands of fee charges on the whole-book dashboard).
  const sorted = [...rows].sort((a, b) =>
    a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : a.level - b.level,
  );
  return sorted.map(({ paidMinor, ...r }) => {
    const paid = left.get(r.invoiceId) ?? paidMinor;
    const taken = Math.min(paid, r.feeMinor);
    left.set(r.invoiceId, paid - taken);
    return { ...r, openMinor: r.feeMinor - taken };
  });
}

/** Every fee charge of these invoices, with what is still open of each. */
export function feeChargesOf(ctx: Ctx, invoiceIds: readonly string[]): FeeCharge[] {
  if (invoiceIds.length === 0) return [];
  const out: ChargeRow[] = [];
  // SQLite's default limit on bound parameters is far above this; chunks keep each query small.
  for (let i = 0; i < invoiceIds.length; i += 500) {
    const part = invoiceIds.slice(i, i + 500);
    out.push(
      ...(ctx.raw
        .prepare(`${CHARGES_SQL} AND r.invoice_id IN (${part.map(() => '?').join(',')})`)
        .all(...part) as ChargeRow[]),
    );
  }
  return settle(out);
}

/** The fees still open of these invoices, per invoice (absent: nothing open). */
export function openFeesOfMany(ctx: Ctx, invoiceIds: readonly string[]): Map<string, number> {
  const open = new Map<string, number>();
  for (const c of feeChargesOf(ctx, invoiceIds))
    if (c.openMinor > 0) open.set(c.invoiceId, (open.get(c.invoiceId) ?? 0) + c.openMinor);
  return open;
}

/**
 * The fees still open of one invoice: every fee charged less every fee paid (the order they
 * settle in does not change the sum). Prepared once per connection: a statement import asks it
 * for every credit that brings more than its invoice owes.
 */
export function openFeesOf(ctx: Ctx, invoiceId: string): number {
  const query = preparedOnce(
    ctx.raw,
    `SELECT coalesce((SELECT sum(r.fee_minor) FROM reminders r JOIN invoices i ON i.id = r.invoice_id
                      WHERE r.invoice_id = @id AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded')), 0)
          - ${feesPaidOf('@id')}`,
  ).pluck();
  return Math.max(0, query.get({ id: invoiceId }) as number);
}

/** The fee charges still open in the book, or of one payer (the dashboard's receivables). */
export function openFeeCharges(ctx: Ctx, payerId: string | null): FeeCharge[] {
  const rows = ctx.raw
    .prepare(`${CHARGES_SQL} AND (@payer IS NULL OR r.organization_id = @payer)`)
    .all({ payer: payerId }) as ChargeRow[];
  return settle(rows).filter((c) => c.openMinor > 0);
}
