// DOMAIN.md, Person and Membership: an e-mail identifies one person; roles legal
// representative / administrator / accountant / member; a person may be external; the last
// legal representative cannot leave.
import { beforeAll, describe, expect, it } from 'vitest';
import { count, historyCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-members-');

async function organization(k: TestKontor, name = 'Fiduciaire Rhône SA') {
  return (await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' })).id;
}

describe('adding members', () => {
  let k: TestKontor;
  let org: string;
  beforeAll(async () => {
    k = space.kontor();
    org = await organization(k);
  });

  it('by e-mail creates the person when nobody has that address', async () => {
    const member = await k.ok('members.add', {
      organizationId: org,
      email: '  Claire.Dubois@Example.CH ',
      name: 'Claire Dubois',
      role: 'legal_representative',
    });
    expect(member.person).toMatchObject({ name: 'Claire Dubois', email: 'claire.dubois@example.ch' });
    expect(member.role).toBe('legal_representative');
    expect(member.external).toBe(false);
    const people = await k.ok('people.list', { search: 'claire' });
    expect(people.map((p) => p.id)).toEqual([member.personId]);
  });

  it('by e-mail reuses the person who has it (any case), in another organization too', async () => {
    const other = await organization(k, 'Autre Sàrl');
    const again = await k.ok('members.add', {
      organizationId: other,
      email: 'CLAIRE.DUBOIS@example.ch',
      role: 'member',
    });
    const [claire] = await k.ok('people.list', { search: 'claire' });
    expect(again.personId).toBe(claire!.id);
    expect(count(k.raw, 'people', 'email = ?', 'claire.dubois@example.ch')).toBe(1);
  });

  it('without a name takes the e-mail’s local part as the name', async () => {
    const m = await k.ok('members.add', { organizationId: org, email: 'paul@example.ch', role: 'member' });
    expect(m.person.name).toBe('paul');
  });

  it('refuses the same person twice in one organization, whatever the role, and writes nothing', async () => {
    const before = historyCounts(k.raw);
    const error = await k.fails(
      'members.add',
      { organizationId: org, email: 'claire.dubois@example.ch', role: 'administrator' },
      'already_member',
      { locale: 'fr' },
    );
    expect(error.message).toBe('Claire Dubois est déjà membre de cette organisation.');
    expect(historyCounts(k.raw)).toEqual(before);
  });

  it('records external members as external', async () => {
    const ext = await k.ok('members.add', {
      organizationId: org,
      email: 'audit@revision-externe.ch',
      name: 'Révision Externe',
      role: 'accountant',
      external: true,
    });
    const members = await k.ok('members.list', { organizationId: org });
    expect(members.find((m) => m.personId === ext.personId)).toMatchObject({
      role: 'accountant',
      external: true,
    });
    // An external member can be in a work team, and the team shows them as external.
    const team = await k.ok('teams.create', {
      organizationId: org,
      name: 'Clôture',
      memberIds: [ext.personId],
    });
    expect(team.members).toEqual([expect.objectContaining({ id: ext.personId, external: true })]);
  });

  it('refuses an unknown person id and a missing organization', async () => {
    await k.fails(
      'members.add',
      { organizationId: org, personId: 'nobody', role: 'member' },
      'person_not_found',
    );
    await k.fails(
      'members.add',
      { organizationId: 'no-org', email: 'x@example.ch', role: 'member' },
      'organization_not_found',
    );
    expect(count(k.raw, 'people', 'email = ?', 'x@example.ch')).toBe(0);
  });
});

describe('e-mail addresses identify one person', () => {
  it('refuses a second person with the same address, in any case', async () => {
    const k = space.kontor();
    const anne = await k.ok('people.create', { name: 'Anne', email: 'anne@example.ch' });
    const error = await k.fails(
      'people.create',
      { name: 'Anne Bis', email: 'ANNE@Example.ch' },
      'email_taken',
      {
        locale: 'en',
      },
    );
    expect(error.message).toContain('anne@example.ch');
    const bob = await k.ok('people.create', { name: 'Bob', email: 'bob@example.ch' });
    await k.fails('people.update', { id: bob.id, email: 'Anne@example.ch' }, 'email_taken');
    // Keeping one's own address is not a clash.
    expect(
      (await k.ok('people.update', { id: anne.id, email: 'anne@example.ch', name: 'Anne M.' })).name,
    ).toBe('Anne M.');
    await k.fails('people.create', { name: 'Nope', email: 'not-an-email' }, 'invalid_input');
  });
});

describe('the last legal representative stays', () => {
  let k: TestKontor;
  let org: string;
  let anne: string;
  let marc: string;
  beforeAll(async () => {
    k = space.kontor();
    org = await organization(k);
    anne = (
      await k.ok('members.add', {
        organizationId: org,
        email: 'anne@example.ch',
        role: 'legal_representative',
      })
    ).personId;
    marc = (
      await k.ok('members.add', { organizationId: org, email: 'marc@example.ch', role: 'administrator' })
    ).personId;
  });

  it('cannot be demoted or removed while alone, and nothing is written', async () => {
    const before = historyCounts(k.raw);
    for (const role of ['administrator', 'accountant', 'member'] as const) {
      await k.fails(
        'members.changeRole',
        { organizationId: org, personId: anne, role },
        'last_legal_representative',
      );
    }
    const error = await k.fails(
      'members.remove',
      { organizationId: org, personId: anne },
      'last_legal_representative',
      {
        locale: 'de',
      },
    );
    expect(error.message).toMatch(/gesetzlich|Vertret/i);
    expect(historyCounts(k.raw)).toEqual(before);
    expect((await k.ok('members.list', { organizationId: org })).find((m) => m.personId === anne)?.role).toBe(
      'legal_representative',
    );
  });

  it('keeping the role is not a demotion', async () => {
    await k.ok('members.changeRole', { organizationId: org, personId: anne, role: 'legal_representative' });
  });

  it('with two, one can be demoted or removed; then the other is the last again', async () => {
    await k.ok('members.changeRole', { organizationId: org, personId: marc, role: 'legal_representative' });
    const demoted = await k.ok('members.changeRole', {
      organizationId: org,
      personId: anne,
      role: 'accountant',
    });
    expect(demoted.role).toBe('accountant');
    await k.fails('members.remove', { organizationId: org, personId: marc }, 'last_legal_representative');
    await k.ok('members.changeRole', { organizationId: org, personId: anne, role: 'legal_representative' });
    await k.ok('members.remove', { organizationId: org, personId: anne });
    expect((await k.ok('members.list', { organizationId: org })).map((m) => m.personId)).toEqual([marc]);
    await k.fails('members.remove', { organizationId: org, personId: marc }, 'last_legal_representative');
    await k.fails(
      'members.changeRole',
      { organizationId: org, personId: marc, role: 'member' },
      'last_legal_representative',
    );
  });

  it('other members leave freely, and can come back (the membership row is revived, not duplicated)', async () => {
    const lea = (await k.ok('members.add', { organizationId: org, email: 'lea@example.ch', role: 'member' }))
      .personId;
    await k.ok('members.remove', { organizationId: org, personId: lea });
    await k.fails('members.remove', { organizationId: org, personId: lea }, 'membership_not_found');
    const back = await k.ok('members.add', {
      organizationId: org,
      personId: lea,
      role: 'accountant',
      external: true,
    });
    expect(back).toMatchObject({ role: 'accountant', external: true, deletedAt: null });
    expect(count(k.raw, 'memberships', 'person_id = ? AND organization_id = ?', lea, org)).toBe(1);
  });
});
