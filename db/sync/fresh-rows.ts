import type { Statement } from 'better-sqlite3';
import type { RawDb } from '../open';

// During a bulk load (./bulk-load.ts) every snapshot row used to read its clock
// (`max(hlc)` over its change_log entries) to learn whether the device already had it — a
// million index probes that find nothing on a new device. This skips the read only where it
// provably finds nothing. The proof, per table, for a row id X (ASCII) met in a slice:
// - at the table's first row in the slice (one transaction: nothing else writes meanwhile),
//   `top` is raised to the highest row id of the table's change_log entries, whoever wrote
//   them (the user between slices, an earlier round of the same load, a slice rolled back);
// - from then on in the slice, the change_log only gains entries of rows this applier
//   applies, and each ASCII one raises `top` before its entries are written;
// - so when X > top, no entry of X exists, and its read would return nothing.
// A row the hub repeats, or sends out of order, has X <= top and is read as before. SQLite
// compares row ids as UTF-8 bytes and JavaScript as UTF-16 units: the two orders disagree
// only between two strings that are not ASCII where they first differ, so a row id that is
// not ASCII is always read, and X (ASCII) compares with the log's highest as SQLite would
// (of two ids that are not ASCII, `top` may keep the one SQLite ranks lower, but an ASCII X
// above it differs from it before their non-ASCII parts, so is above the other too).

const NOT_ASCII = /[\u0080-\uffff]/;

export class FreshRows {
  /** Per table: the highest row id known to have entries (or to be applied) in this load. */
  private readonly tops = new Map<string, string | null>();
  /** Tables whose `top` was brought up to the change_log's own in the current slice. */
  private readonly checked = new Set<string>();
  private readonly highest: Statement;

  constructor(raw: RawDb) {
    this.highest = raw
      .prepare('SELECT row_id FROM change_log WHERE table_name = ? ORDER BY row_id DESC LIMIT 1')
      .pluck();
  }

  /** A bulk load begins: nothing is known yet. */
  reset(): void {
    this.tops.clear();
    this.checked.clear();
  }

  /** A slice (one transaction) begins: what was written between slices is read again. */
  beginSlice(): void {
    this.checked.clear();
  }

  /**
   * Whether the row provably has no change_log entry (its clock read would find nothing).
   * Call it for every row the slice applies, before any entry of the row is written.
   */
  isFresh(table: string, rowId: string): boolean {
    if (NOT_ASCII.test(rowId)) return false;
    let top = this.tops.get(table) ?? null;
    if (!this.checked.has(table)) {
      this.checked.add(table);
      const logged = (this.highest.get(table) as string | undefined) ?? null;
      if (logged !== null && (top === null || logged > top)) top = logged;
      this.tops.set(table, top);
    }
    if (top !== null && rowId <= top) return false;
    this.tops.set(table, rowId);
    return true;
  }
}
