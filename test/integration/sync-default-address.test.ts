// Issue 11, found by the sync soak (seed 1441897320): two devices offline each gave one
// organization a default billing address (each created its first address, or each picked
// one); applying the other's then hit billing_addresses_one_default_uq and the change waited
// in sync_deferred forever. The flag now merges by one rule on the device and the hub (the
// choice made last wins, db/sync/default-address.ts): after syncing, every device and a fresh
// one hold exactly that default, the other address is kept without the flag, nothing waits.
// Both sync orders and both clock orders, against the real hub on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '#core/sync/hub-client';
import { readSyncState } from '#core/sync/state';
import { Applier } from '#db/sync/apply';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const ORDERS = [
  { name: 'A syncs first', first: 'a', second: 'b' },
  { name: 'B syncs first', first: 'b', second: 'a' },
] as const;
const CLOCKS = [
  { name: "A's clock later", a: 2, b: 1 },
  { name: "B's clock later", a: 1, b: 2 },
] as const;

const address = (organizationId: string, label: string) => ({
  organizationId,
  label,
  recipient: 'Compta',
  line1: 'Rue du Marché 4',
  postalCode: '1003',
  city: 'Lausanne',
  country: 'CH',
});

let users = 0;

describe.each<HubEngine>(['sqlite', 'postgres'])('one default billing address, hub on %s', (engine) => {
  const space = useTempSpace(`kontor-default-address-${engine}-`);
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  /** Two laptops of one firm with one organization in common, in sync; then offline. */
  async function pair(clock: (typeof CLOCKS)[number], existing: string[]) {
    const admin = adminApi(hub.url);
    const user = `defaults-${engine}-${++users}`;
    await admin.createUser(user);
    // Minutes behind the hub: its own clearing writes are stamped later than any choice here.
    const start = Date.now() - 10 * 60_000;
    const open = async () => {
      const k = space.kontor({ clock: new FixedClock(new Date(start).toISOString()) });
      const { code } = await admin.enrollCode(user);
      await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
      await k.ok('sync.now', {});
      return k;
    };
    const a = await open();
    const b = await open();
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Hôtel du Lac SA',
      country: 'CH',
      currency: 'CHF',
    });
    const ids: string[] = [];
    for (const label of existing) ids.push((await a.ok('addresses.create', address(org.id, label))).id);
    await a.ok('sync.now', {});
    await b.ok('sync.now', {});
    a.clock.set(new Date(start + clock.a * 60_000).toISOString());
    b.clock.set(new Date(start + clock.b * 60_000).toISOString());
    return { a, b, org: org.id, ids, user };
  }

  async function syncAll(a: TestKontor, b: TestKontor, order: (typeof ORDERS)[number]) {
    const results = [];
    for (const who of [order.first, order.second, order.first, order.second]) {
      const k = who === 'a' ? a : b;
      k.clock.advance(1_000);
      results.push(await k.ok('sync.now', {}));
    }
    return results;
  }

  const defaults = (k: TestKontor, org: string) =>
    k.raw
      .prepare(
        'SELECT id FROM billing_addresses WHERE organization_id = ? AND is_default = 1 AND deleted_at IS NULL',
      )
      .pluck()
      .all(org) as string[];
  const live = (k: TestKontor, org: string) =>
    k.raw
      .prepare('SELECT id FROM billing_addresses WHERE organization_id = ? AND deleted_at IS NULL ORDER BY id')
      .pluck()
      .all(org) as string[];
  const waiting = (k: TestKontor) => k.raw.prepare('SELECT * FROM sync_deferred').all();

  async function assertOneDefault(a: TestKontor, b: TestKontor, user: string, org: string, winner: string) {
    const { code } = await adminApi(hub.url).enrollCode(user);
    const fresh = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    await fresh.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
    await fresh.ok('sync.now', {});
    for (const k of [a, b, fresh]) {
      expect(waiting(k)).toEqual([]);
      expect(defaults(k, org)).toEqual([winner]);
      expect(live(k, org)).toEqual(live(a, org));
    }
    // Device and hub alike: each device equals what the hub gives a new device.
    expect(storeContent(a.raw)).toEqual(storeContent(fresh.raw));
    expect(storeContent(b.raw)).toEqual(storeContent(fresh.raw));
    // The hub's own rows: the loser's flag is cleared there too.
    const state = readSyncState(fresh.raw);
    const client = new HubClient({ url: hub.url, token: state.token });
    const snapshot = await client.snapshot(null, 5_000);
    const onHub = snapshot.rows
      .filter((r) => r.table === 'billing_addresses' && r.fields.organization_id?.[0] === JSON.stringify(org))
      .filter((r) => r.fields.is_default?.[0] === 'true' && (r.fields.deleted_at?.[0] ?? 'null') === 'null')
      .map((r) => r.rowId);
    expect(onHub).toEqual([winner]);
    // A device that receives the log one change at a time meets both defaults before the
    // hub's clearing write: it settles them by the same rule, nothing waits.
    const slow = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const applier = new Applier(slow.raw);
    for (let cursor = 0, more = true; more; ) {
      const page = await client.pull(cursor, 1);
      applier.applyPage(page.changes, new Date().toISOString());
      cursor = page.cursor;
      more = page.hasMore;
    }
    expect(waiting(slow)).toEqual([]);
    expect(defaults(slow, org)).toEqual([winner]);
    expect(live(slow, org)).toEqual(live(a, org));
    // And the organization's default is what renewals bill to on every device.
    for (const k of [a, b, fresh]) {
      const listed = await k.ok('addresses.list', { organizationId: org });
      expect(listed.filter((x) => x.isDefault).map((x) => x.id)).toEqual([winner]);
    }
  }

  for (const order of ORDERS)
    for (const clock of CLOCKS) {
      it(`each device creates the organization's first address (${order.name}, ${clock.name})`, {
        timeout: 60_000,
      }, async () => {
        const { a, b, org, user } = await pair(clock, []);
        const onA = await a.ok('addresses.create', address(org, 'Made on A'));
        const onB = await b.ok('addresses.create', address(org, 'Made on B'));
        expect(onA.isDefault && onB.isDefault).toBe(true);
        const results = await syncAll(a, b, order);
        expect(results.map((r) => r.rejected)).toEqual([0, 0, 0, 0]);
        await assertOneDefault(a, b, user, org, clock.a > clock.b ? onA.id : onB.id);
      });

      it(`each device picks another default among the same addresses (${order.name}, ${clock.name})`, {
        timeout: 60_000,
      }, async () => {
        const { a, b, org, ids, user } = await pair(clock, ['First', 'Second', 'Third']);
        const [first, second, third] = ids as [string, string, string];
        expect(defaults(a, org)).toEqual([first]);
        await a.ok('addresses.setDefault', { id: second });
        await b.ok('addresses.setDefault', { id: third });
        await syncAll(a, b, order);
        await assertOneDefault(a, b, user, org, clock.a > clock.b ? second : third);
      });
    }
});
