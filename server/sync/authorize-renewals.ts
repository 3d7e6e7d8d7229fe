import type { ChangeResult } from '#common/sync/protocol';
import { type HubView, reject } from './authorize';
import type { Fields } from './tables';

// A renewal claim (db/schema/renewals.ts) is judged against the hub's own rows, never the
// device's word: its key is its product and period start, and it names an invoice the hub holds
// with the same payer, issuer and products organization, for a product of that organization.
// Who may write one at all is common/authority (the firm), checked before this.

export async function judgeRenewal(view: HubView, rowId: string, row: Fields): Promise<ChangeResult | null> {
  const refuse = (problem: string) => reject('renewal_mismatch', { table: 'renewals', rowId, problem });
  if (row.period_key !== `${String(row.product_id)}:${String(row.period_start)}`) return refuse('period_key');
  if (String(row.period_end) <= String(row.period_start)) return refuse('period_end');
  const invoice = await view.row('invoices', String(row.invoice_id));
  if (
    invoice?.kind !== 'invoice' ||
    invoice.organization_id !== row.organization_id ||
    invoice.issuer_organization_id !== row.issuer_organization_id ||
    invoice.products_organization_id !== row.products_organization_id
  )
    return refuse('invoice');
  const product = await view.row('products', String(row.product_id));
  if (!product || product.organization_id !== row.products_organization_id) return refuse('product');
  return null;
}
