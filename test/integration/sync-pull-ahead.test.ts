// A device asks for the next pull page before it applies the one in hand (core/sync/engine.ts
// pull): the hub reads page n+1 while the device writes page n. The pages must chain exactly as
// when asked one after another — each asked for from the cursor the previous one ended at,
// none twice — and a round that fails on a page asked ahead keeps what it applied and resumes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncEngine } from '#core/sync/engine';
import { readSyncState } from '#core/sync/state';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-pull-ahead-');

describe.each(['sqlite', 'postgres'] as HubEngine[])('pulling a page ahead on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('asks each page from where the last ended, once, and resumes after a page ahead failed', async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('ahead');
    const enroll = async () => {
      const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode('ahead')).code });
      k.kontor.sync.stop();
      return k;
    };
    const writer = await enroll();
    const reader = await enroll();
    const org = await writer.ok('organizations.create', { kind: 'company', name: 'Avance SA', country: 'CH', currency: 'CHF' });
    await writer.ok('sync.now', {});
    // The reader's first round takes a snapshot; what comes after reaches it by pulls.
    await reader.ok('sync.now', {});
    for (let i = 0; i < 12; i++)
      await writer.ok('products.create', {
        organizationId: org.id,
        kind: 'domain',
        name: `avance-${i}.ch`,
        publicPriceMinor: 1_000 + i,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
      });
    await writer.ok('sync.now', {});

    // Every pull asked: from where, and where the device's cursor stood when it was asked.
    const asked: { since: number; cursor: number }[] = [];
    // The pull asked third, and its client's retries of it, fail (a dropped network).
    let failing = true;
    let failSince: number | null = null;
    const engineOf = (k: TestKontor) =>
      new SyncEngine({
        ctx: () => k.kontor.ctx(),
        pullLimit: 7,
        fetch: async (input, init) => {
          const url = new URL(String(input));
          if (url.pathname === '/v1/sync/pull') {
            asked.push({ since: Number(url.searchParams.get('since')), cursor: readSyncState(k.raw).cursor });
            if (failing && asked.length === 3) failSince = Number(url.searchParams.get('since'));
            if (failing && failSince === Number(url.searchParams.get('since'))) throw new TypeError('fetch failed');
          }
          return fetch(input, init);
        },
      });
    const sync = engineOf(reader);
    // The third pull is asked ahead, while the second page is applied: it fails, the round with it.
    await expect(sync.syncNow()).rejects.toThrow();
    const cursorAfterFailure = readSyncState(reader.raw).cursor;
    // The second page was applied before the round failed on the third.
    expect(cursorAfterFailure).toBe(failSince);
    expect(asked[2]!.since).toBeGreaterThan(asked[1]!.since);
    failing = false;
    const resumed = asked.length;
    await sync.syncNow();

    expect(storeContent(reader.raw)).toEqual(storeContent(writer.raw));
    const pages = asked.slice(resumed);
    // Resumed from the cursor the failed round left; then every page from the previous one's end.
    expect(pages[0]!.since).toBe(cursorAfterFailure);
    expect(new Set(pages.map((p) => p.since)).size).toBe(pages.length);
    expect(pages.map((p) => p.since)).toEqual([...pages.map((p) => p.since)].sort((a, b) => a - b));
    // Asked ahead: a page requested while the device's cursor still stood before it.
    expect(pages.some((p) => p.since > p.cursor)).toBe(true);
    expect(pages.length).toBeGreaterThan(3);
  });
});
