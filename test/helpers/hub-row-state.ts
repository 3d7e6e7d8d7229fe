import type { SnapshotRow } from '#common/sync/protocol';
import type { HubStore, SqlValue } from '#server/store/types';

// A hub row's JSON state (hub_rows.fields_json, migration 006) against what it is derived
// from: the fold of hub_fields, computed here in JavaScript, independently of both stores' SQL.

type Fields = SnapshotRow['fields'];

/** Derives the JSON state of the rows matching `where` (alias r) from hub_fields, as migration 006 does. */
export function deriveRowState(store: HubStore, where = '1 = 1', params: SqlValue[] = []): Promise<number> {
  return store.write((sql) =>
    sql.run(`UPDATE hub_rows AS r SET fields_json = ${store.fieldsJson} WHERE ${where}`, params),
  );
}

/** Every hub_rows row: its fields folded from hub_fields, and its JSON state parsed (null: not derived). */
export async function rowStates(
  store: HubStore,
): Promise<{ folded: Map<string, Fields>; state: Map<string, Fields | null> }> {
  const { fields, rows } = await store.read(async (sql) => ({
    fields: await sql.all<{
      table_name: string;
      row_id: string;
      column_name: string;
      value: string | null;
      hlc: string;
    }>('SELECT table_name, row_id, column_name, value, hlc FROM hub_fields'),
    rows: await sql.all<{ table_name: string; row_id: string; fields_json: string | null }>(
      'SELECT table_name, row_id, fields_json FROM hub_rows',
    ),
  }));
  const folded = new Map<string, Fields>();
  for (const f of fields) {
    const k = `${f.table_name}/${f.row_id}`;
    const row = folded.get(k) ?? {};
    row[f.column_name] = [f.value, f.hlc];
    folded.set(k, row);
  }
  const state = new Map<string, Fields | null>();
  for (const r of rows)
    state.set(
      `${r.table_name}/${r.row_id}`,
      r.fields_json === null ? null : (JSON.parse(r.fields_json) as Fields),
    );
  return { folded, state };
}
