import type { Statement } from 'better-sqlite3';
import type { WireChange } from '#common/sync/protocol';
import type { RawDb } from '../open';
import { WHOLE_ROW } from './tables';

// What the change log holds of a pulled change's row, as the applier asks it (db/sync/apply.ts):
// the same change already there, the field's clock, the row's clock, a whole-row `*` entry at
// one HLC. Asked of SQLite for each change, a 10,000-change pull of rows new to this device made
// three lookups per change that all answered "nothing" (session 9's profile: ~21k statements,
// a third of the device's pull).
//
// So a pulled page first asks once which of its rows the log holds anything of (one statement:
// a seek per row). A row it holds nothing of is answered from memory for the rest of the page:
// its entries in the log are then exactly those the page records (`recorded`), kept here. Why
// that stays true until the page ends:
// - the log entries of a row are keyed by (table, row id); the page's transaction is the only
//   writer, and within it the applier records entries through `recorded` alone
//   (Applier.applyOne and appendRow, both report each write here);
// - the applier's other log writes during a page touch rows the log already held: an own
//   change's acknowledgement (a row with an own entry is not new), an issue's override
//   (invoices: never answered from memory, below), the compaction (at the transaction's end,
//   after the last answer);
// - outside a page (a snapshot slice, a push's answer) nothing is kept: every question goes to
//   SQLite as before, and each page starts knowing nothing.
// Invoices are always asked of SQLite: an issue's override deletes their entries mid-page
// (db/sync/issue-apply.ts), which the memory would not see.

interface Entry {
  column: string;
  hlc: string;
  value: string | null;
  hubSeq: number;
}

const rowKey = (table: string, rowId: string) => `${table}\u0000${rowId}`;

export class PageBook {
  /** Off: every question asked of SQLite (the simple path; tests compare the two). */
  enabled = true;
  /** Rows of the current page the log held nothing of at its start → their entries since; null outside a page. */
  private fresh: Map<string, Entry[]> | null = null;
  private readonly held: Statement;
  private readonly sameChange: Statement;
  private readonly fieldClockOf: Statement;
  private readonly wholeRowOf: Statement;

  constructor(
    raw: RawDb,
    /** `SELECT max(hlc) … WHERE table_name = ? AND row_id = ?`, shared with the snapshot path. */
    private readonly rowClockOf: Statement,
  ) {
    // Per table, each distinct row once as a flat JSON array (cheaper to walk than pairs), then
    // a seek on change_log_field_idx (table_name, row_id, …) per row.
    this.held = raw
      .prepare(
        'SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM change_log WHERE table_name = ? AND row_id = j.value)',
      )
      .pluck();
    this.sameChange = raw.prepare(
      'SELECT seq, hub_seq FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND hlc = ?',
    );
    this.fieldClockOf = raw
      .prepare(
        `SELECT max(hlc) FROM change_log WHERE table_name = ? AND row_id = ? AND column_name IN (?, '*')`,
      )
      .pluck();
    this.wholeRowOf = raw
      .prepare(
        "SELECT value FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = '*' AND hlc = ?",
      )
      .pluck();
  }

  /** A page begins: which of its rows the log holds nothing of. */
  begin(changes: readonly WireChange[]): void {
    if (!this.enabled) return;
    const byTable = new Map<string, Set<string>>();
    for (const c of changes) {
      if (c.table === 'invoices') continue;
      const ids = byTable.get(c.table) ?? new Set<string>();
      byTable.set(c.table, ids);
      ids.add(c.rowId);
    }
    const fresh = new Map<string, Entry[]>();
    for (const [table, ids] of byTable) {
      for (const id of ids) fresh.set(rowKey(table, id), []);
      for (const id of this.held.all(JSON.stringify([...ids]), table) as string[])
        fresh.delete(rowKey(table, id));
    }
    this.fresh = fresh;
  }

  /** The page ended (committed or not): nothing is kept past it. */
  end(): void {
    this.fresh = null;
  }

  /** The log entry of this very change, if the log has it. */
  same(change: WireChange): { seq: number; hub_seq: number | null } | undefined {
    const mine = this.fresh?.get(rowKey(change.table, change.rowId));
    if (!mine)
      return this.sameChange.get(change.table, change.rowId, change.column, change.hlc) as
        | { seq: number; hub_seq: number | null }
        | undefined;
    const e = mine.find((x) => x.column === change.column && x.hlc === change.hlc);
    // Recorded by this page, with its hub position: never an own unacknowledged change.
    return e ? { seq: -1, hub_seq: e.hubSeq } : undefined;
  }

  /** The newest HLC of a field or its row's `*`, null when the log has none. */
  fieldClock(table: string, rowId: string, column: string): string | null {
    const mine = this.fresh?.get(rowKey(table, rowId));
    if (!mine) return this.fieldClockOf.get(table, rowId, column) as string | null;
    return newest(mine, (e) => e.column === column || e.column === WHOLE_ROW);
  }

  /** The newest HLC of any entry of the row, null when the log has none. */
  rowClock(table: string, rowId: string): string | null {
    const mine = this.fresh?.get(rowKey(table, rowId));
    if (!mine) return this.rowClockOf.get(table, rowId) as string | null;
    return newest(mine, () => true);
  }

  /** The value of the row's `*` entry at this HLC, undefined when there is none. */
  wholeRowAt(table: string, rowId: string, hlc: string): string | null | undefined {
    const mine = this.fresh?.get(rowKey(table, rowId));
    if (!mine) return this.wholeRowOf.get(table, rowId, hlc) as string | null | undefined;
    return mine.find((e) => e.column === WHOLE_ROW && e.hlc === hlc)?.value;
  }

  /**
   * The applier wrote this entry to the log: a row answered from memory keeps it. Whether the
   * log may hold an older entry of the field (what compaction drops, ./compact.ts): not when the
   * row is new to the log and this is the field's first entry in the page — asking SQLite to
   * compact each field of 10,000 new rows found nothing to drop.
   */
  recorded(change: WireChange, hubSeq: number): boolean {
    const mine = this.fresh?.get(rowKey(change.table, change.rowId));
    if (!mine) return true;
    const older = mine.some((e) => e.column === change.column);
    mine.push({ column: change.column, hlc: change.hlc, value: change.value, hubSeq });
    return older;
  }
}

function newest(entries: readonly Entry[], where: (e: Entry) => boolean): string | null {
  let max: string | null = null;
  for (const e of entries) if (where(e) && (max === null || e.hlc > max)) max = e.hlc;
  return max;
}
