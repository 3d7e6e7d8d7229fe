import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubStore } from '#server/main';
import { enrolledDevice, type HubEngine, hubPlace, TestDevice } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { spawnHub } from '../helpers/hub-process';

// A hub process killed (SIGKILL) while it applies a big batch: after a restart, either the
// whole batch is there or none of it; the device's retry with the same batch id completes it.

describe.each<HubEngine>(['sqlite', 'postgres'])('hub on %s killed mid-batch', (engine) => {
  let place: Awaited<ReturnType<typeof hubPlace>>;
  beforeAll(async () => {
    place = await hubPlace(engine);
  });
  afterAll(async () => {
    await place?.cleanup();
  });

  async function counts() {
    const store = await openHubStore(place);
    try {
      return await store.read(async (sql) => {
        const n = async (q: string) => Number((await sql.all<{ n: number }>(q))[0]!.n);
        return {
          log: await n('SELECT COUNT(*) AS n FROM hub_log'),
          fields: await n('SELECT COUNT(*) AS n FROM hub_fields'),
          rows: await n('SELECT COUNT(*) AS n FROM hub_rows'),
          batches: await n('SELECT COUNT(*) AS n FROM hub_batches'),
          // SQLite: the 'seq' counter; PostgreSQL: the sequence bounded by pushes in flight.
          head: await sql.settledHead(),
          maxSeq: await n('SELECT COALESCE(MAX(seq), 0) AS n FROM hub_log'),
        };
      });
    } finally {
      await store.close();
    }
  }

  it('keeps all of the batch or none of it, and the retry completes it exactly once', async () => {
    let hub = await spawnHub(place);
    const device = await enrolledDevice(hub.url, 'killer');
    await device.push(organization(device, 'org-k'));
    const before = await counts();

    let killedMidway = 0;
    for (let attempt = 0; attempt < 3 && killedMidway === 0; attempt++) {
      // 10 000 changes: 1 250 products of 8 columns each (the protocol's largest batch).
      const changes = Array.from({ length: 1250 }, (_, i) =>
        product(device, `k${attempt}-${i}`, 'org-k'),
      ).flat();
      expect(changes.length).toBe(10_000);
      const batchId = crypto.randomUUID();
      const applying = hub.waitForEvent('push.applying');
      const sent = device.push(changes, batchId).then(
        () => 'answered' as const,
        () => 'cut' as const,
      );
      await applying;
      hub.child.kill('SIGKILL');
      const outcome = await sent;
      await hub.exited;

      const after = await counts();
      const added = after.log - before.log;
      expect([0, changes.length]).toContain(added);
      // SQLite: the counter moved with the log, or neither did. PostgreSQL (no global lock):
      // the killed push's positions are gaps, and every committed change is within reach.
      if (engine === 'sqlite') expect(after.head).toBe(after.maxSeq);
      else expect(after.head).toBeGreaterThanOrEqual(after.maxSeq);
      if (outcome === 'cut') killedMidway++;

      hub = await spawnHub(place);
      device.hubUrl = hub.url;
      const retry = await device.push(changes, batchId);
      expect(retry.results).toHaveLength(changes.length);
      expect(retry.results.every((r) => r.outcome === 'applied' || r.outcome === 'duplicate')).toBe(true);
      const final = await counts();
      expect(final.log - before.log).toBe(changes.length);
      Object.assign(before, final);
    }
    expect(killedMidway).toBeGreaterThan(0);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  });

  it('finishes the batch in hand on SIGTERM, then exits 0', async () => {
    const hub = await spawnHub(place);
    const device = await enrolledDevice(hub.url, 'terminator');
    await device.push(organization(device, 'org-t'));
    const changes = Array.from({ length: 1250 }, (_, i) => product(device, `t-${i}`, 'org-t')).flat();
    const applying = hub.waitForEvent('push.applying');
    const sent = device.push(changes);
    await applying;
    hub.child.kill('SIGTERM');
    const answer = await sent;
    expect(answer.results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(await hub.exited).toBe(0);
  });

  it('is administered from the command line on the same store', async () => {
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    const where = place.postgresUrl ? ['--postgres', place.postgresUrl] : ['--data', place.dataDir!];
    const kontor = (...args: string[]) =>
      execFileSync(process.execPath, ['bin/kontor.js', 'hub', ...args, ...where], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
    kontor('user', 'add', 'cli-user');
    kontor('link', 'cli-user', 'org-cli');
    expect(kontor('user', 'list')).toMatch(/cli-user\torg-cli/);
    const code = kontor('enroll-code', 'cli-user').split('\t')[0]!;
    const hub = await spawnHub(place);
    try {
      const device = new TestDevice(hub.url);
      expect((await device.enroll(code)).organizationIds).toEqual(['org-cli']);
      expect(kontor('devices')).toContain(device.id);
      kontor('revoke', device.id);
      await expect(device.pull(0)).rejects.toMatchObject({
        status: 403,
        body: { code: 'device_revoked', message: expect.any(String), params: {} },
      });
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  });
});
