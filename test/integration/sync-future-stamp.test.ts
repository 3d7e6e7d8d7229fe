// One change stamped in the future must not block the whole outbox (issue 11, point 8): the
// wall clock was a day ahead for one write, then put right; the HLC never goes back, so every
// later write is stamped as far ahead and the hub refuses each batch (clock_ahead). Once the
// clock is right, the unsent changes are stamped again and everything goes through, in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-future-');
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite');
});
afterAll(async () => {
  await hub?.cleanup();
});

describe('a change stamped in the future', () => {
  it('does not block the outbox once the clock is right again', async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('future');
    const now = new Date().toISOString();
    const a = space.kontor({ clock: new FixedClock(now) });
    const b = space.kontor({ clock: new FixedClock(now) });
    for (const k of [a, b])
      await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode('future')).code });
    a.clock.advance(24 * 3_600_000);
    const early = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Stamped tomorrow',
      country: 'CH',
      currency: 'CHF',
    });
    await a.ok('ledger.topUp', { organizationId: early.id, amountMinor: 1_000 });
    a.clock.set(now);
    a.clock.advance(1_000);
    await a.ok('organizations.update', { id: early.id, name: 'Written today' });
    const later = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Written today too',
      country: 'CH',
      currency: 'CHF',
    });
    const round = await a.ok('sync.now', {});
    expect(round.status.pending).toBe(0);
    expect(round.status.lastError).toBeNull();
    await b.ok('sync.now', {});
    expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
    const names = b.raw.prepare('SELECT name FROM organizations ORDER BY name').pluck().all();
    expect(names).toEqual(['Written today', 'Written today too']);
    expect(later.id).toBeTruthy();
    // Nothing is stamped in the future any more.
    const ahead = a.raw
      .prepare('SELECT count(*) FROM change_log WHERE substr(hlc, 1, 15) > ?')
      .pluck()
      .get(String(Date.parse(now) + 10 * 60_000).padStart(15, '0'));
    expect(ahead).toBe(0);
  });
});
