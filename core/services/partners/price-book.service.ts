// The price book: public prices, partner discounts and degressive scales, with the seeds'
// defaults where the user recorded nothing.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { type Currency, degressiveTiers, partnerRates, priceBook, type ProductKind } from '#db/schema/index';
import type { SetDegressiveTiers, SetDiscount, SetPublicPrice } from '#common/partners.schema';
import { type DegressiveTierInput, DEGRESSIVE_KINDS } from '#common/pricing';
import { requireAuthority } from '../authority';
import type { Ctx } from '../context';
import { getOrganization } from '../organizations.service';

// ---------------------------------------------------------------------------------------
// Price book defaults (user data overrides them).

/** No partner tier recorded: the seeds' worked example uses a 20 % partner discount. */
export const DEFAULT_DISCOUNT_BP = 2_000;
/**
 * The seeds give ONE point of the degressive scale (35 web hostings → 25 %). The other
 * thresholds are placeholders the user edits (partners.setDegressiveTiers).
 */
export const DEFAULT_DEGRESSIVE_TIERS: readonly DegressiveTierInput[] = [
  { minQuantity: 1, rateBp: 0 },
  { minQuantity: 5, rateBp: 1_000 },
  { minQuantity: 10, rateBp: 1_500 },
  { minQuantity: 20, rateBp: 2_000 },
  { minQuantity: 35, rateBp: 2_500 },
];
/** Public monthly price of one web hosting, derived from the seeds (CHF 347.20 / 35, € 201.25 / 35). */
export const DEFAULT_PUBLIC_PRICES: Partial<Record<ProductKind, Record<Currency, number>>> = {
  web_hosting: { CHF: 992, EUR: 575 },
};
/** Seeds (dealer conditions): managed products of at least CHF 2,000 or EUR 1,800 a year. */
export const DEALER_THRESHOLD_MINOR: Record<Currency, number> = { CHF: 200_000, EUR: 180_000 };

// ---------------------------------------------------------------------------------------
// Price book.

export function setDiscount(ctx: Ctx, input: z.infer<typeof SetDiscount>) {
  return ctx.write('price_book.discount_set', (tx) => {
    getOrganization(ctx, input.partnerOrganizationId);
    // Prices, tiers and discounts are the firm's (common/authority): refused as the hub would.
    requireAuthority(ctx, 'partner_rates', 'update', null, { column: 'discount_bp' });
    return tx.upsertPair(partnerRates, {
      id: `${input.partnerOrganizationId}:${input.productKind}`,
      organizationId: input.partnerOrganizationId,
      productKind: input.productKind,
      discountBp: input.discountBp,
    });
  });
}

export function setPublicPrice(ctx: Ctx, input: z.infer<typeof SetPublicPrice>) {
  return ctx.write('price_book.price_set', (tx) => {
    requireAuthority(ctx, 'price_book', 'update', null, { column: 'public_price_minor' });
    return tx.upsertPair(priceBook, {
      id: `${input.productKind}:${input.currency}`,
      productKind: input.productKind,
      currency: input.currency,
      publicPriceMinor: input.publicPriceMinor,
    });
  });
}

/** Replaces a kind's degressive scale: thresholds not given are tombstoned. */
export function setDegressiveTiers(ctx: Ctx, input: z.infer<typeof SetDegressiveTiers>) {
  ctx.write('price_book.tiers_set', (tx) => {
    requireAuthority(ctx, 'degressive_tiers', 'update', null, { column: 'rate_bp' });
    const wanted = new Map(input.tiers.map((t) => [`${input.productKind}:${t.minQuantity}`, t]));
    for (const row of tx.db
      .select()
      .from(degressiveTiers)
      .where(eq(degressiveTiers.productKind, input.productKind))
      .all()) {
      if (!wanted.has(row.id) && !row.deletedAt) tx.remove(degressiveTiers, row.id);
    }
    for (const [id, t] of wanted) {
      tx.upsertPair(degressiveTiers, {
        id,
        productKind: input.productKind,
        minQuantity: t.minQuantity,
        rateBp: t.rateBp,
      });
    }
  });
  return priceBookFor(ctx, input.productKind).tiers;
}

export function priceBookFor(ctx: Ctx, kind: ProductKind, partnerOrganizationId?: string) {
  const stored = ctx.db
    .select({ minQuantity: degressiveTiers.minQuantity, rateBp: degressiveTiers.rateBp })
    .from(degressiveTiers)
    .where(and(eq(degressiveTiers.productKind, kind), isNull(degressiveTiers.deletedAt)))
    .orderBy(asc(degressiveTiers.minQuantity))
    .all();
  const everSet = ctx.db
    .select({ id: degressiveTiers.id })
    .from(degressiveTiers)
    .where(eq(degressiveTiers.productKind, kind))
    .get();
  const tiers = DEGRESSIVE_KINDS.includes(kind) ? (everSet ? stored : [...DEFAULT_DEGRESSIVE_TIERS]) : [];
  const rate = partnerOrganizationId
    ? ctx.db
        .select({ discountBp: partnerRates.discountBp })
        .from(partnerRates)
        .where(and(eq(partnerRates.id, `${partnerOrganizationId}:${kind}`), isNull(partnerRates.deletedAt)))
        .get()
    : undefined;
  const publicPrice = (currency: Currency): number | null =>
    ctx.db
      .select({ p: priceBook.publicPriceMinor })
      .from(priceBook)
      .where(and(eq(priceBook.id, `${kind}:${currency}`), isNull(priceBook.deletedAt)))
      .get()?.p ??
    DEFAULT_PUBLIC_PRICES[kind]?.[currency] ??
    null;
  return { tiers, discountBp: rate?.discountBp ?? DEFAULT_DISCOUNT_BP, publicPrice };
}
