import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HubStore, Sql, SqlRow, SqlValue } from './types';

/**
 * The embedded store: one SQLite file under the data folder, WAL, synchronous=FULL so an
 * acknowledged batch survives a power cut, not only a killed process. One connection serves
 * every request, so reads and write transactions take turns through one queue: a read can
 * never see a transaction in progress, and transactions never interleave.
 */
export function openSqliteStore(dataDir: string): HubStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'hub.sqlite'), { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string) => {
    let st = statements.get(text);
    if (!st) {
      st = db.prepare(text);
      if (statements.size > 500) statements.clear();
      statements.set(text, st);
    }
    return st;
  };
  const sql: Sql = {
    async all<T = SqlRow>(text: string, params: readonly SqlValue[] = []) {
      const st = prepare(text);
      if (!st.reader) {
        st.run(...params);
        return [] as T[];
      }
      return st.all(...params) as T[];
    },
    async run(text: string, params: readonly SqlValue[] = []) {
      return prepare(text).run(...params).changes;
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    engine: 'sqlite',
    forUpdate: '',
    inSet: '(SELECT value FROM json_each(?))',
    read<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
      const next = queue.then(() => fn(sql));
      queue = next.catch(() => undefined);
      return next;
    },
    write<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
      const next = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(sql);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      db.close();
    },
  };
}
