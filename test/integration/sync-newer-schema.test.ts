// Changes from a newer schema, through the real hub: the device refuses them loudly, keeps
// them across rounds, and applies them once an upgrade knows the column (simulated: the
// migration's ALTER TABLE, and the column added to the sync registry as the new code has it).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrationCount } from '#db/open';
import { SYNC_TABLES } from '#db/sync/tables';
import { adminApi, startTestHub, type TestHub, TestDevice } from '../helpers/hub';
import { organization } from '../helpers/hub-fixtures';
import { FixedClock, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-newer-schema-');
let hub: TestHub;
beforeAll(async () => {
  // A hub that knows the newer schema: it accepts the newer device's column, declared by its
  // schema version (a hub never takes unknown columns from a device that does not declare one).
  hub = await startTestHub('sqlite', { schemaVersion: migrationCount() + 1 });
});
afterAll(async () => {
  SYNC_TABLES.get('organizations')?.columns.delete('nickname');
  await hub?.cleanup();
});

it('parks a newer column loudly, keeps it, and applies it after the upgrade; nothing dropped', async () => {
  const admin = adminApi(hub.url);
  await admin.createUser('newer');
  const newer = new TestDevice(hub.url);
  await newer.enroll((await admin.enrollCode('newer')).code);
  const hlc = newer.hlc();
  const r = await newer.push(
    [
      // As a device logs it: updated_at is local bookkeeping, never sent.
      ...organization(newer, 'org-next', 'Next SA', hlc).filter((c) => c.column !== 'updated_at'),
      { table: 'organizations', rowId: 'org-next', column: 'nickname', value: JSON.stringify('Nexty'), hlc },
    ],
    undefined,
    migrationCount() + 1,
  );
  expect(r.results.every((x) => x.outcome === 'applied')).toBe(true);

  const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
  await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode('newer')).code });
  await k.ok('sync.now', {});
  expect(k.raw.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get('org-next')).toBe(
    'Next SA',
  );
  const status = await k.ok('sync.status', {}, { locale: 'de' });
  expect(status.deferred).toBe(1);
  expect(status.deferredMessage).toBeTruthy();
  // Kept across rounds: every round retries, none drops.
  for (let i = 0; i < 2; i++) await k.ok('sync.now', {});
  expect(k.raw.prepare('SELECT column_name, value, reason FROM sync_deferred').all()).toEqual([
    { column_name: 'nickname', value: JSON.stringify('Nexty'), reason: 'unknown_column' },
  ]);

  // The upgrade: the migration adds the column, the new code knows it.
  k.raw.exec('ALTER TABLE organizations ADD COLUMN nickname TEXT');
  const table = SYNC_TABLES.get('organizations')!;
  const name = table.columns.get('name')!;
  table.columns.set('nickname', { ...name, sql: 'nickname', key: 'nickname', required: false });
  const after = await k.ok('sync.now', {});
  expect(after.applied).toBeGreaterThan(0);
  expect(k.raw.prepare('SELECT nickname FROM organizations WHERE id = ?').pluck().get('org-next')).toBe(
    'Nexty',
  );
  expect(k.raw.prepare('SELECT count(*) FROM sync_deferred').pluck().get()).toBe(0);
  expect((await k.ok('sync.status', {})).deferred).toBe(0);
});
