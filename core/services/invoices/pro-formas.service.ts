// Pro formas: a renewal quote for selected products, and its conversion into an invoice.
import { and, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { invoices, products } from '#db/schema/index';
import { fail } from '#common/errors';
import type { ProFormaForProducts } from '#common/invoices.schema';
import { atomically, type Ctx } from '../context';
import { getInvoice, type InvoiceDetail } from './detail';
import { createInvoice, lineInputsOf } from './drafts.service';
import { issueInvoice } from './issue.service';

/** A pro forma for selected products: a renewal quote, one period of each at the public price. */
export function proFormaForProducts(ctx: Ctx, input: z.infer<typeof ProFormaForProducts>): InvoiceDetail {
  // Created and issued together, or not at all: a refused issue leaves no stray draft.
  return atomically(ctx, () => proFormaInTx(ctx, input));
}

function proFormaInTx(ctx: Ctx, input: z.infer<typeof ProFormaForProducts>): InvoiceDetail {
  const chosen = ctx.db
    .select()
    .from(products)
    .where(and(inArray(products.id, input.productIds), isNull(products.deletedAt)))
    .all();
  const missing = input.productIds.find((id) => !chosen.some((p) => p.id === id));
  if (missing) fail('product_not_found', { id: missing });
  if (chosen.some((p) => p.organizationId !== input.organizationId)) fail('product_wrong_organization');
  const draft = createInvoice(ctx, {
    kind: 'pro_forma',
    organizationId: input.organizationId,
    issuerOrganizationId: input.issuerOrganizationId,
    locale: input.locale,
    lines: chosen.map((p) => ({
      productId: p.id,
      description: `${p.name} (${p.billingFrequency}, ${p.nextRenewalOn})`,
      quantityMilli: 1000,
      unitPriceMinor: p.publicPriceMinor,
      discountBp: 0,
    })),
  });
  return input.issue ? issueInvoice(ctx, draft.id) : draft;
}

/** Turns an issued pro forma into a draft invoice with the same lines; the pro forma closes. */
export function convertProForma(ctx: Ctx, id: string): InvoiceDetail {
  return atomically(ctx, () => convertProFormaInTx(ctx, id));
}

function convertProFormaInTx(ctx: Ctx, id: string): InvoiceDetail {
  const proForma = getInvoice(ctx, id);
  if (proForma.kind !== 'pro_forma') fail('pro_forma_only');
  // Once converted (or withdrawn) a pro forma is closed: converting it again would bill twice.
  if (proForma.status !== 'unpaid' && proForma.status !== 'draft') {
    fail('pro_forma_closed', { number: proForma.number ?? '' });
  }
  const draft = createInvoice(ctx, {
    kind: 'invoice',
    organizationId: proForma.organizationId,
    productsOrganizationId: proForma.productsOrganizationId,
    issuerOrganizationId: proForma.issuerOrganizationId,
    billingAddressId: proForma.billingAddressId,
    locale: proForma.locale,
    notes: proForma.notes,
    lines: lineInputsOf(proForma.lines),
  });
  ctx.write('invoice.converted', (tx) => {
    tx.update(invoices, draft.id, { convertedFromId: proForma.id });
    if (proForma.status === 'unpaid') tx.update(invoices, proForma.id, { status: 'cancelled' });
    else tx.remove(invoices, proForma.id);
  });
  return getInvoice(ctx, draft.id);
}
