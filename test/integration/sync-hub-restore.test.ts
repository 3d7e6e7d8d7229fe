// A hub restored from an older backup (its SQLite store file copied while it was stopped, and
// copied back): devices learn it from the new hub epoch, re-send what the hub lost, read again,
// and nothing is lost or doubled, even when other devices pushed the restored hub's head past
// their cursor before they came back.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type RunningHub, startHub } from '#server/main';
import { ADMIN_TOKEN, adminApi, enrolledDevice } from '../helpers/hub';
import { organization } from '../helpers/hub-fixtures';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-hub-restore-');
const dataDir = space.dir();
let hub: RunningHub | null = null;
afterAll(async () => {
  await hub?.close();
});

const start = async (port = 0) => {
  hub = await startHub({ dataDir, port, host: '127.0.0.1', adminToken: ADMIN_TOKEN, log: false });
  return hub;
};
const stop = async () => {
  await hub?.close();
  hub = null;
};
const storeFiles = ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm'];

/** A round; once more if the first used a connection to the stopped hub (the engine's retry would). */
async function sync(k: TestKontor) {
  const r = await k.call('sync.now', {});
  if (r.ok) return r.value as { pushed: number; rewound: number };
  if (r.error.code !== 'sync_hub_unreachable') throw new Error(r.error.message);
  return k.ok('sync.now', {});
}

async function org(k: TestKontor, name: string): Promise<string> {
  k.clock.advance(5);
  const o = await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' });
  await k.ok('products.create', {
    organizationId: o.id,
    kind: 'domain',
    name: `${name}.ch`,
    publicPriceMinor: 1_500,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
  });
  return o.id;
}

it('devices re-push what a restored hub lost, without duplicates, and converge', async () => {
  const { port, url } = await start();
  const admin = adminApi(url);
  await admin.createUser('team');
  const enroll = async () => {
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await admin.enrollCode('team');
    await k.ok('sync.configure', { hubUrl: url, enrollCode: code });
    return k;
  };
  const [a, b, c] = [await enroll(), await enroll(), await enroll()];
  await org(a, 'Avant A');
  await org(b, 'Avant B');
  for (const k of [a, b, c, a]) await sync(k);

  // The backup, taken while the hub is stopped.
  await stop();
  const backup = space.dir();
  for (const f of storeFiles)
    if (fs.existsSync(path.join(dataDir, f))) fs.copyFileSync(path.join(dataDir, f), path.join(backup, f));
  await start(port);

  // Work the backup will not have: a's and b's new rows, and an edit of a row both had.
  const lostA = await org(a, 'Perdu A');
  const lostB = await org(b, 'Perdu B');
  for (const k of [a, b, c]) await sync(k);

  // The restore: the older file comes back, the hub starts again.
  await stop();
  for (const f of storeFiles) fs.rmSync(path.join(dataDir, f), { force: true });
  for (const f of storeFiles)
    if (fs.existsSync(path.join(backup, f))) fs.copyFileSync(path.join(backup, f), path.join(dataDir, f));
  await start(port);

  // c comes back first and pushes a lot: the restored head passes a's and b's cursors, so
  // comparing heads alone would not tell them anything was lost.
  for (let i = 0; i < 6; i++) await org(c, `Après C ${i}`);
  const pushedByC = await sync(c);
  expect(pushedByC.pushed).toBeGreaterThan(0);

  const ra = await sync(a);
  const rb = await sync(b);
  expect(ra.rewound).toBeGreaterThan(0);
  expect(rb.rewound).toBeGreaterThan(0);
  for (const k of [a, b, c, a, b]) await sync(k);

  const fresh = await enroll();
  await sync(fresh);
  const view = storeContent(fresh.raw);
  for (const k of [a, b, c]) expect(storeContent(k.raw)).toEqual(view);
  const names = (view.organizations ?? []).map((o) => o.name);
  expect(names).toEqual(expect.arrayContaining(['Avant A', 'Avant B', 'Perdu A', 'Perdu B']));
  expect(view.organizations?.filter((o) => o.id === lostA || o.id === lostB)).toHaveLength(2);
  // Each change once in every store, however many times it was sent.
  for (const k of [a, b, c, fresh]) {
    const dupes = k.raw
      .prepare(
        'SELECT count(*) FROM (SELECT 1 FROM change_log GROUP BY table_name, row_id, column_name, hlc HAVING count(*) > 1)',
      )
      .pluck()
      .get();
    expect(dupes).toBe(0);
    expect(k.raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get()).toBe(0);
  }
  // And once in the hub's log.
  const hubDupes = await hub!.store.read((sql) =>
    sql.all(
      'SELECT table_name, row_id, column_name, hlc FROM hub_log GROUP BY table_name, row_id, column_name, hlc HAVING count(*) > 1',
    ),
  );
  expect(hubDupes).toEqual([]);
});

it('the epoch is in /healthz and in push and pull answers, and a new one comes with every start', async () => {
  const { url, port } = await start();
  const first = (await (await fetch(`${url}/healthz`)).json()) as { epoch: { id: string; baseSeq: number } };
  expect(first.epoch.id).toMatch(/^[0-9a-f-]{36}$/);
  await stop();
  const { url: again } = await start(port);
  const second = (await (await fetch(`${again}/healthz`)).json()) as {
    epoch: { id: string; baseSeq: number };
  };
  expect(second.epoch.id).not.toBe(first.epoch.id);
  const d = await enrolledDevice(again, 'epoch-reader');
  expect((await d.push(organization(d, 'epoch-org'))).hubEpoch).toEqual(second.epoch);
  expect((await d.pull(0)).hubEpoch).toEqual(second.epoch);
  await stop();
});
