import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PulledChange } from '#common/sync/protocol';
import { currentEpoch, startEpoch } from '#server/sync/epoch';
import { applyPush, type PushingDevice } from '#server/sync/push';
import { enrolledDevice, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// No global lock on PostgreSQL (server/HUB.md "No global lock"). N pushers, each to its own
// organization, hold their transactions open at the same time: each takes an advisory lock
// inside its transaction and waits until pg_locks shows all N held, which no push serialized
// behind another could ever reach. Then they commit after delays that put the transaction with
// the lowest positions last (plus noise), so changes commit out of position order, while a
// reader pages through the hub with a small limit. Every change must reach the reader exactly
// once, in position order, each organization's batches in the order they were pushed.

const PUSHERS = 5;
const ROUNDS = 4;
const PRODUCTS = 3;

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('postgres');
});
afterAll(async () => {
  await hub?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('commits pushes to disjoint organizations concurrently, and a paging reader never skips one', async () => {
  const pushers: TestDevice[] = [];
  for (let i = 0; i < PUSHERS; i++) {
    const d = await enrolledDevice(hub.url, 'firm');
    await d.push(organization(d, `org-${i}`));
    pushers.push(d);
  }
  const reader = await enrolledDevice(hub.url, 'firm');
  const identity = await hub.store.read((sql) =>
    sql.all<{ id: string; user_id: string; series_code: string }>(
      'SELECT id, user_id, series_code FROM hub_devices',
    ),
  );
  const pushing = (d: TestDevice): PushingDevice => {
    const row = identity.find((r) => r.id === d.id)!;
    return { id: row.id, userId: row.user_id, seriesCode: row.series_code };
  };

  const lockClass = crypto.randomInt(1, 2 ** 30);
  let open = 0;
  let pullsWhileOpen = 0;
  /** Reads the reader finished at the head: commits wait until it is caught up, then race it. */
  let caughtUp = 0;
  const readerAtHead = async () => {
    const target = caughtUp + 2;
    while (caughtUp < target) await sleep(2);
  };
  const commits: { round: number; pusher: number; low: number }[] = [];

  /** One round: every pusher's transaction open at once, committed in scrambled order. */
  const round = async (r: number) => {
    const lows: number[] = [];
    const arrived = { n: 0, all: null as null | (() => void) };
    const allArrived = new Promise<void>((resolve) => {
      arrived.all = resolve;
    });
    await Promise.all(
      pushers.map((d, i) =>
        hub.store.push(async (sql, positions) => {
          const changes = Array.from({ length: PRODUCTS }, (_, j) =>
            product(d, `p-${i}-${r}-${j}`, `org-${i}`),
          );
          const { response } = await applyPush(
            sql,
            hub.store.forUpdate,
            positions,
            pushing(d),
            { deviceId: d.id, batchId: crypto.randomUUID(), schemaVersion: 1, changes: changes.flat() },
            Date.now(),
          );
          expect(response.results.every((x) => x.outcome === 'applied')).toBe(true);
          open++;
          // The rendezvous, seen by the database itself: N advisory locks held at once, each
          // taken inside one push's open transaction (released by its commit).
          await sql.all('SELECT pg_advisory_xact_lock(?, ?)', [lockClass, r * 100 + i]);
          for (let waited = 0; ; waited += 10) {
            const held = await sql.all<{ n: number }>(
              `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
                 AND classid = CAST(? AS oid) AND objid BETWEEN ? AND ?`,
              [lockClass, r * 100, r * 100 + PUSHERS - 1],
            );
            if (Number(held[0]!.n) === PUSHERS) break;
            if (waited > 20_000)
              throw new Error(`round ${r}: only ${held[0]!.n} of ${PUSHERS} transactions open at once`);
            await sleep(10);
          }
          lows[i] = Math.min(...response.results.map((x) => x.hubSeq!));
          if (++arrived.n === PUSHERS) {
            await readerAtHead();
            arrived.all!();
          }
          await allArrived;
          // Lowest positions commit last, the reader polling at the head meanwhile; noise on top.
          const rank = [...lows].sort((a, b) => a - b).indexOf(lows[i]!);
          await sleep((PUSHERS - rank) * 30 + crypto.randomInt(0, 25));
          open--;
          commits.push({ round: r, pusher: i, low: lows[i]! });
          return response;
        }),
      ),
    );
  };

  let pushingDone = false;
  const read = async (): Promise<PulledChange[]> => {
    const got: PulledChange[] = [];
    let cursor = 0;
    for (;;) {
      const done = pushingDone; // one last full read after the pushers finished
      for (;;) {
        if (open > 0) pullsWhileOpen++;
        const page = await reader.pull(cursor, 7);
        expect(page.scopeChanged).toBe(false);
        expect(page.cursor).toBeGreaterThanOrEqual(cursor);
        got.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      caughtUp++;
      if (done) return got;
      await sleep(1);
    }
  };

  const reading = read();
  for (let r = 0; r < ROUNDS; r++) await round(r);
  pushingDone = true;
  const got = await reading;

  // Transactions committed out of position order, while the reader was paging.
  const inversions = commits.filter((c, k) =>
    commits.slice(k + 1).some((later) => later.round === c.round && later.low < c.low),
  );
  expect(inversions.length).toBeGreaterThan(0);
  expect(pullsWhileOpen).toBeGreaterThan(0);

  // Every change exactly once, in position order.
  const expected = await hub.store.read((sql) =>
    sql.all<{ seq: number; row_id: string; column_name: string; hlc: string }>(
      'SELECT seq, row_id, column_name, hlc FROM hub_log WHERE device_id <> ? ORDER BY seq',
      [reader.id],
    ),
  );
  const key = (c: { rowId: string; column: string; hlc: string }) =>
    `${c.rowId}\u0000${c.column}\u0000${c.hlc}`;
  const readKeys = got.map(key);
  expect(new Set(readKeys).size).toBe(readKeys.length);
  expect(readKeys.sort()).toEqual(
    expected.map((e) => key({ rowId: e.row_id, column: e.column_name, hlc: e.hlc })).sort(),
  );
  expect(got.length).toBe(PUSHERS * (ROUNDS * PRODUCTS * 8 + 9));
  const seqs = got.map((c) => c.seq);
  expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  // Per organization (its scope), the batches arrive in the order they were pushed.
  for (let i = 0; i < PUSHERS; i++) {
    const rounds = got
      .filter((c) => c.table === 'products' && c.rowId.startsWith(`p-${i}-`))
      .map((c) => Number(c.rowId.split('-')[2]));
    expect(rounds).toHaveLength(ROUNDS * PRODUCTS * 8);
    expect([...rounds].sort((a, b) => a - b)).toEqual(rounds);
  }
}, 120_000);

it('starts one epoch per hub process when several start at once on one database', async () => {
  // Nothing serializes hub starts any more: five at once must each get their own epoch.
  const epochs = await Promise.all(Array.from({ length: 5 }, () => startEpoch(hub.store, Date.now())));
  expect(new Set(epochs.map((e) => e.id)).size).toBe(5);
  const rows = await hub.store.read((sql) =>
    sql.all<{ n: number; id: string }>('SELECT n, id FROM hub_epochs ORDER BY n DESC LIMIT 5'),
  );
  expect(new Set(rows.map((r) => r.id))).toEqual(new Set(epochs.map((e) => e.id)));
  expect((await hub.store.read(currentEpoch))?.id).toBe(rows[0]!.id);
});
