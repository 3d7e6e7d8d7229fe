import type { WireChange } from '#common/sync/protocol';
import { chunks, placeholders, type Sql, type SqlValue } from '../store/types';
import type { LogEntry, RowState } from './push-state';
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
  const rows = new Map<string, RowState>();
  const byTable = new Map<string, Set<string>>();
  for (const c of changes) {
    const k = key(c.table, c.rowId);
    if (rows.has(k)) continue;
    rows.set(k, {
      table: c.table,
      rowId: c.rowId,
      fields: new Map(),
      keys: null,
      firstSeq: null,
      dirty: false,
    });
    const ids = byTable.get(c.table) ?? new Set<string>();
    byTable.set(c.table, ids);
    ids.add(c.rowId);
  }
  for (const [table, ids] of byTable) {
    for (const part of chunks([...ids], 500)) {
      const marks = part.map(() => '?').join(', ');
      // Fields and keys in one read (a round trip fewer per table and push): a keys row is the
      // one without a column name (hub_fields.column_name is never NULL).
      const got = await sql.all<{
        row_id: string;
        column_name: string | null;
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
      }>(
        `SELECT row_id, column_name, value, hlc, seq, NULL AS org_id, NULL AS org2_id, NULL AS product_id,
                NULL AS ref_id, NULL AS status, NULL AS access, NULL AS live
           FROM hub_fields WHERE table_name = ? AND row_id IN (${marks})
         UNION ALL
         SELECT row_id, NULL, NULL, NULL, first_seq, org_id, org2_id, product_id, ref_id, status, access, live
           FROM hub_rows WHERE table_name = ? AND row_id IN (${marks})`,
        [table, ...part, table, ...part],
      );
      for (const f of got) {
        const state = rows.get(key(table, f.row_id))!;
        if (f.column_name === null) {
          state.keys = toKeys(f);
          state.firstSeq = Number(f.seq);
        } else state.fields.set(f.column_name, { value: f.value, hlc: f.hlc ?? '', seq: Number(f.seq) });
      }
    }
  }
  return rows;
}

/** Writes the log entries, and the fields and keys of the rows touched since the last flush. */
export async function writeState(
  sql: Sql,
  rows: Map<string, RowState>,
  log: LogEntry[],
  links: string[],
  userId: string,
  now: number,
): Promise<void> {
  for (const part of chunks(log, 400)) {
    await sql.run(
      `INSERT INTO hub_log (seq, table_name, row_id, column_name, value, hlc, device_id) VALUES ${placeholders(part.length, 7)}`,
      part.flatMap((e) => [e.seq, e.table, e.rowId, e.column, e.value, e.hlc, e.deviceId]),
    );
  }
  // Only the fields this log slice wrote: the newest write of each wins.
  const fields = new Map<string, LogEntry>();
  for (const e of log) fields.set(`${key(e.table, e.rowId)}\u0000${e.column}`, e);
  for (const part of chunks([...fields.values()], 400)) {
    await sql.run(
      `INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ${placeholders(part.length, 6)}
       ON CONFLICT (table_name, row_id, column_name) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, seq = excluded.seq`,
      part.flatMap((e) => [e.table, e.rowId, e.column, e.value, e.hlc, e.seq]),
    );
  }
  const patches = patchesOf(fields.values());
  // Every row whose keys or fields changed (a row whose fields changed is always dirty: every
  // writer of a field marks it so, and listing it here keeps the JSON state right regardless).
  const dirty = [...rows.values()].filter(
    (r) => r.keys && (r.dirty || patches.has(key(r.table, r.rowId))),
  );
  for (const part of chunks(dirty, 300)) {
    // fields_json: a new row's is its patch (all its fields: a row gets its keys with its first
    // fields); a stored one gets the patch merged in by the database (Sql.mergeFieldsJson),
    // unless it was never derived (NULL: a snapshot folds hub_fields for it instead).
    await sql.run(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq, fields_json) VALUES ${placeholders(part.length, 11)}
       ON CONFLICT (table_name, row_id) DO UPDATE SET org_id = excluded.org_id, org2_id = excluded.org2_id,
         product_id = excluded.product_id, ref_id = excluded.ref_id, status = excluded.status, access = excluded.access, live = excluded.live,
         fields_json = CASE WHEN excluded.fields_json IS NULL OR hub_rows.fields_json IS NULL THEN hub_rows.fields_json
           ELSE ${sql.mergeFieldsJson} END`,
      part.flatMap((r): SqlValue[] => {
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
          patches.get(key(r.table, r.rowId)) ?? null,
        ];
      }),
    );
    for (const r of part) r.dirty = false;
  }
  for (const org of links) {
    await sql.run(
      'INSERT INTO hub_user_orgs (user_id, organization_id, created_at, created) VALUES (?, ?, ?, 1) ON CONFLICT (user_id, organization_id) DO NOTHING',
      [userId, org, new Date(now).toISOString()],
    );
  }
}

/**
 * Per row, the fields a flush writes as a JSON object text, `{"column": [value, hlc], …}`
 * (SnapshotRow.fields), columns in order: the patch merged into the row's JSON state.
 */
function patchesOf(entries: Iterable<LogEntry>): Map<string, string> {
  const byRow = new Map<string, LogEntry[]>();
  for (const e of entries) {
    const k = key(e.table, e.rowId);
    const list = byRow.get(k);
    if (list) list.push(e);
    else byRow.set(k, [e]);
  }
  const out = new Map<string, string>();
  for (const [k, list] of byRow) {
    list.sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
    out.set(k, `{${list.map((e) => `${JSON.stringify(e.column)}:${JSON.stringify([e.value, e.hlc])}`).join(',')}}`);
  }
  return out;
}
