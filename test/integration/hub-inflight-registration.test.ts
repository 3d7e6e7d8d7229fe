import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubStore } from '#server/main';
import type { HubStore } from '#server/store/types';
import { freshPostgresDatabase } from '../helpers/hub';

// A push on PostgreSQL registers in hub_inflight before its transaction and removes the
// registration in its commit (server/HUB.md "No global lock"); both are joined with the BEGIN
// and the COMMIT in one round trip each (server/store/postgres-positions.ts). What that must
// keep: the registration is committed — seen by everyone — while the push is still open, and a
// push whose registration was reaped meanwhile never commits: it rolls back and runs again.

describe('hub_inflight registration on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let store: HubStore;
  let other: pg.Client;
  beforeAll(async () => {
    db = await freshPostgresDatabase();
    store = await openHubStore({ postgresUrl: db.url });
    other = new pg.Client({ connectionString: db.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await store?.close();
    await db?.drop();
  });

  const registrations = async () =>
    Number((await other.query('SELECT count(*) AS n FROM hub_inflight')).rows[0].n);

  it('is visible to other sessions while the push is open, and gone with its commit', async () => {
    let seenDuring = -1;
    const position = await store.push(async (sql, positions) => {
      const p = await positions.next();
      await sql.run("INSERT INTO hub_counters (name, value) VALUES ('probe-visible', ?)", [p]);
      seenDuring = await registrations();
      return p;
    });
    expect(seenDuring).toBe(1);
    expect(await registrations()).toBe(0);
    const stored = await other.query("SELECT value FROM hub_counters WHERE name = 'probe-visible'");
    expect(Number(stored.rows[0].value)).toBe(position);
  });

  it('rolls back a push whose registration was reaped, and runs it again with new positions', async () => {
    const attempts: number[] = [];
    const position = await store.push(async (sql, positions) => {
      const p = await positions.next();
      attempts.push(p);
      await sql.run('INSERT INTO hub_counters (name, value) VALUES (?, ?)', [`probe-${attempts.length}`, p]);
      // A reader took this push for a dead one (HUB.md: the lease) and removed it.
      if (attempts.length === 1) await other.query('DELETE FROM hub_inflight');
      return p;
    });
    expect(attempts).toHaveLength(2);
    expect(position).toBe(attempts[1]);
    expect(attempts[1]).toBeGreaterThan(attempts[0]!);
    const probes = await other.query("SELECT name FROM hub_counters WHERE name LIKE 'probe-_' ORDER BY name");
    expect(probes.rows.map((r) => r.name)).toEqual(['probe-2']);
    expect(await registrations()).toBe(0);
  });
});
