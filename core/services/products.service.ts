import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { z } from 'zod';
import { billingAddresses, type Product, products, productTags, type Tag, tags } from '#db/schema/index';
import { type FrequencyChangeWarning, frequencyChangeWarning } from '#common/billing-frequency';
import { fail } from '#common/errors';
import type {
  CheckFrequencyChange,
  CountProducts,
  CreateProduct,
  ListProducts,
  UpdateProduct,
} from '#common/products.schema';
import type { Ctx, WriteTx } from './context';
import { getOrganization } from './organizations.service';
import { decodeCursor, encodeCursor, nameOrder } from './query-helpers';
import { sortKey } from '#db/sort-key';
import { matchingIdsSql } from './search/search.service';
import { tagsByProduct } from './tags.service';
import { actingOrganization, assertMayOrderFor, assertVisible, productVisibleSql } from './visibility';

export interface ProductRow extends Product {
  tags: Pick<Tag, 'id' | 'name' | 'color'>[];
}

export interface ProductPage {
  rows: ProductRow[];
  nextCursor: string | null;
}

// A name sorts by its sort key (query-helpers nameOrder), the others by their value.
const sortColumns: Record<ListProducts['sort'], SQLiteColumn | SQL> = {
  name: nameOrder('products'),
  kind: products.kind,
  status: products.status,
  nextRenewalOn: products.nextRenewalOn,
  publicPriceMinor: products.publicPriceMinor,
};

function filters(input: z.infer<typeof CountProducts>): SQL[] {
  const where: SQL[] = [eq(products.organizationId, input.organizationId), isNull(products.deletedAt)];
  // Still a walk over the (organization, sort, id) index, each row checked against the
  // partner's allocations: a limited partner never reads an unallocated product.
  if (input.actingOrganizationId) where.push(productVisibleSql(input.actingOrganizationId));
  if (input.statuses.length) where.push(inArray(products.status, input.statuses));
  if (input.kinds.length) where.push(inArray(products.kind, input.kinds));
  const search = input.search?.trim();
  const matching = search ? matchingIdsSql('product', products.id, search) : null;
  if (matching) where.push(matching);
  if (input.tagIds.length) {
    // Table names spelled out: drizzle drops qualifiers inside sql``, which would turn this
    // correlated subquery into a comparison of product_tags' own columns.
    const ids = sql.join(
      input.tagIds.map((id) => sql`${id}`),
      sql`, `,
    );
    if (input.tagMode === 'any')
      where.push(
        sql`exists (select 1 from product_tags pt where pt.product_id = products.id and pt.deleted_at is null and pt.tag_id in (${ids}))`,
      );
    else
      where.push(
        sql`(select count(distinct pt.tag_id) from product_tags pt where pt.product_id = products.id
          and pt.deleted_at is null and pt.tag_id in (${ids})) = ${new Set(input.tagIds).size}`,
      );
  }
  return where;
}

/**
 * One page of an organization's products. Keyset pagination on (sort column, id) with a
 * row-value comparison: constant time at any depth, where OFFSET grows with the page number
 * (and the OR-form keyset defeats the index).
 */
export function listProducts(ctx: Ctx, input: ListProducts): ProductPage {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
  const column = sortColumns[input.sort];
  const where = filters(input);
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor?.length !== 2) fail('invalid_input', { field: 'cursor' });
    const [value, id] = cursor;
    where.push(
      input.direction === 'asc'
        ? sql`(${column}, ${products.id}) > (${value}, ${id})`
        : sql`(${column}, ${products.id}) < (${value}, ${id})`,
    );
  }
  const order =
    input.direction === 'asc' ? [asc(column), asc(products.id)] : [desc(column), desc(products.id)];
  const rows = ctx.db
    .select()
    .from(products)
    .where(and(...where))
    .orderBy(...order)
    .limit(input.limit + 1)
    .all();
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const byProduct = tagsByProduct(
    ctx,
    page.map((p) => p.id),
  );
  const last = page.at(-1);
  return {
    rows: page.map((p) => ({
      ...p,
      tags: (byProduct.get(p.id) ?? []).map((t) => ({ id: t.id, name: t.name, color: t.color })),
    })),
    nextCursor:
      hasMore && last
        ? encodeCursor([input.sort === 'name' ? sortKey(last.name) : (last[input.sort] as string | number), last.id])
        : null,
  };
}

export function countProducts(ctx: Ctx, input: z.infer<typeof CountProducts>): { count: number } {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
  const row = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(products)
    .where(and(...filters(input)))
    .get();
  return { count: row?.n ?? 0 };
}

/** One product; as `actingOrganizationId`, not_visible unless that organization may see it. */
export function getProduct(ctx: Ctx, id: string, actingOrganizationId?: string): ProductRow {
  if (actingOrganizationId) actingOrganization(ctx, actingOrganizationId);
  const product =
    ctx.db
      .select()
      .from(products)
      .where(and(eq(products.id, id), isNull(products.deletedAt)))
      .get() ?? fail('product_not_found', { id });
  assertVisible(ctx, actingOrganizationId, 'product', id);
  const productTagList = tagsByProduct(ctx, [id]).get(id) ?? [];
  return { ...product, tags: productTagList.map((t) => ({ id: t.id, name: t.name, color: t.color })) };
}

function assertAddress(tx: WriteTx, organizationId: string, addressId: string | null | undefined): void {
  if (!addressId) return;
  const address = tx.db
    .select({ organizationId: billingAddresses.organizationId })
    .from(billingAddresses)
    .where(and(eq(billingAddresses.id, addressId), isNull(billingAddresses.deletedAt)))
    .get();
  if (!address) fail('address_not_found', { id: addressId });
  if (address.organizationId !== organizationId) fail('address_wrong_organization');
}

export function createProduct(ctx: Ctx, input: z.infer<typeof CreateProduct>): ProductRow {
  const created = ctx.write('product.created', (tx) => {
    const org = getOrganization(ctx, input.organizationId);
    assertMayOrderFor(ctx, input.actingOrganizationId, org.id);
    assertAddress(tx, org.id, input.billingAddressId);
    const product = tx.insert(products, {
      organizationId: org.id,
      kind: input.kind,
      name: input.name,
      publicPriceMinor: input.publicPriceMinor,
      currency: org.currency,
      billingFrequency: input.billingFrequency,
      nextRenewalOn: input.nextRenewalOn,
      autoRenew: input.autoRenew,
      status: input.status,
      billingAddressId: input.billingAddressId ?? null,
    });
    for (const tagId of new Set(input.tagIds)) {
      liveTagOf(tx.db, tagId, org.id);
      tx.insert(productTags, { id: `${product.id}:${tagId}`, productId: product.id, tagId });
    }
    return product;
  });
  return getProduct(ctx, created.id);
}

export function checkFrequencyChange(
  ctx: Ctx,
  input: z.infer<typeof CheckFrequencyChange>,
): FrequencyChangeWarning | null {
  const product = getProduct(ctx, input.id, input.actingOrganizationId);
  return frequencyChangeWarning(
    product.billingFrequency,
    input.billingFrequency,
    input.nextRenewalOn ?? product.nextRenewalOn,
    ctx.clock.now().toISOString().slice(0, 10),
  );
}

export function updateProduct(ctx: Ctx, input: z.infer<typeof UpdateProduct>): ProductRow {
  ctx.write('product.updated', (tx) => {
    // A partner changes only what it may see; nothing here can move a product out of its
    // client's organization (UpdateProduct has no organization to move it to).
    const product = getProduct(ctx, input.id, input.actingOrganizationId);
    if (input.billingFrequency && input.billingFrequency !== product.billingFrequency) {
      const warning = frequencyChangeWarning(
        product.billingFrequency,
        input.billingFrequency,
        input.nextRenewalOn ?? product.nextRenewalOn,
        ctx.clock.now().toISOString().slice(0, 10),
      );
      if (warning && !input.confirmRebilling) {
        fail('frequency_change_rebills', {
          safeFrom: warning.safeFrom,
          termEndsOn: warning.termEndsOn,
          remainingMonths: warning.remainingMonths,
        });
      }
    }
    assertAddress(tx, product.organizationId, input.billingAddressId);
    const { id, confirmRebilling: _confirmed, tagIds, actingOrganizationId: _acting, ...patch } = input;
    tx.update(products, id, patch);
    if (tagIds) {
      const wanted = new Set(tagIds);
      for (const tag of product.tags) {
        if (!wanted.has(tag.id)) tx.remove(productTags, `${id}:${tag.id}`);
      }
      const have = new Set(product.tags.map((t) => t.id));
      for (const tagId of wanted) {
        if (have.has(tagId)) continue;
        liveTagOf(tx.db, tagId, product.organizationId);
        tx.upsertPair(productTags, { id: `${id}:${tagId}`, productId: id, tagId });
      }
    }
  });
  return getProduct(ctx, input.id);
}

export function deleteProduct(ctx: Ctx, id: string, actingOrganizationId?: string): Product {
  return ctx.write('product.deleted', (tx) => {
    getProduct(ctx, id, actingOrganizationId);
    return tx.remove(products, id);
  });
}

/** A tag a product of this organization may carry: it exists, is not deleted, and is the organization's. */
function liveTagOf(db: Ctx['db'], tagId: string, organizationId: string) {
  const tag = db
    .select()
    .from(tags)
    .where(and(eq(tags.id, tagId), isNull(tags.deletedAt)))
    .get();
  if (!tag) fail('tag_not_found', { id: tagId });
  if (tag.organizationId !== organizationId) fail('product_wrong_organization');
  return tag;
}
