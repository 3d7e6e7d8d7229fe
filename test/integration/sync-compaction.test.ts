// Compaction (issue 16): a device keeps one clock entry per field once the hub has acknowledged
// a newer one, and still merges right; the hub folds history older than its retention window,
// and a device whose cursor is older than that converges through a snapshot — transparently,
// even when that snapshot is cut at random byte offsets on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactLog } from '#db/sync/compact';
import { DAY_MS, historySize } from '#server/sync/compact';
import { cuttingProxy } from '../helpers/cutting-proxy';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-compaction-');

/** The same cuts on every run of one seed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const entries = (k: TestKontor, rowId: string, column: string) =>
  k.raw
    .prepare('SELECT count(*) FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = ?')
    .pluck()
    .get('products', rowId, column) as number;

describe.each(['sqlite', 'postgres'] as HubEngine[])('compaction on a %s hub', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function device(user: string, url = hub.url, clock = new FixedClock(new Date().toISOString())) {
    const k = space.kontor({ clock });
    await k.ok('sync.configure', { hubUrl: url, enrollCode: (await adminApi(hub.url).enrollCode(user)).code });
    k.kontor.sync.stop();
    return k;
  }

  it('a device drops the older clock entries of a field the hub acknowledged, and still merges by the newest', async () => {
    const user = `compact-dev-${engine}`;
    await adminApi(hub.url).createUser(user);
    // The late writer's clock is an hour behind: its edit is older than every other one.
    const late = await device(user, hub.url, new FixedClock(new Date(Date.now() - 3_600_000).toISOString()));
    const a = await device(user);
    const b = await device(user);
    const org = await a.ok('organizations.create', { kind: 'company', name: 'Compact SA', country: 'CH', currency: 'CHF' });
    const p = await a.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: 'v0.ch',
      publicPriceMinor: 1_000,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    await a.ok('sync.now', {});
    await late.ok('sync.now', {});
    await b.ok('sync.now', {});
    for (let v = 1; v <= 5; v++) {
      await a.ok('products.update', { id: p.id, name: `v${v}.ch` });
      // Before the push the outbox entry and the acknowledged one below it both stay: the
      // hub could still refuse the new one, and the row would go back to the older value.
      expect(entries(a, p.id, 'name')).toBe(2);
      await a.ok('sync.now', {});
      expect(entries(a, p.id, 'name')).toBe(1);
      await b.ok('sync.now', {});
      expect(entries(b, p.id, 'name')).toBe(1);
    }
    // An older edit from a device that was offline loses to the newest, everywhere.
    await late.ok('products.update', { id: p.id, name: 'late.ch' });
    await late.ok('sync.now', {});
    for (const k of [a, b]) await k.ok('sync.now', {});
    await late.ok('sync.now', {});
    for (const k of [a, b, late]) {
      expect(k.raw.prepare('SELECT name FROM products WHERE id = ?').pluck().get(p.id)).toBe('v5.ch');
      // Nothing more to drop: compaction kept up as the device synced.
      expect(compactLog(k.raw)).toBe(0);
    }
    expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
    expect(storeContent(late.raw)).toEqual(storeContent(a.raw));
    for (const k of [a, b, late]) k.close();
  });

  it('folds history older than the window; a device behind it converges through a cut snapshot', async () => {
    const user = `compact-hub-${engine}`;
    await adminApi(hub.url).createUser(user);
    const random = seeded(engine === 'sqlite' ? 90 : 9);
    let cutting = false;
    let cutsLeft = 8;
    const proxy = await cuttingProxy(hub.url, /^\/v1\/sync\/snapshot/, () =>
      cutting && cutsLeft-- > 0 ? Math.floor(random() * 5_000) : null,
    );
    try {
      const a = await device(user);
      const away = await device(user, proxy.url);
      const org = await a.ok('organizations.create', { kind: 'company', name: 'Retain SA', country: 'CH', currency: 'CHF' });
      const ids: string[] = [];
      for (let i = 0; i < 30; i++)
        ids.push(
          (
            await a.ok('products.create', {
              organizationId: org.id,
              kind: 'domain',
              name: `kept-${i}.ch`,
              publicPriceMinor: 1_000 + i,
              billingFrequency: 'annual',
              nextRenewalOn: '2027-01-01',
            })
          ).id,
        );
      await a.ok('sync.now', {});
      await away.ok('sync.now', {});
      expect(storeContent(away.raw)).toEqual(storeContent(a.raw));

      // The device goes away; the book moves on: edits, a deletion, new rows.
      for (const id of ids.slice(0, 10)) await a.ok('products.update', { id, publicPriceMinor: 2_000 });
      await a.ok('products.delete', { id: ids[10] as string });
      await a.ok('products.create', {
        organizationId: org.id,
        kind: 'domain',
        name: 'new.ch',
        publicPriceMinor: 3_000,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
      });
      await a.ok('sync.now', {});
      const before = await historySize(hub.store);
      // Today's mark, then 91 days later: everything up to it is older than the window (90 days).
      expect((await hub.compact()).logRowsDropped).toBe(0);
      hub.skew.ms += 91 * DAY_MS;
      const folded = await hub.compact();
      hub.skew.ms -= 91 * DAY_MS;
      const after = await historySize(hub.store);
      expect(folded.logRowsDropped).toBe(before.logRows);
      expect(after.logRows).toBe(0);
      expect(after.fields).toBe(before.fields);

      // The device that was away pulls from a cursor the hub no longer has: a snapshot, transparently.
      cutting = true;
      let result: { snapshotRows: number } | null = null;
      for (let round = 0; round < 20 && !result; round++) {
        try {
          result = await away.ok('sync.now', {});
        } catch {
          // A round fails only after several cuts in a row without a new row: the next resumes.
        }
      }
      expect(result).not.toBeNull();
      expect(proxy.cut()).toBeGreaterThan(0);
      expect(storeContent(away.raw)).toEqual(storeContent(a.raw));
      expect(away.raw.prepare('SELECT deleted_at IS NOT NULL FROM products WHERE id = ?').pluck().get(ids[10])).toBe(1);
      // And it goes on by pull from there: a new edit reaches it as a change, not a snapshot.
      await a.ok('products.update', { id: ids[0] as string, publicPriceMinor: 2_500 });
      await a.ok('sync.now', {});
      const next = await away.ok('sync.now', {});
      expect(next.snapshotRows).toBe(0);
      expect(next.applied).toBeGreaterThan(0);
      expect(storeContent(away.raw)).toEqual(storeContent(a.raw));
      a.close();
      away.close();
    } finally {
      await proxy.close();
    }
  });
});
