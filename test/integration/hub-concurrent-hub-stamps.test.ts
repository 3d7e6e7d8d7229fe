import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningHub, startHub } from '#server/main';
import { ADMIN_TOKEN, enrolledDevice, freshPostgresDatabase, type TestDevice } from '../helpers/hub';
import { defaultAddress, organization } from '../helpers/hub-fixtures';
import { rowStates } from '../helpers/hub-row-state';

// Found by test/integration/hub-row-state.test.ts on PostgreSQL (a 500 now and then): two
// pushes at once each gave one organization a new default billing address, so each took the
// default from the same older address with a write of the hub's own — stamped by the hub's
// clock with its per-batch counter, the same change in both (table, row, column, HLC). The
// second to commit broke hub_log's unique key and answered 500. A unique violation is now a
// race lost, retried like a serialization failure: run again, the push reads the address
// already cleared and writes nothing. The overlap is forced, not hoped for: a session of the
// test holds the older address's field locked until both pushes wait on a lock.

const db = await freshPostgresDatabase();
const NOW = Date.now();
let hub: RunningHub;
let a: TestDevice;
let b: TestDevice;
beforeAll(async () => {
  // One instant for every hub stamp: the two pushes' clearing writes are the same change.
  hub = await startHub({ postgresUrl: db.url, adminToken: ADMIN_TOKEN, clock: () => NOW, log: false });
  a = await enrolledDevice(hub.url, 'ana');
  b = await enrolledDevice(hub.url, 'ana');
  await a.push([...organization(a, 'org-d'), ...defaultAddress(a, 'addr-old', 'org-d')]);
}, 60_000);
afterAll(async () => {
  await hub?.close();
  await db.drop();
});

it('two pushes taking the default from one address at once both apply (PostgreSQL)', async () => {
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(
      "SELECT 1 FROM hub_fields WHERE table_name = 'billing_addresses' AND row_id = 'addr-old' AND column_name = 'is_default' FOR UPDATE",
    );
    const pushes = [a.push(defaultAddress(a, 'addr-a', 'org-d')), b.push(defaultAddress(b, 'addr-b', 'org-d'))];
    // Both decided against the same stored state: one waits on the held field, the other on it.
    for (let waited = 0; ; waited += 20) {
      const r = await holder.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (Number(r.rows[0]?.n) >= 2) break;
      if (waited > 30_000) throw new Error('the two pushes never waited together');
      await new Promise((r) => setTimeout(r, 20));
    }
    await holder.query('ROLLBACK');
    const answers = await Promise.all(pushes);
    for (const answer of answers) expect(answer.results.map((r) => r.outcome)).not.toContain('rejected');
  } finally {
    await holder.end();
  }
  // One default left (the choice made last), every row's state its fields' fold.
  const { folded, state } = await rowStates(hub.store);
  const defaults = [...folded].filter(
    ([k, f]) => k.startsWith('billing_addresses/') && f.is_default?.[0] === 'true',
  );
  expect(defaults.map(([k]) => k)).toHaveLength(1);
  for (const [k, fields] of folded) expect(state.get(k), k).toEqual(fields);
}, 60_000);
