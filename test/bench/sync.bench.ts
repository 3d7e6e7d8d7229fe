// Sync benchmarks: `node bin/tsx.js test/bench/sync.bench.ts [rows] [--initial-only|--steady-only]`
// prints JSON (`--initial-only --seed-only`: only make the cached hub of `rows`; `--in-process`:
// also the device in this process, the figure before session 8; `--device-flag=--max-semi-space-size=32`:
// a V8 flag of the device's process, as the desktop app would set it).
// - initial sync of `rows` products (default 1,000,000) to a new device, the hub in its own
//   process, with snapshot serving and the raw baselines of the same run (./sync-initial.ts);
// - steady state: one device writes ~10,000 changes (a tag on thousands of products), pushes
//   them, another pulls them: the round trip; then compaction on both sides. Its hub (in this
//   process) holds STEADY_ROWS products made through the hub's own apply path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WireChange } from '#common/sync/protocol';
import { formatHlc } from '#db/sync/hlc';
import { openHubStore } from '#server/main';
import { compactHub, historySize } from '#server/sync/compact';
import { applyPush } from '#server/sync/push';
import { adminApi, hubPlace, TestDevice } from '../helpers/hub';
import { spawnHub } from '../helpers/hub-process';
import { FixedClock, openTestKontor, type TestKontor } from '../helpers/kontor';
import { measure, profiled, round } from './harness';
import { initialSyncBench, syncTemplateProduct } from './sync-initial';

const quick = process.argv.includes('--quick');
const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 50_000 : 1_000_000));
const initialOnly = process.argv.includes('--initial-only');
const steadyOnly = process.argv.includes('--steady-only');
/** Products on the steady state's hub: enough for 10,000 changes of tags on them. */
const STEADY_ROWS = 5_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-sync-bench-'));
let files = 0;
// The steady state's hub is a real `kontor hub serve` process, so this process's CPU is the
// devices' alone; its content and its compaction go through the same store opened here (hub
// processes are stateless: any number may share one database).
const place = await hubPlace('sqlite');
const hubProcess = await spawnHub(place);
const hub = { url: hubProcess.url, store: await openHubStore(place) };
const admin = adminApi(hub.url);
await admin.createUser('bench');

/** Once more after a connection the hub closed while idle (keep-alive race after long local work). */
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch {
    return fn();
  }
}

async function device(): Promise<TestKontor> {
  const k = openTestKontor({
    file: path.join(dir, `d${++files}.sqlite`),
    clock: new FixedClock(new Date().toISOString()),
  });
  const { code } = await retry(() => admin.enrollCode('bench'));
  await retry(() => k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code }));
  return k;
}

const out: Record<string, unknown> = { rows };
try {
  if (!steadyOnly) {
    const work = fs.mkdtempSync(path.join(dir, 'initial-'));
    try {
      out.initial = await initialSyncBench(rows, work, process.argv.includes('--seed-only'), {
        inProcess: process.argv.includes('--in-process'),
        v8Flags: process.argv.filter((a) => a.startsWith('--device-flag=')).map((a) => a.slice(14)),
      });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  if (!initialOnly) await steadyState();
} finally {
  await hub.store.close();
  // SIGTERM and wait, as a firm stops it: a hub run with KONTOR_HUB_NODE_ARGS=--cpu-prof writes
  // its profile only on a clean exit.
  hubProcess.child.kill('SIGTERM');
  const killing = setTimeout(() => hubProcess.child.kill('SIGKILL'), 10_000);
  await hubProcess.exited;
  clearTimeout(killing);
  await place.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 2));

/** The hub process's CPU seconds so far (user + system, /proc: Linux), null elsewhere. */
function hubCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${hubProcess.child.pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function steadyState(): Promise<void> {
  // A product as a real device writes it: its fields on the hub are the template.
  const gen = await device();
  const { org, sample } = await syncTemplateProduct(gen);
  const template = (await hub.store.read((sql) =>
    sql.all<{ column_name: string; value: string | null }>(
      "SELECT column_name, value FROM hub_fields WHERE table_name = 'products' AND row_id = ?",
      [sample.id],
    ),
  )) as { column_name: string; value: string | null }[];

  const writer = new TestDevice(hub.url);
  const enrolled = await writer.enroll((await admin.enrollCode('bench')).code);
  const pushing = { id: writer.id, userId: enrolled.userId, seriesCode: enrolled.seriesCode };
  const wall0 = Date.now() - STEADY_ROWS - 60_000;
  const generated = await measure(async () => {
    const perBatch = 2_000;
    for (let b = 0; b < STEADY_ROWS; b += perBatch) {
      const changes: WireChange[] = [];
      for (let i = b; i < Math.min(STEADY_ROWS, b + perBatch); i++) {
        const id = `bench-${String(i).padStart(8, '0')}`;
        const hlc = formatHlc({ wallMs: wall0 + i, counter: 0, deviceId: writer.id });
        for (const f of template)
          changes.push({
            table: 'products',
            rowId: id,
            column: f.column_name,
            value: f.column_name === 'name' ? JSON.stringify(`p${i}.ch`) : f.value,
            hlc,
          });
      }
      await hub.store.push((sql, positions) =>
        applyPush(
          sql,
          hub.store.forUpdate,
          positions,
          pushing,
          { deviceId: writer.id, batchId: crypto.randomUUID(), schemaVersion: 1, changes },
          Date.now(),
        ),
      );
    }
  });
  out.steadyHubGenerate = { rows: STEADY_ROWS, seconds: generated.seconds };

  // Steady state: ~10,000 changes from one device to another.
  const [a, b] = [await device(), await device()];
  await a.ok('sync.now', {});
  await b.ok('sync.now', {});
  const productIds = a.raw.prepare('SELECT id FROM products LIMIT 100000').pluck().all() as string[];
  const spent = (from: number | null, to: number | null) =>
    from === null || to === null ? null : round(to - from);
  /** ~10,000 changes from `a` (a new tag on thousands of products), pushed, then pulled by `b`. */
  const roundTrip = async (name: string, profileAs: string) => {
    const before = a.raw
      .prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL')
      .pluck()
      .get() as number;
    const tag = await a.ok('tags.create', { organizationId: org.id, name });
    let pending = before;
    for (let i = 0; pending < 10_000 && i < productIds.length; i += 500) {
      await a.ok('tags.assign', { tagId: tag.id, productIds: productIds.slice(i, i + 500) });
      pending = a.raw
        .prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL')
        .pluck()
        .get() as number;
    }
    const hubCpu0 = hubCpuSeconds();
    const push = await measure(() => profiled(`${profileAs}-push`, () => retry(() => a.ok('sync.now', {}))));
    const hubCpu1 = hubCpuSeconds();
    const pull = await measure(() => profiled(`${profileAs}-pull`, () => retry(() => b.ok('sync.now', {}))));
    const hubCpu2 = hubCpuSeconds();
    return {
      changes: pending,
      pushSeconds: push.seconds,
      pullSeconds: pull.seconds,
      roundTripSeconds: round(push.seconds + pull.seconds),
      // The hub runs in its own process: CPU is the devices' share of the round trip (outbox,
      // acknowledgement, pull apply), wall what the hub and the load add.
      pushCpuSeconds: push.cpuSeconds,
      pullCpuSeconds: pull.cpuSeconds,
      // The hub process's CPU in each (Linux): on a loaded machine, steadier than the wall.
      pushHubCpuSeconds: spent(hubCpu0, hubCpu1),
      pullHubCpuSeconds: spent(hubCpu1, hubCpu2),
      applied: pull.result.applied,
      goalSeconds: 1,
    };
  };
  // The first round after the hub started: its push and pull code runs cold (V8 compiles and
  // optimizes it during the round: a third to a half of the hub's CPU in it).
  out.steadyState = await roundTrip('Bench tag', 'steady');
  // The same again on a hub that has served one such round, as a hub running for a while has.
  out.steadyStateRunningHub = await roundTrip('Bench tag 2', 'steady-running');

  // Compaction: the same products' price changed again and again, each round pushed and pulled.
  // The devices drop the older clock entries as the hub acknowledges newer ones; the hub folds
  // its history (a window of zero here: all of it) into the current state.
  const logRows = (k: TestKontor) => k.raw.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
  const edited = productIds.slice(0, Math.min(500, productIds.length));
  const [aBefore, bBefore] = [logRows(a), logRows(b)];
  let written = 0;
  for (let r = 1; r <= 4; r++) {
    for (const id of edited) await a.ok('products.update', { id, publicPriceMinor: 1_000 + r });
    written += (await retry(() => a.ok('sync.now', {}))).pushed;
    await retry(() => b.ok('sync.now', {}));
  }
  const hubBefore = await historySize(hub.store);
  const folded = await measure(() => compactHub(hub.store, Date.now(), 0));
  const hubAfter = await historySize(hub.store);
  out.compaction = {
    fieldWrites: written,
    writerChangeLog: { withoutCompaction: aBefore + written, rows: logRows(a) },
    readerChangeLog: { withoutCompaction: bBefore + written, rows: logRows(b) },
    hubHistory: { before: hubBefore, after: hubAfter, foldSeconds: folded.seconds },
  };
  a.close();
  b.close();
  gen.close();
}
