import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Activity, activity } from '#db/schema/index';
import type { ListActivity } from '#common/activity.schema';
import { addDays } from '#common/dates';
import { fail } from '#common/errors';
import type { Ctx } from './context';
import { decodeCursor, encodeCursor } from './query-helpers';

/** What an entry is about, by the name or number a person knows it by (null: a draft, a removed row…). */
export type ActivityRowWithSubject = Activity & { subject: string | null };

export interface ActivityPage {
  rows: ActivityRowWithSubject[];
  nextCursor: string | null;
}

// The records an entry links to, and the column that names them: an invoice by its number,
// an organization or a product by its name. Read for a page at a time, one query per kind.
const SUBJECTS: Record<string, { table: string; label: string }> = {
  invoices: { table: 'invoices', label: 'number' },
  organizations: { table: 'organizations', label: 'name' },
  products: { table: 'products', label: 'name' },
};

function withSubjects(ctx: Ctx, rows: Activity[]): ActivityRowWithSubject[] {
  const names = new Map<string, string>();
  for (const [entity, { table, label }] of Object.entries(SUBJECTS)) {
    const ids = [...new Set(rows.filter((r) => r.entity === entity).map((r) => r.entityId))];
    if (ids.length === 0) continue;
    // Table and column are constants above, never input; the ids are bound parameters.
    const found = ctx.raw
      .prepare(`SELECT id, ${label} AS label FROM ${table} WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { id: string; label: string | null }[];
    for (const f of found) if (f.label) names.set(`${entity}:${f.id}`, f.label);
  }
  return rows.map((r) => ({ ...r, subject: names.get(`${r.entity}:${r.entityId}`) ?? null }));
}

/** Newest first, filterable by organization, product, action and date range (to inclusive). */
export function listActivity(ctx: Ctx, input: z.infer<typeof ListActivity>): ActivityPage {
  const where: SQL[] = [];
  if (input.organizationId) where.push(eq(activity.organizationId, input.organizationId));
  if (input.productId) where.push(eq(activity.productId, input.productId));
  if (input.action) where.push(eq(activity.action, input.action));
  if (input.from) where.push(gte(activity.at, input.from));
  if (input.to) where.push(lt(activity.at, addDays(input.to, 1)));
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor?.length !== 2) fail('invalid_input', { field: 'cursor' });
    where.push(sql`(${activity.at}, ${activity.id}) < (${cursor[0]}, ${cursor[1]})`);
  }
  const rows = ctx.db
    .select()
    .from(activity)
    .where(and(...where))
    .orderBy(desc(activity.at), desc(activity.id))
    .limit(input.limit + 1)
    .all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    rows: withSubjects(ctx, page),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}

export function listActivityActions(ctx: Ctx): string[] {
  return ctx.db
    .selectDistinct({ action: activity.action })
    .from(activity)
    .orderBy(activity.action)
    .all()
    .map((r) => r.action);
}
