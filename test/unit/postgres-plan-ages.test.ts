import { expect, it } from 'vitest';
import { ANALYZED_TABLES, PlanAges } from '#server/store/postgres-plans';

// A push connection is closed once the hub has more than doubled since it planned
// (server/store/postgres-plans.ts PlanAges; the closing itself: test/integration/hub-plans-renewed).
// The pool's connections open together: renewed at one same size, they all closed within a few
// pushes, each a new backend and its plans made again while the pushes in flight waited.

/** The floors, growing by 100 positions, at which each of 20 connections planned at `at` is due. */
function dueFloors(plans: PlanAges, at: number): number[] {
  const connections = Array.from({ length: 20 }, () => ({}));
  for (const c of connections) expect(plans.outgrown(c, at)).toBe(false);
  const due: number[] = [];
  const open = new Set(connections);
  for (let floor = at; open.size > 0 && floor < 10 * at; floor += 100)
    for (const c of [...open])
      if (plans.outgrown(c, floor)) {
        due.push(floor);
        open.delete(c);
      }
  expect(open.size).toBe(0);
  return due;
}

it('renews a connection only once its hub has more than doubled, by at most three times plus 1,000', () => {
  for (const draw of [() => 0, () => 0.999_999]) {
    const [due] = dueFloors(new PlanAges(null, draw), 5_000);
    expect(due).toBeGreaterThan(2 * 5_000 + 1_000);
    expect(due).toBeLessThanOrEqual(3 * 5_000 + 1_000 + 100);
  }
});

it('does not renew the connections planned together at one same size', () => {
  const due = dueFloors(new PlanAges(null), 5_000);
  const atOnce = Math.max(...[...new Set(due)].map((f) => due.filter((d) => d === f).length));
  // Drawn uniformly over 50 steps of 100 positions (about 16 steps taken, 2 at the busiest):
  // 7 or more at one step, or 8 steps or fewer, came fewer than 1 in 100,000 simulated draws.
  expect(atOnce).toBeLessThan(7);
  expect(new Set(due).size).toBeGreaterThan(8);
});

it('has the tables analyzed before any connection comes due, one ANALYZE at a time, and renews no connection planned before it', async () => {
  const asked: string[] = [];
  const pending: (() => void)[] = [];
  const plans = new PlanAges((text) => {
    asked.push(text);
    return new Promise<void>((resolve) => pending.push(resolve));
  });
  const old = {};
  expect(plans.outgrown(old, 5_000)).toBe(false);
  expect(plans.outgrown(old, 8_500)).toBe(false);
  expect(asked).toEqual([]);
  // Past 1.5 times the first floor plus 1,000 (a connection planned there is due past twice):
  // the ANALYZE starts, and no other while it runs.
  expect(plans.outgrown(old, 8_501)).toBe(false);
  expect(plans.outgrown({}, 11_000)).toBe(false);
  expect(asked).toEqual([`ANALYZE ${ANALYZED_TABLES}`]);
  // Past its due (twice 5,000, to three times, plus 1,000), not closed while the ANALYZE runs.
  expect(plans.outgrown(old, 16_001)).toBe(false);
  pending[0]!();
  await new Promise((r) => setTimeout(r, 0));
  // Planned at 5,000 (due by 16,000 at the latest), its plans made again at 8,501.
  expect(plans.outgrown(old, 16_001)).toBe(false);
  expect(asked).toHaveLength(2);
  pending[1]!();
  await new Promise((r) => setTimeout(r, 0));
  // Analyzed again at 16,001: due past twice that (to three times), plus 1,000.
  expect(plans.outgrown(old, 2 * 16_001 + 1_000)).toBe(false);
  // (That push started the next ANALYZE, past 1.5 times 16,001: done, at 33,002.)
  expect(asked).toHaveLength(3);
  pending[2]!();
  await new Promise((r) => setTimeout(r, 0));
  expect(plans.outgrown(old, 3 * 33_002 + 1_001)).toBe(true);
});

it('renews the connections come due when the ANALYZE fails', async () => {
  let fail: (e: Error) => void = () => undefined;
  const plans = new PlanAges(
    () =>
      new Promise<void>((_, reject) => {
        fail = reject;
      }),
  );
  const old = {};
  expect(plans.outgrown(old, 5_000)).toBe(false);
  expect(plans.outgrown(old, 8_501)).toBe(false);
  expect(plans.outgrown(old, 16_001)).toBe(false);
  fail(new Error('must be owner of table hub_rows'));
  await new Promise((r) => setTimeout(r, 0));
  expect(plans.outgrown(old, 16_001)).toBe(true);
});
