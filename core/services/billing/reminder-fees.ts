// Reminder fees (issue 12, dunning): a reminder's fee is a charge of the firm on its customer,
// owed beside the invoice, not part of it. The charge is the reminder row itself (its fee_minor,
// linked to its invoice and payer, synced and judged as reminders are); what settles it is a
// payment of outcome 'fee' on the same invoice — the firm's fee income, never money on the
// customer's prepaid account. Settling order, from the seeds' "always pay the exact amount of
// the invoice": money matched to an invoice pays the invoice first, then its reminders' fees,
// oldest level first. So what is open is derived, one fact in one place:
//   open fees of an invoice = Σ reminders.fee_minor − Σ fees paid (#common/reminder-fee-paid)
// kept per fee charge by triggers in glance_fees (db/glance-fees.ts holds the settling rule):
// every read here is an index read of that table, the whole book's one a partial index of the
// open charges (it looked up each reminder's payments: ~14 µs a reminder, ~0.9 s at 1M invoices).
import type { Currency } from '#common/enums';
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

const CHARGE_COLUMNS = `reminder_id AS reminderId, invoice_id AS invoiceId, level, pay_by AS payBy, currency,
  fee_minor AS feeMinor, open_minor AS openMinor`;

/** Every fee charge of these invoices, with what is still open of each (by invoice, oldest level first). */
export function feeChargesOf(ctx: Ctx, invoiceIds: readonly string[]): FeeCharge[] {
  const out: FeeCharge[] = [];
  // SQLite's default limit on bound parameters is far above this; chunks keep each query small.
  for (let i = 0; i < invoiceIds.length; i += 500) {
    const part = invoiceIds.slice(i, i + 500);
    out.push(
      ...(ctx.raw
        .prepare(
          `SELECT ${CHARGE_COLUMNS} FROM glance_fees WHERE invoice_id IN (${part.map(() => '?').join(',')})
           ORDER BY invoice_id, level, reminder_id`,
        )
        .all(...part) as FeeCharge[]),
    );
  }
  return out;
}

/** The fees still open of these invoices, per invoice (absent: nothing open). */
export function openFeesOfMany(ctx: Ctx, invoiceIds: readonly string[]): Map<string, number> {
  const open = new Map<string, number>();
  for (const c of feeChargesOf(ctx, invoiceIds))
    if (c.openMinor > 0) open.set(c.invoiceId, (open.get(c.invoiceId) ?? 0) + c.openMinor);
  return open;
}

/**
 * The fees still open of one invoice: every fee charged less every fee paid. Prepared once per
 * connection: a statement import asks it for every credit that brings more than its invoice owes.
 */
export function openFeesOf(ctx: Ctx, invoiceId: string): number {
  const query = preparedOnce(
    ctx.raw,
    'SELECT coalesce(sum(open_minor), 0) FROM glance_fees WHERE invoice_id = ?',
  ).pluck();
  return query.get(invoiceId) as number;
}

// Two statements, not `@payer IS NULL OR …`: each reads the partial index of open charges.
const OPEN_CHARGES = `SELECT ${CHARGE_COLUMNS} FROM glance_fees WHERE open_minor > 0`;

/** The fee charges still open in the book, or of one payer. */
export function openFeeCharges(ctx: Ctx, payerId: string | null): FeeCharge[] {
  return (
    payerId === null
      ? ctx.raw.prepare(`${OPEN_CHARGES} ORDER BY invoice_id, level`).all()
      : ctx.raw.prepare(`${OPEN_CHARGES} AND organization_id = ? ORDER BY invoice_id, level`).all(payerId)
  ) as FeeCharge[];
}

export interface OpenFeesByDay {
  currency: Currency;
  payBy: string;
  openMinor: number;
}

/**
 * The fees still open, summed per currency and pay-by day (the dashboard's receivables age
 * them): a covering read of the partial index of open charges, a few hundred rows out.
 */
export function openFeesByDay(ctx: Ctx, payerId: string | null): OpenFeesByDay[] {
  const select = `SELECT currency, pay_by AS payBy, sum(open_minor) AS openMinor FROM glance_fees
    WHERE open_minor > 0`;
  return (
    payerId === null
      ? preparedOnce(ctx.raw, `${select} GROUP BY currency, pay_by`).all()
      : preparedOnce(ctx.raw, `${select} AND organization_id = ? GROUP BY currency, pay_by`).all(payerId)
  ) as OpenFeesByDay[];
}
