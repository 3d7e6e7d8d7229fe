// The partner dashboard's cashback, invoice by invoice (issue 12): what each invoice earned the
// partner (credited when it was paid), what unpaid invoices will earn, and what credit notes
// took back — each naming the invoice and the client, so a total on the dashboard can be traced.
import type { Currency } from '#db/schema/index';
import type { Ctx } from '../context';

export interface CashbackInvoice {
  state: 'earned' | 'pending' | 'reversed';
  invoiceId: string;
  invoiceNumber: string | null;
  /** The invoice's payer (the client, or the partner paying for it). */
  organizationId: string;
  clientName: string;
  currency: Currency;
  amountMinor: number;
  /** When it was credited or taken back; the invoice's issue date while pending. */
  on: string | null;
}

/** The year's earned and reversed entries, and every invoice still pending, newest first. */
export function cashbackInvoices(ctx: Ctx, partnerOrganizationId: string, year: number): CashbackInvoice[] {
  return ctx.raw
    .prepare(
      `SELECT x.state, x.invoiceId, i.number AS invoiceNumber, i.organization_id AS organizationId,
              coalesce(p.name, o.name) AS clientName, x.currency, x.amountMinor, x.on_date AS "on"
       FROM (
         SELECT 'earned' AS state, invoice_id AS invoiceId, currency, amount_minor AS amountMinor, booked_on AS on_date
         FROM ledger_entries WHERE organization_id = @p AND kind = 'cashback' AND booked_on LIKE @y AND invoice_id IS NOT NULL
         UNION ALL
         SELECT 'reversed', r.invoice_id, r.currency, -r.amount_minor, r.booked_on FROM ledger_entries r
         WHERE r.organization_id = @p AND r.kind = 'reversal' AND r.booked_on LIKE @y AND r.invoice_id IS NOT NULL
           AND r.reverses_entry_id IN (SELECT id FROM ledger_entries WHERE organization_id = @p AND kind = 'cashback')
         UNION ALL
         SELECT 'pending', n.invoice_id, n.currency, sum(n.cashback_minor), max(i2.issued_on)
         FROM renewals n JOIN invoices i2 ON i2.id = n.invoice_id
         WHERE n.partner_organization_id = @p AND n.money_case = 'cashback' AND i2.deleted_at IS NULL
           AND i2.status IN ('draft', 'unpaid', 'partially_paid')
         GROUP BY n.invoice_id, n.currency HAVING sum(n.cashback_minor) > 0
       ) x
       JOIN invoices i ON i.id = x.invoiceId
       JOIN organizations o ON o.id = i.organization_id
       LEFT JOIN organizations p ON p.id = i.products_organization_id
       ORDER BY x.on_date DESC, i.number DESC
       LIMIT 500`,
    )
    .all({ p: partnerOrganizationId, y: `${year}-%` }) as CashbackInvoice[];
}
