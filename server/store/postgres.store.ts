import crypto from 'node:crypto';
import pg from 'pg';
import {
  forget,
  inlinable,
  positionsOn,
  REAPED,
  registerAndBegin,
  settledHead,
  unregisterAndCommit,
} from './postgres-positions';
import { copyReader } from './postgres-copy';
import { executable, forgetPrepared, preparedUnknown } from './postgres-inline';
import { PlanAges } from './postgres-plans';
import type { HubStore, Opened, Positions, PushOpening, Sql, SqlParam, SqlRow, Statement } from './types';

type Registration = { id: string; floor: number; opened: Opened | null; first: number[] };

// BIGINT (oid 20) as a JS number: sequence numbers and money stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` placeholders to `$1, $2…` (the hub's SQL never has a `?` inside a literal). */
function numbered(text: string): { text: string; params: number } {
  let n = 0;
  return { text: text.replace(/\?/g, () => `$${++n}`), params: n };
}

/**
 * Statements of a fixed shape (a bounded number of parameters: not the long multi-row INSERTs,
 * whose text changes with the row count; the push's write of everything at once, arrays in 35
 * parameters, is one text) run as named prepared statements: each connection parses and plans
 * one once, instead of on every call — each a round trip that PostgreSQL parsed and planned
 * anew. The name is a hash of the text, so a connection never holds two texts under one name;
 * the number of names is bounded.
 */
const PREPARE_UP_TO_PARAMS = 40;
const MAX_NAMES = 1_000;
const shapes = new Map<string, { text: string; name?: string }>();
function statement(text: string): { text: string; name?: string } {
  const known = shapes.get(text);
  if (known) return known;
  const n = numbered(text);
  // Past the bound (texts that embed values would be endless), unnamed and not remembered.
  if (shapes.size >= MAX_NAMES) return { text: n.text };
  const s =
    n.params <= PREPARE_UP_TO_PARAMS
      ? { text: n.text, name: `k${crypto.createHash('sha1').update(n.text).digest('hex').slice(0, 24)}` }
      : { text: n.text };
  shapes.set(text, s);
  return s;
}

// Serialization failure, deadlock, a push whose in-flight registration was reaped, and a
// unique violation: a race lost to a push that committed meanwhile, which the next attempt
// reads (two pushes that each take the default billing address from the same older one write
// the same hub-stamped change: the second, run again, finds it done and writes nothing).
const RETRYABLE = new Set(['40001', '40P01', '23505', REAPED]);

/**
 * The deferred writes of a push as `EXECUTE`s for its COMMIT's round trip (each PREPAREd once
 * per connection: `executable`). A write that cannot be inlined (a NUL) runs here,
 * parameterized, and the commit carries none of it.
 */
async function executions(client: pg.PoolClient, deferred: readonly Statement[]): Promise<string[]> {
  const out: string[] = [];
  try {
    for (const s of deferred) {
      const execute = executable(client, s);
      if (execute !== null) out.push(execute);
      else await client.query({ text: numbered(s.text).text, values: s.params as SqlParam[] });
    }
  } catch (error) {
    // PREPAREs taken for sent with the commit never will be.
    if (out.some((e) => e.startsWith('PREPARE '))) forgetPrepared(client);
    throw error;
  }
  return out;
}

// Each push holds a connection for its transaction: the pool bounds how many write at once.
export function openPostgresStore(url: string, poolSize = 20): HubStore {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  const plans = new PlanAges(async (text) => {
    // Its own connection: the pool's are all busy with pushes when a hub grows (./postgres-plans.ts).
    const apart = new pg.Client({ connectionString: url });
    apart.on('error', () => undefined);
    await apart.connect();
    try {
      await apart.query(text);
    } finally {
      await apart.end();
    }
  });
  // An idle client losing its connection (database restarted) must not crash the hub.
  pool.on('error', () => undefined);
  // Only a transaction's statements are prepared: key lookups and writes, for which a generic
  // plan is as good as any. Reads (pull, snapshot chunks) are keyset ranges with a LIMIT, where a
  // generic plan may sort the whole table (measured: a 200k-row keyset read went quadratic).
  const over = (client: pg.Pool | pg.PoolClient, prepare: boolean, deferred?: Statement[]): Sql => ({
    engine: 'postgres',
    async all<T = SqlRow>(text: string, params: readonly SqlParam[] = [], options?: { keyLookup?: boolean }) {
      const s = prepare || options?.keyLookup ? statement(text) : { text: statement(text).text };
      return (await client.query({ ...s, values: params as SqlParam[] })).rows as T[];
    },
    async run(text: string, params: readonly SqlParam[] = []) {
      const s = prepare ? statement(text) : { text: statement(text).text };
      return (await client.query({ ...s, values: params as SqlParam[] })).rowCount ?? 0;
    },
    settledHead: () => settledHead(client),
    // On the pool only (reads): a COPY holds its connection until it is read to its end.
    ...(client instanceof pg.Pool ? { copyLines: copyReader(client) } : {}),
    ...(deferred
      ? {
          deferToCommit(text: string, params: readonly SqlParam[]) {
            deferred.push({ text, params });
            return true;
          },
        }
      : {}),
  });
  const poolSql = over(pool, false);
  /**
   * One transaction on one connection, retried on a serialization failure or a deadlock. A
   * push's registration opens and closes it (HUB.md "No global lock"), each joined with the
   * BEGIN or COMMIT in one round trip, the opening with the first.
   */
  async function transaction<T>(
    fn: (client: pg.PoolClient, registration: Registration | null, deferred: Statement[]) => Promise<T>,
    registered = false,
    opening?: PushOpening,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      // Known before the round trip: a failure after the registration committed still removes it.
      const id = registered ? crypto.randomUUID() : null;
      let registration: Registration | null = null;
      const deferred: Statement[] = [];
      try {
        if (id) registration = { id, ...(await registerAndBegin(client, id, opening)) };
        else await client.query('BEGIN');
        const result = await fn(client, registration, deferred);
        if (id) await unregisterAndCommit(client, id, opening?.afterCommit, await executions(client, deferred));
        else await client.query('COMMIT');
        client.release(registration !== null && plans.outgrown(client, registration.floor));
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (id) await forget(client, id);
        client.release(preparedUnknown(client));
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= 5) throw error;
      }
    }
  }
  return {
    engine: 'postgres',
    forUpdate: ' FOR UPDATE',
    inSet: '(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))',
    // As text: pg would parse a json column into an object only for the hub to print it again.
    fieldsJson:
      '(SELECT CAST(json_object_agg(f.column_name, json_build_array(f.value, f.hlc) ORDER BY f.column_name) AS text) FROM hub_fields f WHERE f.table_name = r.table_name AND f.row_id = r.row_id)',
    read: (fn) => fn(poolSql),
    write: (fn) => transaction(async (client) => fn(over(client, true))),
    push<T>(fn: (s: Sql, positions: Positions, opened: Opened | null) => Promise<T>, opening?: PushOpening) {
      // Ids that would need escaping keep the parameterized path (applyPush locks and reads).
      const inline = opening && inlinable(opening.deviceId) && inlinable(opening.batchId) ? opening : undefined;
      return transaction(
        (client, r, deferred) =>
          fn(
            over(client, true, deferred),
            positionsOn(client, r?.floor ?? 0, inline?.positions ?? 32, r?.first),
            r?.opened ?? null,
          ),
        true,
        inline,
      );
    },
    close: () => pool.end(),
  };
}
