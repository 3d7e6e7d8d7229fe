import { and, asc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import {
  memberships,
  people,
  products,
  workTeamMembers,
  workTeamProducts,
  workTeams,
} from '#db/schema/index';
import type { WorkTeam } from '#db/schema/index';
import { fail } from '#common/errors';
import type { CreateTeam, SetTeamMembers, SetTeamProducts, UpdateTeam } from '#common/teams.schema';
import type { Ctx, WriteTx } from './context';
import { getOrganization } from './organizations.service';
import { liveMembership } from './people.service';
import { nameOrder } from './query-helpers';

export interface TeamDetail extends WorkTeam {
  members: { id: string; name: string; email: string; external: boolean }[];
  productIds: string[];
}

export function listTeams(ctx: Ctx, organizationId: string): TeamDetail[] {
  getOrganization(ctx, organizationId);
  const teams = ctx.db
    .select()
    .from(workTeams)
    .where(and(eq(workTeams.organizationId, organizationId), isNull(workTeams.deletedAt)))
    .orderBy(asc(nameOrder('work_teams')))
    .all();
  return teams.map((t) => detail(ctx, t));
}

function detail(ctx: Ctx, team: WorkTeam): TeamDetail {
  const members = ctx.db
    .select({ id: people.id, name: people.name, email: people.email, external: memberships.external })
    .from(workTeamMembers)
    .innerJoin(people, eq(people.id, workTeamMembers.personId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.personId, people.id),
        eq(memberships.organizationId, team.organizationId),
        isNull(memberships.deletedAt),
      ),
    )
    .where(and(eq(workTeamMembers.teamId, team.id), isNull(workTeamMembers.deletedAt)))
    .orderBy(asc(nameOrder('people')))
    .all()
    .map((m) => ({ ...m, external: m.external ?? false }));
  const productIds = ctx.db
    .select({ id: workTeamProducts.productId })
    .from(workTeamProducts)
    .where(and(eq(workTeamProducts.teamId, team.id), isNull(workTeamProducts.deletedAt)))
    .all()
    .map((r) => r.id);
  return { ...team, members, productIds };
}

export function getTeam(ctx: Ctx, id: string): TeamDetail {
  const team =
    ctx.db
      .select()
      .from(workTeams)
      .where(and(eq(workTeams.id, id), isNull(workTeams.deletedAt)))
      .get() ?? fail('team_not_found', { id });
  return detail(ctx, team);
}

/** A team's members and leader come from the organization's members (external ones included). */
function assertMembers(tx: WriteTx, organizationId: string, personIds: readonly string[]): void {
  for (const personId of personIds) {
    if (!liveMembership(tx.db, organizationId, personId))
      fail('team_member_not_in_organization', { personId });
  }
}

function assertProducts(tx: WriteTx, organizationId: string, productIds: readonly string[]): void {
  for (const productId of productIds) {
    const product = tx.db
      .select({ organizationId: products.organizationId })
      .from(products)
      .where(and(eq(products.id, productId), isNull(products.deletedAt)))
      .get();
    if (!product) fail('product_not_found', { id: productId });
    if (product.organizationId !== organizationId) fail('product_wrong_organization', { productId });
  }
}

function syncPairs(
  tx: WriteTx,
  teamId: string,
  kind: 'members' | 'products',
  wanted: readonly string[],
): void {
  const table = kind === 'members' ? workTeamMembers : workTeamProducts;
  const current = tx.db
    .select()
    .from(table)
    .where(and(eq(table.teamId, teamId), isNull(table.deletedAt)))
    .all();
  const want = new Set(wanted);
  const key = (row: (typeof current)[number]) =>
    'personId' in row ? (row.personId as string) : (row as { productId: string }).productId;
  for (const row of current) if (!want.has(key(row))) tx.remove(table, row.id);
  const have = new Set(current.map(key));
  for (const id of want) {
    if (have.has(id)) continue;
    if (kind === 'members') tx.upsertPair(workTeamMembers, { id: `${teamId}:${id}`, teamId, personId: id });
    else tx.upsertPair(workTeamProducts, { id: `${teamId}:${id}`, teamId, productId: id });
  }
}

export function createTeam(ctx: Ctx, input: z.infer<typeof CreateTeam>): TeamDetail {
  const team = ctx.write('team.created', (tx) => {
    getOrganization(ctx, input.organizationId);
    const leader = input.leaderPersonId ?? null;
    const memberIds = [...new Set([...(leader ? [leader] : []), ...input.memberIds])];
    assertMembers(tx, input.organizationId, memberIds);
    assertProducts(tx, input.organizationId, input.productIds);
    const created = tx.insert(workTeams, {
      organizationId: input.organizationId,
      name: input.name,
      leaderPersonId: leader,
    });
    syncPairs(tx, created.id, 'members', memberIds);
    syncPairs(tx, created.id, 'products', input.productIds);
    return created;
  });
  return getTeam(ctx, team.id);
}

export function updateTeam(ctx: Ctx, input: z.infer<typeof UpdateTeam>): TeamDetail {
  ctx.write('team.updated', (tx) => {
    const team = getTeam(ctx, input.id);
    if (input.leaderPersonId) {
      assertMembers(tx, team.organizationId, [input.leaderPersonId]);
      // The leader is a member of the team they lead.
      if (!team.members.some((m) => m.id === input.leaderPersonId)) {
        tx.upsertPair(workTeamMembers, {
          id: `${team.id}:${input.leaderPersonId}`,
          teamId: team.id,
          personId: input.leaderPersonId,
        });
      }
    }
    tx.update(workTeams, input.id, { name: input.name, leaderPersonId: input.leaderPersonId });
  });
  return getTeam(ctx, input.id);
}

export function setTeamMembers(ctx: Ctx, input: z.infer<typeof SetTeamMembers>): TeamDetail {
  ctx.write('team.members_changed', (tx) => {
    const team = getTeam(ctx, input.id);
    const wanted = [...new Set([...input.personIds, ...(team.leaderPersonId ? [team.leaderPersonId] : [])])];
    assertMembers(tx, team.organizationId, wanted);
    syncPairs(tx, team.id, 'members', wanted);
  });
  return getTeam(ctx, input.id);
}

export function setTeamProducts(ctx: Ctx, input: z.infer<typeof SetTeamProducts>): TeamDetail {
  ctx.write('team.products_changed', (tx) => {
    const team = getTeam(ctx, input.id);
    assertProducts(tx, team.organizationId, input.productIds);
    syncPairs(tx, team.id, 'products', input.productIds);
  });
  return getTeam(ctx, input.id);
}

export function deleteTeam(ctx: Ctx, id: string): WorkTeam {
  return ctx.write('team.deleted', (tx) => {
    const team = getTeam(ctx, id);
    syncPairs(tx, team.id, 'members', []);
    syncPairs(tx, team.id, 'products', []);
    return tx.remove(workTeams, id);
  });
}
