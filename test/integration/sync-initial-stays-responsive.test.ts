// A first sync of 200,000 rows keeps the process that owns the database responsive: a timer
// that should fire every 5 ms is never held up more than 100 ms while the snapshot comes in
// (the strict figure, 50 ms on a quiet machine, is the benchmark's). The hub runs in its own
// process, as a firm runs it, so only the device's work is on this event loop.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SyncEngine } from '#core/sync/engine';
import { adminApi, hubPlace } from '../helpers/hub';
import { spawnHub } from '../helpers/hub-process';
import { FixedClock, useTempSpace } from '../helpers/kontor';

const ROWS = Number(process.env.KONTOR_TEST_INITIAL_ROWS ?? 200_000);
const space = useTempSpace('kontor-initial-sync-');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/**
 * The longest time this process ran without letting a 5 ms timer fire: each gap between two
 * ticks, counted only as far as the process spent CPU in it — a machine so loaded that the
 * OS leaves the process waiting is not the process blocking (2 cores shared by many jobs).
 */
function lagMonitor(ms = 5): { stop(): number } {
  let last = performance.now();
  let cpu = process.cpuUsage();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const ranMs = (used.user + used.system) / 1000;
    worst = Math.max(worst, Math.min(now - last, ranMs) - ms);
    last = now;
    cpu = process.cpuUsage();
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}

describe('a first sync of many rows', () => {
  it(`never blocks the owning process for more than 100 ms (${ROWS} products)`, { timeout: 900_000 }, async () => {
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
    const org = await writer.ok('organizations.create', { kind: 'company', name: 'Viele AG', country: 'CH', currency: 'CHF' });
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
    const db = new Database(path.join(place.dataDir as string, 'hub.sqlite'), { timeout: 30_000 });
    const template = db
      .prepare("SELECT column_name, value, hlc, seq FROM hub_fields WHERE table_name = 'products' AND row_id = ?")
      .all(sample.id) as { column_name: string; value: string | null; hlc: string; seq: number }[];
    expect(template.length).toBeGreaterThan(5);
    const seq = template[0]?.seq ?? 1;
    const row = db.prepare(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq)
       VALUES ('products', ?, ?, NULL, ?, NULL, NULL, NULL, 1, ?)`,
    );
    const field = db.prepare(
      "INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ('products', ?, ?, ?, ?, ?)",
    );
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const id = `many-${String(i).padStart(7, '0')}`;
        row.run(id, org.id, id, seq);
        for (const f of template)
          field.run(id, f.column_name, f.column_name === 'name' ? JSON.stringify(`viele-${i}.ch`) : f.value, f.hlc, seq);
      }
    })();
    db.close();

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
