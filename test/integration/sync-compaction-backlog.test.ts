// A device that already existed before compaction (issue 16) kept every clock entry it ever
// wrote or pulled: its old log is compacted once, at its next sync round, in short steps that
// resume after an interruption — and the device still merges by the newest write afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactBacklogStep, compactLog } from '#db/sync/compact';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-compaction-backlog-');

interface LogRow {
  seq: number;
  hlc: string;
  device_id: string;
  table_name: string;
  row_id: string;
  column_name: string;
  value: string | null;
  hub_seq: number | null;
}

const logOf = (k: TestKontor) => k.raw.prepare('SELECT * FROM change_log').all() as LogRow[];
const entries = (k: TestKontor, rowId: string, column: string) =>
  k.raw
    .prepare('SELECT count(*) FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = ?')
    .pluck()
    .get('products', rowId, column) as number;
const backlogMark = (k: TestKontor) =>
  k.raw.prepare("SELECT value FROM app_settings WHERE key = 'sync.log_backlog_compacted'").pluck().get() as
    | string
    | undefined;

describe.each(['sqlite', 'postgres'] as HubEngine[])('an old device on a %s hub', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function device(user: string, clock = new FixedClock(new Date().toISOString())) {
    const k = space.kontor({ clock });
    await k.ok('sync.configure', {
      hubUrl: hub.url,
      enrollCode: (await adminApi(hub.url).enrollCode(user)).code,
    });
    k.kontor.sync.stop();
    return k;
  }

  it('compacts the log it kept from before compaction once, safely, and still merges by the newest', async () => {
    const user = `backlog-${engine}`;
    await adminApi(hub.url).createUser(user);
    const late = await device(user, new FixedClock(new Date(Date.now() - 3_600_000).toISOString()));
    const a = await device(user);
    const b = await device(user);
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Alt AG',
      country: 'CH',
      currency: 'CHF',
    });
    const p = await a.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: 'v0.ch',
      publicPriceMinor: 1_000,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    // Every entry each device ever held, as a version without compaction would have kept them.
    const kept = new Map<TestKontor, Map<number, LogRow>>([
      [a, new Map()],
      [b, new Map()],
    ]);
    const remember = () => {
      for (const [k, rows] of kept) for (const r of logOf(k)) rows.set(r.seq, r);
    };
    for (const k of [a, late, b]) await k.ok('sync.now', {});
    remember();
    for (let v = 1; v <= 6; v++) {
      await a.ok('products.update', { id: p.id, name: `v${v}.ch`, publicPriceMinor: 1_000 + v });
      remember();
      await a.ok('sync.now', {});
      await b.ok('sync.now', {});
      remember();
    }
    // The files as the version before compaction left them: every entry back, no pass made yet.
    for (const [k, rows] of kept) {
      const put = k.raw.prepare(
        `INSERT OR IGNORE INTO change_log (seq, hlc, device_id, table_name, row_id, column_name, value, hub_seq)
         VALUES (@seq, @hlc, @device_id, @table_name, @row_id, @column_name, @value, @hub_seq)`,
      );
      k.raw.transaction(() => {
        for (const r of rows.values()) put.run(r);
        k.raw.prepare("DELETE FROM app_settings WHERE key = 'sync.log_backlog_compacted'").run();
      })();
      expect(entries(k, p.id, 'name')).toBeGreaterThanOrEqual(6);
    }
    const contentBefore = storeContent(a.raw);
    const logBefore = logOf(a).length;

    // The pass is cut after its first step (the app closed): the next round resumes it.
    expect(compactBacklogStep(a.raw, 3)).not.toBeNull();
    expect(JSON.parse(backlogMark(a) ?? 'null')).toMatchObject({ through: expect.any(Number) });
    for (const k of [a, b]) await k.ok('sync.now', {});
    for (const k of [a, b]) {
      expect(backlogMark(k)).toBe('"done"');
      expect(entries(k, p.id, 'name')).toBe(1);
      expect(entries(k, p.id, 'public_price_minor')).toBe(1);
      // Nothing more to drop, and the pass never runs again.
      expect(compactLog(k.raw)).toBe(0);
      expect(compactBacklogStep(k.raw)).toBeNull();
    }
    expect(logOf(a).length).toBeLessThan(logBefore);
    // Compaction drops clock entries, never data.
    expect(storeContent(a.raw)).toEqual(contentBefore);
    expect(storeContent(b.raw)).toEqual(contentBefore);

    // The clock still decides: an older write from a device that was offline loses everywhere,
    // a newer one wins everywhere.
    await late.ok('products.update', { id: p.id, name: 'late.ch' });
    await late.ok('sync.now', {});
    for (const k of [a, b, late]) await k.ok('sync.now', {});
    for (const k of [a, b, late])
      expect(k.raw.prepare('SELECT name FROM products WHERE id = ?').pluck().get(p.id)).toBe('v6.ch');
    await b.ok('products.update', { id: p.id, name: 'newest.ch' });
    for (const k of [b, a, late]) await k.ok('sync.now', {});
    for (const k of [a, b, late])
      expect(k.raw.prepare('SELECT name FROM products WHERE id = ?').pluck().get(p.id)).toBe('newest.ch');
    expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
    expect(storeContent(late.raw)).toEqual(storeContent(a.raw));
    for (const k of [a, b, late]) k.close();
  });
});
