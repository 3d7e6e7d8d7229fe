// A long write runs with its own connection settings (db/bulk-settings.ts: SQLite's temporary
// journals in memory — a savepoint per invoice spilled to a temporary file —, a larger cache, a
// later checkpoint) and only while it runs: afterwards, and after a failure, the connection has
// its own again, so a large sort elsewhere still spills to disk.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withBulkSettings } from '#db/bulk-settings';

const MEMORY = 2;
const dbs: Database.Database[] = [];
const open = () => {
  const db = new Database(':memory:');
  dbs.push(db);
  return db;
};
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
const settings = (db: Database.Database) => ({
  tempStore: db.pragma('temp_store', { simple: true }),
  cacheSize: db.pragma('cache_size', { simple: true }),
  checkpoint: db.pragma('wal_autocheckpoint', { simple: true }),
});

describe('withBulkSettings', () => {
  it('holds the journals in memory, a larger cache and a later checkpoint while the write runs', async () => {
    const db = open();
    db.pragma('temp_store = FILE');
    db.pragma('cache_size = -2000');
    const own = settings(db);
    const during = await withBulkSettings(db, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return settings(db);
    });
    expect(during).toEqual({ tempStore: MEMORY, cacheSize: -32_768, checkpoint: 4_000 });
    expect(settings(db)).toEqual(own);
  });

  it('never lowers what the connection already has', async () => {
    const db = open();
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 0');
    const during = await withBulkSettings(db, async () => settings(db));
    expect(during).toMatchObject({ cacheSize: -65_536, checkpoint: 0 });
  });

  it('restores them when the write fails', async () => {
    const db = open();
    const own = settings(db);
    await expect(
      withBulkSettings(db, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(settings(db)).toEqual(own);
  });

  it("leaves an outer transaction's settings alone", async () => {
    const db = open();
    db.exec('CREATE TABLE t (x)');
    db.exec('BEGIN');
    db.prepare('INSERT INTO t VALUES (1)').run();
    const own = settings(db);
    const during = await withBulkSettings(db, async () => settings(db));
    db.exec('COMMIT');
    expect(during).toEqual(own);
  });
});
