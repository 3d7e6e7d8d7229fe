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
      const fields = await sql.all<{
        row_id: string;
        column_name: string;
        value: string | null;
        hlc: string;
        seq: number;
      }>(
        `SELECT row_id, column_name, value, hlc, seq FROM hub_fields WHERE table_name = ? AND row_id IN (${marks})`,
        [table, ...part],
      );
      for (const f of fields)
        rows
          .get(key(table, f.row_id))!
          .fields.set(f.column_name, { value: f.value, hlc: f.hlc, seq: Number(f.seq) });
      const keyed = await sql.all(
        `SELECT row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq FROM hub_rows WHERE table_name = ? AND row_id IN (${marks})`,
        [table, ...part],
      );
      for (const r of keyed) {
        const state = rows.get(key(table, String(r.row_id)))!;
        state.keys = toKeys(r);
        state.firstSeq = Number(r.first_seq);
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
  const dirty = [...rows.values()].filter((r) => r.dirty && r.keys);
  for (const part of chunks(dirty, 300)) {
    await sql.run(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq) VALUES ${placeholders(part.length, 10)}
       ON CONFLICT (table_name, row_id) DO UPDATE SET org_id = excluded.org_id, org2_id = excluded.org2_id,
         product_id = excluded.product_id, ref_id = excluded.ref_id, status = excluded.status, access = excluded.access, live = excluded.live`,
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
