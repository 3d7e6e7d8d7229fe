import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ListActivity } from '#common/activity.schema';
import { addDays } from '#common/dates';
import { fail } from '#common/errors';
import { type Activity, activity } from '#db/schema/index';
import type { Ctx } from './context';
import { decodeCursor, encodeCursor } from './query-helpers';

/**
 * What an entry is about, by the name or number a person knows it by (null: a removed tag
 * pair…). A draft invoice has no number yet: it is named by its payer, `draft` says so. A
 * team's pair (member, product) is about the team; `part` names the person or product paired.
 */
export type ActivityRowWithSubject = Activity & {
  subject: string | null;
  draft: boolean;
  part: string | null;
};

export interface ActivityPage {
  rows: ActivityRowWithSubject[];
  nextCursor: string | null;
}

// The records an entry links to, and what names them: an invoice by its number (a draft by
// its payer's name), an organization or a product by its name. Read for a page at a time, one
// query per kind; the SQL is constant, the ids are bound parameters.
const SUBJECTS: Record<string, string> = {
  invoices: `SELECT i.id, coalesce(i.number, o.name) AS label, i.number IS NULL AS draft
             FROM invoices i JOIN organizations o ON o.id = i.organization_id WHERE i.id IN (IDS)`,
  organizations: 'SELECT id, name AS label, 0 AS draft FROM organizations WHERE id IN (IDS)',
  products: 'SELECT id, name AS label, 0 AS draft FROM products WHERE id IN (IDS)',
  // A member by the person's name (a membership's id says nothing; its removal and return too).
  memberships: `SELECT m.id, p.name AS label, 0 AS draft
                FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.id IN (IDS)`,
  work_teams: 'SELECT id, name AS label, 0 AS draft FROM work_teams WHERE id IN (IDS)',
};

// A team's pairs are keyed `teamId:otherId` (core/services/teams.service.ts): named by the team,
// and by the person or product paired (the review found team entries naming neither).
const PAIRS: Record<string, { part: 'people' | 'products' }> = {
  work_team_members: { part: 'people' },
  work_team_products: { part: 'products' },
};
const NAMES = {
  work_teams: 'SELECT id, name FROM work_teams WHERE id IN (IDS)',
  people: 'SELECT id, name FROM people WHERE id IN (IDS)',
  products: 'SELECT id, name FROM products WHERE id IN (IDS)',
} as const;

function namesOf(ctx: Ctx, table: keyof typeof NAMES, ids: string[]): Map<string, string> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = ctx.raw
    .prepare(NAMES[table].replace('IDS', unique.map(() => '?').join(',')))
    .all(...unique) as {
    id: string;
    name: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Of each team pair entry, the team's name and the paired person's or product's. */
function pairNames(ctx: Ctx, rows: Activity[]): Map<Activity, { team?: string; part?: string }> {
  const pairs = rows.filter((r) => r.entity in PAIRS).map((r) => ({ r, ids: r.entityId.split(':') }));
  const teams = namesOf(
    ctx,
    'work_teams',
    pairs.map((p) => p.ids[0] ?? ''),
  );
  const parts = {
    people: namesOf(
      ctx,
      'people',
      pairs.filter((p) => PAIRS[p.r.entity]?.part === 'people').map((p) => p.ids[1] ?? ''),
    ),
    products: namesOf(
      ctx,
      'products',
      pairs.filter((p) => PAIRS[p.r.entity]?.part === 'products').map((p) => p.ids[1] ?? ''),
    ),
  };
  return new Map(
    pairs.map(({ r, ids }) => [
      r,
      { team: teams.get(ids[0] ?? ''), part: parts[PAIRS[r.entity]?.part ?? 'people'].get(ids[1] ?? '') },
    ]),
  );
}

function withSubjects(ctx: Ctx, rows: Activity[]): ActivityRowWithSubject[] {
  const names = new Map<string, { label: string; draft: boolean }>();
  for (const [entity, query] of Object.entries(SUBJECTS)) {
    const ids = [...new Set(rows.filter((r) => r.entity === entity).map((r) => r.entityId))];
    if (ids.length === 0) continue;
    const found = ctx.raw.prepare(query.replace('IDS', ids.map(() => '?').join(','))).all(...ids) as {
      id: string;
      label: string | null;
      draft: number;
    }[];
    for (const f of found)
      if (f.label) names.set(`${entity}:${f.id}`, { label: f.label, draft: f.draft === 1 });
  }
  const paired = pairNames(ctx, rows);
  return rows.map((r) => {
    const named = names.get(`${r.entity}:${r.entityId}`);
    const pair = paired.get(r);
    return {
      ...r,
      subject: named?.label ?? pair?.team ?? null,
      draft: named?.draft ?? false,
      part: pair?.part ?? null,
    };
  });
}

/**
 * One write of one record is one entry to read. The history keeps a row per recorded change
 * (one HLC each: test/helpers/history.ts), so creating a draft with lines records the insert,
 * its lines and its totals — three rows a person would read as "Invoice drafted" three times.
 * Rows of one write (the transaction's stamp `at`, the same action, record, person and
 * device) are read as one: each field from its value before the write to its value after it;
 * a creation (a row with nothing before) stays a creation.
 */
const sameWrite = (a: Activity, b: Activity) =>
  a.at === b.at &&
  a.action === b.action &&
  a.entity === b.entity &&
  a.entityId === b.entityId &&
  a.actorPersonId === b.actorPersonId &&
  a.deviceId === b.deviceId;

function fold(rows: Activity[]): Activity[] {
  const out: Activity[] = [];
  // Newest first: a write's rows are adjacent, its newest row first.
  for (const row of rows) {
    const head = out.at(-1);
    if (!head || !sameWrite(head, row)) {
      out.push(row);
      continue;
    }
    const created = head.before === null || row.before === null;
    out[out.length - 1] = {
      ...head,
      before: created ? null : { ...head.before, ...row.before },
      after: { ...(row.after ?? {}), ...(head.after ?? {}) },
    };
  }
  return out;
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
  const read = (extra: SQL[], limit: number) =>
    ctx.db
      .select()
      .from(activity)
      .where(and(...where, ...extra))
      .orderBy(desc(activity.at), desc(activity.id))
      .limit(limit)
      .all();
  const rows = read([], input.limit + 1);
  const page = rows.slice(0, input.limit);
  // A page never ends inside one write: the rest of the last write's rows come with it.
  let last = page.at(-1);
  while (last && rows.length > input.limit) {
    const next = read([sql`(${activity.at}, ${activity.id}) < (${last.at}, ${last.id})`], 1)[0];
    if (!next || !sameWrite(last, next)) break;
    page.push(next);
    last = next;
  }
  const more =
    !!last &&
    rows.length > input.limit &&
    read([sql`(${activity.at}, ${activity.id}) < (${last.at}, ${last.id})`], 1).length > 0;
  return {
    rows: withSubjects(ctx, fold(page)),
    nextCursor: more && last ? encodeCursor([last.at, last.id]) : null,
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
