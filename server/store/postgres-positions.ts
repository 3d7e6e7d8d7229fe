import type pg from 'pg';
import { executable, inlinable as inlinableStatement, runInlined } from './postgres-inline';
import type { Opened, Positions, PushOpening, SqlRow } from './types';

// Positions without a global lock on PostgreSQL (HUB.md "No global lock"). A push takes its
// positions from the sequence `hub_seq` (nextval takes no row lock: pushes to disjoint
// organizations commit concurrently). What keeps a pull cursor safe:
//
// 1. Before its transaction, a push registers in `hub_inflight` with `floor_seq`, the
//    sequence's last value, and that registration COMMITS on its own. Every position the push
//    takes afterwards is above its floor (a sequence without a per-session cache only grows).
// 2. The push deletes its registration inside its own transaction, as its last statement: the
//    registration disappears in the very commit that makes its changes visible.
// 3. A reader reads the sequence's last value H first, then (a later statement, a later
//    snapshot) the lowest floor F among registrations; the settled head is min(H, F). A
//    position p ≤ H not yet committed was taken before H was read, so its push had committed
//    its registration before that, and the reader sees the registration (floor < p): p is not
//    served. A rolled-back push never makes its positions visible: they are gaps, not skips.
//
// A hub process that dies leaves its registration behind (the transaction is gone, the
// registration was committed apart). Readers remove registrations whose database session no
// longer exists, or older than LEASE_MS; a push whose registration was removed while it was
// still running finds it gone at its final DELETE and rolls back (retried with new positions),
// so a removal can cost a retry, never a skipped change.

/** A registration older than this is taken for a dead push even if its session seems alive. */
export const LEASE_MS = 120_000;
/** Registrations younger than this are not checked for liveness (the common case: none). */
const CHECK_AFTER_MS = 2_000;

/** The error a push whose registration was reaped throws: retried like a serialization failure. */
export const REAPED = 'KONTOR_INFLIGHT_REAPED';

type Query = Pick<pg.PoolClient, 'query'>;
// Fixed statements are named (prepared once per connection, as in postgres.store.ts).

/**
 * Registers a push on its own connection and opens its transaction, in one round trip: the
 * registration commits on its own (the explicit COMMIT ends the implicit transaction of a
 * multi-statement query), then BEGIN opens the push's. With `opening`, the same round trip
 * goes on inside the push's transaction: the device's row locked, its earlier answer to this
 * batch read (a statement of its own, after the lock was granted: in READ COMMITTED each
 * statement of a multi-statement query takes a new snapshot, so it sees a concurrent push of
 * the same batch that committed meanwhile), the first positions taken, then the batch's own
 * reads (its rows locked and read, who is writing: ./push-opening.ts), each a statement of its
 * own in the same way. A round trip costs the hub and PostgreSQL more CPU than any of these
 * statements (the hub's profile under 100 devices: half its time in socket writes). Values are
 * inlined (a simple query takes no parameters): a UUID of our own, numbers, ids `inlinable`
 * passed, and the reads' parameters as escaped literals (./postgres-inline.ts `executable`).
 */
export async function registerAndBegin(
  client: Query,
  id: string,
  opening?: PushOpening,
): Promise<{ floor: number; opened: Opened | null; first: number[] }> {
  const register = executable(client, {
    text: `INSERT INTO hub_inflight (id, pid, floor_seq, started_at)
     SELECT ?::text, pg_backend_pid(), CASE WHEN is_called THEN last_value ELSE last_value - 1 END, ?::bigint FROM hub_seq
     RETURNING floor_seq`,
    params: [id, Date.now()],
  });
  const open: string[] = [];
  let reads: string[] = [];
  if (opening) {
    const device = opening.deviceId;
    const batch = opening.batchId;
    for (const s of [
      // The device still holds the request's token and is not revoked (a token known to this
      // process from an earlier request is checked here, not in a round trip of its own).
      {
        text: 'SELECT id FROM hub_devices WHERE id = ? AND token_hash = ? AND revoked_at IS NULL FOR UPDATE',
        params: [device, opening.tokenHash],
      },
      {
        text: 'SELECT response FROM hub_batches WHERE device_id = ? AND batch_id = ?',
        params: [device, batch],
      },
      // A replayed batch takes no position (the head does not move for a batch answered again),
      // nor does a push whose token was refused by the lock above.
      {
        text: "SELECT nextval('hub_seq') AS n FROM generate_series(1, ?::int) WHERE NOT EXISTS (SELECT 1 FROM hub_batches WHERE device_id = ? AND batch_id = ?) AND EXISTS (SELECT 1 FROM hub_devices WHERE id = ? AND token_hash = ? AND revoked_at IS NULL)",
        params: [chunkFor(opening.positions), device, batch, device, opening.tokenHash],
      },
    ])
      open.push(executable(client, s)!);
    // Reads whose values cannot be inlined (a NUL) are left to the caller, all of them.
    if (opening.reads.every(inlinableStatement)) reads = opening.reads.map((s) => executable(client, s)!);
  }
  // The push's statements take their prepared (generic) plans: left to choose, PostgreSQL kept
  // planning several anew on every push (the positions' generate_series, the scope's reads),
  // as much CPU as running them. Each is a key lookup, an index read over the batch's ids or
  // the user's links, or the write: one plan serves every push (server/HUB.md).
  const head = [register!, 'COMMIT', 'BEGIN', 'SET LOCAL plan_cache_mode = force_generic_plan'];
  const results = await runInlined(client, [...head, ...open, ...reads]);
  const floor = Number(results[0]!.rows[0]!.floor_seq);
  if (!opening) return { floor, opened: null, first: [] };
  const at = head.length;
  const stored = results[at + 1]!.rows[0] as { response: string } | undefined;
  return {
    floor,
    opened: {
      deviceId: opening.deviceId,
      batchId: opening.batchId,
      stored: stored?.response ?? null,
      deviceHeld: results[at]!.rows.length > 0,
      reads:
        opening.reads.length > 0 && reads.length === opening.reads.length
          ? results.slice(at + 3).map((r) => r.rows as SqlRow[])
          : null,
    },
    first: results[at + 2]!.rows.map((r: { n: number }) => Number(r.n)),
  };
}

/** Ids inlined into the opening's text: what devices and batches are named by (UUIDs), nothing to escape. */
export const inlinable = (id: string) => /^[A-Za-z0-9._:-]{1,128}$/.test(id);

const chunkFor = (expected: number) => Math.min(Math.max(Math.trunc(expected), 8), 2_000);

/** Positions in increasing order, fetched in growing chunks (unused ones become gaps). */
export function positionsOn(client: Query, floor: number, expected: number, first: number[] = []): Positions {
  let buffer = [...first].sort((a, b) => b - a);
  let chunk = chunkFor(expected);
  if (first.length > 0) chunk = Math.min(chunk * 2, 2_000);
  const positions = {
    last: floor,
    async next() {
      if (buffer.length === 0) {
        const r = await client.query<{ n: number }>({
          name: 'kontor_positions',
          text: "SELECT nextval('hub_seq') AS n FROM generate_series(1, $1::int)",
          values: [chunk],
        });
        buffer = r.rows.map((row) => Number(row.n)).sort((a, b) => b - a);
        chunk = Math.min(chunk * 2, 2_000);
      }
      positions.last = buffer.pop() ?? positions.last;
      return positions.last;
    },
  };
  return positions;
}

/**
 * The push's end: its registration is deleted and the transaction commits, in one round trip,
 * after the statements `before` (the batch's last write: postgres.store.ts `deferToCommit`) and
 * with `after` read once committed (a statement of its own: it sees the push's writes).
 * A registration already gone (reaped: see above) makes the division fail, the COMMIT after it
 * never runs, and the push rolls back and is retried with new positions.
 */
export async function unregisterAndCommit(
  client: Query,
  id: string,
  after?: PushOpening['afterCommit'],
  before: readonly string[] = [],
): Promise<void> {
  const gone = executable(client, {
    text: 'WITH gone AS (DELETE FROM hub_inflight WHERE id = ?::text RETURNING 1) SELECT 1 / count(*) FROM gone',
    params: [id],
  });
  const read = after ? executable(client, after.statement) : null;
  try {
    const results = await runInlined(client, [...before, gone!, 'COMMIT', ...(read ? [read] : [])]);
    if (read) after!.take(results[results.length - 1]!.rows as SqlRow[]);
  } catch (error) {
    if ((error as { code?: string }).code === DIVISION_BY_ZERO)
      throw Object.assign(new Error('the push outlived its registration: retried'), { code: REAPED });
    throw error;
  }
}

const DIVISION_BY_ZERO = '22012';

/** After a rollback: the registration goes (best effort; readers reap what is left). */
export async function forget(client: Query, id: string): Promise<void> {
  await client.query('DELETE FROM hub_inflight WHERE id = $1', [id]).catch(() => undefined);
}

/** The settled head (see above), reaping dead registrations first when any is old enough. */
// Real time, not the hub's clock (tests move that one): a lease is about processes.
export async function settledHead(client: Query): Promise<number> {
  const now = Date.now();
  for (let pass = 0; ; pass++) {
    const seq = await client.query<{ h: number }>({
      name: 'kontor_head',
      text: 'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS h FROM hub_seq',
    });
    const head = Number(seq.rows[0]?.h ?? 0);
    const low = await client.query<{ f: number | null; oldest: number | null }>({
      name: 'kontor_floor',
      text: 'SELECT min(floor_seq) AS f, min(started_at) AS oldest FROM hub_inflight',
    });
    const floor = low.rows[0]?.f;
    const oldest = low.rows[0]?.oldest;
    if (floor === null || floor === undefined) return head;
    if (pass > 0 || oldest === null || oldest === undefined || now - Number(oldest) < CHECK_AFTER_MS)
      return Math.min(head, Number(floor));
    // A registration whose session is gone belongs to a transaction that can no longer commit.
    await client.query(
      `DELETE FROM hub_inflight WHERE started_at < $1
         OR (started_at < $2 AND pid NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL))`,
      [now - LEASE_MS, now - CHECK_AFTER_MS],
    );
  }
}
