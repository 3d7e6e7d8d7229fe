import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// One row per recorded change: append-only history the user can filter by date, product
// and action. No foreign keys on purpose: history outlives what it describes.
export const activity = sqliteTable(
  'activity',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    hlc: text('hlc').notNull(),
    actorPersonId: text('actor_person_id'),
    deviceId: text('device_id').notNull(),
    organizationId: text('organization_id'),
    productId: text('product_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown> | null>(),
  },
  (t) => [
    index('activity_org_at_idx').on(t.organizationId, t.at),
    index('activity_product_at_idx').on(t.productId, t.at),
    index('activity_action_at_idx').on(t.action, t.at),
  ],
);

export type Activity = typeof activity.$inferSelect;
