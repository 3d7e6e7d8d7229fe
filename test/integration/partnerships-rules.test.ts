// The partnership lifecycle and its rules (DOMAIN.md "Partnership"; seeds: partner access
// types, add a customer, add a partner, terminate). Every refusal has its own code, a
// translated message, and writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '#core/api/contract';
import { count, historyCounts, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-partners-');

let k: TestKontor;
let partnerA: SeededOrganization;
let partnerB: SeededOrganization;
let client1: SeededOrganization;
let client2: SeededOrganization;
let client3: SeededOrganization;

const legal = (o: SeededOrganization) => o.personIds[0]!;
const admin = (o: SeededOrganization) => o.personIds[1]!;
const accountant = (o: SeededOrganization) => o.personIds[2]!;

async function as(personId: string | null) {
  await k.ok('settings.setActingPerson', { personId });
}

function snapshot() {
  return {
    ...historyCounts(k.raw),
    partnerships: count(k.raw, 'partnerships'),
    allocations: count(k.raw, 'partnership_products'),
    liveAllocations: count(k.raw, 'partnership_products', 'deleted_at is null'),
    notices: count(k.raw, 'partner_notices'),
    ledger: count(k.raw, 'ledger_entries'),
    states: JSON.stringify(k.raw.prepare('select id, status, access, payment from partnerships order by id').all()),
  };
}

/** A refusal: the code, a translated message in English and French, and nothing written. */
async function refused<M extends MethodName>(method: M, input: MethodInput<M>, code: string) {
  const before = snapshot();
  const en = await k.fails(method, input, code);
  const fr = await k.fails(method, input, code, { locale: 'fr' });
  const de = await k.fails(method, input, code, { locale: 'de' });
  expect(en.message).not.toContain('{{');
  expect(en.message).not.toBe(code);
  expect(fr.message).not.toBe(en.message);
  expect(de.message).not.toBe(en.message);
  expect(snapshot()).toEqual(before);
  return en;
}

async function invite(partner: SeededOrganization, client: SeededOrganization, access: 'limited' | 'complete', payment?: 'client' | 'partner') {
  await as(legal(partner));
  return k.ok('partners.inviteClient', {
    partnerOrganizationId: partner.organizationId,
    clientOrganizationId: client.organizationId,
    access,
    payment,
  });
}
async function accept(id: string, by: SeededOrganization, grant: Partial<MethodInput<'partners.accept'>> = {}) {
  await as(legal(by));
  return k.ok('partners.accept', { partnershipId: id, ...grant });
}

beforeAll(async () => {
  k = space.kontor();
  partnerA = await seedOrganization(k, { name: 'Agence Alpha', products: 0, tags: 0 });
  partnerB = await seedOrganization(k, { name: 'Bureau Beta', products: 0, tags: 0 });
  client1 = await seedOrganization(k, { name: 'Client Un', products: 4, tags: 0 });
  client2 = await seedOrganization(k, { name: 'Client Deux', products: 2, tags: 0 });
  client3 = await seedOrganization(k, { name: 'Client Trois', products: 2, tags: 0 });
});

describe('invitations', () => {
  it('a partner invites a client by organization; the client accepts with different access than requested', async () => {
    const p = await invite(partnerA, client1, 'complete', 'partner');
    expect(p).toMatchObject({ status: 'invited', invitedBy: 'partner', requestedAccess: 'complete', access: 'complete', payment: 'partner' });
    const a = await accept(p.id, client1, { access: 'limited', productIds: client1.productIds.slice(0, 2) });
    expect(a).toMatchObject({ status: 'active', access: 'limited', payment: null, requestedAccess: 'complete' });
    expect(a.productIds).toEqual([...client1.productIds.slice(0, 2)].sort());
  });

  it('a partner invites by a contact e-mail: the organization its legal representative represents', async () => {
    await as(legal(partnerB));
    const email = (k.raw.prepare('select email from people where id = ?').get(legal(client2)) as { email: string }).email;
    const p = await k.ok('partners.inviteClient', {
      partnerOrganizationId: partnerB.organizationId,
      clientEmail: email.toUpperCase(),
      access: 'complete',
      payment: 'client',
    });
    expect(p).toMatchObject({ clientOrganizationId: client2.organizationId, invitedEmail: email });
    await refused(
      'partners.inviteClient',
      { partnerOrganizationId: partnerB.organizationId, clientEmail: 'nobody@nowhere.ch', access: 'limited' },
      'partner_invitee_unknown',
    );
  });

  it('re-send counts; withdraw before acceptance; then acting on it is refused', async () => {
    const p = await invite(partnerB, client3, 'limited');
    k.clock.advance(60_000);
    const r = await k.ok('partners.resend', { partnershipId: p.id });
    expect(r.sendCount).toBe(2);
    expect(r.lastSentAt > p.lastSentAt).toBe(true);
    // Only the inviting side re-sends or withdraws.
    await as(legal(client3));
    await refused('partners.withdraw', { partnershipId: p.id }, 'partner_not_legal_representative');
    await as(legal(partnerB));
    const w = await k.ok('partners.withdraw', { partnershipId: p.id });
    expect(w).toMatchObject({ status: 'withdrawn', endedBy: 'partner' });
    await as(legal(client3));
    const e = await refused('partners.accept', { partnershipId: p.id }, 'partnership_closed');
    expect(e.message).toContain('withdrawn');
  });

  it('the invited side refuses; a refused invitation cannot be accepted or re-sent', async () => {
    const p = await invite(partnerA, client3, 'limited');
    await as(legal(client3));
    const r = await k.ok('partners.refuse', { partnershipId: p.id });
    expect(r.status).toBe('refused');
    await refused('partners.accept', { partnershipId: p.id }, 'partnership_closed');
    await as(legal(partnerA));
    await refused('partners.resend', { partnershipId: p.id }, 'partnership_closed');
  });

  it('a client adds a partner with limited access on chosen products; the partner accepts', async () => {
    await as(legal(client3));
    const p = await k.ok('partners.addPartner', {
      clientOrganizationId: client3.organizationId,
      partnerOrganizationId: partnerB.organizationId,
      access: 'limited',
      productIds: [client3.productIds[0]!],
    });
    expect(p).toMatchObject({ invitedBy: 'client', status: 'invited', productIds: [client3.productIds[0]] });
    // The partner may not change what the client grants.
    await as(legal(partnerB));
    await refused('partners.accept', { partnershipId: p.id, access: 'complete', payment: 'partner' }, 'partnership_wrong_side');
    // The inviting side cannot accept its own invitation.
    await as(legal(client3));
    await refused('partners.accept', { partnershipId: p.id }, 'partner_not_legal_representative');
    const a = await accept(p.id, partnerB);
    expect(a).toMatchObject({ status: 'active', access: 'limited' });
  });
});

describe('who may act', () => {
  it('no acting person: refused', async () => {
    await as(null);
    await refused(
      'partners.inviteClient',
      { partnerOrganizationId: partnerA.organizationId, clientOrganizationId: client2.organizationId, access: 'limited' },
      'no_acting_person',
    );
  });
  it('only legal representatives add partners or clients (administrator, accountant, other organization: refused)', async () => {
    for (const person of [admin(partnerA), accountant(partnerA), legal(partnerB)]) {
      await as(person);
      const e = await refused(
        'partners.inviteClient',
        { partnerOrganizationId: partnerA.organizationId, clientOrganizationId: client2.organizationId, access: 'limited' },
        'partner_not_legal_representative',
      );
      expect(e.message).toContain('Agence Alpha');
    }
    await as(admin(client2));
    await refused(
      'partners.addPartner',
      { clientOrganizationId: client2.organizationId, partnerOrganizationId: partnerA.organizationId, access: 'limited' },
      'partner_not_legal_representative',
    );
  });
  it('an organization cannot partner itself; one open partnership per pair', async () => {
    await as(legal(partnerA));
    await refused(
      'partners.inviteClient',
      { partnerOrganizationId: partnerA.organizationId, clientOrganizationId: partnerA.organizationId, access: 'limited' },
      'partnership_self',
    );
    await refused(
      'partners.inviteClient',
      { partnerOrganizationId: partnerA.organizationId, clientOrganizationId: client1.organizationId, access: 'limited' },
      'partnership_already_open',
    );
  });
  it('payment arrangement: required for complete access, meaningless for limited', async () => {
    await as(legal(partnerA));
    await refused(
      'partners.inviteClient',
      { partnerOrganizationId: partnerA.organizationId, clientOrganizationId: client2.organizationId, access: 'complete' },
      'partner_payment_required',
    );
    await refused(
      'partners.inviteClient',
      { partnerOrganizationId: partnerA.organizationId, clientOrganizationId: client2.organizationId, access: 'limited', payment: 'client' },
      'partner_payment_complete_only',
    );
  });
});

describe('at most one active complete-access partner per client', () => {
  it('a second complete partner is refused at acceptance, in the service and in the store', async () => {
    const list = await k.ok('partners.list', { organizationId: client2.organizationId, role: 'client' });
    const byB = list.find((p) => p.partnerOrganizationId === partnerB.organizationId)!;
    await accept(byB.id, client2); // complete, client pays
    const second = await invite(partnerA, client2, 'complete', 'partner');
    await as(legal(client2));
    const e = await refused('partners.accept', { partnershipId: second.id }, 'partner_complete_taken');
    expect(e.message).toContain('Bureau Beta');
    // Granting limited access instead is fine.
    const a = await accept(second.id, client2, { access: 'limited', productIds: [client2.productIds[0]!] });
    expect(a.access).toBe('limited');
    // The store refuses it too, whatever the service does.
    expect(() =>
      k.raw.prepare("update partnerships set access = 'complete', payment = 'partner' where id = ?").run(second.id),
    ).toThrow(/UNIQUE/);
  });
});

describe('limited-access partners manage disjoint product sets; products stay in the client', () => {
  it('overlapping allocation refused; another client’s product refused; the store holds it too', async () => {
    const list = await k.ok('partners.list', { organizationId: client1.organizationId, role: 'client' });
    const byA = list.find((p) => p.partnerOrganizationId === partnerA.organizationId)!;
    const byB = await invite(partnerB, client1, 'limited');
    await accept(byB.id, client1, { productIds: [client1.productIds[2]!] });
    await as(legal(client1));
    const e = await refused(
      'partners.allocate',
      { partnershipId: byB.id, productIds: [client1.productIds[0]!] },
      'partner_product_taken',
    );
    expect(e.message).toContain('Agence Alpha');
    await refused('partners.allocate', { partnershipId: byB.id, productIds: [client2.productIds[1]!] }, 'product_wrong_organization');
    await refused('partners.allocate', { partnershipId: byB.id, productIds: ['no-such-product'] }, 'product_not_found');
    expect(() =>
      k.raw
        .prepare(
          "insert into partnership_products (id, created_at, updated_at, partnership_id, product_id) values (? || ':' || ?, 'n', 'n', ?, ?)",
        )
        .run(byB.id, client1.productIds[0], byB.id, client1.productIds[0]),
    ).toThrow(/UNIQUE/);
    // Deallocating frees the product for the other partner.
    await k.ok('partners.deallocate', { partnershipId: byA.id, productIds: [client1.productIds[0]!] });
    const b = await k.ok('partners.allocate', { partnershipId: byB.id, productIds: [client1.productIds[0]!] });
    expect(b.productIds).toEqual([client1.productIds[0], client1.productIds[2]].sort());
    // A non-member (the partner) cannot allocate the client's products.
    await as(legal(partnerB));
    await refused('partners.allocate', { partnershipId: byB.id, productIds: [client1.productIds[3]!] }, 'partner_not_administrator');
    // Complete access takes no allocations.
    const complete = (await k.ok('partners.list', { organizationId: client2.organizationId, role: 'client' })).find(
      (p) => p.access === 'complete' && p.status === 'active',
    )!;
    await as(legal(client2));
    await refused('partners.allocate', { partnershipId: complete.id, productIds: [client2.productIds[1]!] }, 'partner_limited_only');
    // The products never moved.
    for (const id of client1.productIds)
      expect((k.raw.prepare('select organization_id from products where id = ?').get(id) as { organization_id: string }).organization_id).toBe(
        client1.organizationId,
      );
  });
});

describe('payment arrangement changes (client side) notify the partner', () => {
  it('records the change, an activity row in the partner’s organization and a notice', async () => {
    const complete = (await k.ok('partners.list', { organizationId: client2.organizationId, role: 'client' })).find(
      (p) => p.access === 'complete' && p.status === 'active',
    )!;
    await as(legal(partnerB));
    await refused('partners.changePayment', { partnershipId: complete.id, payment: 'partner' }, 'partner_not_administrator');
    await as(admin(client2));
    const changed = await k.ok('partners.changePayment', { partnershipId: complete.id, payment: 'partner' });
    expect(changed.payment).toBe('partner');
    const act = k.raw
      .prepare("select * from activity where action = 'partnership.payment_changed' and organization_id = ?")
      .all(partnerB.organizationId);
    expect(act).toHaveLength(1);
    const dash = await k.ok('partners.dashboard', { partnerOrganizationId: partnerB.organizationId });
    expect(dash.notices).toHaveLength(1);
    expect(dash.notices[0]).toMatchObject({ kind: 'payment_changed', before: { payment: 'client' }, after: { payment: 'partner' } });
    const limited = (await k.ok('partners.list', { organizationId: client2.organizationId, role: 'client' })).find(
      (p) => p.access === 'limited' && p.status === 'active',
    )!;
    await refused('partners.changePayment', { partnershipId: limited.id, payment: 'partner' }, 'partner_payment_complete_only');
  });
});

describe('ending', () => {
  it('needs confirmation and a legal representative; either side; the partner loses its products at once', async () => {
    const list = await k.ok('partners.list', { organizationId: client1.organizationId, role: 'client' });
    const byB = list.find((p) => p.partnerOrganizationId === partnerB.organizationId && p.status === 'active')!;
    await as(legal(client1));
    await refused('partners.end', { partnershipId: byB.id }, 'partnership_confirm_required');
    await as(admin(client1));
    await refused('partners.end', { partnershipId: byB.id, confirm: true }, 'partner_not_legal_representative');
    await as(legal(client1));
    const ended = await k.ok('partners.end', { partnershipId: byB.id, confirm: true });
    expect(ended).toMatchObject({ status: 'ended', endedBy: 'client', productIds: [] });
    // Acting on an ended partnership is refused.
    await refused('partners.allocate', { partnershipId: byB.id, productIds: [client1.productIds[3]!] }, 'partnership_closed');
    await refused('partners.end', { partnershipId: byB.id, confirm: true }, 'partnership_closed');
    await as(legal(partnerB));
    await refused('partners.resend', { partnershipId: byB.id }, 'partnership_closed');
    // Its products are free for another partner; a new invitation between the two is possible.
    const again = await invite(partnerB, client1, 'limited');
    expect(again.status).toBe('invited');
  });
  it('the partner side ends too, and then a new complete partner is possible', async () => {
    const complete = (await k.ok('partners.list', { organizationId: client2.organizationId, role: 'client' })).find(
      (p) => p.access === 'complete' && p.status === 'active',
    )!;
    await as(legal(partnerB));
    const ended = await k.ok('partners.end', { partnershipId: complete.id, confirm: true });
    expect(ended.endedBy).toBe('partner');
    await refused('partners.changePayment', { partnershipId: complete.id, payment: 'client' }, 'partnership_closed');
    const limited = (await k.ok('partners.list', { organizationId: client2.organizationId, role: 'client' })).find(
      (p) => p.partnerOrganizationId === partnerA.organizationId,
    )!;
    // Now client 2 can take partner A on complete access: end limited, invite complete.
    await as(legal(client2));
    await k.ok('partners.end', { partnershipId: limited.id, confirm: true });
    const p = await invite(partnerA, client2, 'complete', 'client');
    expect((await accept(p.id, client2)).status).toBe('active');
  });
  it('unknown partnership', async () => {
    await refused('partners.refuse', { partnershipId: 'nope' }, 'partnership_not_found');
  });
});
