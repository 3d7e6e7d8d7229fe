// Allocations: which of a client's products a limited-access partner manages. The store
// holds one live allocation per product (a partial unique index); here the same rule gives
// a clear code naming the partner that already manages it.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import {
  organizations,
  type Partnership,
  partnershipProducts,
  partnerships,
  products,
} from '#db/schema/index';
import { fail } from '#common/errors';
import type { AllocateProducts } from '#common/partners.schema';
import type { Ctx, WriteTx } from '../context';
import {
  assertActs,
  assertNotClosed,
  findPartnership,
  getPartnership,
  type PartnershipView,
} from './partnerships';

/** Products exist, stay in the client's organization, and no other partner manages them. */
export function allocate(tx: WriteTx, p: Partnership, productIds: readonly string[]): number {
  const unique = [...new Set(productIds)];
  let changed = 0;
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    const found = tx.db
      .select({ id: products.id, name: products.name, organizationId: products.organizationId })
      .from(products)
      .where(and(inArray(products.id, slice), isNull(products.deletedAt)))
      .all();
    const missing = slice.find((id) => !found.some((f) => f.id === id));
    if (missing) fail('product_not_found', { id: missing });
    for (const product of found) {
      if (product.organizationId !== p.clientOrganizationId)
        fail('product_wrong_organization', { productId: product.id });
      const taken = tx.db
        .select({ partnershipId: partnershipProducts.partnershipId, partner: organizations.name })
        .from(partnershipProducts)
        .innerJoin(partnerships, eq(partnerships.id, partnershipProducts.partnershipId))
        .innerJoin(organizations, eq(organizations.id, partnerships.partnerOrganizationId))
        .where(and(eq(partnershipProducts.productId, product.id), isNull(partnershipProducts.deletedAt)))
        .get();
      if (taken && taken.partnershipId !== p.id)
        fail('partner_product_taken', { product: product.name, partner: taken.partner });
      if (taken) continue;
      tx.upsertPair(partnershipProducts, {
        id: `${p.id}:${product.id}`,
        partnershipId: p.id,
        productId: product.id,
      });
      changed++;
    }
  }
  return changed;
}

export function deallocateAll(tx: WriteTx, partnershipId: string): void {
  for (const row of tx.db
    .select({ id: partnershipProducts.id })
    .from(partnershipProducts)
    .where(and(eq(partnershipProducts.partnershipId, partnershipId), isNull(partnershipProducts.deletedAt)))
    .all())
    tx.remove(partnershipProducts, row.id);
}

function allocationTarget(ctx: Ctx, partnershipId: string): Partnership {
  const p = findPartnership(ctx, partnershipId);
  assertNotClosed(p);
  assertActs(ctx, p.clientOrganizationId, 'admin');
  if (p.access !== 'limited') fail('partner_limited_only');
  return p;
}

export function allocateProducts(ctx: Ctx, input: z.infer<typeof AllocateProducts>): PartnershipView {
  ctx.write('partnership.products_allocated', (tx) => {
    allocate(tx, allocationTarget(ctx, input.partnershipId), input.productIds);
  });
  return getPartnership(ctx, input.partnershipId);
}

export function deallocateProducts(ctx: Ctx, input: z.infer<typeof AllocateProducts>): PartnershipView {
  ctx.write('partnership.products_deallocated', (tx) => {
    const p = allocationTarget(ctx, input.partnershipId);
    for (const productId of new Set(input.productIds)) {
      const existing = tx.db
        .select()
        .from(partnershipProducts)
        .where(eq(partnershipProducts.id, `${p.id}:${productId}`))
        .get();
      if (!existing || existing.deletedAt) continue;
      tx.remove(partnershipProducts, existing.id);
    }
  });
  return getPartnership(ctx, input.partnershipId);
}
