// A restore swaps the store's file: it must never close it under a job or a sync round still
// reading and writing it. Restore is an exclusive method (core/api/gate.ts): it waits for the
// running export job or sync round to finish, holds the calls that come after it, and then the
// restored file is exactly the backup — intact, with nothing of the earlier work written into
// it afterwards. Before, the jobs map was process-wide and the restore closed the store under
// them: the job failed halfway, the round wrote into whichever file was open.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '#core/services/jobs.service';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { FixedClock, inspect, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-restore-waits-');

const names = (file: string) =>
  inspect(file, (db) => db.prepare('SELECT name FROM organizations ORDER BY name').pluck().all() as string[]);
const integrity = (file: string) => inspect(file, (db) => db.prepare('PRAGMA integrity_check').pluck().get());

describe('restore during a running export job', () => {
  it('waits for the job, which finishes whole; the restored file is the backup, then takes new calls', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k, { name: 'Avant la sauvegarde SA' });
    for (let i = 0; i < 6; i++) await issueInvoice(k, payer.id, [line(10_000 + i)]);
    const backup = path.join(space.dir(), 'backup.sqlite');
    await k.ok('system.backup', { out: backup });
    await createPayer(k, { name: 'Après la sauvegarde SA' });

    const out = path.join(space.dir(), 'pack.zip');
    const job = await k.ok('exports.start', { kind: 'pack', input: { out } });
    expect(job.state).toBe('running');
    expect(k.kontor.router.gate.activeShared).toBe(1);

    const restoring = k.ok('system.restore', { file: backup });
    // A call made while the restore waits runs after it, on the restored file.
    const later = k.ok('organizations.create', {
      kind: 'company',
      name: 'Après la restauration SA',
      country: 'CH',
      currency: 'CHF',
    });
    const restored = await restoring;
    await later;

    const finished = (await k.ok('jobs.get', { jobId: job.id })) as JobView;
    expect(finished.state).toBe('done');
    expect(Date.parse(finished.finishedAt ?? '')).toBeLessThanOrEqual(Date.now());
    // The pack is whole: every invoice's PDF, both spreadsheets and the manifest.
    const listing = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.filter((f) => f.endsWith('.pdf'))).toHaveLength(6);
    expect(listing).toEqual(expect.arrayContaining(['invoices.csv', 'invoices.xlsx', 'manifest.json']));
    execFileSync('unzip', ['-tq', out]);

    expect(integrity(k.file)).toBe('ok');
    const now = names(k.file);
    expect(now).toContain('Avant la sauvegarde SA');
    expect(now).not.toContain('Après la sauvegarde SA');
    expect(now).toContain('Après la restauration SA');
    expect(fs.existsSync(restored.safetyCopy)).toBe(true);
    expect(names(restored.safetyCopy)).toContain('Après la sauvegarde SA');
  }, 120_000);
});

describe('restore during a running sync round (a real hub)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('sqlite');
    await adminApi(hub.url).createUser('team');
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  /** A round; once more if the first met a keep-alive connection the hub had closed (the engine's retry would). */
  const sync = async (k: TestKontor) => {
    const r = await k.call('sync.now', {});
    if (r.ok || r.error.code !== 'sync_hub_unreachable') return r;
    return k.call('sync.now', {});
  };

  const enroll = async (): Promise<TestKontor> => {
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await adminApi(hub.url).enrollCode('team');
    await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
    // Enrolling starts the background engine with a round at once: settle that round and stop
    // the timer, so the only rounds are the ones this test runs (a background round that pulled
    // B's rows first would leave the round under test nothing to apply).
    await sync(k);
    k.kontor.sync.stop();
    return k;
  };

  it('waits for the round, which finishes; the restored file is the backup and the round wrote nothing into it', async () => {
    const b = await enroll();
    // A enrolls before B pushes, so its round under test has B's 300 rows to pull.
    const a = await enroll();
    for (let i = 0; i < 300; i++) {
      b.clock.advance(1);
      await b.ok('organizations.create', {
        kind: 'company',
        name: `B ${String(i).padStart(3, '0')}`,
        country: 'CH',
        currency: 'CHF',
      });
    }
    expect((await sync(b)).ok).toBe(true);

    await a.ok('organizations.create', { kind: 'company', name: 'A avant', country: 'CH', currency: 'CHF' });
    const backup = path.join(space.dir(), 'a-backup.sqlite');
    await a.ok('system.backup', { out: backup });
    const backupCursor = inspect(backup, (db) => db.prepare('SELECT * FROM sync_state').all());

    const round = a.call('sync.now', {});
    expect(a.kontor.router.gate.activeShared).toBeGreaterThanOrEqual(1);
    const restored = await a.ok('system.restore', { file: backup });
    const result = await round;
    // The round was not cut: it applied all of B's rows, into the file it started with.
    expect(result).toMatchObject({ ok: true, value: { applied: expect.any(Number) } });
    if (result.ok) expect((result.value as { applied: number }).applied).toBeGreaterThanOrEqual(300);
    expect(names(restored.safetyCopy).filter((n) => n.startsWith('B '))).toHaveLength(300);

    expect(integrity(a.file)).toBe('ok');
    expect(names(a.file)).toEqual(['A avant']);
    expect(inspect(a.file, (db) => db.prepare('SELECT * FROM sync_state').all())).toEqual(backupCursor);
  }, 180_000);
});
