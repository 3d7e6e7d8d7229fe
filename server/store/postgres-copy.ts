import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { inlined } from './postgres-inline';
import type { CopiedLines, SqlParam } from './types';

// A read whose text reaches the hub as UTF-8 bytes, never decoded (the snapshot's lines:
// server/sync/snapshot.ts). pg decodes every text value of a result into a string, and the hub
// then encoded each line back into bytes for the socket: at ~1.5 KB a line, decoding, joining
// and encoding were most of the hub's CPU per snapshot row (test/bench/hub-snapshot.ts). The
// same SELECT run as `COPY (…) TO STDOUT (FORMAT binary)` hands over the bytes as PostgreSQL
// sent them (pg-copy-streams), and the hub copies them into the response.

/** `PGCOPY\n\377\r\n\0`: the binary COPY format's signature (PostgreSQL's COPY reference, "Binary Format"). */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The rows of a binary COPY of two text columns (key, line), the lines moved together in the
 * same buffer (over the format's length fields and the keys, already decoded), each followed
 * by a newline: the response's bytes as they are, no other copy made. Anything else — another
 * signature, another number of columns, a NULL key, bytes missing or left over — is a stream
 * this hub did not ask for: it throws.
 */
export function parseCopiedLines(bytes: Buffer): CopiedLines {
  const bad = (why: string) => new Error(`unexpected COPY output: ${why}`);
  if (bytes.length < 19 || !bytes.subarray(0, 11).equals(SIGNATURE)) throw bad('no binary COPY signature');
  // Flags (4 bytes), then the header extension's length and the extension, skipped.
  let at = 19 + bytes.readInt32BE(15);
  const keys: string[] = [];
  const ends: number[] = [];
  // Where the next line goes: always at or before where it is read from (`at`), so moving it
  // never overwrites bytes not yet read.
  let out = 0;
  const field = () => {
    if (at + 4 > bytes.length) throw bad('cut in a row');
    const length = bytes.readInt32BE(at);
    at += 4;
    if (length < -1 || at + length > bytes.length) throw bad('cut in a value');
    return length;
  };
  for (;;) {
    if (at + 2 > bytes.length) throw bad('cut before its trailer');
    const columns = bytes.readInt16BE(at);
    at += 2;
    if (columns === -1) break;
    if (columns !== 2) throw bad(`${columns} columns`);
    const key = field();
    if (key === -1) throw bad('a NULL key');
    keys.push(bytes.toString('utf8', at, at + key));
    at += key;
    const line = field();
    if (line >= 0) {
      out += bytes.copy(bytes, out, at, at + line);
      bytes[out++] = 10;
      at += line;
    }
    ends.push(out);
  }
  if (at !== bytes.length) throw bad('bytes after its trailer');
  return { lines: bytes.subarray(0, out), ends: Int32Array.from(ends), keys };
}

/**
 * Runs `select` (two text columns: key, line; no parameters: COPY takes none) as a binary
 * COPY on this connection and returns its rows whole: a chunk is bounded by its LIMIT, and a
 * COPY cannot stop halfway without ending the connection, so it is always read to its end.
 */
async function copyLines(client: pg.PoolClient, select: string): Promise<CopiedLines> {
  const stream = client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`));
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece as Buffer);
  return parseCopiedLines(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
}

/** PostgreSQL's feature_not_supported: CockroachDB (23.1) answers a binary COPY TO with it. */
const NOT_SUPPORTED = '0A000';

/** Whether a failed COPY says the database cannot do it at all (the hub then reads without). */
export const copyRefused = (error: unknown) => (error as { code?: string } | null)?.code === NOT_SUPPORTED;

/**
 * Sql.copyLines over a pool: the statement's values written in (./postgres-inline.ts), null
 * when one cannot be, and null from then on once the database refused a binary COPY — a
 * PostgreSQL-compatible database without it serves snapshots through ordinary reads.
 */
export function copyReader(pool: pg.Pool) {
  let refused = false;
  return async (text: string, params: readonly SqlParam[]): Promise<CopiedLines | null> => {
    const select = refused ? null : inlined({ text, params });
    if (select === null) return null;
    const connection = await pool.connect();
    try {
      const lines = await copyLines(connection, select);
      connection.release();
      return lines;
    } catch (error) {
      // A connection whose COPY failed halfway is not given back to other reads.
      connection.release(error instanceof Error ? error : true);
      if (!copyRefused(error)) throw error;
      refused = true;
      return null;
    }
  };
}
