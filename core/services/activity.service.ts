import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Activity, activity } from '#db/schema/index';
import type { ListActivity } from '#common/activity.schema';
import { addDays } from '#common/dates';
import { fail } from '#common/errors';
import type { Ctx } from './context';
import { decodeCursor, encodeCursor } from './query-helpers';

export interface ActivityPage {
  rows: Activity[];
  nextCursor: string | null;
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
    rows: page,
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
