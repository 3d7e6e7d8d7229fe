import { sql } from 'drizzle-orm';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import { organizations } from './organizations';
import { products } from './products';

export const tags = sqliteTable(
  'tags',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    // Case-folded name (Unicode, not SQLite's ASCII-only NOCASE): "École" and "école" clash.
    nameKey: text('name_key').notNull(),
    color: text('color').notNull(),
  },
  (t) => [uniqueIndex('tags_org_name_uq').on(t.organizationId, t.nameKey).where(sql`deleted_at is null`)],
);

// A tag on a product is a pair row keyed by `productId:tagId`; removing it sets the
// tombstone, re-adding clears it, so concurrent edits converge per pair.
export const productTags = sqliteTable(
  'product_tags',
  {
    ...syncedColumns,
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    tagId: text('tag_id')
      .notNull()
      .references(() => tags.id),
  },
  (t) => [
    index('product_tags_tag_idx').on(t.tagId, t.productId).where(sql`deleted_at is null`),
    index('product_tags_product_idx').on(t.productId).where(sql`deleted_at is null`),
  ],
);

export type Tag = typeof tags.$inferSelect;
export type ProductTag = typeof productTags.$inferSelect;
