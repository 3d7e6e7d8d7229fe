// Rows that cannot complete cannot hurt (issue 10): a hostile device pushes 10,000 one-field
// product rows that could never become products. The hub refuses every one of them (a first
// write without its required fields answers like a row out of scope), so the firm's next sync
// of the same size does exactly the work a clean one does — the same changes applied, nothing
// deferred, no junk row reaching it — and nothing waits forever on the firm's device. (This
// compared wall times as a ratio once: on a loaded CI machine that failed a correct hub; the
// work done is what the attack could have inflated, so that is what is compared.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, enrolledDevice, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { FixedClock, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-incomplete-dos-');

describe.each<HubEngine>(['sqlite', 'postgres'])('on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('10,000 incomplete rows leave the firm’s next sync doing the work of a clean one, and nothing pending', async () => {
    const writer = await enrolledDevice(hub.url, 'firm-writer', []);
    // As a device logs it: updated_at is local bookkeeping, never sent.
    await writer.push(organization(writer, 'org-dos').filter((c) => c.column !== 'updated_at'));
    const admin = adminApi(hub.url);
    await admin.link('firm-writer', 'org-dos');
    // The firm's own device, a real Kontor store syncing through the engine.
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    await k.ok('sync.configure', {
      hubUrl: hub.url,
      enrollCode: (await admin.enrollCode('firm-writer')).code,
    });
    await k.ok('sync.now', {});

    const rows = (prefix: string) =>
      Array.from({ length: 1_000 }, (_, i) => product(writer, `${prefix}-${i}`, 'org-dos')).flat();
    const timedSync = async () => {
      const started = performance.now();
      const round = await k.ok('sync.now', {});
      return { round, ms: performance.now() - started };
    };

    // A clean sync of 1,000 products.
    expect((await writer.push(rows('clean'))).results.every((r) => r.outcome === 'applied')).toBe(true);
    const clean = await timedSync();

    // A hostile device of another user: 10,000 rows of one field each, which can never complete.
    const hostile = await enrolledDevice(hub.url, 'hostile', []);
    const junk = Array.from({ length: 10_000 }, (_, i) => ({
      table: 'products',
      rowId: `junk-${i}`,
      column: 'name',
      value: JSON.stringify(`junk ${i}`),
      hlc: hostile.hlc(),
    }));
    const refused = await hostile.push(junk);
    expect(refused.results.every((r) => r.outcome === 'rejected' && r.reason === 'out_of_scope')).toBe(true);
    // Even from the firm's own user, a row without its required fields never enters the hub.
    const firmJunk = await writer.push(junk.slice(0, 2_000).map((c) => ({ ...c, hlc: writer.hlc() })));
    expect(firmJunk.results.every((r) => r.outcome === 'rejected')).toBe(true);

    // The same size again, after the attack.
    expect((await writer.push(rows('after'))).results.every((r) => r.outcome === 'applied')).toBe(true);
    const after = await timedSync();
    if (process.env.KONTOR_PRINT_TIMES)
      console.log(`${engine}: clean ${clean.ms.toFixed(0)} ms, after ${after.ms.toFixed(0)} ms`);
    expect(clean.round.applied).toBeGreaterThan(0);
    expect(after.round).toEqual(clean.round);

    const status = await k.ok('sync.status', {});
    expect(status.pending).toBe(0);
    expect(k.raw.prepare('SELECT table_name, column_name, reason FROM sync_deferred').all()).toEqual([]);
    expect(status.deferred).toBe(0);
    expect(k.raw.prepare("SELECT count(*) FROM products WHERE id LIKE 'junk-%'").pluck().get()).toBe(0);
    expect(k.raw.prepare('SELECT count(*) FROM products').pluck().get()).toBe(2_000);
  }, 180_000);
});
