import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { executable, preparedUnknown, runInlined } from '#server/store/postgres-inline';
import { freshPostgresDatabase } from '../helpers/hub';

// A push's statements travel as EXECUTEs of statements prepared on their connection, each
// PREPAREd in the same text the first time that connection runs it (server/store/postgres-inline.ts):
// no round trip of its own. Which are prepared must stay known: a failed query leaves it unknown
// (a PREPARE outlives a rollback, one after the failing statement never ran), and the store then
// closes the connection.

let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
const clients: pg.Client[] = [];
beforeAll(async () => {
  db = await freshPostgresDatabase();
});
afterAll(async () => {
  for (const c of clients) await c.end();
  await db?.drop();
});
async function connection(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  clients.push(c);
  return c;
}

const plus = { text: 'SELECT CAST(? AS int) + 1 AS n', params: [41] };

it('prepares a statement in the query that first runs it, once per connection', async () => {
  const c = await connection();
  const first = executable(c, plus)!;
  expect(first.startsWith('PREPARE ')).toBe(true);
  // The same text again in the same query: only its EXECUTE (it runs after the PREPARE).
  const again = executable(c, { ...plus, params: [1] })!;
  expect(again.startsWith('EXECUTE ')).toBe(true);
  const results = await runInlined(c, [first, again, 'SELECT 7 AS n']);
  expect(results.map((r) => r.rows[0].n)).toEqual([42, 2, 7]);
  expect((await runInlined(c, [executable(c, plus)!, 'SELECT 1']))[0]!.rows[0].n).toBe(42);
  expect(preparedUnknown(c)).toBe(false);
  // Another connection prepares it for itself.
  const other = await connection();
  expect(executable(other, plus)!.startsWith('PREPARE ')).toBe(true);
});

it('marks a connection whose query carrying PREPAREs failed, and only then', async () => {
  const c = await connection();
  await expect(runInlined(c, [executable(c, plus)!, 'SELECT 1 / 0', 'SELECT 2'])).rejects.toMatchObject({
    code: '22012',
  });
  expect(preparedUnknown(c)).toBe(true);
  const known = await connection();
  await runInlined(known, [executable(known, plus)!, 'SELECT 1']);
  await expect(runInlined(known, [executable(known, plus)!, 'SELECT 1 / 0'])).rejects.toMatchObject({
    code: '22012',
  });
  expect(preparedUnknown(known)).toBe(false);
});
