// The one write path's writer: every tracked insert, update and tombstone is judged by the
// authority table first, then lands with its change-log rows (what sync sends) and an activity
// row (what a person reads), in the transaction ctx.write opened. The rules it applies are
// write-rules.ts's, which the billing run's batch writer shares.
import { eq, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '#db/open';
import { activity, changeLog } from '#db/schema/index';
import { fail } from '#common/errors';
import type { ActivityEntry, Ctx, Insert, Patch, Row, WriteTx } from './context';
import { type RowScope, scopeOf, type TrackedTable, type TrackedTableName } from './tracked-tables';
import { changeRowsOf, judgeWrite, sameValue, tableNames } from './write-rules';

export class TrackedWriter implements WriteTx {
  readonly db: Db;
  private readonly stamp: string;

  constructor(
    private readonly ctx: Ctx,
    private readonly action: string,
    readonly now: Date,
  ) {
    this.db = ctx.db;
    this.stamp = now.toISOString();
  }

  insert<T extends TrackedTable>(table: T, values: Insert<T>): Row<T> {
    const row = {
      ...values,
      id: values.id ?? this.ctx.ids.next(),
      createdAt: this.stamp,
      updatedAt: this.stamp,
      deletedAt: null,
    };
    this.judge(table, null, row);
    const inserted = this.db
      .insert(table as TrackedTable)
      .values(row as never)
      .returning()
      .get() as Row<T>;
    const full = inserted as Record<string, unknown>;
    this.record(table, full, null, withoutBookkeeping(full));
    return inserted;
  }

  update<T extends TrackedTable>(table: T, id: string, patch: Patch<T>): Row<T> {
    const before = this.find(table, id);
    const changed: Record<string, unknown> = {};
    const previous: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!sameValue(before[key], value)) {
        changed[key] = value;
        previous[key] = before[key];
      }
    }
    if (Object.keys(changed).length === 0) return before as Row<T>;
    this.judge(table, before, changed);
    const updated = this.db
      .update(table as TrackedTable)
      .set({ ...changed, updatedAt: this.stamp } as never)
      .where(eq(idColumn(table), id))
      .returning()
      .get() as Row<T>;
    this.record(table, updated as Record<string, unknown>, previous, changed);
    return updated;
  }

  remove<T extends TrackedTable>(table: T, id: string): Row<T> {
    const before = this.find(table, id);
    if (before.deletedAt) return before as Row<T>;
    return this.update(table, id, { deletedAt: this.stamp } as Patch<T>);
  }

  upsertPair<T extends TrackedTable>(table: T, values: Insert<T> & { id: string }): Row<T> {
    const existing = this.db
      .select()
      .from(table as TrackedTable)
      .where(eq(idColumn(table), values.id))
      .get() as Record<string, unknown> | undefined;
    if (!existing) return this.insert(table, values);
    const { id: _id, ...rest } = values;
    return this.update(table, values.id, { ...rest, deletedAt: null } as Patch<T>);
  }

  logChange(tableName: string, rowId: string, column: string, value: unknown, stamp?: string): string {
    const hlc = stamp ?? this.ctx.hlc.now();
    this.db
      .insert(changeLog)
      .values({
        hlc,
        deviceId: this.ctx.deviceId,
        tableName,
        rowId,
        column,
        value: JSON.stringify(value ?? null),
      })
      .run();
    return hlc;
  }

  recordActivity(entry: ActivityEntry): void {
    this.db
      .insert(activity)
      .values({
        id: this.ctx.ids.next(),
        at: this.stamp,
        hlc: entry.hlc ?? this.ctx.hlc.now(),
        actorPersonId: this.ctx.actor.personId,
        deviceId: this.ctx.deviceId,
        organizationId: entry.organizationId,
        productId: entry.productId ?? null,
        action: this.action,
        entity: entry.entity,
        entityId: entry.entityId,
        before: entry.before ?? null,
        after: entry.after ?? null,
      })
      .run();
  }

  private judge(
    table: TrackedTable,
    before: Record<string, unknown> | null,
    values: Record<string, unknown>,
  ) {
    judgeWrite(this.ctx, table, before, values);
  }

  private find(table: TrackedTable, id: string): Record<string, unknown> {
    const row = this.db
      .select()
      .from(table as TrackedTable)
      .where(eq(idColumn(table), id))
      .get() as Record<string, unknown> | undefined;
    if (!row) fail('not_found', { entity: getTableName(table), id });
    return row;
  }

  private record(
    table: TrackedTable,
    row: Record<string, unknown>,
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
  ): void {
    const name = tableNames.get(table) ?? (getTableName(table) as TrackedTableName);
    const hlc = this.ctx.hlc.now();
    const rowId = String(row.id);
    const logRows = changeRowsOf(table, before, after).map((r) => ({
      hlc,
      deviceId: this.ctx.deviceId,
      tableName: name,
      rowId,
      column: r.column,
      value: r.value,
      hubSeq: r.hubSeq,
    }));
    if (logRows.length > 0) this.db.insert(changeLog).values(logRows).run();
    const scope: RowScope = scopeOf(this.ctx.raw, name, row);
    this.db
      .insert(activity)
      .values({
        id: this.ctx.ids.next(),
        at: this.stamp,
        hlc,
        actorPersonId: this.ctx.actor.personId,
        deviceId: this.ctx.deviceId,
        organizationId: scope.organizationId,
        productId: scope.productId,
        action: this.action,
        entity: name,
        entityId: rowId,
        before,
        after,
      })
      .run();
  }
}

function idColumn(table: TrackedTable): SQLiteColumn {
  return (getTableColumns(table) as Record<string, SQLiteColumn>).id as SQLiteColumn;
}

function withoutBookkeeping(row: Record<string, unknown>): Record<string, unknown> {
  const { updatedAt: _u, deletedAt: _d, ...rest } = row;
  return rest;
}

