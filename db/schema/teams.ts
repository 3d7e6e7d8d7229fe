import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncedColumns } from './columns';
import { organizations } from './organizations';
import { people } from './people';
import { products } from './products';

export const workTeams = sqliteTable(
  'work_teams',
  {
    ...syncedColumns,
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    leaderPersonId: text('leader_person_id').references(() => people.id),
  },
  (t) => [index('work_teams_org_idx').on(t.organizationId)],
);

export const workTeamMembers = sqliteTable(
  'work_team_members',
  {
    ...syncedColumns,
    teamId: text('team_id')
      .notNull()
      .references(() => workTeams.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [index('work_team_members_team_idx').on(t.teamId)],
);

export const workTeamProducts = sqliteTable(
  'work_team_products',
  {
    ...syncedColumns,
    teamId: text('team_id')
      .notNull()
      .references(() => workTeams.id),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
  },
  (t) => [index('work_team_products_team_idx').on(t.teamId)],
);

export type WorkTeam = typeof workTeams.$inferSelect;
