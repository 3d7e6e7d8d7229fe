import { expect, it } from 'vitest';
import { enrolledDevice, usePostgresHubWithClient } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// A push's statements run generic plans made once per connection (server/store/postgres-plans.ts
// `PlanAges`): planned on a nearly empty hub they would scan what has grown since (PostgreSQL
// keeps them until an ANALYZE). A connection whose hub has more than doubled since its first push
// is closed when that push ends, and the next push plans on a new one against the hub as it is.

const pgHub = usePostgresHubWithClient();

/** The hub's connections to its database (backend pids), this test's own left out. */
const backends = async () =>
  new Set(
    (
      await pgHub.db.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r) => r.pid),
  );

it('closes the connection of a push whose hub has more than doubled since it planned', async () => {
  const d = await enrolledDevice(pgHub.hub.url, 'grower');
  await d.push(organization(d, 'org-grow'));
  // 1,250 products (10,000 positions), begun while the hub was small: its connection stays.
  await d.push(Array.from({ length: 1250 }, (_, i) => product(d, `p-${i}`, 'org-grow')).flat());
  const grown = await backends();
  expect(grown.size).toBeGreaterThan(0);
  // The next push begins on a hub far more than twice the size its connection planned at.
  await d.push(product(d, 'p-after', 'org-grow'));
  let closed = false;
  for (let waited = 0; waited < 3_000 && !closed; waited += 50) {
    const now = await backends();
    closed = [...grown].some((pid) => !now.has(pid));
    if (!closed) await new Promise((r) => setTimeout(r, 50));
  }
  expect(closed).toBe(true);
  // And the hub goes on: the next push opens a connection of its own.
  const answer = await d.push(product(d, 'p-next', 'org-grow'));
  expect(answer.results.every((r) => r.outcome === 'applied')).toBe(true);
});
