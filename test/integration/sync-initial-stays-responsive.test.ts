// A first sync of 200,000 rows keeps the process that owns the database responsive: a timer
// that should fire every 5 ms is never held up more than 100 ms while the snapshot comes in
// (the strict figure, 50 ms on a quiet machine, is the benchmark's). The hub runs in its own
// process, as a firm runs it, so only the device's work is on this event loop.
import { afterAll, describe, expect, it } from 'vitest';
import { SyncEngine } from '#core/sync/engine';
import { adminApi, hubPlace } from '../helpers/hub';
import { spawnHub } from '../helpers/hub-process';
import { seedProducts } from '../helpers/hub-seed';
import { lagMonitor } from '../helpers/lag-monitor';
import { FixedClock, useTempSpace } from '../helpers/kontor';

const ROWS = Number(process.env.KONTOR_TEST_INITIAL_ROWS ?? 200_000);
const space = useTempSpace('kontor-initial-sync-');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('a first sync of many rows', () => {
  it(`never blocks the owning process for more than 100 ms (${ROWS} products)`, {
    timeout: 900_000,
  }, async () => {
    const place = await hubPlace('sqlite');
    cleanups.push(() => place.cleanup());
    const hub = await spawnHub(place);
    cleanups.push(() => hub.child.kill('SIGKILL'));
    const admin = adminApi(hub.url);
    await admin.createUser('many');
    const enroll = async () => {
      const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode('many')).code });
      k.kontor.sync.stop();
      return k;
    };
    const writer = await enroll();
    const org = await writer.ok('organizations.create', {
      kind: 'company',
      name: 'Viele AG',
      country: 'CH',
      currency: 'CHF',
    });
    const sample = await writer.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: 'viele.ch',
      publicPriceMinor: 1_500,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    await writer.ok('sync.now', {});

    // The hub's current state for ROWS more products, written straight into its tables (as
    // a hub whose history was folded into its state holds them): the fixture, not the test.
    const fields = seedProducts({
      dataDir: place.dataDir as string,
      templateId: sample.id,
      organizationId: org.id,
      rows: ROWS,
      prefix: 'many-',
    });
    expect(fields).toBeGreaterThan(5);

    const reader = await enroll();
    const engine = new SyncEngine({ ctx: () => reader.kontor.ctx() });
    const monitor = lagMonitor();
    let worst = Number.POSITIVE_INFINITY;
    try {
      const round = await engine.syncNow();
      expect(round.snapshotRows).toBeGreaterThanOrEqual(ROWS);
    } finally {
      worst = monitor.stop();
    }
    expect(reader.raw.prepare('SELECT count(*) FROM products').pluck().get()).toBe(ROWS + 1);
    expect(worst, 'longest event-loop block during the first sync (ms)').toBeLessThanOrEqual(100);
  });
});
