import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '#db/open';
import type { z } from 'zod';
import { memberships, organizations, people, type Role } from '#db/schema/index';
import type { Membership, Person } from '#db/schema/index';
import { fail } from '#common/errors';
import type {
  AddMember,
  ChangeRole,
  CreatePerson,
  ListPeople,
  RemoveMember,
  UpdatePerson,
} from '#common/people.schema';
import type { Ctx, WriteTx } from './context';
import { assertVisible, seesWhole } from './visibility';
import { getOrganization } from './organizations.service';
import { matchingIdsSql } from './search/search.service';
import { nameOrder } from './query-helpers';

export interface Member extends Membership {
  person: Person;
}

export function listPeople(ctx: Ctx, input: z.infer<typeof ListPeople>): Person[] {
  const search = input.search?.trim();
  return ctx.db
    .select()
    .from(people)
    .where(
      and(
        isNull(people.deletedAt),
        search ? (matchingIdsSql('person', people.id, search) ?? undefined) : undefined,
      ),
    )
    .orderBy(asc(nameOrder('people')), asc(people.id))
    .all();
}

export function getPerson(ctx: Ctx, id: string): Person {
  return (
    ctx.db
      .select()
      .from(people)
      .where(and(eq(people.id, id), isNull(people.deletedAt)))
      .get() ?? fail('person_not_found', { id })
  );
}

function assertEmailFree(tx: WriteTx, email: string, exceptId?: string): void {
  const owner = tx.db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.email, email), isNull(people.deletedAt)))
    .get();
  if (owner && owner.id !== exceptId) fail('email_taken', { email });
}

export function createPerson(ctx: Ctx, input: z.infer<typeof CreatePerson>): Person {
  return ctx.write('person.created', (tx) => {
    assertEmailFree(tx, input.email);
    return tx.insert(people, { name: input.name, email: input.email, avatar: input.avatar ?? null });
  });
}

export function updatePerson(ctx: Ctx, input: z.infer<typeof UpdatePerson>): Person {
  return ctx.write('person.updated', (tx) => {
    getPerson(ctx, input.id);
    if (input.email) assertEmailFree(tx, input.email, input.id);
    return tx.update(people, input.id, { name: input.name, email: input.email });
  });
}

export function listMembers(ctx: Ctx, organizationId: string, actingOrganizationId?: string): Member[] {
  getOrganization(ctx, organizationId);
  assertVisible(ctx, actingOrganizationId, 'organization', organizationId);
  // A limited partner manages products, not the client's people.
  if (!seesWhole(ctx, actingOrganizationId, organizationId)) return [];
  return ctx.db
    .select({ membership: memberships, person: people })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.organizationId, organizationId), isNull(memberships.deletedAt)))
    .orderBy(asc(nameOrder('people')), asc(people.id))
    .all()
    .map((r) => ({ ...r.membership, person: r.person }));
}

const membershipId = (organizationId: string, personId: string) => `${organizationId}:${personId}`;

/**
 * The live membership of `personId` in `organizationId` (with one of `roles`, when given): who
 * may act for an organization, who may join its teams, whom the settings may name.
 */
export function liveMembership(
  db: Db,
  organizationId: string,
  personId: string,
  roles?: readonly Role[],
): Membership | undefined {
  return db
    .select()
    .from(memberships)
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        eq(memberships.personId, personId),
        roles ? inArray(memberships.role, [...roles]) : undefined,
        isNull(memberships.deletedAt),
      ),
    )
    .get();
}

function activeMembership(ctx: Ctx, organizationId: string, personId: string): Membership | undefined {
  return liveMembership(ctx.db, organizationId, personId);
}

function legalRepresentativeCount(ctx: Ctx, organizationId: string): number {
  return (
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(memberships)
      .where(
        and(
          eq(memberships.organizationId, organizationId),
          eq(memberships.role, 'legal_representative'),
          isNull(memberships.deletedAt),
        ),
      )
      .get()?.n ?? 0
  );
}

export function addMember(ctx: Ctx, input: z.infer<typeof AddMember>): Member {
  return ctx.write('membership.added', (tx) => {
    getOrganization(ctx, input.organizationId);
    let person: Person | undefined;
    if (input.personId) person = getPerson(ctx, input.personId);
    else if (input.email) {
      person =
        tx.db
          .select()
          .from(people)
          .where(and(eq(people.email, input.email), isNull(people.deletedAt)))
          .get() ??
        tx.insert(people, {
          name: input.name ?? input.email.split('@')[0] ?? input.email,
          email: input.email,
          avatar: null,
        });
    } else fail('invalid_input', { field: 'personId' });
    if (activeMembership(ctx, input.organizationId, person.id)) fail('already_member', { name: person.name });
    const membership = tx.upsertPair(memberships, {
      id: membershipId(input.organizationId, person.id),
      organizationId: input.organizationId,
      personId: person.id,
      role: input.role,
      external: input.external,
    });
    return { ...membership, person };
  });
}

export function changeRole(ctx: Ctx, input: z.infer<typeof ChangeRole>): Member {
  return ctx.write('membership.role_changed', (tx) => {
    const current =
      activeMembership(ctx, input.organizationId, input.personId) ?? fail('membership_not_found');
    guardLastLegalRepresentative(ctx, current, input.role);
    const updated = tx.update(memberships, current.id, { role: input.role });
    return { ...updated, person: getPerson(ctx, input.personId) };
  });
}

export function removeMember(ctx: Ctx, input: z.infer<typeof RemoveMember>): Membership {
  return ctx.write('membership.removed', (tx) => {
    const current =
      activeMembership(ctx, input.organizationId, input.personId) ?? fail('membership_not_found');
    guardLastLegalRepresentative(ctx, current, null);
    return tx.remove(memberships, current.id);
  });
}

/** The seeds: an organization always keeps a legal representative; the last one cannot leave. */
function guardLastLegalRepresentative(ctx: Ctx, current: Membership, nextRole: Role | null): void {
  if (current.role !== 'legal_representative' || nextRole === 'legal_representative') return;
  if (legalRepresentativeCount(ctx, current.organizationId) <= 1) {
    fail('last_legal_representative', { organizationId: current.organizationId });
  }
}

export interface PersonMembership {
  organizationId: string;
  organizationName: string;
  color: string;
  role: Role;
  external: boolean;
}

/** The organizations a person belongs to, with the role: who they can act for. */
export function membershipsOf(ctx: Ctx, personId: string): PersonMembership[] {
  getPerson(ctx, personId);
  return ctx.db
    .select({
      organizationId: memberships.organizationId,
      organizationName: organizations.name,
      color: organizations.color,
      role: memberships.role,
      external: memberships.external,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(eq(memberships.personId, personId), isNull(memberships.deletedAt), isNull(organizations.deletedAt)),
    )
    .orderBy(asc(nameOrder('organizations')), asc(organizations.id))
    .all();
}
