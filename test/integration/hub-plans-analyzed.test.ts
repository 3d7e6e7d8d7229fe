import { expect, it } from 'vitest';
import { enrolledDevice, usePostgresHubWithClient } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// A young hub's tables have no statistics (autovacuum comes a minute or more later): a push's
// generic plans made then may read the batch's rows or fields by `table_name` alone, its ids a
// filter — every row of the table, a cost that grows with the hub. Once the hub has doubled, the
// hub has the tables analyzed itself (server/store/postgres-plans.ts PlanAges): every
// connection's prepared statements are planned again with statistics, by both key columns.

const pgHub = usePostgresHubWithClient();

/** The generic plans of the push's reads of a batch's rows and fields (server/sync/push-store.ts lockAndRead). */
async function batchReadPlans(): Promise<string> {
  await pgHub.db.query('SET plan_cache_mode = force_generic_plan');
  await pgHub.db.query('DEALLOCATE ALL');
  const plans: string[] = [];
  for (const [name, read] of [
    ['rows_read', 'SELECT row_id FROM hub_rows WHERE table_name = $1 AND row_id = ANY($2::text[]) ORDER BY row_id'],
    ['fields_read', 'SELECT row_id, column_name, value FROM hub_fields WHERE table_name = $1 AND row_id = ANY($2::text[])'],
  ]) {
    await pgHub.db.query(`PREPARE ${name}(text, text[]) AS ${read}`);
    const r = await pgHub.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${name}('products', ARRAY['p-1', 'p-2'])`);
    plans.push(...r.rows.map((row) => row['QUERY PLAN']));
  }
  return plans.join('\n');
}

const analyzed = async () =>
  (
    await pgHub.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE relname IN ('hub_rows', 'hub_fields', 'hub_user_orgs') AND analyze_count + autoanalyze_count > 0",
    )
  ).rows[0]!.n;

it('has its tables analyzed once it has doubled: the fields of a batch are read by both key columns', async () => {
  const d = await enrolledDevice(pgHub.hub.url, 'grower');
  await d.push(organization(d, 'org-grow'));
  await d.push(Array.from({ length: 1250 }, (_, i) => product(d, `p-${i}`, 'org-grow')).flat());
  // No statistics yet: autovacuum has not come.
  expect(await analyzed()).toBe(0);
  // The next push begins on a hub far more than twice the size the process first saw.
  await d.push(product(d, 'p-after', 'org-grow'));
  for (let waited = 0; waited < 5_000 && (await analyzed()) < 3; waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  expect(await analyzed()).toBe(3);
  const both = /Index (Only )?Scan using hub_\w+_pkey[^\n]*\n\s*Index Cond: \(\(table_name = \$1\) AND \(row_id = ANY \(\$2\)\)\)/g;
  expect((await batchReadPlans()).match(both)).toHaveLength(2);
  const answer = await d.push(product(d, 'p-next', 'org-grow'));
  expect(answer.results.every((r) => r.outcome === 'applied')).toBe(true);
});
