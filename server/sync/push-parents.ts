import { AUTHORITY } from '#common/authority/table';
import type { WireChange } from '#common/sync/protocol';
import { SYNC_TABLES } from '#db/sync/tables';
import { chunks, type Engine, type Sql, type SqlRow, type Statement } from '../store/types';
import { ownerColumn } from './authorize';
import { fieldKey, fieldsOfStored } from './hub-view';
import { key, toKeys } from './push-store';
import { decode, type RowState } from './push-state';
import type { RowKeys } from './tables';

// The rows a batch's rows point at (a tag link's product, a team member's team, an allocation's
// partnership), read for the whole batch at its start: their keys (a row's scope keys taken via
// its parent, PushBatch.parent) and the field naming their owner (the organization the
// authority judges a child by, hub-view's field). Read one by one as each write was judged, a
// bulk tagging of 2,000 products made 4,000 reads, each product's whole row. Only rows the
// batch does not write itself are read here: those the batch holds are looked up in the batch
// first, as they stand when asked. A row the batch does not write changes under it only by
// another push (PostgreSQL), which the read one statement earlier or later either sees or
// does not, as before.

/** The parent rows' keys by key(table, id) and owner fields by fieldKey, null where the hub has none. */
export interface Parents {
  keys: Map<string, RowKeys | null>;
  fields: Map<string, unknown>;
}

/** The columns of a table that name a parent whose keys or owner its own derive from. */
function parentColumns(table: string): { column: string; table: string }[] {
  const described = SYNC_TABLES.get(table);
  const out: { column: string; table: string }[] = [];
  for (const source of Object.values(described?.keys ?? {})) {
    if (typeof source === 'string') continue;
    const parent = described?.parents.find((p) => p.column === source.via)?.table;
    if (parent) out.push({ column: source.via, table: parent });
  }
  const owner = AUTHORITY[table]?.owner;
  if (owner && 'via' in owner) out.push({ column: owner.column, table: owner.via });
  return out;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Parent ids by table: every value the batch writes in a parent column, and the stored one. A
 * parent missed here is read when first asked, as before: this list only saves reads.
 */
export function parentIds(rows: Map<string, RowState>, changes: readonly WireChange[]): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  const add = (table: string, id: unknown) => {
    const v = text(id);
    if (v === null || rows.has(key(table, v))) return;
    const ids = wanted.get(table) ?? new Set<string>();
    wanted.set(table, ids);
    ids.add(v);
  };
  const columnsOf = new Map<string, { column: string; table: string }[]>();
  const columns = (table: string) => {
    const known = columnsOf.get(table);
    if (known) return known;
    const found = parentColumns(table);
    columnsOf.set(table, found);
    return found;
  };
  for (const c of changes) {
    for (const p of columns(c.table)) {
      if (c.column === p.column) add(p.table, decode(c.value));
      else if (c.column === '*') {
        const whole = decode(c.value);
        if (whole && typeof whole === 'object') add(p.table, (whole as Record<string, unknown>)[p.column]);
      }
    }
  }
  // The parent a stored row names now (its own field, or within a whole-row `*` value).
  for (const state of rows.values())
    for (const p of columns(state.table)) {
      const own = state.fields.get(p.column);
      if (own) add(p.table, decode(own.value));
      const star = state.fields.get('*');
      const whole = star ? decode(star.value) : null;
      if (whole && typeof whole === 'object') add(p.table, (whole as Record<string, unknown>)[p.column]);
    }
  return wanted;
}

/** One read per table and 500 ids: the rows' owner field (and a whole-row `*`), and their keys (no column name). */
function parentRead(engine: Engine, table: string, ids: string[]): Statement {
  const column = ownerColumn(table);
  if (engine === 'postgres')
    return {
      text: `SELECT row_id, column_name, value, CAST(NULL AS TEXT) AS org_id, CAST(NULL AS TEXT) AS org2_id,
              CAST(NULL AS TEXT) AS product_id, CAST(NULL AS TEXT) AS ref_id, CAST(NULL AS TEXT) AS status,
              CAST(NULL AS TEXT) AS access, CAST(NULL AS BIGINT) AS live
         FROM hub_fields WHERE table_name = ? AND row_id = ANY(?::text[]) AND column_name IN (?, '*')
       UNION ALL
       SELECT row_id, NULL, NULL, org_id, org2_id, product_id, ref_id, status, access, live
         FROM hub_rows WHERE table_name = ? AND row_id = ANY(?::text[])`,
      params: [table, ids, column, table, ids],
    };
  const marks = ids.map(() => '?').join(', ');
  return {
    text: `SELECT row_id, column_name, value, NULL AS org_id, NULL AS org2_id, NULL AS product_id, NULL AS ref_id,
            NULL AS status, NULL AS access, NULL AS live
       FROM hub_fields WHERE table_name = ? AND row_id IN (${marks}) AND column_name IN (?, '*')
     UNION ALL
     SELECT row_id, NULL, NULL, org_id, org2_id, product_id, ref_id, status, access, live
       FROM hub_rows WHERE table_name = ? AND row_id IN (${marks})`,
    params: [table, ...ids, column, table, ...ids],
  };
}

/** Reads the parents of the batch's rows that the batch does not hold (see above). */
export async function readParents(
  sql: Sql,
  rows: Map<string, RowState>,
  changes: readonly WireChange[],
): Promise<Parents> {
  const parents: Parents = { keys: new Map(), fields: new Map() };
  for (const [table, ids] of parentIds(rows, changes)) {
    const column = ownerColumn(table);
    for (const part of chunks([...ids].sort(), 500)) {
      const s = parentRead(sql.engine, table, part);
      const got = await sql.all<SqlRow & { row_id: string; column_name: string | null; value: string | null }>(
        s.text,
        s.params,
      );
      const fieldRows = new Map<string, { column_name: string; value: string | null }[]>();
      for (const id of part) {
        parents.keys.set(key(table, id), null);
        fieldRows.set(id, []);
      }
      for (const r of got) {
        if (r.column_name === null) parents.keys.set(key(table, r.row_id), toKeys(r));
        else fieldRows.get(r.row_id)?.push({ column_name: r.column_name, value: r.value });
      }
      // As hub-view reads one field: with the `*` that may carry it, merged as for a whole row.
      for (const [id, list] of fieldRows)
        parents.fields.set(fieldKey(table, id, column), fieldsOfStored(list)?.[column] ?? null);
    }
  }
  return parents;
}
