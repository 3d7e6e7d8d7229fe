import pg from 'pg';
import { inlined } from './postgres-inline';
import type { CopiedLines, SqlParam } from './types';

// A read whose text reaches the hub as UTF-8 bytes, never decoded (the snapshot's lines:
// server/sync/snapshot.ts). pg decodes every text value of a result into a string, and the hub
// then encoded each line back into bytes for the socket: at ~1.5 KB a line, decoding, joining
// and encoding were most of the hub's CPU per snapshot row (test/bench/hub-snapshot.ts). The
// same SELECT run as `COPY (…) TO STDOUT (FORMAT binary)` comes as CopyData messages, which
// pg's own protocol parser hands to the running query as views of the bytes it read from the
// socket (its Query ignores them): each line is copied once, from there into the response's
// buffer. pg-copy-streams, measured first, copies every socket read into a new buffer of its
// own before handing it on: one more copy and allocation of everything (server/HUB.md).

/** `PGCOPY\n\377\r\n\0`: the binary COPY format's signature (PostgreSQL's COPY reference, "Binary Format"). */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Reads a binary COPY of two text columns (key, line), fed its bytes as they come, cut
 * anywhere (the protocol does not promise a message per row, though PostgreSQL sends one):
 * each line goes into one buffer followed by a newline — the response's bytes as they are —
 * and each key is decoded. Anything else (another signature, another number of columns, a NULL
 * key, bytes missing or left over) is a stream this hub did not ask for: `result` throws.
 */
export class CopiedLinesReader {
  private out: Buffer;
  private size = 0;
  private readonly ends: number[] = [];
  private readonly keys: string[] = [];
  /** The bytes of an item cut by the end of what came so far. */
  private carry: Buffer | null = null;
  private stage: 'header' | 'rows' | 'done' = 'header';
  private failure: Error | null = null;

  /** `expected`: the lines' likely size in bytes (the buffer grows past it by doubling). */
  constructor(expected = 64 * 1024) {
    this.out = Buffer.allocUnsafe(Math.max(expected, 1024));
  }

  push(bytes: Buffer): void {
    if (this.failure) return;
    try {
      this.read(this.carry ? Buffer.concat([this.carry, bytes]) : bytes);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  result(): CopiedLines {
    if (this.failure) throw this.failure;
    if (this.stage !== 'done') throw bad('cut before its trailer');
    return { lines: this.out.subarray(0, this.size), ends: Int32Array.from(this.ends), keys: this.keys };
  }

  private read(buf: Buffer): void {
    this.carry = null;
    let at = 0;
    if (this.stage === 'header') {
      if (buf.length >= 11 && !buf.subarray(0, 11).equals(SIGNATURE)) throw bad('no binary COPY signature');
      // Flags (4 bytes), then the header extension's length and the extension, skipped.
      if (buf.length < 19 || buf.length < 19 + buf.readInt32BE(15)) {
        this.keep(buf, 0);
        return;
      }
      at = 19 + buf.readInt32BE(15);
      this.stage = 'rows';
    }
    while (this.stage === 'rows') {
      if (buf.length - at < 2) break;
      const columns = buf.readInt16BE(at);
      if (columns === -1) {
        at += 2;
        this.stage = 'done';
        break;
      }
      if (columns !== 2) throw bad(`${columns} columns`);
      if (buf.length - at < 6) break;
      const key = buf.readInt32BE(at + 2);
      if (key === -1) throw bad('a NULL key');
      if (key < 0) throw bad('a negative length');
      const lineAt = at + 6 + key;
      if (buf.length < lineAt + 4) break;
      const line = buf.readInt32BE(lineAt);
      if (line < -1) throw bad('a negative length');
      const end = lineAt + 4 + Math.max(line, 0);
      if (buf.length < end) break;
      this.keys.push(buf.toString('utf8', at + 6, lineAt));
      if (line >= 0) this.append(buf, lineAt + 4, end);
      this.ends.push(this.size);
      at = end;
    }
    if (this.stage === 'done' && at < buf.length) throw bad('bytes after its trailer');
    if (at < buf.length) this.keep(buf, at);
  }

  /** The rest waits for the next bytes: copied, as pg reuses what it read into. */
  private keep(buf: Buffer, at: number): void {
    this.carry = Buffer.from(buf.subarray(at));
  }

  private append(buf: Buffer, start: number, end: number): void {
    const need = this.size + (end - start) + 1;
    if (need > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, 2 * this.out.length));
      this.out.copy(grown, 0, 0, this.size);
      this.out = grown;
    }
    this.size += buf.copy(this.out, this.size, start, end);
    this.out[this.size++] = 10;
  }
}

const bad = (why: string) => new Error(`unexpected COPY output: ${why}`);

/** A COPY … TO STDOUT whose CopyData messages (pg's views of its socket reads) feed a reader. */
class CopyQuery extends pg.Query {
  constructor(
    text: string,
    readonly reader: CopiedLinesReader,
    done: (error: Error | undefined) => void,
  ) {
    super(text, (error: Error | undefined) => done(error));
  }

  // Called by pg's Client for each CopyData message of the running query (a no-op in pg.Query).
  handleCopyData(message: { chunk: Buffer }): void {
    this.reader.push(message.chunk);
  }
}

/** PostgreSQL's feature_not_supported: CockroachDB (23.1) answers a binary COPY TO with it. */
const NOT_SUPPORTED = '0A000';

/** The SQLSTATE of a database error (undefined for any other failure). */
const sqlState = (error: unknown) => (error as { code?: string } | null)?.code;

/** Whether a failed COPY says the database cannot do it at all (the hub then reads without). */
export const copyRefused = (error: unknown) => sqlState(error) === NOT_SUPPORTED;

/** PostgreSQL's undefined_object: a database without the setting (not PostgreSQL itself) refuses to SET it. */
const NO_SUCH_SETTING = '42704';

/**
 * Sql.copyLines over a pool: the statement's values written in (COPY takes no parameters:
 * ./postgres-inline.ts), null when one cannot be, and null from then on once the database
 * refused a binary COPY — a PostgreSQL-compatible database without it serves snapshots through
 * ordinary reads. A COPY is read to its end (it cannot stop halfway and keep its connection):
 * a chunk is bounded by its LIMIT.
 *
 * `off`: the setting a COPY runs without — JIT. A snapshot chunk's estimated cost grows with
 * its rows (each may fold its fields from hub_fields) and passes jit_above_cost (100,000) near
 * 2,000 rows, where PostgreSQL compiled every chunk's query: 30 ms to run one of 7
 * (server/HUB.md), its CPU per snapshot ×3. SET LOCAL holds for the statement after it: both
 * travel as one simple query (one round trip, one implicit transaction, the setting gone with
 * it). A database without that setting gets the COPY alone (a test names one PostgreSQL lacks).
 */
export function copyReader(pool: pg.Pool, off = 'jit') {
  let refused = false;
  let settable = true;
  let expected = 64 * 1024;
  const copy = async (select: string): Promise<CopiedLines> => {
    const connection = await pool.connect();
    try {
      const reader = new CopiedLinesReader(expected);
      const prefix = settable ? `SET LOCAL ${off} = off; ` : '';
      await new Promise<void>((resolve, reject) => {
        connection.query(
          new CopyQuery(`${prefix}COPY (${select}) TO STDOUT (FORMAT binary)`, reader, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      });
      const lines = reader.result();
      // The next chunk is likely the size of this one: its buffer is made that size at once.
      expected = Math.max(64 * 1024, Math.ceil(lines.lines.length * 1.25));
      connection.release();
      return lines;
    } catch (error) {
      // A connection whose COPY failed is not given back to other reads.
      connection.release(error instanceof Error ? error : true);
      throw error;
    }
  };
  return async (text: string, params: readonly SqlParam[]): Promise<CopiedLines | null> => {
    const select = refused ? null : inlined({ text, params });
    if (select === null) return null;
    for (;;) {
      try {
        return await copy(select);
      } catch (error) {
        if (settable && sqlState(error) === NO_SUCH_SETTING && String(error).includes(`"${off}"`)) {
          settable = false;
          continue;
        }
        if (!copyRefused(error)) throw error;
        refused = true;
        return null;
      }
    }
  };
}
