import { describe, expect, it } from 'vitest';
import { openHubStore } from '#server/main';
import { HubOlderThanDatabaseError } from '#server/store/migrate';
import { openPostgresStore } from '#server/store/postgres.store';
import { openSqliteStore } from '#server/store/sqlite.store';
import { type HubEngine, hubPlace } from '../helpers/hub';
import { spawnHub } from '../helpers/hub-process';

// Since migration 006 every push keeps each row's JSON state; a hub process older than its
// database would write fields without it and serve stale snapshots silently. Such a process
// refuses to start, and the database stays as the newer hub left it.

const FUTURE = '999_from_a_newer_hub.sql';

describe.each<HubEngine>(['sqlite', 'postgres'])('a hub older than its database, on %s', (engine) => {
  it('refuses to start, as a store and as `kontor hub serve`, and changes nothing', async () => {
    const place = await hubPlace(engine);
    try {
      const store = await openHubStore(place);
      await store.write((sql) =>
        sql.run('INSERT INTO hub_migrations (name, applied_at) VALUES (?, ?)', [FUTURE, 'later']),
      );
      const before = await store.read((sql) =>
        sql.all<{ name: string }>('SELECT name FROM hub_migrations ORDER BY name'),
      );
      await store.close();

      const refused = await openHubStore(place).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(HubOlderThanDatabaseError);
      expect((refused as HubOlderThanDatabaseError).unknown).toEqual([FUTURE]);

      const started = await spawnHub(place).then(
        async (hub) => {
          hub.child.kill('SIGKILL');
          await hub.exited;
          return hub.url;
        },
        (error: Error) => error,
      );
      expect(started).toBeInstanceOf(Error);
      expect(String(started)).toMatch(/older than its database.*999_from_a_newer_hub\.sql/s);

      // Opened without migrating, the database is as the newer hub left it.
      const raw = place.postgresUrl ? openPostgresStore(place.postgresUrl) : openSqliteStore(place.dataDir!);
      try {
        const after = await raw.read((sql) =>
          sql.all<{ name: string }>('SELECT name FROM hub_migrations ORDER BY name'),
        );
        expect(after).toEqual(before);
      } finally {
        await raw.close();
      }
    } finally {
      await place.cleanup();
    }
  });
});
