// A client changes an active partnership's access (seeds: "the client may change the access
// rights"): limited → complete with a payment choice, complete → limited on chosen products.
// The partner is told (a notice and an activity row in its organization) and can mark it seen;
// the acting organization is one the acting person belongs to.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '#core/api/contract';
import { count, historyCounts, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-partner-access-');

let k: TestKontor;
let partner: SeededOrganization;
let other: SeededOrganization;
let client: SeededOrganization;

const legal = (o: SeededOrganization) => o.personIds[0]!;
const admin = (o: SeededOrganization) => o.personIds[1]!;

async function as(personId: string | null) {
  await k.ok('settings.setActingPerson', { personId });
}

function snapshot() {
  return {
    ...historyCounts(k.raw),
    allocations: count(k.raw, 'partnership_products', 'deleted_at is null'),
    notices: count(k.raw, 'partner_notices'),
    read: count(k.raw, 'partner_notices', 'read_at is not null'),
    states: JSON.stringify(
      k.raw.prepare('select id, status, access, payment from partnerships order by id').all(),
    ),
  };
}

async function refused<M extends MethodName>(method: M, input: MethodInput<M>, code: string) {
  const before = snapshot();
  const en = await k.fails(method, input, code);
  const fr = await k.fails(method, input, code, { locale: 'fr' });
  expect(en.message).not.toContain('{{');
  expect(fr.message).not.toBe(en.message);
  expect(snapshot()).toEqual(before);
}

let partnershipId = '';

beforeAll(async () => {
  k = space.kontor();
  partner = await seedOrganization(k, { name: 'Agence Alpha', products: 0, tags: 0 });
  other = await seedOrganization(k, { name: 'Bureau Beta', products: 0, tags: 0 });
  client = await seedOrganization(k, { name: 'Client Un', products: 3, tags: 0 });
  await as(legal(partner));
  const invited = await k.ok('partners.inviteClient', {
    partnerOrganizationId: partner.organizationId,
    clientOrganizationId: client.organizationId,
    access: 'limited',
  });
  partnershipId = invited.id;
  await as(legal(client));
  await k.ok('partners.accept', { partnershipId, productIds: client.productIds.slice(0, 2) });
});

describe('partners.changeAccess', () => {
  it('only the client’s legal representative changes access; complete access needs a payment choice', async () => {
    await as(legal(partner));
    await refused(
      'partners.changeAccess',
      { partnershipId, access: 'complete', payment: 'partner' },
      'partner_not_legal_representative',
    );
    await as(admin(client));
    await refused(
      'partners.changeAccess',
      { partnershipId, access: 'complete', payment: 'partner' },
      'partner_not_legal_representative',
    );
    await as(legal(client));
    await refused('partners.changeAccess', { partnershipId, access: 'complete' }, 'partner_payment_required');
    await refused(
      'partners.changeAccess',
      { partnershipId, access: 'complete', payment: 'partner', productIds: [client.productIds[2]!] },
      'partner_limited_only',
    );
    await refused(
      'partners.changeAccess',
      { partnershipId, access: 'limited', payment: 'client' },
      'partner_payment_complete_only',
    );
  });

  it('limited → complete paid by the partner: products no longer allocated one by one, the partner is told', async () => {
    await as(legal(client));
    const changed = await k.ok('partners.changeAccess', {
      partnershipId,
      access: 'complete',
      payment: 'partner',
    });
    expect(changed).toMatchObject({
      status: 'active',
      access: 'complete',
      payment: 'partner',
      productIds: [],
    });
    const act = k.raw
      .prepare("select organization_id from activity where action = 'partnership.access_changed'")
      .all() as { organization_id: string }[];
    expect(act.map((a) => a.organization_id)).toContain(partner.organizationId);
    const dash = await k.ok('partners.dashboard', { partnerOrganizationId: partner.organizationId });
    expect(dash.notices).toHaveLength(1);
    expect(dash.notices[0]).toMatchObject({
      kind: 'access_changed',
      before: { access: 'limited', payment: null, productIds: [...client.productIds.slice(0, 2)].sort() },
      after: { access: 'complete', payment: 'partner', productIds: [] },
    });
    // The same arrangement again changes nothing and tells nobody.
    const before = snapshot();
    await k.ok('partners.changeAccess', { partnershipId, access: 'complete', payment: 'partner' });
    expect(snapshot()).toEqual(before);
  });

  it('a second complete-access partner is refused', async () => {
    await as(legal(other));
    const second = await k.ok('partners.inviteClient', {
      partnerOrganizationId: other.organizationId,
      clientOrganizationId: client.organizationId,
      access: 'limited',
    });
    await as(legal(client));
    await k.ok('partners.accept', { partnershipId: second.id, productIds: [client.productIds[2]!] });
    await refused(
      'partners.changeAccess',
      { partnershipId: second.id, access: 'complete', payment: 'client' },
      'partner_complete_taken',
    );
  });

  it('complete → limited on chosen products; products another partner manages are refused', async () => {
    await as(legal(client));
    await refused(
      'partners.changeAccess',
      { partnershipId, access: 'limited', productIds: [client.productIds[2]!] },
      'partner_product_taken',
    );
    const changed = await k.ok('partners.changeAccess', {
      partnershipId,
      access: 'limited',
      productIds: [client.productIds[0]!],
    });
    expect(changed).toMatchObject({ access: 'limited', payment: null, productIds: [client.productIds[0]!] });
    // Narrowing a limited partnership: products not listed go back to the client.
    const none = await k.ok('partners.changeAccess', { partnershipId, access: 'limited', productIds: [] });
    expect(none.productIds).toEqual([]);
  });
});

describe('partners.markNoticesSeen', () => {
  it('the partner’s administrators mark notices seen; the dashboard stops showing them', async () => {
    const before = (await k.ok('partners.dashboard', { partnerOrganizationId: partner.organizationId }))
      .notices;
    expect(before.length).toBeGreaterThanOrEqual(3);
    await as(legal(client));
    await refused(
      'partners.markNoticesSeen',
      { organizationId: partner.organizationId },
      'partner_not_administrator',
    );
    await as(admin(partner));
    expect(
      await k.ok('partners.markNoticesSeen', {
        organizationId: partner.organizationId,
        noticeIds: [before[0]!.id],
      }),
    ).toEqual({
      seen: 1,
    });
    expect(await k.ok('partners.markNoticesSeen', { organizationId: partner.organizationId })).toEqual({
      seen: before.length - 1,
    });
    expect(
      (await k.ok('partners.dashboard', { partnerOrganizationId: partner.organizationId })).notices,
    ).toEqual([]);
  });
});

describe('settings.setActingOrganization', () => {
  it('the acting person must be a member; memberships list who they can act for', async () => {
    await as(null);
    await refused(
      'settings.setActingOrganization',
      { organizationId: partner.organizationId },
      'no_acting_person',
    );
    await as(legal(client));
    await refused(
      'settings.setActingOrganization',
      { organizationId: partner.organizationId },
      'acting_not_member',
    );
    const set = await k.ok('settings.setActingOrganization', { organizationId: client.organizationId });
    expect(set.actingOrganizationId).toBe(client.organizationId);
    const mine = await k.ok('people.memberships', { personId: legal(client) });
    expect(mine.map((m) => [m.organizationName, m.role])).toEqual([['Client Un', 'legal_representative']]);
    expect(
      (await k.ok('settings.setActingOrganization', { organizationId: null })).actingOrganizationId,
    ).toBeNull();
  });
});
