import crypto from 'node:crypto';
import type { RawDb } from '../open';
import type { PushRequest, WireChange } from '#common/sync/protocol';
import {
  forWire,
  fromDriver,
  LINES_COLUMN,
  LOCAL_COLUMNS,
  SYNC_TABLES,
  type SyncTable,
  WHOLE_ROW,
} from './tables';

// The outbox is the part of change_log the hub has not acknowledged (hub_seq IS NULL), read
// in the order it was written. A batch is named by the changes it holds, so a batch resent
// after a crash or a lost answer carries the same id and the hub answers it from memory.

export interface OutboxBatch {
  request: PushRequest;
  /** change_log.seq of each change, in request order. */
  seqs: number[];
}

interface LogRow {
  seq: number;
  hlc: string;
  table_name: string;
  row_id: string;
  column_name: string;
  value: string | null;
}

export function pendingCount(raw: RawDb): number {
  return raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get() as number;
}

export function readOutbox(
  raw: RawDb,
  options: { deviceId: string; schemaVersion: number; limit: number },
): OutboxBatch | null {
  const rows = raw
    .prepare(
      'SELECT seq, hlc, table_name, row_id, column_name, value FROM change_log WHERE hub_seq IS NULL ORDER BY seq LIMIT ?',
    )
    .all(options.limit) as LogRow[];
  if (rows.length === 0) return null;
  // Never split one write of one row across batches: the hub judges a row's scope from the
  // fields of its write (a new invoice without its organization_id is out of scope).
  const last = rows[rows.length - 1]!;
  if (rows.length === options.limit) {
    rows.push(
      ...(raw
        .prepare(
          'SELECT seq, hlc, table_name, row_id, column_name, value FROM change_log WHERE hub_seq IS NULL AND seq > ? AND hlc = ? AND table_name = ? AND row_id = ? ORDER BY seq',
        )
        .all(last.seq, last.hlc, last.table_name, last.row_id) as LogRow[]),
    );
    rows.push(...firstMemberships(raw, rows));
  }
  const reader = new RowReader(raw);
  const changes: WireChange[] = rows.map((r) => ({
    table: r.table_name,
    rowId: r.row_id,
    column: r.column_name,
    value: r.column_name === WHOLE_ROW ? reader.wholeRow(r) : r.value,
    hlc: r.hlc,
  }));
  const seqs = rows.map((r) => r.seq);
  const digest = crypto
    .createHash('sha256')
    .update(seqs.join(','))
    .update(rows.map((r) => r.hlc).join(','))
    .digest('hex');
  return {
    request: {
      deviceId: options.deviceId,
      batchId: `${options.deviceId}-${seqs[0]}-${digest.slice(0, 24)}`,
      schemaVersion: options.schemaVersion,
      changes,
    },
    seqs,
  };
}

/**
 * A new person travels with the membership that follows them: the hub judges a person by the
 * organizations their memberships name (common/authority, people), so a new person cut off
 * from their first membership would be refused as out of scope, and the membership would then
 * name a person nobody has. The rows up to the end of that membership's write, in log order.
 */
function firstMemberships(raw: RawDb, rows: LogRow[]): LogRow[] {
  const lastSeq = rows[rows.length - 1]!.seq;
  const named = new Set(
    rows.filter((r) => r.table_name === 'memberships' && r.column_name === 'person_id').map((r) => r.value),
  );
  const first = raw.prepare(
    `SELECT hlc, row_id FROM change_log WHERE hub_seq IS NULL AND seq > ? AND table_name = 'memberships'
     AND column_name = 'person_id' AND value = ? ORDER BY seq LIMIT 1`,
  );
  const endOf = raw
    .prepare(
      "SELECT max(seq) FROM change_log WHERE hub_seq IS NULL AND table_name = 'memberships' AND hlc = ? AND row_id = ?",
    )
    .pluck();
  let end = lastSeq;
  for (const r of rows) {
    // A person's first write logs created_at: later edits of a known person need no membership.
    if (r.table_name !== 'people' || r.column_name !== 'created_at') continue;
    const person = JSON.stringify(r.row_id);
    if (named.has(person)) continue;
    const m = first.get(lastSeq, person) as { hlc: string; row_id: string } | undefined;
    if (m) end = Math.max(end, endOf.get(m.hlc, m.row_id) as number);
  }
  if (end === lastSeq) return [];
  return raw
    .prepare(
      'SELECT seq, hlc, table_name, row_id, column_name, value FROM change_log WHERE hub_seq IS NULL AND seq > ? AND seq <= ? ORDER BY seq',
    )
    .all(lastSeq, end) as LogRow[];
}

/** Whole rows for `*` changes: keyed by SQL column name, with an invoice's lines. */
class RowReader {
  private readonly statements = new Map<string, ReturnType<RawDb['prepare']>>();
  private readonly lines;

  constructor(private readonly raw: RawDb) {
    this.lines = raw.prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position');
  }

  wholeRow(r: LogRow): string | null {
    const table = SYNC_TABLES.get(r.table_name);
    if (!table) return r.value;
    if (r.value !== null)
      return JSON.stringify(
        forWire(table.name, normalise(table, JSON.parse(r.value) as Record<string, unknown>)),
      );
    // Written in bulk: "the row and its lines, read at push time" (invoice-bulk.ts).
    let select = this.statements.get(table.name);
    if (!select) {
      select = this.raw.prepare(`SELECT * FROM "${table.name}" WHERE id = ?`);
      this.statements.set(table.name, select);
    }
    const row = select.get(r.row_id) as Record<string, unknown> | undefined;
    if (!row) return null;
    const out = forWire(table.name, rowToWire(table, row));
    if (table.name === 'invoices')
      out[LINES_COLUMN] = linesToWire(this.lines.all(r.row_id) as Record<string, unknown>[]);
    return JSON.stringify(out);
  }
}

/** A drizzle object (camelCase keys) or an SQL row, as an object keyed by SQL column names. */
export function normalise(table: SyncTable, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const c = table.byKey.get(key) ?? table.columns.get(key);
    if (c && LOCAL_COLUMNS.has(c.sql)) continue;
    out[c ? c.sql : key] = v;
  }
  return out;
}

export function rowToWire(table: SyncTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [sql, v] of Object.entries(row)) {
    if (LOCAL_COLUMNS.has(sql)) continue;
    const c = table.columns.get(sql);
    out[sql] = c ? fromDriver(c, v) : v;
  }
  return out;
}

/** invoice_lines rows in the shape a draft's `lines` change carries (invoices.service.ts). */
export function linesToWire(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((l) => ({
    position: l.position,
    productId: l.product_id ?? null,
    description: l.description,
    quantityMilli: l.quantity_milli,
    unitPriceMinor: l.unit_price_minor,
    discountBp: l.discount_bp,
    vatRateBp: l.vat_rate_bp,
    netMinor: l.net_minor,
    vatMinor: l.vat_minor,
    grossMinor: l.gross_minor,
    unitCode: l.unit_code ?? 'C62',
    vatCategory: l.vat_category ?? null,
    exemptionReason: l.exemption_reason ?? null,
  }));
}
