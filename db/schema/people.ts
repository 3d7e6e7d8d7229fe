import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import { ROLES } from '#common/enums';
import { organizations } from './organizations';

export const people = sqliteTable(
  'people',
  {
    ...syncedColumns,
    name: text('name').notNull(),
    // Stored lower-cased: an e-mail address identifies one person.
    email: text('email').notNull(),
    avatar: text('avatar'),
  },
  (t) => [uniqueIndex('people_email_uq').on(t.email).where(sql`deleted_at is null`)],
);


// A membership is a pair row keyed by `organizationId:personId`, so two devices adding the
// same person converge on one row instead of duplicating it.
export const memberships = sqliteTable(
  'memberships',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    role: text('role', { enum: ROLES }).notNull(),
    external: integer('external', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('memberships_org_idx').on(t.organizationId), index('memberships_person_idx').on(t.personId)],
);

export type Person = typeof people.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
