import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PulledChange } from '#common/sync/protocol';
import { enrolledDevice, freshPostgresDatabase, type TestDevice } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { type HubProcess, spawnHub } from '../helpers/hub-process';

// Two hub processes on one PostgreSQL, as behind a load balancer: devices push concurrently
// through both while readers pull through both with small pages. Every change reaches each
// reader exactly once, in sequence order: no cursor ever passed a change committed later.

let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let hubs: HubProcess[] = [];

beforeAll(async () => {
  db = await freshPostgresDatabase();
  hubs = [await spawnHub({ postgresUrl: db.url }), await spawnHub({ postgresUrl: db.url })];
});
afterAll(async () => {
  for (const h of hubs) {
    h.child.kill('SIGTERM');
    await h.exited;
  }
  await db?.drop();
});

/** The same device talking to either hub, request by request. */
function through(device: TestDevice, hub: HubProcess): TestDevice {
  device.hubUrl = hub.url;
  return device;
}

it('serves concurrent pushers and pullers through two hubs without losing or repeating a change', async () => {
  const [a, b] = hubs as [HubProcess, HubProcess];
  const founder = await enrolledDevice(a.url, 'team');
  const founded = await founder.push(organization(founder, 'org-team'));
  const pushers = await Promise.all(Array.from({ length: 4 }, () => enrolledDevice(b.url, 'team')));
  const readers = await Promise.all(Array.from({ length: 2 }, () => enrolledDevice(a.url, 'team')));

  let pushing = true;
  const applied: number[] = [];
  const push = async (d: TestDevice, n: number) => {
    for (let i = 0; i < 15; i++) {
      const r = await through(d, i % 2 ? a : b).push(
        Array.from({ length: 4 }, (_, j) => product(d, `p-${n}-${i}-${j}`, 'org-team')).flat(),
      );
      for (const x of r.results) {
        expect(x.outcome).toBe('applied');
        applied.push(x.hubSeq!);
      }
    }
  };
  const read = async (d: TestDevice) => {
    const got: PulledChange[] = [];
    let cursor = 0;
    let round = 0;
    for (;;) {
      const done = !pushing; // read once more after the pushers finished
      for (;;) {
        const r = await through(d, round++ % 2 ? a : b).pull(cursor, 13);
        expect(r.scopeChanged).toBe(false);
        got.push(...r.changes);
        expect(r.cursor).toBeGreaterThanOrEqual(cursor);
        cursor = r.cursor;
        if (!r.hasMore) break;
      }
      if (done) return got;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const reading = readers.map(read);
  await Promise.all(pushers.map(push));
  pushing = false;
  const results = await Promise.all(reading);

  expect(applied.length).toBe(4 * 15 * 4 * 8);
  const founderSeqs = Math.max(...founded.results.map((r) => r.hubSeq!));
  for (const got of results) {
    const seqs = got.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(seqs.length); // none twice
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs); // in order
    expect(seqs.filter((s) => s > founderSeqs)).toEqual([...applied].sort((x, y) => x - y)); // none missed
  }
});
