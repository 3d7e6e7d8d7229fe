import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubStore } from '#server/main';
import { copyReader } from '#server/store/postgres-copy';
import type { HubStore } from '#server/store/types';
import { hubPlace } from '../helpers/hub';

// PostgreSQL's snapshot lines come through a binary COPY (server/store/postgres-copy.ts), read
// here from a real server: the bytes as the SELECT made them, each line followed by a newline.
// A database that refuses binary COPY TO with feature_not_supported (CockroachDB 23.1 does)
// must still serve snapshots: the store stops asking and the scan reads as on SQLite. A query
// PostgreSQL refuses with that same code (COPY of a SELECT INTO) stands in for such a database.

describe('Sql.copyLines on PostgreSQL', () => {
  let place: Awaited<ReturnType<typeof hubPlace>>;
  let store: HubStore;
  beforeAll(async () => {
    place = await hubPlace('postgres');
    store = await openHubStore(place);
  });
  afterAll(async () => {
    await store?.close();
    await place?.cleanup();
  });

  const lines = (text: string, params: string[] = []) =>
    store.read(async (sql) => {
      if (!sql.copyLines) throw new Error('the PostgreSQL store reads lines by COPY');
      return sql.copyLines(text, params);
    });

  it('gives the lines as bytes, keys decoded, a NULL line sending nothing', async () => {
    const got = await lines(
      `SELECT k, l FROM (VALUES ('b', ? || 'é日本😀'), ('a"\\', NULL), ('c', '{}')) AS v(k, l) ORDER BY k DESC`,
      ["it's \\ ? "],
    );
    const b = "it's \\ ? é日本😀\n";
    expect(got?.lines.toString()).toBe(`{}\n${b}`);
    expect(got?.keys).toEqual(['c', 'b', 'a"\\']);
    expect([...(got?.ends ?? [])]).toEqual([3, 3 + Buffer.byteLength(b), 3 + Buffer.byteLength(b)]);
  });

  it('a failing COPY throws and leaves the store reading', async () => {
    await expect(lines('SELECT no_such_column, 1')).rejects.toThrow(/no_such_column/);
    expect((await lines("SELECT 'k', 'line'"))?.lines.toString()).toBe('line\n');
  });

  it('a database refusing binary COPY: null, then null for good, and ordinary reads still work', async () => {
    expect(await lines("SELECT 'k' AS k, 'line' AS l INTO TEMP copy_refused")).toBeNull();
    expect(await lines("SELECT 'k', 'line'")).toBeNull();
    expect(await store.read((sql) => sql.all<{ n: number }>('SELECT 1 AS n'))).toEqual([{ n: 1 }]);
  });

  it('runs without JIT, the setting gone with the statement (one connection, asked again after)', async () => {
    const pool = new pg.Pool({ connectionString: place.postgresUrl, max: 1 });
    try {
      const got = await copyReader(pool)("SELECT 'k', current_setting('jit')", []);
      expect(got?.lines.toString()).toBe('off\n');
      expect((await pool.query<{ jit: string }>('SHOW jit')).rows[0]?.jit).toBe('on');
    } finally {
      await pool.end();
    }
  });

  it('a database without the setting turned off gets the COPY alone, from then on', async () => {
    const pool = new pg.Pool({ connectionString: place.postgresUrl, max: 1 });
    const sent: string[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (q: { text: string }) => unknown;
      (client as unknown as { query: (q: { text: string }) => unknown }).query = (q) => {
        sent.push(q.text);
        return query(q);
      };
    });
    try {
      const read = copyReader(pool, 'no_such_setting');
      expect((await read("SELECT 'k', 'one'", []))?.lines.toString()).toBe('one\n');
      expect((await read("SELECT 'k', 'two'", []))?.lines.toString()).toBe('two\n');
      expect(sent.map((t) => t.startsWith('SET LOCAL no_such_setting = off; COPY'))).toEqual([
        true,
        false,
        false,
      ]);
    } finally {
      await pool.end();
    }
  });
});
