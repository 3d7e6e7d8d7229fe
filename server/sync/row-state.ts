import type { Engine, SqlValue } from '../store/types';
import type { LogEntry } from './push-state';

// Each hub row's JSON state (hub_rows.fields_json, migration 006): its fields as one object
// text, `{"column": [value, hlc], …}` (SnapshotRow.fields), so a snapshot page is a keyset scan
// reading one column (./snapshot.ts). hub_fields stays the truth: every push writes, with the
// row's keys, the fields it wrote as a patch, and the database merges the patch into the state.

/** A row of the batch by table and id (as ./push-store.ts keys them). */
const rowKey = (table: string, rowId: string) => `${table}\u0000${rowId}`;

/**
 * Per row, the fields a flush writes (the newest write of each) as a JSON object text, its
 * columns in order: a new row's state (a row gets its keys with its first fields, all of them
 * in one flush), or the patch merged into a stored row's state.
 */
export function patchesOf(fields: Iterable<LogEntry>, engine: Engine): Map<string, string> {
  const byRow = new Map<string, LogEntry[]>();
  for (const e of fields) {
    const k = rowKey(e.table, e.rowId);
    const list = byRow.get(k);
    if (list) list.push(e);
    else byRow.set(k, [e]);
  }
  const out = new Map<string, string>();
  for (const [k, list] of byRow) {
    list.sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
    out.set(
      k,
      `{${list.map((e) => `${JSON.stringify(e.column)}:${JSON.stringify([asStored(e.value, engine), e.hlc])}`).join(',')}}`,
    );
  }
  return out;
}

/**
 * A value as hub_fields gives it back, where it differs from the text the push holds: a lone
 * UTF-16 surrogate (a hostile value may carry one, JSON allows its escape). pg encodes it as
 * one U+FFFD; better-sqlite3 writes its three bytes, which read back as three U+FFFD. Left
 * alone, JSON.stringify writes it as an escape PostgreSQL's jsonb refuses (every later merge
 * into the row failed) and the state would differ from the fields it is derived from.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const AS_STORED: Record<Engine, string> = { postgres: '\ufffd', sqlite: '\ufffd\ufffd\ufffd' };
const asStored = (value: string | null, engine: Engine) =>
  value === null ? null : value.replace(LONE_SURROGATE, AS_STORED[engine]);

/** The patch of a row (null: the flush wrote none of its fields), the last value of its hub_rows upsert. */
export function patchOf(patches: Map<string, string>, table: string, rowId: string): SqlValue {
  return patches.get(rowKey(table, rowId)) ?? null;
}

/**
 * The stored state (`hub_rows.fields_json`) with the patch (`excluded.fields_json`) merged in,
 * the patch's entries replacing the stored ones. The database merges into the row as it stands
 * when the upsert holds its lock, so two pushes writing other fields of one row at once both
 * land (a whole object built by the push from what it had read would drop the other's fields).
 */
const MERGE: Record<Engine, string> = {
  // RFC 7396 merge: the patch's values are arrays (never null), each replaces the stored one.
  sqlite: 'json_patch(hub_rows.fields_json, excluded.fields_json)',
  // Merged as jsonb, stored as text: a snapshot reads it as it is, serialising nothing.
  postgres: 'CAST(CAST(hub_rows.fields_json AS jsonb) || CAST(excluded.fields_json AS jsonb) AS text)',
};

/**
 * The SET item of hub_rows' upsert: a row without a patch keeps its state; a state never
 * derived (NULL: a snapshot folds hub_fields for it, HubStore.fieldsJson) stays so.
 */
export function mergeFieldsJson(engine: Engine): string {
  return `fields_json = CASE WHEN excluded.fields_json IS NULL OR hub_rows.fields_json IS NULL THEN hub_rows.fields_json ELSE ${MERGE[engine]} END`;
}
