// Cashback follows by itself (DOMAIN.md "Partner money", issue 12): what a renewal or an order
// earns the partner (its claim's cashback_minor, decided when it was billed) is credited to the
// partner's prepaid account when the invoice that earns it is paid, naming that invoice; a
// credit note on it takes back its share. The entry's id is derived from the invoice and the
// partnership, so two devices that both see the invoice paid book it once.
import crypto from 'node:crypto';
import { can } from '#common/authority/table';
import type { Currency } from '#db/schema/index';
import { actorOn } from '../authority';
import { preparedOnce } from '../query-helpers';
import type { Ctx, WriteTx } from '../context';
import { appendEntry, balanceOf } from '../ledger/entries';
import { CASHBACK_NOTE } from '../partners/quotes.service';

export const cashbackEntryId = (invoiceId: string, partnershipId: string): string =>
  `cb:${crypto.createHash('sha256').update(`${invoiceId}\u0000${partnershipId}`).digest('hex').slice(0, 40)}`;

interface Earned {
  partnershipId: string;
  partnerOrganizationId: string;
  currency: Currency;
  cashbackMinor: number;
}

function earnedBy(ctx: Ctx, invoiceId: string): Earned[] {
  return preparedOnce(
    ctx.raw,
    `SELECT partnership_id AS partnershipId, partner_organization_id AS partnerOrganizationId,
            currency, sum(cashback_minor) AS cashbackMinor
     FROM renewals WHERE invoice_id = ? AND money_case = 'cashback' AND partnership_id IS NOT NULL
     GROUP BY partnership_id, partner_organization_id, currency HAVING sum(cashback_minor) > 0`,
  ).all(invoiceId) as Earned[];
}

/** Whoever acts may book cashback (the firm does: common/authority); else it waits, pending. */
const mayBook = (ctx: Ctx, partnerOrganizationId: string) =>
  can(actorOn(ctx, partnerOrganizationId), 'ledger_entries', 'insert');

/** Credits what a paid invoice earned its partners, once per partnership. */
export function creditEarnedCashback(tx: WriteTx, ctx: Ctx, invoiceId: string): number {
  let credited = 0;
  const exists = preparedOnce(ctx.raw, 'SELECT 1 FROM ledger_entries WHERE id = ?').pluck();
  for (const e of earnedBy(ctx, invoiceId)) {
    const id = cashbackEntryId(invoiceId, e.partnershipId);
    if (exists.get(id) || !mayBook(ctx, e.partnerOrganizationId)) continue;
    appendEntry(tx, ctx, {
      id,
      organizationId: e.partnerOrganizationId,
      kind: 'cashback',
      amountMinor: e.cashbackMinor,
      currency: e.currency,
      invoiceId,
      note: `${CASHBACK_NOTE}${e.partnershipId}`,
    });
    credited += e.cashbackMinor;
  }
  return credited;
}

/** Paid invoices whose cashback was not booked yet (paid where nobody could book it): booked now. */
export function creditPendingCashback(tx: WriteTx, ctx: Ctx): number {
  const ids = ctx.raw
    .prepare(
      `SELECT DISTINCT r.invoice_id FROM renewals r JOIN invoices i ON i.id = r.invoice_id
       WHERE i.status = 'paid' AND r.money_case = 'cashback' AND r.cashback_minor > 0
         AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.invoice_id = r.invoice_id AND e.kind = 'cashback')`,
    )
    .pluck()
    .all() as string[];
  let total = 0;
  for (const id of ids) total += creditEarnedCashback(tx, ctx, id);
  return total;
}

/**
 * A credit note takes back the cashback its invoice earned, in proportion to what it credits
 * (all of it for a full credit note), never taking the partner's balance below zero: what the
 * balance cannot give back is named in the entry's note.
 */
export function reverseCashback(
  tx: WriteTx,
  ctx: Ctx,
  original: { id: string; grossMinor: number },
  creditedTotalMinor: number,
): void {
  const entries = ctx.raw
    .prepare(
      `SELECT e.id, e.organization_id AS org, e.currency, e.amount_minor AS amount,
              coalesce((SELECT -sum(r.amount_minor) FROM ledger_entries r WHERE r.reverses_entry_id = e.id), 0) AS reversed
       FROM ledger_entries e WHERE e.invoice_id = ? AND e.kind = 'cashback'`,
    )
    .all(original.id) as { id: string; org: string; currency: Currency; amount: number; reversed: number }[];
  for (const e of entries) {
    const share =
      creditedTotalMinor >= original.grossMinor || original.grossMinor <= 0
        ? e.amount
        : Math.round((e.amount * creditedTotalMinor) / original.grossMinor);
    const due = Math.min(e.amount, share) - e.reversed;
    if (due <= 0 || !mayBook(ctx, e.org)) continue;
    const amount = Math.min(due, balanceOf(ctx, e.org, e.currency));
    if (amount <= 0) continue;
    appendEntry(tx, ctx, {
      organizationId: e.org,
      kind: 'reversal',
      amountMinor: -amount,
      currency: e.currency,
      invoiceId: original.id,
      reversesEntryId: e.id,
      note: amount < due ? 'cashback_reversal_short' : 'cashback_reversal',
    });
  }
}

export interface CashbackTotals {
  currency: Currency;
  /** Credited in the year. */
  earnedMinor: number;
  /** What billed, unpaid invoices will earn once paid. */
  pendingMinor: number;
  /** Taken back by credit notes in the year. */
  reversedMinor: number;
}

/** The partner dashboard's cashback: earned, pending (unpaid invoices) and reversed. */
export function cashbackTotals(ctx: Ctx, partnerOrganizationId: string, year: number): CashbackTotals[] {
  const rows = ctx.raw
    .prepare(
      `SELECT currency, sum(earned) AS earned, sum(pending) AS pending, sum(reversed) AS reversed FROM (
         SELECT currency, amount_minor AS earned, 0 AS pending, 0 AS reversed FROM ledger_entries
         WHERE organization_id = @p AND kind = 'cashback' AND booked_on LIKE @y
         UNION ALL
         SELECT r.currency, 0, 0, -r.amount_minor FROM ledger_entries r
         WHERE r.organization_id = @p AND r.kind = 'reversal' AND r.booked_on LIKE @y
           AND r.reverses_entry_id IN (SELECT id FROM ledger_entries WHERE organization_id = @p AND kind = 'cashback')
         UNION ALL
         SELECT n.currency, 0, n.cashback_minor, 0 FROM renewals n JOIN invoices i ON i.id = n.invoice_id
         WHERE n.partner_organization_id = @p AND n.money_case = 'cashback' AND i.deleted_at IS NULL
           AND i.status IN ('draft', 'unpaid', 'partially_paid'))
       GROUP BY currency ORDER BY currency`,
    )
    .all({ p: partnerOrganizationId, y: `${year}-%` }) as {
    currency: Currency;
    earned: number;
    pending: number;
    reversed: number;
  }[];
  return rows.map((r) => ({
    currency: r.currency,
    earnedMinor: r.earned,
    pendingMinor: r.pending,
    reversedMinor: r.reversed,
  }));
}
