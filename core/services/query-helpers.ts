import { type SQL, sql } from 'drizzle-orm';
import { sortKeySql } from '#db/sort-key';

/**
 * A name's sort key (db/sort-key.ts): case and accents folded, so "Käserei" sorts before
 * "Kontor". Spelled exactly as the indexes of migration 0017 are, so keyset pages walk them.
 */
export function nameOrder(table: string, column = 'name'): SQL {
  return sql.raw(sortKeySql(`"${table}"."${column}"`));
}

export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string): (string | number | null)[] | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(parsed) ? (parsed as (string | number | null)[]) : null;
  } catch {
    return null;
  }
}
