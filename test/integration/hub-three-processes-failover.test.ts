import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminApi, freshPostgresDatabase } from '../helpers/hub';
import { type HubProcess, spawnHub } from '../helpers/hub-process';
import { createPayer } from '../helpers/invoices';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

// Stateless hub processes (server/HUB.md "No global lock"): three `kontor hub serve` on one
// PostgreSQL, and devices that were given the three addresses (the Sync page's list, in a
// different order on each device). One process is killed with SIGKILL while it applies a
// push. Every device completes its rounds through the other two; nothing is lost (every
// change of every device is in the hub's log once and on every other device) and nothing is
// applied twice (no device holds a received change twice).

const space = useTempSpace('kontor-hub-failover-');
let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let hubs: HubProcess[] = [];

beforeAll(async () => {
  db = await freshPostgresDatabase();
  hubs = await Promise.all([0, 1, 2].map(() => spawnHub({ postgresUrl: db.url })));
});
afterAll(async () => {
  for (const h of hubs) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
  }
  await db?.drop();
});

async function products(k: TestKontor, organizationId: string, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await k.ok('products.create', {
      organizationId,
      kind: 'domain',
      name: `${tag}-${i}.ch`,
      publicPriceMinor: 1_000 + i,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
  }
}

it('completes every device round through the other hubs when one is killed mid-push, losing and repeating nothing', async () => {
  const [victim] = hubs as [HubProcess, HubProcess, HubProcess];
  const admin = adminApi(victim.url);
  await admin.createUser('firm');
  const devices: TestKontor[] = [];
  for (let i = 0; i < 3; i++) {
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await admin.enrollCode('firm');
    // Each device its own order; the first two start at the process that will die.
    const order = [0, 1, 2].map((j) => hubs[(j + (i === 2 ? 1 : 0)) % 3]!.url);
    const status = await k.ok('sync.configure', { hubUrl: order.join(', '), enrollCode: code });
    expect(status.enrolled).toBe(true);
    expect(status.hubUrl).toBe(order.join(', '));
    devices.push(k);
  }
  const [heavy, light, other] = devices as [TestKontor, TestKontor, TestKontor];

  // The heavy device's outbox takes several batches (1 000 changes each) to push.
  const heavyOrg = await createPayer(heavy, { name: 'Heavy SA' });
  await products(heavy, heavyOrg.id, 250, 'heavy');
  const lightOrg = await createPayer(light, { name: 'Light SA' });
  await products(light, lightOrg.id, 20, 'light');
  const otherOrg = await createPayer(other, { name: 'Other SA' });
  await products(other, otherOrg.id, 20, 'other');

  const midPush = victim.waitForEvent('push.applying', (e) => Number(e.changes) >= 500);
  const rounds = devices.map((k) => k.ok('sync.now', {}));
  await midPush;
  victim.child.kill('SIGKILL');
  expect(await victim.exited).toBe(null); // killed, not exited
  const first = await Promise.all(rounds);
  for (const r of first) expect(r.rejected).toBe(0);

  // More rounds until every device holds what every other pushed (a registration the dead
  // process left is reaped by the next pulls; until then pulls stop below it).
  const content = (k: TestKontor) => storeContent(k.raw);
  for (let round = 0; round < 10; round++) {
    for (const k of devices) {
      const r = await k.ok('sync.now', {});
      expect(r.rejected).toBe(0);
      expect(r.status.pending).toBe(0);
    }
    if (devices.every((k) => JSON.stringify(content(k)) === JSON.stringify(content(heavy)))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(content(light)).toEqual(content(heavy));
  expect(content(other)).toEqual(content(heavy));
  expect(content(heavy).products).toHaveLength(290);

  const hub = new pg.Client({ connectionString: db.url });
  await hub.connect();
  try {
    for (const k of devices) {
      const id = k.kontor.ctx().deviceId;
      // Nothing lost: every change this device sent is acknowledged and in the hub's log once.
      const own = k.raw
        .prepare('SELECT count(*) FROM change_log WHERE device_id = ? AND hub_seq > 0')
        .pluck()
        .get(id) as number;
      expect(k.raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get()).toBe(0);
      const logged = await hub.query<{ n: string }>(
        'SELECT count(*) AS n FROM hub_log WHERE device_id = $1',
        [id],
      );
      expect(Number(logged.rows[0]!.n)).toBe(own);
      // Nothing applied twice: no received change twice in the device's log.
      const twice = k.raw
        .prepare(
          `SELECT count(*) FROM (SELECT 1 FROM change_log WHERE device_id <> ?
             GROUP BY table_name, row_id, column_name, hlc HAVING count(*) > 1)`,
        )
        .pluck()
        .get(id);
      expect(twice).toBe(0);
    }
  } finally {
    await hub.end();
  }
}, 240_000);
