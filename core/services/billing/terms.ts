// Who pays a renewal or an order, at what price, and what it earns the partner (DOMAIN.md
// "Partner money", "Invoice visibility"), from the partnerships the store holds today. The
// price rule itself is common/pricing (discount, then degressive rate, rounded once).
import { and, eq, isNull, sql } from 'drizzle-orm';
import { fail } from '#common/errors';
import { degressiveRateFor, type MoneyCase, moneyCase, type OrderedBy, quote } from '#common/pricing';
import {
  type Partnership,
  type Product,
  partnershipProducts,
  partnerships,
  products,
} from '#db/schema/index';
import type { Ctx } from '../context';
import { priceBookFor } from '../partners/price-book.service';

export interface Terms {
  payerId: string;
  /** The payer's billing address: the product's own when the client pays, else the payer's default. */
  billingAddressId: string | null;
  moneyCase: MoneyCase;
  partnership: Partnership | null;
  orderedBy: OrderedBy;
  /** One period: what the payer pays (excl. VAT) and what the partner earns once it is paid. */
  netMinor: number;
  cashbackMinor: number;
  publicMinor: number;
  discountBp: number;
  degressiveBp: number;
}

/** The client's active partnerships, read once per run. */
export class PartnershipIndex {
  private readonly complete = new Map<string, Partnership>();
  private readonly limitedByProduct = new Map<string, Partnership>();

  constructor(ctx: Ctx) {
    const active = ctx.db
      .select()
      .from(partnerships)
      .where(and(eq(partnerships.status, 'active'), isNull(partnerships.deletedAt)))
      .all();
    const byId = new Map(active.map((p) => [p.id, p]));
    for (const p of active) if (p.access === 'complete') this.complete.set(p.clientOrganizationId, p);
    const allocations = ctx.db
      .select({ partnershipId: partnershipProducts.partnershipId, productId: partnershipProducts.productId })
      .from(partnershipProducts)
      .where(isNull(partnershipProducts.deletedAt))
      .all();
    for (const a of allocations) {
      const p = byId.get(a.partnershipId);
      if (p && p.access === 'limited') this.limitedByProduct.set(a.productId, p);
    }
  }

  /** The partnership that manages this product: the complete one, else a limited one it is allocated to. */
  of(product: Pick<Product, 'id' | 'organizationId'>): Partnership | null {
    return this.complete.get(product.organizationId) ?? this.limitedByProduct.get(product.id) ?? null;
  }
}

/**
 * Active products per organization and kind: the quantity the degressive (volume) rate reads.
 * Volume is what the client holds of that kind (the seeds' "35 web hostings").
 */
export function activeCounts(ctx: Ctx, organizationIds?: readonly string[]): Map<string, number> {
  const rows = ctx.db
    .select({ org: products.organizationId, kind: products.kind, n: sql<number>`count(*)` })
    .from(products)
    .where(and(eq(products.status, 'active'), isNull(products.deletedAt)))
    .groupBy(products.organizationId, products.kind)
    .all();
  const out = new Map<string, number>();
  for (const r of rows)
    if (!organizationIds || organizationIds.includes(r.org)) out.set(`${r.org}:${r.kind}`, r.n);
  return out;
}

export type PriceBooks = (
  kind: Product['kind'],
  partnerOrganizationId: string | undefined,
) => ReturnType<typeof priceBookFor>;

/** priceBookFor read once per kind and partner: a billing run prices thousands of products. */
export function priceBooksOnce(ctx: Ctx): PriceBooks {
  const seen = new Map<string, ReturnType<typeof priceBookFor>>();
  return (kind, partnerId) => {
    const key = `${kind}:${partnerId ?? ''}`;
    let book = seen.get(key);
    if (!book) {
      book = priceBookFor(ctx, kind, partnerId);
      seen.set(key, book);
    }
    return book;
  };
}

/**
 * A renewal is renewed by whoever pays under the arrangement: the partner when it pays with its
 * own methods (complete access), else the client. An order says who placed it.
 */
export function termsFor(
  ctx: Ctx,
  product: Product,
  partnership: Partnership | null,
  volume: number,
  orderedByGiven: OrderedBy | null,
  books: PriceBooks = (kind, partnerId) => priceBookFor(ctx, kind, partnerId),
): Terms {
  const arrangement = partnership?.access === 'complete' ? partnership.payment : null;
  const orderedBy: OrderedBy = orderedByGiven ?? (arrangement === 'partner' ? 'partner' : 'client');
  const c = partnership
    ? moneyCase({
        access: partnership.access,
        payment: orderedBy === 'client' ? 'client' : arrangement,
        orderedBy,
        managedByPartner: true,
      })
    : 'none';
  if (c === 'forbidden') fail('partner_cannot_order');
  const partnerPays = partnership !== null && orderedBy === 'partner' && arrangement === 'partner';
  const book = books(product.kind, partnership?.partnerOrganizationId);
  const degressiveBp = degressiveRateFor(product.kind, book.tiers, Math.max(1, volume));
  const q = quote({
    publicUnitMinor: product.publicPriceMinor,
    quantity: 1,
    discountBp: partnership ? book.discountBp : 0,
    degressiveBp,
    case: c,
  });
  return {
    payerId: partnerPays && partnership ? partnership.partnerOrganizationId : product.organizationId,
    billingAddressId: partnerPays ? null : product.billingAddressId,
    moneyCase: c,
    partnership: c === 'none' ? null : partnership,
    orderedBy,
    netMinor: q.unit.paidMinor,
    cashbackMinor: q.unit.cashbackMinor,
    publicMinor: product.publicPriceMinor,
    discountBp: q.discountBp,
    degressiveBp,
  };
}
