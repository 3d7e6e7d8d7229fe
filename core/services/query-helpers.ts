import type { Statement } from 'better-sqlite3';
import { type SQL, sql } from 'drizzle-orm';
import type { RawDb } from '#db/open';
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

const prepared = new WeakMap<RawDb, Map<string, Statement>>();

/**
 * A statement prepared once per connection (SQLite compiles it once): for reads on paths that
 * run thousands of times in one call (a billing run, a statement import). The caller keeps its
 * mode (pluck or not) the same for a given text.
 */
export function preparedOnce(raw: RawDb, text: string): Statement {
  let byText = prepared.get(raw);
  if (!byText) {
    byText = new Map();
    prepared.set(raw, byText);
  }
  let statement = byText.get(text);
  if (!statement) {
    statement = raw.prepare(text);
    byText.set(text, statement);
  }
  return statement;
}
