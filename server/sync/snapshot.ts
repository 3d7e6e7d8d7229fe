import {
  type ChecksumResponse,
  decodeSnapshotPosition,
  encodeSnapshotPosition,
  SCAN_ORDER,
  type SnapshotHead,
} from '#common/sync/protocol';
import { type ChecksumField, checksumOf } from '#db/sync/checksum';
import { SYNC_TABLES } from '#db/sync/tables';
import { type Scope, scopeOf, scopeToJson } from '../scope';
import type { HubStore, Sql } from '../store/types';
import { compactedThrough, headSeq, type PullingDevice } from './pull';
import { type ChunkLines, firstRows, type Lines, linePrefix, sqliteChunk } from './snapshot-lines';
import { visibleSql } from './visible-sql';

// Snapshots (and checksums) as one ordered scan: table by table in a fixed order, each a
// keyset walk of hub_rows joined to hub_fields and to the caller's scope sets in SQL (see
// visible-sql.ts). Each chunk is its own short read, so a slow client never holds the store
// (SQLite's store is one queue) and no page is ever whole in memory: rows go out as they come.

/**
 * The order tables are walked in: as declared, parents before children, so a device inserts
 * each row as it arrives instead of parking it until what it points at comes. Positions
 * compare by this order, never by the database's collation.
 */
const TABLES: readonly string[] = [...SYNC_TABLES.keys()];
const orderOf = (table: string) => TABLES.indexOf(table);

/** Fields read per chunk (a product has ~20): a few hundred rows, a few milliseconds. */
const CHUNK_FIELDS = 4_000;

export interface ScannedRow {
  table: string;
  rowId: string;
  firstSeq: number;
  fields: { column: string; value: string | null; hlc: string; seq: number }[];
}

interface FieldRow {
  row_id: string;
  first_seq: number;
  column_name: string;
  value: string | null;
  hlc: string;
  seq: number;
}

function group(table: string, got: FieldRow[]): ScannedRow[] {
  const rows: ScannedRow[] = [];
  let current: ScannedRow | null = null;
  for (const f of got) {
    if (!current || current.rowId !== f.row_id) {
      current = { table, rowId: f.row_id, firstSeq: Number(f.first_seq), fields: [] };
      rows.push(current);
    }
    current.fields.push({ column: f.column_name, value: f.value, hlc: f.hlc, seq: Number(f.seq) });
  }
  return rows;
}

/**
 * One keyset step: rows of a table after a row id (null: none to send), and where the next
 * starts (null: the table is done); `limit`: the rows the step before asked this one to read
 * (undefined: the first of the table), `nextLimit` what it asks of the next.
 */
type Chunk<C> = (
  sql: Sql,
  dialect: Dialect,
  scope: Scope,
  table: string,
  afterRowId: string,
  limit: number | undefined,
) => Promise<{ rows: C | null; next: string | null; nextLimit?: number }>;

/** The store's SQL pieces the scan needs (HubStore). */
type Dialect = Pick<HubStore, 'inSet' | 'fieldsJson' | 'engine'>;

const FIELDS_SELECT = `SELECT r.row_id, r.first_seq, f.column_name, f.value, f.hlc, f.seq
    FROM hub_rows r JOIN hub_fields f ON f.table_name = r.table_name AND f.row_id = r.row_id`;

/** Visible rows of one table after `afterRowId`, field by field (the checksum needs each field's seq). */
const fieldChunk: Chunk<ScannedRow[]> = async (sql, dialect, scope, table, afterRowId) => {
  const visible = visibleSql(table, scope, dialect.inSet);
  if (visible.where === '1 = 0') return { rows: null, next: null };
  const got = await sql.all<FieldRow>(
    `${FIELDS_SELECT} WHERE r.table_name = ? AND r.row_id > ? AND ${visible.where}
     ORDER BY r.row_id, f.column_name LIMIT ?`,
    [table, afterRowId, ...visible.params, CHUNK_FIELDS],
  );
  const rows = group(table, got);
  if (got.length < CHUNK_FIELDS) return { rows, next: null };
  // The limit may have cut the last row: it comes whole with the next chunk.
  if (rows.length > 1) {
    const whole = rows.slice(0, -1);
    return { rows: whole, next: whole.at(-1)!.rowId };
  }
  // One row with more fields than a chunk: read it alone.
  const whole = await sql.all<FieldRow>(
    `${FIELDS_SELECT} WHERE r.table_name = ? AND r.row_id = ? ORDER BY f.column_name`,
    [table, rows[0]?.rowId ?? ''],
  );
  return { rows: group(table, whole), next: rows[0]?.rowId ?? null };
};

/**
 * Rows per snapshot chunk: each comes back as one row with its fields as one JSON text (its
 * JSON state, hub_rows.fields_json, kept by every push; folded from hub_fields by the database
 * where it was never derived), so JavaScript handles two strings a row instead of an object
 * per field — the profile's largest cost when rows came field by field. On SQLite each chunk
 * is a read of the store's one queue, kept short; a COPY's chunks (PostgreSQL) start at this
 * size and are then sized by bytes (below).
 */
const CHUNK_ROWS = 500;

/**
 * A COPY's chunk, in bytes: its rows are chosen from the bytes per row of the chunk before
 * (≈2,000 products of 20 fields). Fewer round trips and statements planned, each read bigger:
 * at 2,000 rows (without JIT: ../store/postgres-copy.ts) the hub's CPU per snapshot fell by a
 * third and PostgreSQL's by a quarter against 500 (test/bench/HISTORY.md, session 10); a
 * table of big rows keeps its chunks, which are whole in memory, near this size.
 */
const COPY_CHUNK_BYTES = 3 * 1024 * 1024;
const COPY_CHUNK_ROWS = { min: 50, max: 4_000 };

/** The rows of a COPY's next chunk, from the last one's rows read and bytes. */
export function copyChunkRows(rows: number, bytes: number): number {
  if (rows === 0 || bytes === 0) return COPY_CHUNK_ROWS.max;
  const fit = Math.floor((COPY_CHUNK_BYTES * rows) / bytes);
  return Math.min(COPY_CHUNK_ROWS.max, Math.max(COPY_CHUNK_ROWS.min, fit));
}

const rowChunk: Chunk<ChunkLines> = async (sql, dialect, scope, table, afterRowId, limit) => {
  const visible = visibleSql(table, scope, dialect.inSet);
  if (visible.where === '1 = 0') return { rows: null, next: null };
  const fields = `COALESCE(r.fields_json, ${dialect.fieldsJson})`;
  const rest = `FROM hub_rows r WHERE r.table_name = ? AND r.row_id > ? AND ${visible.where} ORDER BY r.row_id LIMIT ?`;
  const n = sql.copyLines ? (limit ?? CHUNK_ROWS) : CHUNK_ROWS;
  const params = [table, afterRowId, ...visible.params, n];
  // Rows without fields (a NULL line or fields) have nothing to send (the field scan's join
  // leaves them out too) but move the walk on: the next chunk starts after the last row read.
  if (sql.copyLines) {
    // PostgreSQL makes the whole line, its bytes go out as they came: to_json escapes a row id
    // as JSON.stringify does (quote, backslash, control characters; nothing else, and a text
    // holds no lone surrogate), so both stores send the same bytes.
    const copied = await sql.copyLines(
      `SELECT r.row_id, ? || CAST(to_json(r.row_id) AS text) || ',"fields":' || ${fields} || '}' ${rest}`,
      [linePrefix(table), ...params],
    );
    if (copied)
      return {
        rows: copied.lines.length > 0 ? copied : null,
        next: copied.keys.length < n ? null : (copied.keys.at(-1) ?? null),
        nextLimit: copyChunkRows(copied.keys.length, copied.lines.length),
      };
  }
  if (dialect.engine === 'sqlite')
    return sqliteChunk(sql, `SELECT r.row_id, CAST(${fields} AS BLOB) AS fields ${rest}`, params, table, n);
  const got = await sql.all<{ row_id: string; fields: string | null }>(
    `SELECT r.row_id, ${fields} AS fields ${rest}`,
    params,
  );
  const prefix = linePrefix(table);
  const texts: string[] = [];
  const ids: string[] = [];
  for (const r of got) {
    if (r.fields === null) continue;
    texts.push(`${prefix}${JSON.stringify(r.row_id)},"fields":${r.fields}}`);
    ids.push(r.row_id);
  }
  return {
    rows: texts.length > 0 ? { texts, ids } : null,
    next: got.length < n ? null : (got.at(-1)?.row_id ?? null),
  };
};

/**
 * Every visible row after (table, rowId), in scan order, a chunk at a time as `read` reads it:
 * one step of the async loop per chunk, not per row (a step per row was a promise and a
 * microtask for each of a snapshot's rows).
 */
async function* walk<C>(
  read: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>,
  dialect: Dialect,
  scope: () => Promise<Scope>,
  after: { table: string; rowId: string } | null,
  chunk: Chunk<C>,
): AsyncGenerator<{ table: string; rows: C }> {
  for (const table of TABLES) {
    if (after && orderOf(table) < orderOf(after.table)) continue;
    const start = async (rowId: string, limit: number | undefined) => {
      // The scope again for every chunk: access revoked while a client reads stops here.
      const current = await scope();
      return read((sql) => chunk(sql, dialect, current, table, rowId, limit));
    };
    let pending = start(after && table === after.table ? after.rowId : '', undefined);
    for (;;) {
      const page = await pending;
      // The next chunk is asked for before this one goes out: the database reads it while the
      // hub writes this one (PostgreSQL: another process, its own core). One left unread when
      // the page ends is dropped, its failure with it (a COPY is read to its end either way).
      if (page.next !== null) {
        pending = start(page.next, page.nextLimit);
        pending.catch(() => undefined);
      }
      if (page.rows !== null) yield { table, rows: page.rows };
      if (page.next === null) break;
    }
  }
}

/** Every visible row after (table, rowId), field by field, in scan order. */
export async function* scanVisible(
  read: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>,
  dialect: Dialect,
  scope: () => Promise<Scope>,
  after: { table: string; rowId: string } | null,
): AsyncGenerator<ScannedRow> {
  for await (const chunk of walk(read, dialect, scope, after, fieldChunk)) yield* chunk.rows;
}

async function countVisible(
  sql: Sql,
  inSet: string,
  scope: Scope,
  after: { table: string; rowId: string } | null,
): Promise<number> {
  let n = 0;
  for (const table of TABLES) {
    if (after && orderOf(table) < orderOf(after.table)) continue;
    const visible = visibleSql(table, scope, inSet);
    if (visible.where === '1 = 0') continue;
    const got = await sql.all<{ n: number }>(
      `SELECT count(*) AS n FROM hub_rows r WHERE r.table_name = ? AND r.row_id > ? AND ${visible.where}`,
      [table, after && table === after.table ? after.rowId : '', ...visible.params],
    );
    n += Number(got[0]?.n ?? 0);
  }
  return n;
}

export interface SnapshotOptions {
  maxRows: number;
  /** A page ends after the row that reaches this many bytes of JSON. */
  maxBytes: number;
  /** Count the rows left (for the device's progress). */
  count: boolean;
}

export interface SnapshotStream {
  head: SnapshotHead;
  /** Each row as its JSON text (a SnapshotRow), in scan order, in groups as they are read. */
  rows: AsyncGenerator<Lines>;
  /** The position after the page, once `rows` is drained: null when the page was the last. */
  next(): string | null;
}

/** One page of the caller's snapshot, rows streamed as they are read. */
export async function openSnapshot(
  store: HubStore,
  device: PullingDevice,
  after: string | null,
  options: SnapshotOptions,
  now: number,
): Promise<SnapshotStream | { error: 'bad_position' }> {
  const position = after ? decodeSnapshotPosition(after) : null;
  if (after && !position) return { error: 'bad_position' };
  // A position from a hub that walked tables in another order (or of a table it no longer
  // serves) restarts the walk: rows sent twice are duplicates to the device, never gaps.
  const from =
    position && position.order === SCAN_ORDER && orderOf(position.table) >= 0
      ? { table: position.table, rowId: position.rowId }
      : null;
  const head = await store.read(async (sql): Promise<SnapshotHead> => {
    const scope = await scopeOf(sql, device.userId);
    // The device will hold exactly this scope once it has every page.
    if (!position)
      await sql.run('UPDATE hub_devices SET scope_json = ? WHERE id = ?', [
        JSON.stringify(scopeToJson(scope)),
        device.id,
      ]);
    const asOf = position?.asOf ?? (await headSeq(sql));
    return {
      asOf,
      hubTime: now,
      ...(options.count ? { remaining: await countVisible(sql, store.inSet, scope, from) } : {}),
    };
  });
  // The last row sent, as where to find its id: encoded once, when the page ends (not once a row).
  let last: { table: string; lines: ChunkLines; index: number } | null = null;
  async function* rows(): AsyncGenerator<Lines> {
    let sent = 0;
    let bytes = 0;
    const scan = walk(
      (fn) => store.read(fn),
      store,
      (() => {
        let at = 0;
        let scope: Scope | null = null;
        return async () => {
          // Recomputed every few chunks: cheap next to them, and a revocation takes effect.
          if (!scope || ++at % 8 === 0) scope = await store.read((sql) => scopeOf(sql, device.userId));
          return scope;
        };
      })(),
      from,
      rowChunk,
    );
    // A chunk's lines go out together (one step of each async loop per chunk, not per row), as
    // they came: texts, or bytes never decoded. A page's bytes are counted as its lines come:
    // UTF-16 units of a text (PostgreSQL without COPY), UTF-8 bytes of lines as bytes (both stores).
    const full = () => sent >= options.maxRows || bytes >= options.maxBytes;
    for await (const { table, rows: lines } of scan) {
      // Rows of the chunk read (n) and lines sent (k): a row without fields sends none.
      let n = 0;
      let k = 0;
      if ('texts' in lines) {
        for (; n < lines.texts.length && !full(); n++, k++) {
          sent++;
          bytes += lines.texts[n]!.length;
        }
        if (k > 0) yield n === lines.texts.length ? lines.texts : lines.texts.slice(0, n);
      } else {
        const { ends } = lines;
        for (let from = 0; n < ends.length && !full(); from = ends[n++]!) {
          if (ends[n] === from) continue;
          sent++;
          k++;
          bytes += ends[n]! - from - 1; // the line without its newline
        }
        if (k > 0) yield n === ends.length ? lines : firstRows(lines, n);
      }
      // The page may end on a row without fields: the next starts after it, nothing skipped.
      if (n > 0) last = { table, lines, index: n - 1 };
      if (full()) {
        await scan.return(undefined);
        return;
      }
    }
    last = null;
  }
  const next = () =>
    last &&
    encodeSnapshotPosition({
      asOf: head.asOf,
      table: last.table,
      rowId: 'texts' in last.lines ? last.lines.ids[last.index]! : last.lines.keys[last.index]!,
      order: SCAN_ORDER,
    });
  return { head, rows: rows(), next };
}

/** SHA-256 over the caller's scope as of sequence upTo (db/sync/checksum.ts: the canonical form). */
export async function checksum(
  store: HubStore,
  device: PullingDevice,
  upTo: number | null,
): Promise<ChecksumResponse> {
  const head = await store.read(headSeq);
  // History at or below the compaction horizon is folded (./compact.ts): the earliest state the
  // hub can still describe is the horizon's; the answer's upTo says which one it is.
  const floor = await store.read(compactedThrough);
  const at = Math.max(floor, upTo === null ? head : Math.min(upTo, head));
  const scope = await store.read((sql) => scopeOf(sql, device.userId));
  const all: ChecksumField[] = [];
  for await (const r of scanVisible(
    (fn) => store.read(fn),
    store,
    async () => scope,
    null,
  )) {
    if (r.firstSeq > at) continue;
    for (const f of r.fields) {
      let { value, hlc } = f;
      if (f.seq > at) {
        // Newer than upTo: the field as it was then, from the log.
        const older = await store.read((sql) =>
          sql.all<{ value: string | null; hlc: string }>(
            'SELECT value, hlc FROM hub_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
            [r.table, r.rowId, f.column, at],
          ),
        );
        if (!older[0]) continue;
        ({ value, hlc } = older[0]);
      }
      all.push({ table: r.table, rowId: r.rowId, column: f.column, value, hlc });
    }
  }
  return { upTo: at, ...checksumOf(all) };
}
