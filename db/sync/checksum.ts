import crypto from 'node:crypto';

/** One field of one row as both sides hold it: JSON value text and the HLC of its write. */
export interface ChecksumField {
  table: string;
  rowId: string;
  column: string;
  value: string | null;
  hlc: string;
}

/**
 * The canonical checksum of a set of rows, computed the same way by the hub (over the
 * caller's scope) and by a device (over its store): fields sorted by table, row id, column
 * (JavaScript string order), each hashed as `table TAB rowId TAB column TAB hlc TAB value LF`,
 * a NULL value written as the single character U+0000. Equal checksums mean equal fields.
 */
export function checksumOf(fields: Iterable<ChecksumField>): { rows: number; checksum: string } {
  const all = [...fields];
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  all.sort((a, b) => cmp(a.table, b.table) || cmp(a.rowId, b.rowId) || cmp(a.column, b.column));
  const hash = crypto.createHash('sha256');
  const rows = new Set<string>();
  for (const f of all) {
    rows.add(`${f.table}\u0000${f.rowId}`);
    hash.update(`${f.table}\t${f.rowId}\t${f.column}\t${f.hlc}\t${f.value ?? '\u0000'}\n`);
  }
  return { rows: rows.size, checksum: hash.digest('hex') };
}
