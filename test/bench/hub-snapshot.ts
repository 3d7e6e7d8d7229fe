// Snapshot serving from one hub process, on either store (issue 16: ≥ 100k rows/s), beside
// its raw baselines in the same run, read by the bench's own client straight from the database
// (no scope, no HTTP): hub_fields by keyset pages of 4,000 fields, and the rows' JSON states by
// pages of 500 rows; and beside the same snapshot with every state folded from hub_fields as
// it is read (the hub before migration 006).
// The hub's content is written straight into hub_rows/hub_fields by one INSERT … SELECT (each
// row's JSON state derived from them, as migration 006 does): what
// is measured is serving, and 200k rows through the push path would take minutes here.
import pg from 'pg';
import { backendCpuDuring, cpuSeconds, ownCpuSeconds } from './cpu';
import { formatHlc } from '#db/sync/hlc';
import { openHubStore } from '#server/main';
import type { HubStore } from '#server/store/types';
import { enrolledDevice, hubPlace, type HubEngine } from '../helpers/hub';
import { organization } from '../helpers/hub-fixtures';
import { deriveRowState } from '../helpers/hub-row-state';
import { spawnHub } from '../helpers/hub-process';

/** A product as a device writes it: twenty columns (values as their JSON text). */
const COLUMNS: readonly [string, string | null][] = [
  ['auto_renew', '1'],
  ['billing_address_id', 'null'],
  ['billing_frequency', '"monthly"'],
  ['created_at', '"2026-01-05T10:00:00.000Z"'],
  ['currency', '"CHF"'],
  ['deleted_at', 'null'],
  ['description', '"Hébergement web, 10 Go, certificat inclus"'],
  ['discount_bp', 'null'],
  ['ended_on', 'null'],
  ['external_ref', 'null'],
  ['kind', '"web_hosting"'],
  ['name', null],
  ['next_renewal_on', '"2027-02-05"'],
  ['notes', '""'],
  ['organization_id', null],
  ['public_price_minor', '1500'],
  ['quantity', '1'],
  ['started_on', '"2026-02-05"'],
  ['status', '"active"'],
  ['updated_at', '"2026-01-05T10:00:00.000Z"'],
];

const HLC = formatHlc({ wallMs: Date.parse('2026-01-05T10:00:00Z'), counter: 0, deviceId: 'bench-device' });

/** `rows` products of `org` as the hub would hold them after their pushes. */
export async function seed(store: HubStore, org: string, rows: number): Promise<void> {
  const pg = store.engine === 'postgres';
  const series = pg
    ? `SELECT i FROM generate_series(1, ${rows}) AS s(i)`
    : `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows}) SELECT i FROM s`;
  const id = pg ? `'snap-' || lpad(CAST(i AS text), 8, '0')` : `'snap-' || printf('%08d', i)`;
  const columns = COLUMNS.map(
    ([c, v]) =>
      `SELECT '${c}' AS c, ${c === 'organization_id' ? `'${JSON.stringify(org)}'` : v === null ? 'NULL' : `'${v}'`} AS v`,
  ).join(' UNION ALL ');
  await store.write(async (sql) => {
    await sql.run(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq)
       SELECT 'products', ${id}, ?, NULL, NULL, NULL, NULL, NULL, 1, i FROM (${series}) AS n`,
      [org],
    );
    // Per row, its twenty fields (the name its own); `i` is every row's number in both stores.
    await sql.run(
      `INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq)
       SELECT 'products', ${id}, f.c, CASE WHEN f.c = 'name' THEN '"p' || i || '.ch"' ELSE f.v END, '${HLC}', i
       FROM (${series}) AS n CROSS JOIN (${columns}) AS f`,
    );
  });
  // Each row's JSON state, derived as migration 006 derives it for a hub's existing rows.
  await deriveRowState(store, "r.table_name = 'products'");
  // Statistics as autovacuum would soon gather them: without, PostgreSQL plans these freshly
  // filled tables as empty ones.
  if (pg) await store.read(async (sql) => sql.run('ANALYZE hub_rows, hub_fields'));
}

/** Reads every page of the NDJSON snapshot, counting row lines; the rows are not parsed. */
export async function readAll(url: string, token: string): Promise<number> {
  let n = 0;
  let after: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '1000000', maxBytes: String(64 * 1024 * 1024) });
    if (after) q.set('after', after);
    const r = await fetch(`${url}/v1/sync/snapshot?${q}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' },
    });
    if (!r.ok || !r.body) throw new Error(`snapshot ${r.status}`);
    // Newlines counted by indexOf (memchr) and only the last bytes kept: the client's cost stays
    // small next to the hub's, as a device's would be spent applying rows, not finding them.
    let lines = 0;
    let tail: Buffer = Buffer.alloc(0);
    for await (const chunk of r.body) {
      const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let at = piece.indexOf(10); at >= 0; at = piece.indexOf(10, at + 1)) lines++;
      tail = Buffer.concat([tail, piece.subarray(Math.max(0, piece.length - 4096))]).subarray(-4096);
    }
    n += lines - 2;
    const end = JSON.parse(tail.toString('utf8').trimEnd().split('\n').at(-1) ?? '{}') as {
      next?: string | null;
    };
    after = end.next ?? null;
  } while (after);
  return n;
}

/** The other raw baseline: every row's JSON state by keyset pages of hub_rows, no scope, no HTTP. */
async function rawStateScan(store: HubStore): Promise<number> {
  let n = 0;
  let after = '';
  for (;;) {
    const got = await store.read((sql) =>
      sql.all<{ row_id: string; fields_json: string | null }>(
        "SELECT row_id, fields_json FROM hub_rows WHERE table_name = 'products' AND row_id > ? ORDER BY row_id LIMIT 500",
        [after],
      ),
    );
    n += got.length;
    const last = got.at(-1);
    if (!last || got.length < 500) return n;
    after = last.row_id;
  }
}

/** The raw baseline: every field of the table by keyset pages, no join, no scope. */
async function rawScan(store: HubStore): Promise<number> {
  let n = 0;
  let at = { row: '', column: '' };
  // The key's first two columns as the index's start (both engines seek there); a row value
  // over (table, row, column) made PostgreSQL 15 scan from the table's first row on every page.
  const after = "table_name = 'products' AND row_id >= ? AND (row_id > ? OR column_name > ?)";
  for (;;) {
    const got = await store.read((sql) =>
      sql.all<{ row_id: string; column_name: string }>(
        `SELECT row_id, column_name, value, hlc, seq FROM hub_fields
         WHERE ${after}
         ORDER BY row_id, column_name LIMIT 4000`,
        [at.row, at.row, at.column],
      ),
    );
    n += got.length;
    const last = got.at(-1);
    if (!last || got.length < 4000) return n / COLUMNS.length;
    at = { row: last.row_id, column: last.column_name };
  }
}

export async function snapshotServing(engine: HubEngine, rows: number): Promise<Record<string, number>> {
  const place = await hubPlace(engine);
  const store = await openHubStore(place);
  try {
    const hub = await spawnHub(place);
    try {
      const device = await enrolledDevice(hub.url, 'bench');
      const org = `org-snap-${device.id}`;
      await device.push(organization(device, org));
      await seed(store, org, rows);
      // The wall is three processes' on a shared machine: the hub, the database's backends
      // (PostgreSQL) and this reader (its socket reads: the kernel's copy of every byte). Each
      // one's CPU says which of them the wall waited for; the hub's alone is the goal's.
      const database = place.postgresUrl ? new pg.Client({ connectionString: place.postgresUrl }) : null;
      await database?.connect();
      // A hub process serves many snapshots: the goal's figures are of a read after its first,
      // which also pays for the process's warm-up (its code compiled as it first runs, the
      // store's caches filled) and is printed apart.
      const first0 = cpuSeconds(hub.child.pid!);
      let t = performance.now();
      const servedFirst = await readAll(hub.url, device.token);
      const firstSeconds = (performance.now() - t) / 1000;
      const firstCpu = cpuSeconds(hub.child.pid!) - first0;
      const db0 = database ? await backendCpuDuring(database) : null;
      const cpu0 = cpuSeconds(hub.child.pid!);
      const own0 = ownCpuSeconds();
      t = performance.now();
      const served = await readAll(hub.url, device.token);
      const seconds = (performance.now() - t) / 1000;
      const hubCpu = cpuSeconds(hub.child.pid!) - cpu0;
      const readerCpu = ownCpuSeconds() - own0;
      const databaseCpu = db0 ? await db0.stop() : null;
      await database?.end();
      t = performance.now();
      const raw = await rawScan(store);
      const rawSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const rawStates = await rawStateScan(store);
      const rawStateSeconds = (performance.now() - t) / 1000;
      // The same snapshot with every row's state folded from hub_fields as it is read (how
      // the hub served before migration 006, and still serves a row never derived).
      await store.write((sql) => sql.run('UPDATE hub_rows SET fields_json = NULL'));
      const cpu1 = cpuSeconds(hub.child.pid!);
      t = performance.now();
      const servedFolded = await readAll(hub.url, device.token);
      const foldedSeconds = (performance.now() - t) / 1000;
      const foldedCpu = cpuSeconds(hub.child.pid!) - cpu1;
      if (
        served !== rows + 1 ||
        servedFirst !== served ||
        servedFolded !== served ||
        raw !== rows ||
        rawStates !== rows
      )
        throw new Error(
          `served ${served} (${servedFolded} folded), raw ${raw}/${rawStates}, expected ${rows}`,
        );
      return {
        rows: served,
        firstReadRowsPerSecond: Math.round(servedFirst / firstSeconds),
        firstReadHubCpuSeconds: Math.round(firstCpu * 100) / 100,
        seconds: Math.round(seconds * 100) / 100,
        rowsPerSecond: Math.round(served / seconds),
        hubCpuSeconds: Math.round(hubCpu * 100) / 100,
        rowsPerHubCpuSecond: Math.round(served / Math.max(hubCpu, 0.01)),
        readerCpuSeconds: Math.round(readerCpu * 100) / 100,
        ...(databaseCpu === null ? {} : { databaseCpuSeconds: Math.round(databaseCpu * 100) / 100 }),
        foldedOnReadRowsPerSecond: Math.round(servedFolded / foldedSeconds),
        foldedOnReadRowsPerHubCpuSecond: Math.round(servedFolded / Math.max(foldedCpu, 0.01)),
        rawSeconds: Math.round(rawSeconds * 100) / 100,
        rawRowsPerSecond: Math.round(raw / rawSeconds),
        rawStateRowsPerSecond: Math.round(rawStates / rawStateSeconds),
        goalRowsPerSecond: 100_000,
      };
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  } finally {
    await store.close();
    await place.cleanup();
  }
}
