// Sync benchmarks: `node bin/tsx.js test/bench/sync.bench.ts [rows] [--quick]` prints JSON.
// - initial sync of `rows` products (default 1,000,000) to a new device: the hub's content is
//   generated through the hub's own apply path (applyPush in-process, big batches), then a
//   new device enrolls and runs one real sync round against the HTTP hub;
// - steady state: one device writes ~10,000 changes (a tag on thousands of products), pushes
//   them, another pulls them: the round trip;
// - raw baselines: better-sqlite3 inserting the same rows into a bare table, and into the
//   device's own products table (its indexes and full-text triggers);
// - snapshot serving: the hub streaming every page to a reader that discards them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { formatHlc } from '#db/sync/hlc';
import type { WireChange } from '#common/sync/protocol';
import { applyPush } from '#server/sync/push';
import { compactHub, historySize } from '#server/sync/compact';
import { adminApi, startTestHub, TestDevice } from '../helpers/hub';
import { FixedClock, openTestKontor, type TestKontor } from '../helpers/kontor';
import { measure, round } from './harness';

const quick = process.argv.includes('--quick');
const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 50_000 : 1_000_000));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-sync-bench-'));
let files = 0;
const hub = await startTestHub('sqlite');
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
  // A product as a real device writes it: its fields on the hub are the template.
  const gen = await device();
  const org = await gen.ok('organizations.create', {
    kind: 'company',
    name: 'Bench SA',
    country: 'CH',
    currency: 'CHF',
  });
  const sample = await gen.ok('products.create', {
    organizationId: org.id,
    kind: 'domain',
    name: 'bench.ch',
    publicPriceMinor: 1_500,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
  });
  await gen.ok('sync.now', {});
  const template = (await hub.store.read((sql) =>
    sql.all<{ column_name: string; value: string | null }>(
      "SELECT column_name, value FROM hub_fields WHERE table_name = 'products' AND row_id = ?",
      [sample.id],
    ),
  )) as { column_name: string; value: string | null }[];

  const writer = new TestDevice(hub.url);
  const enrolled = await writer.enroll((await admin.enrollCode('bench')).code);
  const pushing = { id: writer.id, userId: enrolled.userId, seriesCode: enrolled.seriesCode };
  const wall0 = Date.now() - rows - 60_000;
  const generated = await measure(async () => {
    const perBatch = 2_000;
    for (let b = 0; b < rows; b += perBatch) {
      const changes: WireChange[] = [];
      for (let i = b; i < Math.min(rows, b + perBatch); i++) {
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
  out.hubGenerate = { seconds: generated.seconds, rowsPerSecond: Math.round(rows / generated.seconds) };

  // Snapshot serving alone: one hub process streaming every page to a reader that discards it.
  const served = await measure(async () => {
    let n = 0;
    let after: string | null = null;
    do {
      const q = new URLSearchParams({ limit: '1000000', maxBytes: String(16 * 1024 * 1024) });
      if (after) q.set('after', after);
      const r = await fetch(`${hub.url}/v1/sync/snapshot?${q}`, {
        headers: { authorization: `Bearer ${enrolled.token}`, accept: 'application/x-ndjson' },
      });
      const lines = (await r.text()).trimEnd().split('\n');
      n += lines.length - 2;
      after = (JSON.parse(lines.at(-1) ?? '{}') as { next?: string | null }).next ?? null;
    } while (after);
    return n;
  });
  // Its raw baseline: the same hub_fields read back by keyset pages of 4,000 (no join, no scope).
  const rawScan = await measure(() =>
    hub.store.read(async (sql) => {
      let n = 0;
      let at = { row: '', column: '' };
      for (;;) {
        const got = await sql.all<{ row_id: string; column_name: string }>(
          `SELECT row_id, column_name, value, hlc, seq FROM hub_fields
           WHERE table_name = 'products' AND (row_id > ? OR (row_id = ? AND column_name > ?))
           ORDER BY row_id, column_name LIMIT 4000`,
          [at.row, at.row, at.column],
        );
        n += got.length;
        const last = got.at(-1);
        if (!last || got.length < 4000) return n;
        at = { row: last.row_id, column: last.column_name };
      }
    }),
  );
  out.snapshotServing = {
    rawFieldScanRowsPerSecond: Math.round(rows / rawScan.seconds),
    rows: served.result,
    seconds: served.seconds,
    rowsPerSecond: Math.round(served.result / served.seconds),
    goalRowsPerSecond: 100_000,
  };

  const fresh = await device();
  const initial = await measure(() => retry(() => fresh.ok('sync.now', {})));
  const got = fresh.raw.prepare('SELECT count(*) FROM products').pluck().get() as number;
  out.initialSync = {
    seconds: initial.seconds,
    rowsPerSecond: Math.round(got / initial.seconds),
    peakRssMb: initial.peakRssMb,
    maxBlockMs: initial.maxBlockMs,
    productsOnDevice: got,
    goalSeconds: 60,
  };
  fresh.close();

  // Raw baseline: the same rows into a bare table, one transaction.
  const raw = new Database(path.join(dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  const cols = template.map((f) => f.column_name);
  raw.exec(`CREATE TABLE products (id TEXT PRIMARY KEY, ${cols.map((c) => `"${c}"`).join(', ')})`);
  const ins = raw.prepare(`INSERT INTO products VALUES (?, ${cols.map(() => '?').join(', ')})`);
  const base = await measure(() =>
    raw.transaction(() => {
      for (let i = 0; i < rows; i++) ins.run(`bench-${i}`, ...template.map((f) => f.value));
    })(),
  );
  raw.close();
  out.rawInsertBaseline = { seconds: base.seconds, rowsPerSecond: Math.round(rows / base.seconds) };
  out.initialSyncVsRaw = round(initial.seconds / base.seconds, 1);
  // The same rows into the device's own products table (its indexes, its full-text search
  // triggers), prepared statement, one transaction: what the disk and the schema cost alone.
  const same = await device();
  const columns = (same.raw.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('products') as string[]).filter(
    (c) => c !== 'id',
  );
  const sampleRow = gen.raw.prepare('SELECT * FROM products WHERE id = ?').get(sample.id) as Record<string, unknown>;
  const orgRow = gen.raw.prepare('SELECT * FROM organizations WHERE id = ?').get(org.id) as Record<string, unknown>;
  same.raw
    .prepare(`INSERT INTO organizations (${Object.keys(orgRow).map((c) => `"${c}"`).join(', ')}) VALUES (${Object.keys(orgRow).map(() => '?').join(', ')})`)
    .run(...Object.values(orgRow));
  const insSame = same.raw.prepare(
    `INSERT INTO products (id, ${columns.map((c) => `"${c}"`).join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
  );
  const sameTable = await measure(() =>
    same.raw.transaction(() => {
      for (let i = 0; i < rows; i++)
        insSame.run(`same-${i}`, ...columns.map((c) => (c === 'name' ? `s${i}.ch` : sampleRow[c])));
    })(),
  );
  same.close();
  out.rawSameTableBaseline = { seconds: sameTable.seconds, rowsPerSecond: Math.round(rows / sameTable.seconds) };
  out.initialSyncVsSameTable = round(initial.seconds / sameTable.seconds, 1);

  // Steady state: ~10,000 changes from one device to another.
  const [a, b] = [await device(), await device()];
  await a.ok('sync.now', {});
  await b.ok('sync.now', {});
  const productIds = a.raw.prepare('SELECT id FROM products LIMIT 100000').pluck().all() as string[];
  const before = a.raw
    .prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL')
    .pluck()
    .get() as number;
  const tag = await a.ok('tags.create', { organizationId: org.id, name: 'Bench tag' });
  let pending = before;
  for (let i = 0; pending < 10_000 && i < productIds.length; i += 500) {
    await a.ok('tags.assign', { tagId: tag.id, productIds: productIds.slice(i, i + 500) });
    pending = a.raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get() as number;
  }
  const push = await measure(() => retry(() => a.ok('sync.now', {})));
  const pull = await measure(() => retry(() => b.ok('sync.now', {})));
  out.steadyState = {
    changes: pending,
    pushSeconds: push.seconds,
    pullSeconds: pull.seconds,
    roundTripSeconds: round(push.seconds + pull.seconds),
    // Device and hub share this process: CPU is what the round trip costs, wall what the load adds.
    pushCpuSeconds: push.cpuSeconds,
    pullCpuSeconds: pull.cpuSeconds,
    applied: pull.result.applied,
    goalSeconds: 1,
  };

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
} finally {
  await hub.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 2));
