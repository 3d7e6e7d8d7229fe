import type { SnapshotRow } from '#common/sync/protocol';
import { parseLine, type SnapshotLine } from '#common/sync/snapshot-line';
import { readSnapshotRow } from '#common/sync/snapshot-row';
import { CpuBudget } from '../cpu-budget';
import type { Applier, ApplyStats, Touched } from './apply';
import { deviceOf, expandFields, type Fields, parseValue } from './apply-values';
import { InsertBatch } from './insert-batch';
import { isDerived, LINES_COLUMN, SYNC_TABLES, WHOLE_ROW } from './tables';

// The snapshot stage of the Applier: rows as the hub holds them now, each field with the HLC
// of its winning write. A row this device never had goes in whole, with ONE clock entry (`*`,
// the row as of the snapshot) plus one per field written later than the row's oldest: 1M
// rows stay ~1M log rows. A row it has merges field by field like a pulled change.

/** Where a slice of snapshot lines stopped. */
export interface SliceEnd {
  /** The index after the last line applied. */
  next: number;
  /** The last row applied (null when none was): the device's position moves to after it. */
  last: SnapshotRow | null;
  /** The line at `next` is no row (the page's end, or a line to refuse): the caller decides. */
  notRow: boolean;
}

/**
 * Applies lines[from…] (a snapshot page's lines, as text) until the line that passes
 * `budgetMs` of CPU time (inside the caller's transaction), or the first line that is no row.
 * Each line is parsed and checked right before its row is applied, so the parsed row dies
 * young (V8's scavenger frees it) rather than waiting in a buffer for a full collection.
 */
export function applySnapshotLines(
  applier: Applier,
  lines: readonly SnapshotLine[],
  from: number,
  asOf: number,
  now: string,
  trackSeen: boolean,
  stats: ApplyStats,
  budgetMs: number,
): SliceEnd {
  // CPU time this process spent, not wall time (../cpu-budget.ts); parsing counts in it.
  const budget = new CpuBudget(budgetMs);
  applier.rows.fresh.beginSlice();
  // The rows the slice's rows point at, looked up once in it (./seen-parents.ts).
  applier.rows.parents.begin();
  try {
    return applySlice(applier, lines, from, asOf, now, trackSeen, stats, budget);
  } finally {
    applier.rows.parents.end();
  }
}

function applySlice(
  applier: Applier,
  lines: readonly SnapshotLine[],
  from: number,
  asOf: number,
  now: string,
  trackSeen: boolean,
  stats: ApplyStats,
  budget: CpuBudget,
): SliceEnd {
  return applier.rows.withoutInsertTriggers(() => {
    let i = from;
    let last: SnapshotRow | null = null;
    let notRow = false;
    while (i < lines.length) {
      const row = readSnapshotRow(parseLine(lines[i] as SnapshotLine));
      if (!row) {
        notRow = true;
        break;
      }
      applyRow(applier, row, asOf, now, trackSeen, stats);
      last = row;
      i++;
      if ((i - from) % 8 === 0 && budget.spent()) break;
    }
    // The rows waiting to be inserted many at a time go in before the slice's end reads anything.
    applier.rows.inserts.flush();
    return { next: i, last, notRow };
  });
}

function applyRow(
  applier: Applier,
  row: SnapshotRow,
  asOf: number,
  now: string,
  trackSeen: boolean,
  stats: ApplyStats,
): void {
  const table = SYNC_TABLES.get(row.table);
  if (trackSeen) applier.seen.run(row.table, row.rowId);
  const entries = expandFields(row.fields);
  if (!table) {
    for (const [column, [value, hlc]] of entries)
      applier.rows.park(
        { table: row.table, rowId: row.rowId, column, value, hlc },
        -asOf,
        'unknown_table',
        now,
      );
    stats.deferred++;
    return;
  }
  if (table.name === 'invoices') {
    const status = entries.find(([column]) => column === 'status')?.[1][0] ?? null;
    if (status !== null && status !== '"draft"') applier.issues.noteIssuedRow(row.rowId);
  }
  // A bulk load's row that provably has no clock entry yet is not read (./fresh-rows.ts).
  const fresh = applier.rows.bulkLoading && applier.rows.fresh.isFresh(row.table, row.rowId);
  // A row that is not plainly new reads the store: the rows waiting to go in many at a time go
  // in first (./insert-batch.ts). A row met again (a hub repeating itself): its waiting clock
  // entries count (./log-batch.ts).
  if (!fresh) applier.rows.inserts.flush();
  if (!fresh && applier.rows.log.holds(row.table, row.rowId)) applier.rows.log.flush();
  const known = fresh ? null : (applier.rowClock.get(row.table, row.rowId) as string | null);
  if (known !== null && table.kind === 'append') {
    // Money records never change: the one here is the one the hub has.
    stats.duplicate++;
    return;
  }
  if (known === null) {
    // Nothing local: the row as the hub has it, its clock in as few entries as possible.
    let minHlc = entries[0]?.[1][1] ?? '';
    for (const [, [, hlc]] of entries) if (hlc < minHlc) minHlc = hlc;
    const fields: Fields = new Map();
    // The `*` entry's text, joined from the wire's own JSON texts (each parsed below, so each
    // is valid JSON): the same value as JSON.stringify of the parsed row, without a second
    // walk over a million rows. Not for a row that came with a `*` field of its own (money
    // records, bulk invoices), whose spread columns may repeat one given apart.
    let text = Object.hasOwn(row.fields, WHOLE_ROW) ? null : '{';
    for (const [column, [value, hlc]] of entries) {
      if (isDerived(table.name, column)) continue;
      if (!applier.rows.knownColumn(table, column)) {
        applier.rows.park(
          { table: row.table, rowId: row.rowId, column, value, hlc },
          -asOf,
          'unknown_column',
          now,
        );
        continue;
      }
      if (hlc !== minHlc) applier.rows.log.add(hlc, deviceOf(hlc), row.table, row.rowId, column, value, asOf);
      applier.noteRemote(hlc);
      fields.set(column, parseValue(value));
      if (text !== null) text += `${text === '{' ? '' : ','}${jsonKey(column)}${value ?? 'null'}`;
    }
    // One `*` entry with the row as of the snapshot: the clock of its oldest fields, and
    // what the row is rebuilt from if it must wait for what it points at.
    if (text === null) {
      const whole: Record<string, unknown> = {};
      for (const [column, value] of fields)
        if (column !== LINES_COLUMN || table.name === 'invoices') whole[column] = value;
      text = JSON.stringify(whole);
    } else text += '}';
    // Written many at a time (./log-batch.ts), except where the row's own write reads its
    // clock: an invoice's issue rules, a billing address's default choice.
    applier.rows.log.add(minHlc, deviceOf(minHlc), row.table, row.rowId, WHOLE_ROW, text, asOf);
    if (table.name === 'invoices' || table.name === 'billing_addresses') applier.rows.log.flush();
    // A plainly new row (no clock yet, all it points at here) waits to go in with the next ones;
    // any other goes its own way, after the waiting ones (./insert-batch.ts).
    if (fresh && InsertBatch.takes(table) && applier.rows.ready(table, fields, true)) {
      const { shape, values } = applier.rows.insertValues(table, row.rowId, fields, now);
      applier.rows.inserts.add(shape, values, { table, rowId: row.rowId, fields, now, stats });
    } else {
      applier.rows.inserts.flush();
      applier.flush(table, row.rowId, fields, now, [], stats, true);
    }
    stats.applied++;
    return;
  }
  const touched: Touched = new Map();
  for (const [column, [value, hlc]] of entries)
    applier.applyOne({ table: row.table, rowId: row.rowId, column, value, hlc }, asOf, now, stats, touched);
  for (const t of touched.values()) applier.flush(t.table, t.rowId, t.fields, now, t.seqs, stats);
}

/** `"column":`, kept per column name (the schema's, a few hundred at most). */
const JSON_KEYS = new Map<string, string>();
function jsonKey(column: string): string {
  let key = JSON_KEYS.get(column);
  if (key === undefined) {
    key = `${JSON.stringify(column)}:`;
    JSON_KEYS.set(column, key);
  }
  return key;
}
