// A product's life with its renewals (issue 12): a renewal invoice unpaid past the grace period
// (its products organization's setting, default 15 days after due) expires the product; paying
// it reactivates the product, whose next renewal the billing already moved one period on. Each
// step is a tracked write, so the activity log records it.
import { eq } from 'drizzle-orm';
import { products } from '#db/schema/index';
import { preparedOnce } from '../query-helpers';
import type { Ctx, WriteTx } from '../context';

export interface ExpiringProduct {
  productId: string;
  name: string;
  organizationId: string;
  invoiceId: string;
  invoiceNumber: string | null;
  dueOn: string;
}

/** Active products with a renewal invoice still unpaid `grace` days after its due date. */
export function expiringProducts(ctx: Ctx, date: string, organizationId?: string): ExpiringProduct[] {
  return ctx.raw
    .prepare(
      `SELECT DISTINCT p.id AS productId, p.name, p.organization_id AS organizationId,
              i.id AS invoiceId, i.number AS invoiceNumber, i.due_on AS dueOn
       FROM renewals r
       JOIN invoices i ON i.id = r.invoice_id
       JOIN products p ON p.id = r.product_id
       JOIN organizations o ON o.id = p.organization_id
       WHERE p.status = 'active' AND p.deleted_at IS NULL AND i.deleted_at IS NULL
         AND i.status IN ('unpaid', 'partially_paid') AND i.due_on IS NOT NULL
         AND date(i.due_on, '+' || o.renewal_grace_days || ' days') < @date
         AND (@org IS NULL OR p.organization_id = @org OR i.organization_id = @org)
       GROUP BY p.id ORDER BY p.organization_id, p.name`,
    )
    .all({ date, org: organizationId ?? null }) as ExpiringProduct[];
}

export function expire(tx: WriteTx, list: readonly ExpiringProduct[]): void {
  for (const e of list) tx.update(products, e.productId, { status: 'expired' });
}

/** The expired products a paid renewal invoice billed: active again. */
export function reactivateOnPayment(tx: WriteTx, ctx: Ctx, invoiceId: string): void {
  const ids = preparedOnce(
    ctx.raw,
    `SELECT DISTINCT p.id FROM renewals r JOIN products p ON p.id = r.product_id
     WHERE r.invoice_id = ? AND p.status = 'expired' AND p.deleted_at IS NULL`,
  )
    .pluck()
    .all(invoiceId) as string[];
  for (const id of ids) {
    const still = tx.db.select({ status: products.status }).from(products).where(eq(products.id, id)).get();
    if (still?.status === 'expired') tx.update(products, id, { status: 'active' });
  }
}
