import type { SnapshotRow } from '#common/sync/protocol';
import { WHOLE_ROW } from './tables';

// Small value helpers shared by the applier's stages (db/sync/apply*.ts).

/** A row's fields by SQL column name, values as the driver-neutral JSON decodes them. */
export type Fields = Map<string, unknown>;

/** A snapshot row's fields, a whole-row `*` field (money records, bulk invoices) spread out. */
export function expandFields(fields: SnapshotRow['fields']): [string, readonly [string | null, string]][] {
  const out: [string, readonly [string | null, string]][] = [];
  // Keys, not entries, and each field's own pair (read-only to every caller): two arrays less
  // per field of a million rows.
  for (const column of Object.keys(fields)) {
    const field = fields[column] as [string | null, string];
    const whole = column === WHOLE_ROW ? parseValue(field[0]) : undefined;
    if (whole && typeof whole === 'object') {
      for (const [key, v] of Object.entries(whole as Record<string, unknown>)) {
        if (key !== 'id') out.push([key, [JSON.stringify(v ?? null), field[1]]]);
      }
    } else if (column !== WHOLE_ROW) out.push([column, field]);
  }
  return out;
}

/** A JSON string with nothing to unescape: most values a snapshot carries (names, ids, dates). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON refuses raw control characters in a string; so must this.
const PLAIN_STRING = /^"[^"\\\u0000-\u001f]*"$/;

export function parseValue(text: string | null): unknown {
  if (text === null) return null;
  // The same answer as JSON.parse, without its call for every field of a million rows.
  if (PLAIN_STRING.test(text)) return text.slice(1, -1);
  return JSON.parse(text);
}

/** The device of an HLC: after its fixed-width wall time and counter (db/sync/hlc.ts), or split. */
export function deviceOf(hlc: string): string {
  if (hlc.charCodeAt(15) === 58 && hlc.charCodeAt(22) === 58) return hlc.slice(23);
  return hlc.split(':').slice(2).join(':');
}
