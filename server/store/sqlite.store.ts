import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HubStore, Opened, Positions, Sql, SqlRow, SqlValue } from './types';

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
    engine: 'sqlite',
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
    // One writer at a time, and reads wait their turn in the same queue: the counter is
    // always settled when anyone reads it.
    async settledHead() {
      const r = prepare("SELECT value FROM hub_counters WHERE name = 'seq'").get() as
        | { value: number }
        | undefined;
      return Number(r?.value ?? 0);
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  const write = <T>(fn: (s: Sql) => Promise<T>): Promise<T> => {
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
  };
  return {
    engine: 'sqlite',
    forUpdate: '',
    inSet: '(SELECT value FROM json_each(?))',
    // The fields come in primary-key order (table, row, column): the object is sorted by column.
    // NULL for a row without fields, as HubStore.fieldsJson says (json_group_object of no rows is
    // `{}`: a snapshot sent such a row with no fields where PostgreSQL's json_object_agg sent none).
    fieldsJson:
      '(SELECT CASE WHEN count(*) > 0 THEN json_group_object(f.column_name, json_array(f.value, f.hlc)) END FROM hub_fields f WHERE f.table_name = r.table_name AND f.row_id = r.row_id)',
    read<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
      const next = queue.then(() => fn(sql));
      queue = next.catch(() => undefined);
      return next;
    },
    write,
    // Single writer: positions are the counter's next values, contiguous, the counter set to
    // the last one in the same transaction (a rolled-back push leaves no gap). No opening: the
    // push's statements cost no round trip here, applyPush runs them itself.
    push<T>(fn: (s: Sql, positions: Positions, opened: Opened | null) => Promise<T>): Promise<T> {
      return write(async (s) => {
        const start = await s.settledHead();
        const positions = { last: start, next: async () => ++positions.last };
        const result = await fn(s, positions, null);
        const last = positions.last;
        if (last !== start) await s.run("UPDATE hub_counters SET value = ? WHERE name = 'seq'", [last]);
        return result;
      });
    },
    async close() {
      await queue;
      db.close();
    },
  };
}
