import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { products, productTags, type Tag, tags } from '#db/schema/index';
import { fail } from '#common/errors';
import { TAG_COLORS, tagNameKey } from '#common/tag-names';
import type { AssignTag, CreateTag, RecolorTag, RenameTag } from '#common/tags.schema';
import type { Ctx, WriteTx } from './context';
import { getOrganization } from './organizations.service';
import { assertVisible, productVisibleSql, seesWhole } from './visibility';

export interface TagWithCount extends Tag {
  productCount: number;
}

export function listTags(ctx: Ctx, organizationId: string, actingOrganizationId?: string): TagWithCount[] {
  getOrganization(ctx, organizationId);
  assertVisible(ctx, actingOrganizationId, 'organization', organizationId);
  // A limited partner sees the tags on the products allocated to it, counted over those only.
  const limited = actingOrganizationId && !seesWhole(ctx, actingOrganizationId, organizationId);
  const visible = limited
    ? sql`and p.id in (select id from products where ${productVisibleSql(actingOrganizationId)})`
    : sql``;
  // Spelled out: drizzle drops table qualifiers inside sql`` (see organizations.service).
  const productCount = sql<number>`(select count(*) from product_tags pt join products p on p.id = pt.product_id
    where pt.tag_id = tags.id and pt.deleted_at is null and p.deleted_at is null ${visible})`;
  return ctx.db
    .select({ tag: tags, productCount })
    .from(tags)
    .where(
      and(
        eq(tags.organizationId, organizationId),
        isNull(tags.deletedAt),
        limited ? sql`${productCount} > 0` : undefined,
      ),
    )
    .orderBy(asc(tags.nameKey))
    .all()
    .map((r) => ({ ...r.tag, productCount: r.productCount }));
}

export function getTag(ctx: Ctx, id: string): Tag {
  return (
    ctx.db
      .select()
      .from(tags)
      .where(and(eq(tags.id, id), isNull(tags.deletedAt)))
      .get() ?? fail('tag_not_found', { id })
  );
}

function assertNameFree(tx: WriteTx, organizationId: string, name: string, exceptId?: string): string {
  const key = tagNameKey(name);
  const clash = tx.db
    .select({ id: tags.id, name: tags.name })
    .from(tags)
    .where(and(eq(tags.organizationId, organizationId), eq(tags.nameKey, key), isNull(tags.deletedAt)))
    .get();
  if (clash && clash.id !== exceptId) fail('tag_name_taken', { name, existing: clash.name });
  return key;
}

export function createTag(ctx: Ctx, input: z.infer<typeof CreateTag>): Tag {
  return ctx.write('tag.created', (tx) => {
    getOrganization(ctx, input.organizationId);
    const nameKey = assertNameFree(tx, input.organizationId, input.name);
    const used = tx.db
      .select({ n: sql<number>`count(*)` })
      .from(tags)
      .where(and(eq(tags.organizationId, input.organizationId), isNull(tags.deletedAt)))
      .get();
    const color = input.color ?? (TAG_COLORS[(used?.n ?? 0) % TAG_COLORS.length] as string);
    return tx.insert(tags, { organizationId: input.organizationId, name: input.name.trim(), nameKey, color });
  });
}

export function renameTag(ctx: Ctx, input: z.infer<typeof RenameTag>): Tag {
  return ctx.write('tag.renamed', (tx) => {
    const tag = getTag(ctx, input.tagId);
    const nameKey = assertNameFree(tx, tag.organizationId, input.name, tag.id);
    return tx.update(tags, tag.id, { name: input.name.trim(), nameKey });
  });
}

export function recolorTag(ctx: Ctx, input: z.infer<typeof RecolorTag>): Tag {
  return ctx.write('tag.recolored', (tx) => {
    getTag(ctx, input.tagId);
    return tx.update(tags, input.tagId, { color: input.color.toLowerCase() });
  });
}

/** Deleting a tag takes it off every product first, so no product keeps a dangling label. */
/** Deletes a tag; the products it left are returned too, for an "Undo" to put it back on them. */
export function deleteTag(ctx: Ctx, tagId: string): { tag: Tag; removedFrom: number; productIds: string[] } {
  return ctx.write('tag.deleted', (tx) => {
    getTag(ctx, tagId);
    const pairs = tx.db
      .select({ id: productTags.id, productId: productTags.productId })
      .from(productTags)
      .where(and(eq(productTags.tagId, tagId), isNull(productTags.deletedAt)))
      .all();
    for (const pair of pairs) tx.remove(productTags, pair.id);
    return { tag: tx.remove(tags, tagId), removedFrom: pairs.length, productIds: pairs.map((p) => p.productId) };
  });
}

const pairId = (productId: string, tagId: string) => `${productId}:${tagId}`;

function productsOf(tx: WriteTx, organizationId: string, productIds: readonly string[]): string[] {
  const unique = [...new Set(productIds)];
  const found = new Set<string>();
  // SQLite caps bound parameters; look products up in slices.
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    for (const row of tx.db
      .select({ id: products.id, organizationId: products.organizationId })
      .from(products)
      .where(and(inArray(products.id, slice), isNull(products.deletedAt)))
      .all()) {
      if (row.organizationId !== organizationId) fail('product_wrong_organization', { productId: row.id });
      found.add(row.id);
    }
  }
  const missing = unique.find((id) => !found.has(id));
  if (missing) fail('product_not_found', { id: missing });
  return unique;
}

export function assignTag(ctx: Ctx, input: z.infer<typeof AssignTag>): { tagId: string; changed: number } {
  return setTagOn(ctx, input, true);
}

export function unassignTag(ctx: Ctx, input: z.infer<typeof AssignTag>): { tagId: string; changed: number } {
  return setTagOn(ctx, input, false);
}

/** Puts the tag on (or takes it off) each product; `changed` counts only the products that changed. */
function setTagOn(ctx: Ctx, input: z.infer<typeof AssignTag>, on: boolean) {
  return ctx.write(on ? 'tag.assigned' : 'tag.unassigned', (tx) => {
    const tag = getTag(ctx, input.tagId);
    let changed = 0;
    for (const productId of productsOf(tx, tag.organizationId, input.productIds)) {
      const id = pairId(productId, tag.id);
      const existing = tx.db.select().from(productTags).where(eq(productTags.id, id)).get();
      const isOn = existing !== undefined && !existing.deletedAt;
      if (isOn === on) continue;
      if (on) tx.upsertPair(productTags, { id, productId, tagId: tag.id });
      else tx.remove(productTags, id);
      changed++;
    }
    return { tagId: tag.id, changed };
  });
}

/** Tags on each of the given products, for table rows. */
export function tagsByProduct(ctx: Ctx, productIds: readonly string[]): Map<string, Tag[]> {
  const result = new Map<string, Tag[]>();
  for (let i = 0; i < productIds.length; i += 500) {
    const slice = productIds.slice(i, i + 500);
    if (slice.length === 0) continue;
    const rows = ctx.db
      .select({ productId: productTags.productId, tag: tags })
      .from(productTags)
      .innerJoin(tags, eq(tags.id, productTags.tagId))
      .where(
        and(inArray(productTags.productId, slice), isNull(productTags.deletedAt), isNull(tags.deletedAt)),
      )
      .orderBy(asc(tags.nameKey))
      .all();
    for (const r of rows) {
      const list = result.get(r.productId) ?? [];
      list.push(r.tag);
      result.set(r.productId, list);
    }
  }
  return result;
}
