import { isUtf8 } from 'node:buffer';
import type { CopiedLines, Sql, SqlValue } from '../store/types';

// A snapshot chunk's lines in either of the forms a store gives them: JSON texts (PostgreSQL
// when a value cannot be inlined into a COPY), or UTF-8 bytes the hub never decodes
// (PostgreSQL: Sql.copyLines; SQLite: sqliteChunk), one after the other with their newlines. Both forms
// carry the same characters (test/integration/hub-snapshot-rows.test.ts compares the bytes
// each store serves).

/** A chunk's lines with each one's row id: texts, or copied bytes (a row may have no line). */
export type ChunkLines = { texts: string[]; ids: string[] } | CopiedLines;

/** What goes out: some lines of a chunk, in either form. */
export type Lines = readonly string[] | CopiedLines;

/** The copied rows before `rows`: the same bytes, up to the last one's newline. */
export function firstRows(c: CopiedLines, rows: number): CopiedLines {
  return { lines: c.lines.subarray(0, c.ends[rows - 1]), ends: c.ends.subarray(0, rows), keys: c.keys };
}

/** NDJSON: every line followed by a newline (copied lines are already; nothing is copied). */
export function ndjsonLines(lines: Lines): string | Buffer {
  return isTexts(lines) ? `${lines.join('\n')}\n` : lines.lines;
}

/** A JSON array's elements: the lines joined by commas (copied lines get theirs in place). */
export function jsonLines(lines: Lines): string | Buffer {
  if (isTexts(lines)) return lines.join(',');
  const { lines: bytes, ends } = lines;
  // Each line's newline becomes a comma, in place (the chunk is sent once), the last one dropped.
  for (let i = 0, from = 0; i < ends.length; from = ends[i++]!) if (ends[i]! > from) bytes[ends[i]! - 1] = 44;
  return bytes.subarray(0, bytes.length - 1);
}

export function isTexts(lines: Lines): lines is readonly string[] {
  return Array.isArray(lines);
}

/** A row's line up to its id, which follows as JSON (`{"table":"products","rowId":`). */
export const linePrefix = (table: string) => `{"table":${JSON.stringify(table)},"rowId":`;

/**
 * SQLite's chunk as bytes, the form a COPY gives (CopiedLines): each row's state read as a
 * BLOB (its UTF-8 bytes as stored) and its line written once into the chunk's buffer. Read as
 * text, better-sqlite3 decoded every ~1.5 KB state into a string, which the hub joined and
 * encoded back to UTF-8 for the socket: a quarter of the hub's CPU per snapshot row
 * (test/bench/HISTORY.md, session 10). A state that is not valid UTF-8 (a lone surrogate's
 * three bytes in a field folded on read: ./row-state.ts) goes as better-sqlite3 gave it as
 * text: V8's decoding, each bad sequence a U+FFFD.
 */
export async function sqliteChunk(
  sql: Sql,
  text: string,
  params: readonly SqlValue[],
  table: string,
  n: number,
): Promise<{ rows: ChunkLines | null; next: string | null }> {
  const got = await sql.all<{ row_id: string; fields: Buffer | null }>(text, params);
  const prefix = linePrefix(table);
  const ids = got.map((r) => JSON.stringify(r.row_id));
  const states = got.map(({ fields: f }) => (f === null || isUtf8(f) ? f : Buffer.from(f.toString('utf8'))));
  let size = 0;
  for (let i = 0; i < got.length; i++) {
    const state = states[i];
    if (state) size += prefix.length + Buffer.byteLength(ids[i]!) + FIELDS_KEY.length + state.length + 2;
  }
  // The prefix and the key are ASCII (a table's name is): written as latin1, a byte a character.
  const lines = Buffer.allocUnsafe(size);
  const ends = new Int32Array(got.length);
  let at = 0;
  for (let i = 0; i < got.length; i++) {
    const state = states[i];
    if (state) {
      at += lines.write(prefix, at, 'latin1');
      at += lines.write(ids[i]!, at, 'utf8');
      at += lines.write(FIELDS_KEY, at, 'latin1');
      at += state.copy(lines, at);
      lines[at++] = 0x7d; // }
      lines[at++] = 0x0a; // \n
    }
    ends[i] = at;
  }
  return {
    rows: size > 0 ? { lines, ends, keys: got.map((r) => r.row_id) } : null,
    next: got.length < n ? null : (got.at(-1)?.row_id ?? null),
  };
}

const FIELDS_KEY = ',"fields":';
