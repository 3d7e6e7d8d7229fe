import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubStore } from '#server/main';
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
});
