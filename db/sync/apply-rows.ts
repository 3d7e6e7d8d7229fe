import type { Statement } from 'better-sqlite3';
import { MONEY_STAMP_COLUMNS, sameMoneyFact } from '#common/sync/money-fact';
import type { WireChange } from '#common/sync/protocol';
import { insertedRow, WATCHED_TABLES, withoutInsertTriggers } from '../derived-inserts';
import type { RawDb } from '../open';
import { type Fields, parseValue } from './apply-values';
import { DefaultAddresses } from './default-address';
import { FreshRows } from './fresh-rows';
import { InsertBatch, type InsertShape } from './insert-batch';
import { LogBatch } from './log-batch';
import { normalise, rowToWire } from './outbox';
import { ParkedRows } from './parked-rows';
import { SeenParents } from './seen-parents';
import { LINES_COLUMN, LOCAL_COLUMNS, SYNC_TABLES, type SyncTable, toDriver, WHOLE_ROW } from './tables';
import { INSERT_WIRE_LINE, wireLineValues } from './wire-lines';

/** Whether `fields` has exactly `names`, in that order. */
function sameNames(names: readonly string[], fields: Fields): boolean {
  if (names.length !== fields.size) return false;
  let i = 0;
  for (const c of fields.keys()) if (c !== names[i++]) return false;
  return true;
}

/**
 * The local rows the applier writes: what the log says a row is (fold), whether it can go in
 * yet (ready), and the writes themselves. Apart from the Applier's stages (page, snapshot,
 * acknowledge, purge) so each stays small; it also remembers which invoices' derived values
 * the writes made stale, for the Applier to recompute before its transaction commits.
 */
export class RowStore {
  /** Rows waiting in sync_deferred (./parked-rows.ts). */
  readonly parked: ParkedRows;
  /** Marks a row as waiting for the rest of itself (counted against MAX_PARKED). */
  readonly markPending: ParkedRows['markPending'];
  /** Clock entries of new snapshot rows waiting to be written many at a time (./log-batch.ts). */
  readonly log: LogBatch;
  /** Invoices whose derived values (totals, paid, status) must be recomputed before commit. */
  readonly dirtyInvoices = new Set<string>();
  private readonly rowLog: Statement;
  private readonly deleteLines: Statement;
  private readonly insertLine: Statement;
  private readonly cache = new Map<string, Statement>();
  private readonly existing = new Map<string, Statement>();
  /** insertRow's statements by table and column names (in the order the fields came). */
  private readonly insertShapes = new Map<string, InsertShape>();
  /** The shape the last insert used: a snapshot's next row mostly has the same one. */
  private lastShape: InsertShape | null = null;
  /** Inside withoutInsertTriggers: each inserted row accounts for itself. */
  private insertTriggersAside = false;
  /** During a bulk load: the snapshot rows that provably have no clock yet (./fresh-rows.ts). */
  readonly fresh: FreshRows;
  /** During a bulk load: plainly new snapshot rows waiting to be inserted many at a time (./insert-batch.ts). */
  readonly inserts: InsertBatch;
  private loading = false;
  /** The rows a snapshot slice's rows point at, seen to exist in this slice (./seen-parents.ts). */
  readonly parents = new SeenParents();
  /** One default billing address per organization: the older choice yields (./default-address.ts). */
  private readonly defaults: DefaultAddresses;

  constructor(private readonly raw: RawDb) {
    this.defaults = new DefaultAddresses(raw);
    this.log = new LogBatch(raw);
    this.fresh = new FreshRows(raw);
    this.inserts = new InsertBatch(raw, this);
    this.rowLog = raw.prepare(
      'SELECT column_name, value FROM change_log WHERE table_name = ? AND row_id = ? ORDER BY hlc, seq',
    );
    this.parked = new ParkedRows(raw, (table, rowId, now) => this.materialize(table, rowId, now));
    this.markPending = this.parked.markPending;
    this.deleteLines = raw.prepare('DELETE FROM invoice_lines WHERE invoice_id = ?');
    this.insertLine = raw.prepare(INSERT_WIRE_LINE);
  }

  /**
   * A bulk load into an empty book is under way (./bulk-load.ts): inserted rows note nothing
   * for the search index or the glance sums, which its end builds again from every row.
   */
  get bulkLoading(): boolean {
    return this.loading;
  }

  set bulkLoading(on: boolean) {
    // Each round of a load starts knowing nothing: what happened between rounds is read again.
    if (on && !this.loading) this.fresh.reset();
    this.loading = on;
  }

  /** Writes back what the log (without the dropped changes) says a row's fields are. */
  restore(tableName: string, rowId: string, columns: ReadonlySet<string>, now: string): void {
    const table = SYNC_TABLES.get(tableName);
    if (!table) return;
    const folded = this.fold(table, rowId);
    if (!folded) {
      // Nothing of the row is left in the log: it was only ever this device's, and refused.
      // Rows of ours that point at it keep it (their own refusals, if any, come with them).
      if (!this.referenced(table, rowId)) this.deleteRow(table, rowId);
      return;
    }
    const fields: Fields = new Map();
    const all = columns.has(WHOLE_ROW);
    for (const [column, value] of folded) if (all || columns.has(column)) fields.set(column, value);
    // A refused column nobody else ever wrote (a row's creation does not log its empty
    // columns) goes back to empty: else a refused tombstone stayed, and the device kept a row
    // deleted that the hub still holds.
    for (const column of columns) {
      const c = table.columns.get(column);
      if (c && !c.required && !fields.has(column) && this.knownColumn(table, column))
        fields.set(column, null);
    }
    if (fields.size > 0) this.writeFields(table, rowId, fields, now);
  }

  /** Every column a new row needs is known, and every row it points at is here. */
  ready(table: SyncTable, fields: Fields, whole = false): boolean {
    if (whole) for (const c of table.columns.values()) if (c.required && !fields.has(c.sql)) return false;
    const lines = table.name === 'invoices' ? fields.get(LINES_COLUMN) : undefined;
    if (Array.isArray(lines)) {
      for (const l of lines as { productId?: unknown }[]) {
        if (
          typeof l.productId === 'string' &&
          !this.parents.exists('products', l.productId, this.exists('products'))
        )
          return false;
      }
    }
    for (const { column, table: parent } of table.parents) {
      const value = fields.get(column);
      if (value === null || value === undefined) continue;
      if (!this.parents.exists(parent, value, this.exists(parent))) return false;
    }
    return true;
  }

  /** Writes the row as the log has it, if it can go in now. */
  materialize(table: SyncTable, rowId: string, now: string): boolean {
    const whole = this.fold(table, rowId);
    if (!whole) return true;
    const exists = this.exists(table.name).get(rowId) !== undefined;
    if (exists && table.kind === 'append') return true;
    if (!this.ready(table, whole, !exists)) return false;
    if (exists) this.writeFields(table, rowId, whole, now);
    else this.insertRow(table, rowId, whole, now);
    return true;
  }

  /** Retries the rows waiting for the rest of themselves (./parked-rows.ts). */
  settlePending(now: string, budgetMs?: number): void {
    this.parked.settlePending(now, budgetMs);
  }

  /** The row's fields as the log says: every entry folded in HLC order. */
  fold(table: SyncTable, rowId: string): Fields | null {
    this.log.flush();
    const entries = this.rowLog.all(table.name, rowId) as { column_name: string; value: string | null }[];
    if (entries.length === 0) return null;
    const fields: Fields = new Map();
    for (const e of entries) {
      if (e.column_name === WHOLE_ROW) {
        const whole = parseValue(e.value);
        if (whole && typeof whole === 'object') {
          for (const [column, value] of Object.entries(normalise(table, whole as Record<string, unknown>))) {
            if (column !== 'id' && this.knownColumn(table, column)) fields.set(column, value);
          }
        }
      } else if (this.knownColumn(table, e.column_name)) {
        fields.set(e.column_name, parseValue(e.value));
      }
    }
    return fields;
  }

  writeFields(table: SyncTable, rowId: string, fields: Fields, now: string): void {
    this.markDerived(table, rowId, fields);
    this.defaults.settle(table, rowId, fields);
    const columns = [...fields.keys()].filter((c) => c !== LINES_COLUMN && table.columns.has(c));
    if (fields.has(LINES_COLUMN) && table.name === 'invoices')
      this.writeLines(rowId, fields.get(LINES_COLUMN));
    if (columns.length === 0) return;
    const sets = [...columns.map((c) => `"${c}" = ?`), '"updated_at" = ?'].join(', ');
    const values = columns.map((c) =>
      toDriver(table.columns.get(c) as NonNullable<ReturnType<typeof table.columns.get>>, fields.get(c)),
    );
    this.statement(`UPDATE "${table.name}" SET ${sets} WHERE id = ?`).run(...values, now, rowId);
  }

  insertRow(table: SyncTable, rowId: string, fields: Fields, now: string): void {
    const { shape, values } = this.insertValues(table, rowId, fields, now);
    // Lines go in before an issued invoice, as in bulk writes: the row then refuses more.
    if (fields.has(LINES_COLUMN) && table.name === 'invoices')
      this.writeLines(rowId, fields.get(LINES_COLUMN));
    shape.insert.run(values);
    // A snapshot's slices apply with the derived data's insert triggers set aside: the row
    // does what they would have done.
    if (this.insertTriggersAside && !this.bulkLoading)
      insertedRow(this.raw, table.name, rowId, fields.get('organization_id'));
  }

  /**
   * What inserting a new row takes apart from its statement's run: the derived values it makes
   * stale, the default address settled, and its INSERT (by shape) with the values to bind.
   */
  insertValues(
    table: SyncTable,
    rowId: string,
    fields: Fields,
    now: string,
  ): { shape: InsertShape; values: unknown[] } {
    this.markDerived(table, rowId, fields);
    this.defaults.settle(table, rowId, fields);
    // Rows of a snapshot come by the thousand with the same columns: the statement is found by
    // their names alone instead of building its SQL again for every row — first the last row's
    // (the names compared in order, no key built), then by one short key.
    let shape = this.lastShape;
    if (shape === null || shape.table !== table.name || !sameNames(shape.names, fields)) {
      let key = table.name;
      for (const c of fields.keys()) key += `,${c}`;
      shape = this.insertShapes.get(key) ?? this.newShape(table, fields, key);
      this.lastShape = shape;
    }
    const values: unknown[] = [rowId];
    for (const c of shape.columns) values.push(toDriver(c, fields.get(c.sql)));
    for (let i = 0; i < shape.stamps; i++) values.push(now);
    return { shape, values };
  }

  private newShape(table: SyncTable, fields: Fields, key: string): InsertShape {
    const columns = [...fields.keys()].filter(
      (c) => c !== LINES_COLUMN && c !== 'id' && table.columns.has(c),
    );
    const stamps = ['updated_at', 'created_at'].filter((c) => table.columns.has(c) && !columns.includes(c));
    const names = ['id', ...columns, ...stamps].map((c) => `"${c}"`).join(', ');
    const one = `(${['id', ...columns, ...stamps].map(() => '?').join(', ')})`;
    const head = `INSERT INTO "${table.name}" (${names}) VALUES `;
    const shape: InsertShape = {
      table: table.name,
      names: [...fields.keys()],
      columns: columns.map((c) => table.columns.get(c) as NonNullable<ReturnType<typeof table.columns.get>>),
      stamps: stamps.length,
      head,
      one,
      insert: this.raw.prepare(`${head}${one}`),
      many: new Map(),
    };
    this.insertShapes.set(key, shape);
    return shape;
  }

  /** Runs a bulk of inserts with the derived data's insert triggers set aside (../derived-inserts.ts). */
  withoutInsertTriggers<T>(fn: () => T): T {
    // A bulk load set them aside for its whole length (./bulk-load.ts).
    if (this.bulkLoading) return fn();
    this.insertTriggersAside = true;
    try {
      return withoutInsertTriggers(this.raw, WATCHED_TABLES, fn);
    } finally {
      this.insertTriggersAside = false;
    }
  }

  /** What this write changes the derived values of: the invoice itself, or the one paid. */
  markDerived(table: SyncTable, rowId: string, fields: Fields): void {
    if (table.name === 'invoices') this.dirtyInvoices.add(rowId);
    else if (table.name === 'payments' || table.name === 'ledger_entries') {
      const invoice = fields.get('invoice_id');
      if (typeof invoice === 'string') this.dirtyInvoices.add(invoice);
    }
  }

  writeLines(invoiceId: string, lines: unknown): void {
    this.deleteLines.run(invoiceId);
    if (!Array.isArray(lines)) return;
    lines.forEach((raw, index) => {
      const l = raw as Record<string, unknown>;
      const position = typeof l.position === 'number' ? l.position : index;
      this.insertLine.run(...wireLineValues(`${invoiceId}:${position}`, invoiceId, position, l));
    });
  }

  deleteRow(table: SyncTable, rowId: string): void {
    // A row seen to exist may be this one (./seen-parents.ts).
    this.parents.forget();
    // A refused payment or debit leaves the invoice it paid: its paid amount and status follow.
    if (table.name === 'payments' || table.name === 'ledger_entries') {
      const invoice = this.statement(`SELECT invoice_id FROM "${table.name}" WHERE id = ?`)
        .pluck()
        .get(rowId);
      this.markDerived(table, rowId, new Map([['invoice_id', invoice]]));
    }
    if (table.name === 'invoices') this.deleteLines.run(rowId);
    if (table.name === 'ledger_entries') this.unbook(rowId);
    this.statement(`DELETE FROM "${table.name}" WHERE id = ?`).run(rowId);
  }

  referenced(table: SyncTable, rowId: string): boolean {
    for (const child of SYNC_TABLES.values()) {
      for (const p of child.parents) {
        if (p.table !== table.name) continue;
        if (this.statement(`SELECT 1 FROM "${child.name}" WHERE "${p.column}" = ? LIMIT 1`).get(rowId))
          return true;
      }
    }
    return false;
  }

  /** The derived balance follows inserts by trigger; a refused entry leaves it by hand. */
  unbook(entryId: string): void {
    this.raw
      .prepare(
        `UPDATE prepaid_balances SET balance_minor = balance_minor -
           (SELECT amount_minor FROM ledger_entries WHERE id = @id)
         WHERE (organization_id, currency) = (SELECT organization_id, currency FROM ledger_entries WHERE id = @id)`,
      )
      .run({ id: entryId });
  }

  park(change: WireChange, hubSeq: number, reason: string, now: string): void {
    this.parked.park(change, hubSeq, reason, now);
  }

  knownColumn(table: SyncTable, column: string): boolean {
    if (column === LINES_COLUMN) return table.name === 'invoices';
    return table.columns.has(column) && !LOCAL_COLUMNS.has(column) && column !== 'id';
  }

  /**
   * A money row we hold that the hub hands out under the same id: when it records the same fact
   * (common/sync/money-fact.ts), ours takes the hub's stamp so both stores hold one row. Runs
   * inside the applier's guarded transaction (money rows are immutable outside it).
   */
  adoptStamp(table: SyncTable, rowId: string, pulled: Record<string, unknown>): void {
    const local = this.statement(`SELECT * FROM "${table.name}" WHERE id = ?`).get(rowId) as
      | Record<string, unknown>
      | undefined;
    if (!local) return;
    const mine = rowToWire(table, local);
    if (!sameMoneyFact(mine, pulled)) return;
    const columns = [...MONEY_STAMP_COLUMNS].filter(
      (c) => table.columns.has(c) && c in pulled && (pulled[c] ?? null) !== (mine[c] ?? null),
    );
    if (columns.length === 0) return;
    const values = columns.map((c) =>
      toDriver(table.columns.get(c) as NonNullable<ReturnType<typeof table.columns.get>>, pulled[c]),
    );
    this.statement(
      `UPDATE "${table.name}" SET ${columns.map((c) => `"${c}" = ?`).join(', ')} WHERE id = ?`,
    ).run(...values, rowId);
  }

  /** `SELECT 1 FROM table WHERE id = ?`, kept per table (asked for every row of a page). */
  exists(table: string): Statement {
    let s = this.existing.get(table);
    if (!s) {
      s = this.raw.prepare(`SELECT 1 FROM "${table}" WHERE id = ?`);
      this.existing.set(table, s);
    }
    return s;
  }

  statement(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
