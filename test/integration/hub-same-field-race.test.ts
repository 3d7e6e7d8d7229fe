import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WireChange } from '#common/sync/protocol';
import { formatHlc } from '#db/sync/hlc';
import { applyPush, type PushingDevice } from '#server/sync/push';
import { enrolledDevice, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// Two pushes writing one field of one stored row at once on PostgreSQL (no global lock):
// last writer wins by stamp, whichever commits last. The push with the newer stamp holds its
// transaction open after applying; the one with the older stamp starts meanwhile and must wait
// for it (server/sync/push-store.ts lockAndRead) and then lose. Before the fix both judged
// against the state before the other, the older one committed last and stayed: the hub held an
// older write than one it had acknowledged, and the newer one, sent again, was taken for new
// and failed the push on hub_log's unique key (a 500 seen in hub-row-state's random walk).

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('postgres');
});
afterAll(async () => {
  await hub?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('keeps the newer write of a field two pushes write at once, whichever commits last', async () => {
  const ana = await enrolledDevice(hub.url, 'firm');
  const bea = await enrolledDevice(hub.url, 'firm');
  await ana.push([...organization(ana, 'org-a'), ...product(ana, 'p-1', 'org-a')]);
  const identity = await hub.store.read((sql) =>
    sql.all<{ id: string; user_id: string; series_code: string }>(
      'SELECT id, user_id, series_code FROM hub_devices',
    ),
  );
  const pushing = (d: TestDevice): PushingDevice => {
    const row = identity.find((r) => r.id === d.id)!;
    return { id: row.id, userId: row.user_id, seriesCode: row.series_code };
  };
  const now = Date.now();
  const older: WireChange = {
    table: 'products',
    rowId: 'p-1',
    column: 'name',
    value: '"older"',
    hlc: formatHlc({ wallMs: now, counter: 0, deviceId: bea.id }),
  };
  const newer: WireChange = {
    table: 'products',
    rowId: 'p-1',
    column: 'name',
    value: '"newer"',
    hlc: formatHlc({ wallMs: now, counter: 1, deviceId: ana.id }),
  };
  const apply = (d: TestDevice, change: WireChange, hold?: () => Promise<void>) =>
    hub.store.push(async (sql, positions) => {
      const { response } = await applyPush(
        sql,
        hub.store.forUpdate,
        positions,
        pushing(d),
        { deviceId: d.id, batchId: crypto.randomUUID(), schemaVersion: 1, changes: [change] },
        now,
      );
      await hold?.(); // The transaction stays open (its writes and locks held) until then.
      return response.results[0]!.outcome;
    });

  let olderStarted = false;
  const newerPush = apply(ana, newer, async () => {
    // Held until the older push is blocked on a lock in the database: it has started and met
    // this one's row (before the fix it met it only at its own write, already decided).
    for (let waited = 0; ; waited += 10) {
      const blocked = await hub.store.read((sql) =>
        sql.all<{ n: number }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        ),
      );
      if (olderStarted && Number(blocked[0]!.n) > 0) return;
      if (waited > 20_000) throw new Error('the older push never waited for the newer one');
      await sleep(10);
    }
  });
  await sleep(50);
  olderStarted = true;
  const olderPush = apply(bea, older);
  expect(await newerPush).toBe('applied');
  expect(await olderPush).toBe('superseded');

  const stored = await hub.store.read((sql) =>
    sql.all<{ value: string; hlc: string }>(
      "SELECT value, hlc FROM hub_fields WHERE table_name = 'products' AND row_id = 'p-1' AND column_name = 'name'",
    ),
  );
  expect(stored).toEqual([{ value: '"newer"', hlc: newer.hlc }]);
  // The newer change sent again (a device retrying with a new batch): known, not new.
  expect((await ana.push([newer])).results[0]!.outcome).toBe('duplicate');
});
