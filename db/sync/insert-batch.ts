import type { Statement } from 'better-sqlite3';
import type { RawDb } from '../open';
import type { ApplyStats } from './apply';
import { flushRow } from './apply-flush';
import type { RowStore } from './apply-rows';
import type { Fields } from './apply-values';
import type { SyncColumn, SyncTable } from './tables';

// The rows of a bulk load's snapshot that are plainly new (./fresh-rows.ts proved they have no
// clock entry; every row they point at is here), inserted BATCH at a time by one multi-row
// INSERT instead of one statement each: per row, a statement call with its binding round trip
// and its own VDBE run. Rows wait here only while nothing can read them: the snapshot applier
// writes them before anything else of the slice runs — a row that is not plainly new (read
// first, ./apply-snapshot.ts), a row of another shape, the slice's end — and a transaction that
// fails drops them with its own writes (discard).
// A refused batch (a local constraint one of its rows breaks: SQLite undoes the statement
// whole) is written again row by row the way each row went before (flushRow): the rows before
// the refused one go in, the refused one is set aside, the rows after it go in — the same end
// as one INSERT per row.

/** Rows per multi-row statement (each has ~30 values: far under SQLite's 32,766). */
const BATCH = 16;

/** The INSERT of one table and one list of columns (RowStore's shapes). */
export interface InsertShape {
  table: string;
  /** The field names it was made for, in order (the key it is kept under). */
  names: string[];
  columns: SyncColumn[];
  stamps: number;
  /** `INSERT INTO "t" ("id", …) VALUES `, and one row's `(?, …)`. */
  head: string;
  one: string;
  insert: Statement;
  /** The same INSERT for n rows at once, by n. */
  many: Map<number, Statement>;
}

interface Waiting {
  table: SyncTable;
  rowId: string;
  fields: Fields;
  now: string;
  stats: ApplyStats;
}

export class InsertBatch {
  private shape: InsertShape | null = null;
  private values: unknown[] = [];
  private rows: Waiting[] = [];

  constructor(
    private readonly raw: RawDb,
    private readonly store: RowStore,
  ) {}

  /** Whether rows of `table` may wait here: one statement each, reading no row of their own table. */
  static takes(table: SyncTable): boolean {
    // An invoice writes its lines first; a billing address may clear another's default flag
    // (reads its own table); a row pointing at its own table would look for one still waiting.
    return (
      table.name !== 'invoices' &&
      table.name !== 'billing_addresses' &&
      !table.parents.some((p) => p.table === table.name)
    );
  }

  /** A plainly new row (its INSERT's values already made by RowStore.insertValues). */
  add(shape: InsertShape, values: unknown[], row: Waiting): void {
    if (this.shape !== shape) this.flush();
    this.shape = shape;
    for (const v of values) this.values.push(v);
    this.rows.push(row);
    if (this.rows.length === BATCH) this.flush();
  }

  /** Writes every waiting row, in the order they came. */
  flush(): void {
    const shape = this.shape;
    const rows = this.rows;
    if (shape === null || rows.length === 0) return;
    const values = this.values;
    this.discard();
    try {
      this.statement(shape, rows.length).run(values);
    } catch {
      // Undone whole by SQLite: each row again the way it went before, the refused one set aside.
      for (const r of rows)
        flushRow(this.raw, this.store, r.table, r.rowId, r.fields, r.now, [], r.stats, true);
    }
  }

  /** Drops the waiting rows (their transaction rolled back). */
  discard(): void {
    this.shape = null;
    this.values = [];
    this.rows = [];
  }

  private statement(shape: InsertShape, n: number): Statement {
    if (n === 1) return shape.insert;
    let s = shape.many.get(n);
    if (!s) {
      s = this.raw.prepare(`${shape.head}${Array(n).fill(shape.one).join(', ')}`);
      shape.many.set(n, s);
    }
    return s;
  }
}
