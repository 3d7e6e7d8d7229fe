// Hub throughput on both stores: `node bin/tsx.js test/bench/hub.bench.ts [--quick]` prints
// JSON. PostgreSQL from KONTOR_TEST_POSTGRES_URL (else a local throw-away cluster).
// SQLite serializes pushes (one writer); PostgreSQL has no global lock (server/HUB.md): the
// last section, 100 devices to disjoint organizations through 1 and 2 hub processes beside
// the same run's 20-device figure, shows what that buys (./hub-disjoint.ts).
import os from 'node:os';
import { startHub } from '#server/main';
import {
  ADMIN_TOKEN,
  enrolledDevice,
  freshPostgresDatabase,
  hubPlace,
  type HubEngine,
  type TestDevice,
} from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { disjointPushes } from './hub-disjoint';
import { snapshotServing } from './hub-snapshot';

const quick = process.argv.includes('--quick');
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

// `--fairness-only [--big-batches N]`: only 20 small pushers alone and beside the big one.
const fairnessOnly = process.argv.includes('--fairness-only');
const bigAt = process.argv.indexOf('--big-batches');
// `--per-device N`: batches each of the 100 disjoint devices pushes (default 10, --quick 2).
const perDeviceAt = process.argv.indexOf('--per-device');
// `--preload N`: rows of other organizations the disjoint section's second hub holds (default
// 100k, --quick 10k; 0: the empty hub only).
const preloadAt = process.argv.indexOf('--preload');
// `--one-user`: the 100 disjoint devices all of one firm administrator (session 7's workload),
// instead of a user (a partner) each.
const oneUser = process.argv.includes('--one-user');

async function bench(engine: HubEngine) {
  const place = await hubPlace(engine);
  const hubs = [await startHub({ ...place, adminToken: ADMIN_TOKEN, log: false })];
  if (engine === 'postgres') hubs.push(await startHub({ ...place, adminToken: ADMIN_TOKEN, log: false }));
  const out: Record<string, unknown> = {};
  try {
    const writer = await enrolledDevice(hubs[0]!.url, 'bench');
    await writer.push(organization(writer, 'org-bench'));
    const batches = fairnessOnly ? 0 : quick ? 3 : 10;
    let t = performance.now();
    for (let b = 0; b < batches; b++) {
      await writer.push(
        Array.from({ length: 125 }, (_, i) => product(writer, `p-${b}-${i}`, 'org-bench')).flat(),
      );
    }
    if (batches > 0)
      out.pushChangesPerSecond = Math.round((batches * 1000) / ((performance.now() - t) / 1000));

    const reader = await enrolledDevice(hubs[0]!.url, 'bench');
    if (!fairnessOnly) {
      t = performance.now();
      const pulled = await reader.pullAll(0, 5000);
      out.pullChangesPerSecond = Math.round(pulled.changes.length / ((performance.now() - t) / 1000));
      t = performance.now();
      const snap = await reader.snapshot(1000);
      out.snapshotRowsPerSecond = Math.round(snap.rows.length / ((performance.now() - t) / 1000));
    }

    // Small batches (one user's edit: 8 changes) from 1, 8 and 20 devices at once, through every hub.
    for (const concurrency of fairnessOnly ? [20] : [1, 8, 20]) {
      const devices: TestDevice[] = [];
      for (let i = 0; i < concurrency; i++) {
        const d = await enrolledDevice(hubs[0]!.url, 'bench');
        d.hubUrl = hubs[i % hubs.length]!.url;
        devices.push(d);
      }
      const latencies: number[] = [];
      const perDevice = quick ? 10 : 40;
      const changesPerBatch = product(devices[0]!, 'probe', 'org-bench').length;
      t = performance.now();
      await Promise.all(
        devices.map(async (d, n) => {
          for (let i = 0; i < perDevice; i++) {
            const s = performance.now();
            await d.push(product(d, `c${concurrency}-${n}-${i}`, 'org-bench'));
            latencies.push(performance.now() - s);
          }
        }),
      );
      const seconds = (performance.now() - t) / 1000;
      out[`smallBatches${concurrency}`] = {
        batchesPerSecond: Math.round(latencies.length / seconds),
        changesPerSecond: Math.round((latencies.length * changesPerBatch) / seconds),
        p50Ms: Math.round(pct(latencies, 50)),
        p99Ms: Math.round(pct(latencies, 99)),
      };
    }
    // Fairness (server/http/admission.ts: one push in flight per device): 20 devices push small
    // batches while one device empties a huge outbox in the protocol's largest batches (10 000
    // changes); the small ones' p99 during it is what a partner feels at 9 a.m.
    {
      const big = await enrolledDevice(hubs[0]!.url, 'bench');
      const small: TestDevice[] = [];
      for (let i = 0; i < 20; i++) {
        const d = await enrolledDevice(hubs[0]!.url, 'bench');
        d.hubUrl = hubs[i % hubs.length]!.url;
        small.push(d);
      }
      // Full size: the 1M changes (100 batches of 10,000); its p99 sits beside
      // smallBatches20's, measured without the big pusher in the same run.
      const bigBatches = bigAt > 0 ? Number(process.argv[bigAt + 1]) : quick ? 2 : 100;
      let bigDone = false;
      t = performance.now();
      const bigRun = (async () => {
        for (let b = 0; b < bigBatches; b++)
          await big.push(
            Array.from({ length: 1250 }, (_, i) => product(big, `big-${b}-${i}`, 'org-bench')).flat(),
          );
        bigDone = true;
        return (performance.now() - t) / 1000;
      })();
      const latencies: number[] = [];
      await Promise.all(
        small.map(async (d, n) => {
          for (let i = 0; !bigDone; i++) {
            const s = performance.now();
            await d.push(product(d, `beside-${n}-${i}`, 'org-bench'));
            if (!bigDone) latencies.push(performance.now() - s);
          }
        }),
      );
      const bigSeconds = await bigRun;
      out.smallBesideBigBatch = {
        bigChangesPerSecond: Math.round((bigBatches * 10_000) / bigSeconds),
        smallBatches: latencies.length,
        smallP50Ms: Math.round(pct(latencies, 50)),
        smallP99Ms: Math.round(pct(latencies, 99)),
      };
    }
  } finally {
    for (const h of hubs) await h.close();
    await place.cleanup();
  }
  return out;
}

async function noGlobalLock() {
  const db = await freshPostgresDatabase();
  try {
    const perDevice = perDeviceAt > 0 ? Number(process.argv[perDeviceAt + 1]) : quick ? 2 : 10;
    const preload = preloadAt > 0 ? Number(process.argv[preloadAt + 1]) : quick ? 10_000 : 100_000;
    return await disjointPushes(db.url, { devices: 100, perDevice, thinkMs: 0, preload, oneUser });
  } finally {
    await db.drop();
  }
}

// `--disjoint-only` / `--snapshot-only [ROWS]`: one section alone (snapshot default 200k rows, --quick 20k).
const only = process.argv.includes('--disjoint-only');
const snapshotOnly = process.argv.includes('--snapshot-only');
const snapshotRows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 20_000 : 200_000));
const results = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}`,
  ...(only || snapshotOnly ? {} : { sqlite: await bench('sqlite'), postgres: await bench('postgres') }),
  ...(only || fairnessOnly
    ? {}
    : {
        snapshotServingSqlite: await snapshotServing('sqlite', snapshotRows),
        snapshotServingPostgres: await snapshotServing('postgres', snapshotRows),
      }),
  ...(snapshotOnly || fairnessOnly ? {} : { postgresNoGlobalLock: await noGlobalLock() }),
  loadAfter: os.loadavg()[0]!.toFixed(1),
};
console.log(JSON.stringify(results, null, 2));
