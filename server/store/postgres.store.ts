import pg from 'pg';
import type { HubStore, Sql, SqlRow, SqlValue } from './types';

// BIGINT (oid 20) as a JS number: sequence numbers and money stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` placeholders to `$1, $2…` (the hub's SQL never has a `?` inside a literal). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

export function openPostgresStore(url: string, poolSize = 10): HubStore {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client losing its connection (database restarted) must not crash the hub.
  pool.on('error', () => undefined);
  const over = (client: pg.Pool | pg.PoolClient): Sql => ({
    async all<T = SqlRow>(text: string, params: readonly SqlValue[] = []) {
      return (await client.query(numbered(text), params as SqlValue[])).rows as T[];
    },
    async run(text: string, params: readonly SqlValue[] = []) {
      return (await client.query(numbered(text), params as SqlValue[])).rowCount ?? 0;
    },
  });
  const poolSql = over(pool);
  return {
    engine: 'postgres',
    forUpdate: ' FOR UPDATE',
    inSet: '(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))',
    read: (fn) => fn(poolSql),
    async write<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(over(client));
          await client.query('COMMIT');
          client.release();
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
          const code = (error as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= 5) throw error;
        }
      }
    },
    close: () => pool.end(),
  };
}
