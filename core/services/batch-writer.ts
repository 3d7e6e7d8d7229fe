// The tracked write path for many rows in one transaction (the billing run's bulk issue):
// the same rows ctx.write's TrackedWriter writes — the row, its change-log rows (changeRowsOf),
// its activity row, each under its own HLC, judged by the same authority rule (judgeWrite) —
// but through statements prepared once per table and column set instead of a query built per
// call. Runs inside the caller's ctx.write, which owns the transaction and the HLC bookkeeping.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Statement } from 'better-sqlite3';
import { scopeOf, type TrackedTable, type TrackedTableName } from './tracked-tables';
import type { ActivityEntry, Ctx, WriteTx } from './context';
import { changeRowsOf, judgeWrite, sameValue } from './write-rules';
import { fail } from '#common/errors';
import { WHOLE_ROW } from '#db/sync/tables';

type Row = Record<string, unknown>;

interface TableInfo {
  name: TrackedTableName;
  /** [camelCase key, column] in the table's declared order (drizzle's row order). */
  columns: [string, SQLiteColumn][];
  byKey: Map<string, SQLiteColumn>;
  insert: Statement;
  find: Statement;
}

const toDriver = (column: SQLiteColumn, value: unknown): unknown =>
  value === null || value === undefined ? null : column.mapToDriverValue(value);
const fromDriver = (column: SQLiteColumn, value: unknown): unknown =>
  value === null || value === undefined ? null : column.mapFromDriverValue(value);

const declared = new WeakMap<SQLiteTable, [string, SQLiteColumn][]>();

/** A table's [camelCase key, column] pairs in declared order (drizzle's row order), once per table. */
function columnsOf(table: SQLiteTable): [string, SQLiteColumn][] {
  let columns = declared.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>);
    declared.set(table, columns);
  }
  return columns;
}

/**
 * A row read with `SELECT *` by a plain statement, in drizzle's shape (what its select gives:
 * every column under its key, in declared order, mapped from the driver): drizzle's own row
 * mapping cost ~4× this for a wide table read once per invoice (organizations).
 */
export function rowFromSql(table: SQLiteTable, raw: Row): Row {
  const row: Row = {};
  for (const [key, column] of columnsOf(table)) row[key] = fromDriver(column, raw[column.name]);
  return row;
}

export class BatchWriter {
  stamp: string;
  private readonly tables = new Map<SQLiteTable, TableInfo>();
  private readonly updates = new Map<string, Statement>();
  private readonly statements;

  constructor(
    private readonly ctx: Ctx,
    now: Date,
  ) {
    this.stamp = now.toISOString();
    this.statements = {
      change: ctx.raw.prepare(
        'INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      activity: ctx.raw.prepare(
        `INSERT INTO activity (id, at, hlc, actor_person_id, device_id, organization_id, product_id, action, entity, entity_id, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** The time of the transaction the next writes belong to (ctx.write's tx.now). */
  begin(now: Date): void {
    this.stamp = now.toISOString();
  }

  private info(table: SQLiteTable): TableInfo {
    let info = this.tables.get(table);
    if (!info) {
      const columns = columnsOf(table);
      const name = getTableName(table) as TrackedTableName;
      info = {
        name,
        columns,
        byKey: new Map(columns),
        insert: this.ctx.raw.prepare(
          `INSERT INTO ${name} (${columns.map(([, c]) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ),
        find: this.ctx.raw.prepare(`SELECT * FROM ${name} WHERE id = ?`),
      };
      this.tables.set(table, info);
    }
    return info;
  }

  /** The row as drizzle returns it: every column in declared order, defaults where not given. */
  private complete(info: TableInfo, values: Row): Row {
    const row: Row = {};
    for (const [key, column] of info.columns)
      row[key] =
        values[key] !== undefined ? values[key] : column.hasDefault ? (column.default ?? null) : null;
    return row;
  }

  /**
   * A row as it is, nothing recorded: an append-only money record the caller logs itself, or
   * the final state of a row whose writes logInsert and logUpdate recorded. Returned in
   * drizzle's shape, as `.returning()` gives it.
   */
  insertRow(table: SQLiteTable, values: Row): Row {
    const info = this.info(table);
    const row = this.complete(info, values);
    info.insert.run(...info.columns.map(([key, column]) => toDriver(column, row[key])));
    return row;
  }

  /** A row by id, in drizzle's shape (TrackedWriter.find). */
  find(table: SQLiteTable, id: string): Row | undefined {
    const raw = this.info(table).find.get(id) as Row | undefined;
    return raw && this.fromSql(table, raw);
  }

  /** A row read with `SELECT *` by the caller's own statement, in drizzle's shape. */
  fromSql(table: SQLiteTable, raw: Row): Row {
    return rowFromSql(table, raw);
  }

  /** TrackedWriter.insert: the row, its change-log rows and its activity row. */
  insert(table: TrackedTable, action: string, values: Row & { id: string }): Row {
    const row = this.logInsert(table, action, values);
    const info = this.info(table);
    info.insert.run(...info.columns.map(([key, column]) => toDriver(column, row[key])));
    return row;
  }

  /**
   * What insert records (the judgement, the change-log rows, the activity row), the row itself
   * left to the caller: a batch that writes a row's final state once logs each of the writes
   * the one-by-one path makes on the way (a draft, its totals, its issue) as they would be.
   */
  logInsert(
    table: TrackedTable,
    action: string,
    values: Row & { id: string },
    options: { log?: 'fields' | 'whole' } = {},
  ): Row {
    const info = this.info(table);
    const row = this.complete(info, {
      ...values,
      createdAt: this.stamp,
      updatedAt: this.stamp,
      deletedAt: null,
    });
    judgeWrite(this.ctx, table, null, row);
    const { updatedAt: _u, deletedAt: _d, ...after } = row;
    const hlc = this.record(info, table, action, row, null, after, options.log !== 'whole');
    if (options.log === 'whole') this.logWholeRow(info.name, String(row.id), hlc);
    return row;
  }

  /**
   * One change for the whole row, its value left empty: read when it is pushed (db/sync/
   * outbox.ts), as the bulk invoice writer of imports logs its invoices. Only for a row that
   * is final once its transaction commits (an issued invoice: the store's triggers keep it so),
   * else the push would send later edits under this older clock.
   */
  logWholeRow(tableName: string, rowId: string, hlc: string): void {
    this.statements.change.run(hlc, this.ctx.deviceId, tableName, rowId, WHOLE_ROW, null, null);
  }

  /**
   * TrackedWriter.update on a row in hand: only the fields that change are written and logged.
   * `log: false` leaves the change-log rows to the caller (an issue command logs the whole
   * document under the update's HLC instead); the activity row is written all the same.
   */
  update(
    table: TrackedTable,
    action: string,
    before: Row,
    patch: Row,
    options: { log?: boolean } = {},
  ): { row: Row; hlc: string | null } {
    const done = this.logUpdate(table, action, before, patch, options);
    const keys = Object.keys(done.changed);
    if (keys.length === 0) return done;
    const info = this.info(table);
    const sqlKey = `${info.name}:${keys.join(',')}`;
    let statement = this.updates.get(sqlKey);
    if (!statement) {
      const sets = keys.map((k) => `${info.byKey.get(k)?.name ?? k} = ?`).join(', ');
      statement = this.ctx.raw.prepare(`UPDATE ${info.name} SET ${sets}, updated_at = ? WHERE id = ?`);
      this.updates.set(sqlKey, statement);
    }
    statement.run(
      ...keys.map((k) => {
        const column = info.byKey.get(k);
        return column ? toDriver(column, done.changed[k]) : done.changed[k];
      }),
      this.stamp,
      before.id,
    );
    return done;
  }

  /** What update records, the row itself left to the caller (see logInsert). */
  logUpdate(
    table: TrackedTable,
    action: string,
    before: Row,
    patch: Row,
    options: { log?: boolean } = {},
  ): { row: Row; hlc: string | null; changed: Row } {
    const info = this.info(table);
    const changed: Row = {};
    const previous: Row = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!sameValue(before[key], value)) {
        changed[key] = value;
        previous[key] = before[key];
      }
    }
    if (Object.keys(changed).length === 0) return { row: before, hlc: null, changed };
    judgeWrite(this.ctx, table, before, changed);
    const row = { ...before, ...changed, updatedAt: this.stamp };
    const hlc = this.record(info, table, action, row, previous, changed, options.log !== false);
    return { row, hlc, changed };
  }

  /**
   * WriteTx.logChange. `text`: the value's JSON when the caller already has it (a claim's row
   * goes to the change log and the activity as the same text, serialized once).
   */
  logChange(
    tableName: string,
    rowId: string,
    column: string,
    value: unknown,
    stamp?: string,
    text?: string,
  ): string {
    const hlc = stamp ?? this.ctx.hlc.now();
    this.statements.change.run(
      hlc,
      this.ctx.deviceId,
      tableName,
      rowId,
      column,
      text ?? JSON.stringify(value ?? null),
      null,
    );
    return hlc;
  }

  /** WriteTx.recordActivity, under the action of the write it belongs to; `afterText` as logChange's `text`. */
  recordActivity(action: string, entry: ActivityEntry, afterText?: string): void {
    this.activity(
      action,
      entry.entity,
      entry.entityId,
      entry.organizationId,
      entry.productId ?? null,
      {
        before: entry.before ?? null,
        after: entry.after ?? null,
        hlc: entry.hlc ?? this.ctx.hlc.now(),
      },
      afterText,
    );
  }

  private activity(
    action: string,
    entity: string,
    entityId: string,
    organizationId: string | null,
    productId: string | null,
    e: { before: Row | null; after: Row | null; hlc: string },
    afterText?: string,
  ): void {
    this.statements.activity.run(
      this.ctx.ids.next(),
      this.stamp,
      e.hlc,
      this.ctx.actor.personId,
      this.ctx.deviceId,
      organizationId,
      productId,
      action,
      entity,
      entityId,
      e.before === null ? null : JSON.stringify(e.before),
      e.after === null ? null : (afterText ?? JSON.stringify(e.after)),
    );
  }

  private record(
    info: TableInfo,
    table: TrackedTable,
    action: string,
    row: Row,
    before: Row | null,
    after: Row,
    log = true,
  ): string {
    const hlc = this.ctx.hlc.now();
    const rowId = String(row.id);
    if (log)
      for (const r of changeRowsOf(table, before, after))
        this.statements.change.run(hlc, this.ctx.deviceId, info.name, rowId, r.column, r.value, r.hubSeq);
    const scope = scopeOf(this.ctx.raw, info.name, row);
    this.activity(action, info.name, rowId, scope.organizationId, scope.productId, { before, after, hlc });
    return hlc;
  }

  /**
   * This writer as the WriteTx of one action, for services written against ctx.write
   * (ledger/payments.ts…) called many times in one transaction: the same rows, written through
   * the statements prepared here.
   */
  asWriteTx(action: string, now: Date): WriteTx {
    this.begin(now);
    const find = (table: TrackedTable, id: string): Row => {
      const row = this.find(table, id);
      if (!row) fail('not_found', { entity: getTableName(table), id });
      return row;
    };
    const insert = <T extends TrackedTable>(table: T, values: Row & { id?: string }) =>
      this.insert(table, action, { ...values, id: values.id ?? this.ctx.ids.next() }) as T['$inferSelect'];
    const update = <T extends TrackedTable>(table: T, id: string, patch: Row) =>
      this.update(table, action, find(table, id), patch).row as T['$inferSelect'];
    const remove = <T extends TrackedTable>(table: T, id: string) => {
      const before = find(table, id);
      if (before.deletedAt) return before as T['$inferSelect'];
      return update(table, id, { deletedAt: this.stamp });
    };
    return {
      db: this.ctx.db,
      now,
      insert,
      update,
      remove,
      upsertPair: (table, values) =>
        this.find(table, values.id)
          ? update(table, values.id, { ...values, id: undefined, deletedAt: null })
          : insert(table, values),
      logChange: (tableName, rowId, column, value, hlc) =>
        this.logChange(tableName, rowId, column, value, hlc),
      recordActivity: (entry) => this.recordActivity(action, entry),
    };
  }
}

const inserters = new WeakMap<Ctx['raw'], BatchWriter>();

/**
 * An insert that returns the row as drizzle's `.returning()` would (every column in declared
 * order, defaults filled), through a statement prepared once per connection: for append-only
 * money records (payments, ledger entries) that a statement import writes by the thousand.
 * The table's defaults must be values (none of its columns computes one in SQL).
 */
export function insertReturning<T extends SQLiteTable>(
  ctx: Ctx,
  table: T,
  values: T['$inferInsert'],
): T['$inferSelect'] {
  let writer = inserters.get(ctx.raw);
  if (!writer) {
    writer = new BatchWriter(ctx, ctx.clock.now());
    inserters.set(ctx.raw, writer);
  }
  return writer.insertRow(table, values as Row) as T['$inferSelect'];
}
