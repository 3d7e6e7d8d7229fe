import { HLC_PATTERN, SnapshotRow } from './protocol';

// Reading a snapshot line's row: a million of them in a new device's first sync, where zod's
// safeParse of each (a record of tuples: ~11 fields, each a tuple of two checked strings) cost
// about as much as JSON.parse itself. The zod schema (./protocol.ts SnapshotRow) stays the one
// statement of what a row is: the plain check below only ACCEPTS, and only rows it can see are
// valid by exactly that schema's rules (same types, same HLC pattern, same tuple length); any
// row it is not sure of goes to zod, whose verdict is final. So nothing is refused that zod
// accepts, nothing accepted that zod refuses, and the result is the same data
// (test/unit/snapshot-row-check.test.ts feeds hostile rows to both).

/** The row of one parsed snapshot line, or null when it is not one (zod's verdict). */
export function readSnapshotRow(json: unknown): SnapshotRow | null {
  const fast = plainRow(json);
  if (fast) return fast;
  const parsed = SnapshotRow.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The row when it is plainly valid; undefined when zod must decide. */
function plainRow(json: unknown): SnapshotRow | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { table, rowId, fields } = json as Record<string, unknown>;
  if (typeof table !== 'string' || typeof rowId !== 'string') return undefined;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  // JSON.parse gives plain objects; anything else (a prototype of its own, a `__proto__` key,
  // symbol or hidden keys) is left to zod rather than reasoned about here.
  if (Object.getPrototypeOf(json) !== Object.prototype) return undefined;
  if (Object.getPrototypeOf(fields) !== Object.prototype) return undefined;
  const columns = Object.keys(fields);
  if (Reflect.ownKeys(fields).length !== columns.length) return undefined;
  const out: SnapshotRow['fields'] = {};
  // A row's fields mostly share one HLC (a row written whole): the pattern runs once per
  // distinct text, not once per field of a million rows.
  let checked: string | undefined;
  for (const column of columns) {
    if (column === '__proto__') return undefined;
    const field = (fields as Record<string, unknown>)[column];
    if (!Array.isArray(field) || field.length !== 2) return undefined;
    const [value, hlc] = field as unknown[];
    if (value !== null && typeof value !== 'string') return undefined;
    if (typeof hlc !== 'string') return undefined;
    if (hlc !== checked) {
      if (!HLC_PATTERN.test(hlc)) return undefined;
      checked = hlc;
    }
    out[column] = [value, hlc];
  }
  // Zod's object drops keys it does not know; so does this new object.
  return { table, rowId, fields: out };
}
