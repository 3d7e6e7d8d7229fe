// Orders (issue 12): a new product ordered for an organization — by the client, or by a partner
// with complete access — is created and its first period invoiced at once, with the same payer,
// price and cashback rules as its renewals (terms.ts), in one transaction.
import type { z } from 'zod';
import { todayIso } from '#common/dates';
import type { PlaceOrder } from '#common/renewals.schema';
import { atomically, type Ctx } from '../context';
import { createProduct, getProduct, type ProductRow } from '../products.service';
import { type BilledInvoice, billOrder } from './run';

export function placeOrder(
  ctx: Ctx,
  input: z.infer<typeof PlaceOrder>,
): { product: ProductRow; invoice: BilledInvoice } {
  const startsOn = input.startsOn ?? todayIso(ctx.clock.now());
  return atomically(
    ctx,
    () => {
      const { startsOn: _s, orderedBy, draftOnly, ...product } = input;
      const created = createProduct(ctx, { ...product, nextRenewalOn: startsOn, status: 'active' });
      const invoice = billOrder(ctx, created.id, startsOn, { orderedBy, draftsOnly: draftOnly });
      return { product: getProduct(ctx, created.id), invoice };
    },
    true,
  );
}
