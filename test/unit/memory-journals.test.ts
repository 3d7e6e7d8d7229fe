// A bulk write keeps SQLite's temporary journals in memory while it runs (db/memory-journals.ts:
// a savepoint per invoice spilled to a temporary file), and only while it runs: afterwards, and
// after a failure, temp_store is what it was, so a large sort elsewhere still spills to disk.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withMemoryJournals } from '#db/memory-journals';

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
const tempStore = (db: Database.Database) => db.pragma('temp_store', { simple: true });

describe('withMemoryJournals', () => {
  it('keeps the journals in memory while the write runs, then restores the setting', async () => {
    const db = open();
    db.pragma('temp_store = FILE');
    const during = await withMemoryJournals(db, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return tempStore(db);
    });
    expect(during).toBe(MEMORY);
    expect(tempStore(db)).toBe(1);
  });

  it('restores the setting when the write fails', async () => {
    const db = open();
    await expect(
      withMemoryJournals(db, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(tempStore(db)).toBe(0);
  });

  it("leaves an outer transaction's setting alone", async () => {
    const db = open();
    db.exec('CREATE TABLE t (x)');
    db.exec('BEGIN');
    db.prepare('INSERT INTO t VALUES (1)').run();
    const during = await withMemoryJournals(db, async () => tempStore(db));
    db.exec('COMMIT');
    expect(during).toBe(0);
    expect(tempStore(db)).toBe(0);
  });
});
