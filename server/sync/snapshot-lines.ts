import type { CopiedLines } from '../store/types';

// A snapshot chunk's lines in either of the forms a store gives them: JSON texts (SQLite, and
// PostgreSQL when a value cannot be inlined into a COPY), or UTF-8 bytes the hub never decodes
// (PostgreSQL: Sql.copyLines), already one after the other with their newlines. Both forms
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
