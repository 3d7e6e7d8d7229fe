// A first sync whose snapshot answers are cut at random byte offsets (a network that drops, a
// hub killed mid-page): the device keeps every whole row it received, asks again from after
// the last one, and ends equal to the device that wrote the data — no row applied twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncEngine } from '#core/sync/engine';
import { SYNC_TABLES } from '#db/sync/tables';
import { cuttingProxy } from '../helpers/cutting-proxy';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-snapshot-resume-');

/** A small deterministic generator: the same cuts on every run of one seed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const rowsOf = (k: TestKontor) =>
  [...SYNC_TABLES.keys()].reduce(
    (n, t) => n + (k.raw.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number),
    0,
  );

describe.each(['sqlite', 'postgres'] as HubEngine[])('a cut snapshot on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('resumes after the last row it holds and converges, applying no row twice', async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('cut');
    const enroll = async (url: string) => {
      const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      await k.ok('sync.configure', { hubUrl: url, enrollCode: (await admin.enrollCode('cut')).code });
      // Rounds run by hand below, never by the background timer the enrollment started:
      // stopped before it fired (no round in flight to cancel), or this device is not used.
      k.kontor.sync.stop();
      return { k, clean: !k.kontor.sync.cancel() };
    };
    const { k: writer } = await enroll(hub.url);
    for (let o = 0; o < 3; o++) {
      const org = await writer.ok('organizations.create', {
        kind: 'company',
        name: `Coupé ${o} SA`,
        country: 'CH',
        currency: 'CHF',
      });
      const tag = await writer.ok('tags.create', { organizationId: org.id, name: `Tag ${o}`, color: '#0891b2' });
      for (let i = 0; i < 25; i++)
        await writer.ok('products.create', {
          organizationId: org.id,
          kind: 'domain',
          name: `coupe-${o}-${i}.ch`,
          publicPriceMinor: 1_000 + i,
          billingFrequency: 'annual',
          nextRenewalOn: '2027-01-01',
          tagIds: i % 3 === 0 ? [tag.id] : [],
        });
    }
    await writer.ok('sync.now', {});

    const random = seeded(engine === 'sqlite' ? 16 : 61);
    let cutsLeft = 12;
    // Offsets anywhere in a page: inside the head line, inside a row, between two rows.
    const proxy = await cuttingProxy(hub.url, /^\/v1\/sync\/snapshot/, () =>
      cutsLeft-- > 0 ? Math.floor(random() * 6_000) : null,
    );
    try {
      let reader = await enroll(proxy.url);
      while (!reader.clean) reader = await enroll(proxy.url);
      const device = reader.k;
      let applied = 0;
      let lastDone = 0;
      const sync = new SyncEngine({
        ctx: () => device.kontor.ctx(),
        snapshotLimit: 17,
        onProgress: (p) => {
          // Each snapshot call counts from zero: what one applied is its last `done`.
          if (p === null || p.done < lastDone) applied += lastDone;
          lastDone = p?.done ?? 0;
        },
      });
      let failedRounds = 0;
      for (let round = 0; ; round++) {
        expect(round, 'rounds before the snapshot went through').toBeLessThan(20);
        try {
          await sync.syncNow();
          break;
        } catch {
          // A round fails only after several cuts in a row without a new row: the next resumes.
          failedRounds++;
        }
      }
      applied += lastDone;
      expect(proxy.cut()).toBeGreaterThan(5);
      expect(storeContent(device.raw)).toEqual(storeContent(writer.raw));
      // Every row came exactly once: the rows applied over all the cut pages are the rows held.
      expect(applied).toBe(rowsOf(device));
      expect(failedRounds).toBeLessThan(20);
    } finally {
      await proxy.close();
    }
  });
});
