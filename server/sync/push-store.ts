import type { WireChange } from '#common/sync/protocol';
import {
  chunks,
  type Engine,
  placeholders,
  type Sql,
  type SqlParam,
  type SqlRow,
  type SqlValue,
  type Statement,
} from '../store/types';
import type { LogEntry, RowState } from './push-state';
import { mergeFieldsJson, patchOf, patchesOf } from './row-state';
import type { RowKeys } from './tables';

// What a push reads before it decides (the batch's rows as the hub holds them) and writes
// after (log, fields, row keys, new organization links), in multi-row statements.

/** A row of the batch by table and id. */
export const key = (table: string, rowId: string) => `${table}\u0000${rowId}`;

export function toKeys(r: Record<string, unknown>): RowKeys {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    orgId: s(r.org_id),
    org2Id: s(r.org2_id),
    productId: s(r.product_id),
    refId: s(r.ref_id),
    status: s(r.status),
    access: s(r.access),
    live: Number(r.live) === 1,
  };
}

/** The hub's fields and keys of every row the batch touches, a state per row even if new. */
export async function loadRows(sql: Sql, changes: readonly WireChange[]): Promise<Map<string, RowState>> {
  const reads = rowReads(sql.engine, changes);
  const results: SqlRow[][] = [];
  for (const s of reads.statements) results.push(await sql.all(s.text, s.params));
  return reads.collect(results);
}

/**
 * The statements that read the batch's rows, to run in order (a push's opening runs them in its
 * first round trip on PostgreSQL: ./push-opening.ts), and what makes the rows of their results.
 */
export function rowReads(
  engine: Engine,
  changes: readonly WireChange[],
): { statements: Statement[]; collect(results: readonly SqlRow[][]): Map<string, RowState> } {
  const byTable = new Map<string, Set<string>>();
  for (const c of changes) {
    const ids = byTable.get(c.table) ?? new Set<string>();
    byTable.set(c.table, ids);
    ids.add(c.rowId);
  }
  // Tables and ids in one order for every push: row locks (PostgreSQL, below) are taken in it,
  // so two pushes meeting on several rows wait for each other instead of deadlocking.
  const statements: Statement[] = [];
  for (const table of [...byTable.keys()].sort()) {
    for (const part of chunks([...byTable.get(table)!].sort(), 500))
      statements.push(...(engine === 'postgres' ? lockAndRead(table, part) : [readAtOnce(table, part)]));
  }
  return {
    statements,
    collect(results) {
      const rows = new Map<string, RowState>();
      for (const c of changes) {
        const k = key(c.table, c.rowId);
        if (!rows.has(k))
          rows.set(k, {
            table: c.table,
            rowId: c.rowId,
            fields: new Map(),
            keys: null,
            firstSeq: null,
            dirty: false,
            stored: false,
          });
      }
      results.forEach((got, n) => {
        const table = String(statements[n]!.params[0]);
        for (const f of got as Stored[]) {
          const state = rows.get(key(table, f.row_id))!;
          if (f.column_name === null || f.column_name === undefined) {
            state.keys = toKeys(f);
            state.firstSeq = Number(f.seq);
            state.stored = true;
          } else state.fields.set(f.column_name, { value: f.value, hlc: f.hlc ?? '', seq: Number(f.seq) });
        }
      });
      return rows;
    },
  };
}

/** A stored field (column_name set) or a row's keys (column_name NULL), as loadRows reads them. */
type Stored = {
  row_id: string;
  column_name?: string | null;
  value: string | null;
  hlc: string | null;
  seq: number;
  org_id: string | null;
  org2_id: string | null;
  product_id: string | null;
  ref_id: string | null;
  status: string | null;
  access: string | null;
  live: number | null;
};

const KEYS =
  'row_id, NULL AS column_name, NULL AS value, NULL AS hlc, first_seq AS seq, org_id, org2_id, product_id, ref_id, status, access, live';

/**
 * SQLite (one writer at a time: what it reads is what it will overwrite): fields and keys in
 * one read, a keys row the one without a column name (hub_fields.column_name is never NULL).
 */
function readAtOnce(table: string, ids: string[]): Statement {
  const marks = ids.map(() => '?').join(', ');
  return {
    text: `SELECT row_id, column_name, value, hlc, seq, NULL AS org_id, NULL AS org2_id, NULL AS product_id,
            NULL AS ref_id, NULL AS status, NULL AS access, NULL AS live
       FROM hub_fields WHERE table_name = ? AND row_id IN (${marks})
     UNION ALL
     SELECT ${KEYS} FROM hub_rows WHERE table_name = ? AND row_id IN (${marks})`,
    params: [table, ...ids, table, ...ids],
  };
}

/**
 * PostgreSQL, where pushes run at once: the stored rows are locked first (FOR UPDATE, in id
 * order), then their fields read by a later statement, which sees every push that held a lock
 * before. Read together, two pushes writing one field of one row each judged last-writer-wins
 * against the state before the other, and the one committing last won whatever its stamp: the
 * hub kept an older write than one it had acknowledged, and took the newer one, sent again, for
 * new (a second log entry of one change: refused by hub_log's unique key, the push failed).
 * Row locks live in the rows, not in PostgreSQL's lock table: a 10,000-change batch takes them
 * at no risk of exhausting it. Two pushes creating one new row have nothing to lock: the
 * second fails on hub_rows' key and runs again (writeAtOnce).
 */
function lockAndRead(table: string, ids: string[]): Statement[] {
  // The ids as one array: one text whatever their number, prepared once per connection.
  return [
    {
      text: `SELECT ${KEYS} FROM hub_rows WHERE table_name = ? AND row_id = ANY(?::text[]) ORDER BY row_id FOR UPDATE`,
      params: [table, ids],
    },
    {
      text: 'SELECT row_id, column_name, value, hlc, seq FROM hub_fields WHERE table_name = ? AND row_id = ANY(?::text[])',
      params: [table, ids],
    },
  ];
}

/** What the batch's last write also records: the balances it moved and its answer (idempotency). */
export interface Closing {
  balances: readonly { org: string; currency: string; balance: number }[];
  answer: { deviceId: string; batchId: string; response: string; createdAt: string };
}

/** What one flush writes: the log slice, and the fields and keys of the rows it touched. */
interface Writes {
  log: LogEntry[];
  fields: LogEntry[];
  rows: RowState[];
  /** Per row, the fields written as its JSON state's patch (./row-state.ts). */
  patches: Map<string, string>;
  links: string[];
}

/**
 * Writes the log entries, and the fields and keys of the rows touched since the last flush;
 * with `closing`, the batch's last writes too. PostgreSQL: one statement (below); SQLite, where
 * a statement costs no round trip: multi-row INSERTs.
 */
export async function writeState(
  sql: Sql,
  rows: Map<string, RowState>,
  log: LogEntry[],
  links: string[],
  userId: string,
  now: number,
  closing?: Closing,
): Promise<void> {
  // Only the fields this log slice wrote: the newest write of each wins.
  const fields = new Map<string, LogEntry>();
  for (const e of log) fields.set(`${key(e.table, e.rowId)}\u0000${e.column}`, e);
  const patches = patchesOf(fields.values(), sql.engine);
  const w: Writes = {
    log,
    fields: [...fields.values()],
    // Every row whose keys or fields changed (every writer of a field marks its row dirty;
    // listing a row with a patch keeps its JSON state right regardless).
    rows: [...rows.values()].filter((r) => r.keys && (r.dirty || patches.has(key(r.table, r.rowId)))),
    patches,
    links,
  };
  if (sql.engine === 'postgres') await writeAtOnce(sql, w, userId, now, closing);
  else await writeInParts(sql, w, userId, now, closing);
  for (const r of w.rows) {
    r.dirty = false;
    r.stored = true;
  }
}

async function writeInParts(sql: Sql, w: Writes, userId: string, now: number, closing?: Closing) {
  for (const part of chunks(w.log, 400)) {
    await sql.run(
      `INSERT INTO hub_log (seq, table_name, row_id, column_name, value, hlc, device_id) VALUES ${placeholders(part.length, 7)}`,
      part.flatMap((e) => [e.seq, e.table, e.rowId, e.column, e.value, e.hlc, e.deviceId]),
    );
  }
  for (const part of chunks(w.fields, 400)) {
    await sql.run(
      `INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ${placeholders(part.length, 6)}
       ON CONFLICT (table_name, row_id, column_name) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, seq = excluded.seq`,
      part.flatMap((e) => [e.table, e.rowId, e.column, e.value, e.hlc, e.seq]),
    );
  }
  for (const part of chunks(w.rows, 300)) {
    await sql.run(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq, fields_json) VALUES ${placeholders(part.length, 11)}
       ON CONFLICT (table_name, row_id) DO UPDATE SET org_id = excluded.org_id, org2_id = excluded.org2_id,
         product_id = excluded.product_id, ref_id = excluded.ref_id, status = excluded.status, access = excluded.access, live = excluded.live,
         ${mergeFieldsJson('sqlite')}`,
      part.flatMap((r) => rowValues(r, w.patches)),
    );
  }
  for (const org of w.links) {
    await sql.run(
      'INSERT INTO hub_user_orgs (user_id, organization_id, created_at, created) VALUES (?, ?, ?, 1) ON CONFLICT (user_id, organization_id) DO NOTHING',
      [userId, org, new Date(now).toISOString()],
    );
  }
  if (!closing) return;
  for (const b of closing.balances) {
    await sql.run(
      'INSERT INTO hub_balances (organization_id, currency, balance_minor) VALUES (?, ?, ?) ON CONFLICT (organization_id, currency) DO UPDATE SET balance_minor = excluded.balance_minor',
      [b.org, b.currency, b.balance],
    );
  }
  const a = closing.answer;
  await sql.run('INSERT INTO hub_batches (device_id, batch_id, response, created_at) VALUES (?, ?, ?, ?)', [
    a.deviceId,
    a.batchId,
    a.response,
    a.createdAt,
  ]);
}

function rowValues(r: RowState, patches: Map<string, string>): SqlValue[] {
  const k = r.keys!;
  return [
    r.table,
    r.rowId,
    k.orgId,
    k.org2Id,
    k.productId,
    k.refId,
    k.status,
    k.access,
    k.live ? 1 : 0,
    r.firstSeq ?? 0,
    patchOf(patches, r.table, r.rowId),
  ];
}

/**
 * PostgreSQL: everything a flush writes in one statement of one fixed text (prepared once per
 * connection), each table's rows as arrays expanded by unnest in a data-modifying WITH. On a
 * shared machine a push's cost was its round trips (the hub's profile under 100 devices: 47 %
 * in socket writes), and a push wrote in four to six statements. Parameters, never inlined text.
 */
const WRITE_AT_ONCE = `WITH
  l AS (INSERT INTO hub_log (seq, table_name, row_id, column_name, value, hlc, device_id)
    SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])),
  f AS (INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq)
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
    ON CONFLICT (table_name, row_id, column_name) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, seq = excluded.seq),
  r AS (INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq, fields_json)
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])
    ON CONFLICT (table_name, row_id) DO UPDATE SET org_id = excluded.org_id, org2_id = excluded.org2_id,
      product_id = excluded.product_id, ref_id = excluded.ref_id, status = excluded.status, access = excluded.access, live = excluded.live,
      ${mergeFieldsJson('postgres')}),
  n AS (INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq, fields_json)
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])),
  u AS (INSERT INTO hub_user_orgs (user_id, organization_id, created_at, created)
    SELECT ?::text, o, ?::text, 1 FROM unnest(?::text[]) AS o
    ON CONFLICT (user_id, organization_id) DO NOTHING),
  b AS (INSERT INTO hub_balances (organization_id, currency, balance_minor)
    SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])
    ON CONFLICT (organization_id, currency) DO UPDATE SET balance_minor = excluded.balance_minor),
  a AS (INSERT INTO hub_batches (device_id, batch_id, response, created_at)
    SELECT ?::text, ?::text, ?::text, ?::text WHERE ?::text IS NOT NULL)
SELECT 1`;

async function writeAtOnce(sql: Sql, w: Writes, userId: string, now: number, closing?: Closing) {
  if (!closing && w.log.length === 0 && w.rows.length === 0 && w.links.length === 0) return;
  const column = <T>(items: readonly T[], pick: (item: T) => SqlValue): SqlValue[] => items.map(pick);
  // A row the hub did not hold when the push read it is inserted, not upserted: another push
  // creating the same id meanwhile (ids two devices derive alike: a statement's payment, a billed
  // period's claim) makes this statement fail on the key, and the push runs again and judges
  // against that row. Upserted, the last to commit overwrote the first's fields whatever their
  // stamps and logged one money fact twice (test hub-same-new-row-race).
  const upserted = w.rows.filter((r) => r.stored).map((r) => rowValues(r, w.patches));
  const inserted = w.rows.filter((r) => !r.stored).map((r) => rowValues(r, w.patches));
  const balances = closing?.balances ?? [];
  const a = closing?.answer;
  // The batch's last write goes with the COMMIT where the store can (nothing reads after it).
  const write = (params: SqlParam[]) =>
    closing && sql.deferToCommit?.(WRITE_AT_ONCE, params) ? Promise.resolve() : sql.run(WRITE_AT_ONCE, params);
  await write([
    ...[
      column(w.log, (e) => e.seq),
      column(w.log, (e) => e.table),
      column(w.log, (e) => e.rowId),
      column(w.log, (e) => e.column),
      column(w.log, (e) => e.value),
      column(w.log, (e) => e.hlc),
      column(w.log, (e) => e.deviceId),
      column(w.fields, (e) => e.table),
      column(w.fields, (e) => e.rowId),
      column(w.fields, (e) => e.column),
      column(w.fields, (e) => e.value),
      column(w.fields, (e) => e.hlc),
      column(w.fields, (e) => e.seq),
      ...Array.from({ length: 11 }, (_, i) => upserted.map((v) => v[i]!)),
      ...Array.from({ length: 11 }, (_, i) => inserted.map((v) => v[i]!)),
    ],
    userId,
    new Date(now).toISOString(),
    w.links,
    column(balances, (b) => b.org),
    column(balances, (b) => b.currency),
    column(balances, (b) => b.balance),
    a?.deviceId ?? null,
    a?.batchId ?? null,
    a?.response ?? null,
    a?.createdAt ?? null,
    a?.batchId ?? null,
  ]);
}
