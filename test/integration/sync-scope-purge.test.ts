// A scope change end to end: a limited partner's device receives the client's allocated
// products; the client deallocates one, then ends the partnership; after its next sync the
// partner's device no longer holds them (scopeChanged → snapshot → purge), and keeps its own
// rows, pushed or not yet.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SyncEngine } from '#core/sync/engine';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-scope-purge-');
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite');
});
afterAll(async () => {
  await hub?.cleanup();
});

const ids = (k: TestKontor, table: string) =>
  new Set(k.raw.prepare(`SELECT id FROM "${table}"`).pluck().all() as string[]);

async function device(user: string, links: string[]): Promise<TestKontor> {
  const admin = adminApi(hub.url);
  await admin.createUser(user);
  for (const o of links) await admin.link(user, o);
  const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
  const { code } = await admin.enrollCode(user);
  await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
  return k;
}

// It found two gaps, both closed: the hub now lets a limited partner see the rows its allocated
// products and partnerships point at (server/scope.ts "referenced"), and a purge takes along
// the rows that point at what it removed (db/sync/apply.ts purgeOrphans).
it('a partner device drops what the client took back, and keeps its own rows', async () => {
  const firm = await device('firm', []);
  const as = (o: SeededOrganization) => firm.ok('settings.setActingPerson', { personId: o.personIds[0]! });
  const partner = await seedOrganization(firm, { name: 'Agence Alpha', products: 1, tags: 0 });
  const client = await seedOrganization(firm, { name: 'Client Un', products: 3, tags: 0 });
  await as(partner);
  const invited = await firm.ok('partners.inviteClient', {
    partnerOrganizationId: partner.organizationId,
    clientOrganizationId: client.organizationId,
    access: 'limited',
  });
  await as(client);
  const [kept, takenBack, never] = client.productIds as [string, string, string];
  await firm.ok('partners.accept', { partnershipId: invited.id, productIds: [kept, takenBack] });
  const first = await firm.ok('sync.now', {});
  expect(first.rejected).toBe(0);

  const p = await device('partner-user', [partner.organizationId]);
  await p.ok('sync.now', {});
  expect(ids(p, 'organizations')).toEqual(new Set([partner.organizationId, client.organizationId]));
  expect([...ids(p, 'products')]).toEqual(expect.arrayContaining([kept, takenBack]));
  expect(ids(p, 'products').has(never)).toBe(false);
  const mine = await p.ok('products.create', {
    organizationId: partner.organizationId,
    kind: 'domain',
    name: 'alpha-own.ch',
    publicPriceMinor: 1_000,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
  });
  await p.ok('sync.now', {});

  await firm.ok('partners.deallocate', { partnershipId: invited.id, productIds: [takenBack] });
  await firm.ok('sync.now', {});
  const afterDeallocate = await p.ok('sync.now', {});
  expect(afterDeallocate.purged).toBeGreaterThan(0);
  expect(ids(p, 'products').has(takenBack)).toBe(false);
  expect(ids(p, 'products').has(kept)).toBe(true);
  expect(ids(p, 'products').has(mine.id)).toBe(true);

  await firm.ok('partners.end', { partnershipId: invited.id, side: 'client', confirm: true });
  await firm.ok('sync.now', {});
  // The partner keeps working while its device takes the snapshot: a row written between two
  // snapshot pages is not yet pushed when the purge runs.
  let unpushed = '';
  const engine = new SyncEngine({
    ctx: () => p.kontor.ctx(),
    snapshotLimit: 1,
    fetch: async (input, init) => {
      if (!unpushed && String(input).includes('/v1/sync/snapshot')) {
        const r = await p.ok('products.create', {
          organizationId: partner.organizationId,
          kind: 'domain',
          name: 'alpha-during.ch',
          publicPriceMinor: 1_000,
          billingFrequency: 'annual',
          nextRenewalOn: '2027-01-01',
        });
        unpushed = r.id;
      }
      return fetch(input, init);
    },
  });
  const round = await engine.syncNow();
  expect(unpushed).not.toBe('');
  expect(round.purged).toBeGreaterThan(0);
  // The client's organization row stays: the ended partnership (the partner's own) points at it.
  expect(ids(p, 'organizations').has(client.organizationId)).toBe(true);
  expect(ids(p, 'partnerships').has(invited.id)).toBe(true);
  for (const gone of [kept, takenBack, never]) expect(ids(p, 'products').has(gone)).toBe(false);
  for (const own of [mine.id, unpushed, ...partner.productIds])
    expect(ids(p, 'products').has(own)).toBe(true);
  // The row written during the round went out in the same round, after the purge.
  expect(p.raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get()).toBe(0);
  await firm.ok('sync.now', {});
  expect(ids(firm, 'products').has(unpushed)).toBe(true);
});
