import type { Statement } from 'better-sqlite3';
import type { RawDb } from '../open';

// The clock entries of snapshot rows new to the device, written BATCH at a time by one
// multi-row INSERT instead of one statement each: a million rows' `*` entries were a million
// statement calls, each with its own binding round trip and its own update of the
// AUTOINCREMENT counter (measured apart, 200k entries: 0.84 → 0.54 s CPU). Entries wait here
// only while nothing reads them: whatever reads the change log inside the applier's
// transaction writes them first (RowStore.fold, a row met again, the transaction's end — see
// `flush` callers), and a transaction that fails drops them with its own writes.

/** Entries per multi-row statement. */
const BATCH = 32;
const COLUMNS = '(hlc, device_id, table_name, row_id, column_name, value, hub_seq)';
const ONE = '(?, ?, ?, ?, ?, ?, ?)';

export class LogBatch {
  /** Seven values per entry, in COLUMNS' order. */
  private values: unknown[] = [];
  /**
   * The rows (table NUL row id) with entries waiting. A new Set per batch, never clear(): V8
   * allocates a cleared Set's new table in the generation of the table it replaces (its
   * OrderedHashTable::Clear), so a long-lived Set cleared per batch put every batch's tables,
   * and the keys they hold, in the old space (measured, 200k
   * snapshot rows in the device's own process: 29 MB promoted, heap peak 65 MB, RSS 197 MB;
   * with a new Set 10 MB, 38 MB, 169 MB).
   */
  private rows = new Set<string>();
  private readonly statements = new Map<number, Statement>();

  constructor(private readonly raw: RawDb) {}

  add(
    hlc: string,
    deviceId: string,
    table: string,
    rowId: string,
    column: string,
    value: string | null,
    hubSeq: number,
  ): void {
    this.values.push(hlc, deviceId, table, rowId, column, value, hubSeq);
    this.rows.add(`${table}\u0000${rowId}`);
    if (this.values.length === BATCH * 7) this.flush();
  }

  /** Whether entries of this row are waiting (read its log only after flush). */
  holds(table: string, rowId: string): boolean {
    return this.rows.size > 0 && this.rows.has(`${table}\u0000${rowId}`);
  }

  /** Writes every waiting entry, in the order they came. */
  flush(): void {
    const n = this.values.length / 7;
    if (n === 0) return;
    const values = this.values;
    this.values = [];
    this.rows = new Set();
    this.statement(n).run(values);
  }

  /** Drops the waiting entries (their transaction rolled back). */
  discard(): void {
    this.values = [];
    this.rows = new Set();
  }

  private statement(n: number): Statement {
    let s = this.statements.get(n);
    if (!s) {
      s = this.raw.prepare(`INSERT INTO change_log ${COLUMNS} VALUES ${Array(n).fill(ONE).join(', ')}`);
      this.statements.set(n, s);
    }
    return s;
  }
}
