// Money at a glance (issue 14): what is open and how overdue, what was earned month by month
// (12 months, per currency, credit notes subtracted, never summed across currencies), prepaid
// balances and the renewals coming up — for the whole book (home) or one organization (its
// overview). The whole book reads the sums kept by triggers (db/glance.ts, migration 0023): a
// few hundred rows whatever the size of the book. One organization walks its own invoices on
// an index named with INDEXED BY (without statistics the planner picked the older status
// index and read the table for every due date): the open ones on the covering index of
// migration 0019, the year's by payer and issue date.
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { addDays, todayIso } from '#common/dates';
import type { AgeBucket, MoneyAtAGlance } from '#common/dashboard.schema';
import type { Currency } from '#common/enums';
import { EARNED_SQL, OPEN_SQL, SIGNED_GROSS_SQL } from '#db/glance';
import { openFeesByDay } from './billing/reminder-fees';
import type { Ctx } from './context';
import { actingOrganization, assertVisible } from './visibility';

export interface Receivables {
  currency: Currency;
  openMinor: number;
  openCount: number;
  overdueMinor: number;
  /** Of what is open, the reminders' fees not paid yet (aged by the reminder's pay-by day). */
  feesMinor: number;
  buckets: Record<AgeBucket, number>;
}
export interface MonthRevenue {
  month: string;
  currency: Currency;
  grossMinor: number;
}
export interface PrepaidBalance {
  organizationId: string;
  organizationName: string;
  currency: Currency;
  balanceMinor: number;
}
export interface UpcomingRenewal {
  productId: string;
  productName: string;
  organizationId: string;
  organizationName: string;
  nextRenewalOn: string;
  publicPriceMinor: number;
  currency: Currency;
}
export interface MoneyOverview {
  today: string;
  months: string[];
  receivables: Receivables[];
  revenue: MonthRevenue[];
  prepaid: PrepaidBalance[];
  renewals: UpcomingRenewal[];
}

/** How far ahead renewals are listed, and how many at most. */
const RENEWAL_DAYS = 60;
const RENEWAL_LIMIT = 20;

/** The 12 months ending with today's, oldest first ("2026-01"). */
export function lastTwelveMonths(today: string): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const index = y * 12 + (m - 1) - (11 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** The buckets between not due and over 90 days: due on or after today − days. */
const AGE_STEPS: readonly (readonly [AgeBucket, number])[] = [
  ['days1to30', 30],
  ['days31to60', 60],
  ['days61to90', 90],
];

/** The age bucket of an amount due on `due`, by the same steps as the SQL of the invoices. */
function ageOf(due: string, today: string): AgeBucket {
  if (due >= today) return 'notDue';
  return AGE_STEPS.find(([, days]) => due >= addDays(today, -days))?.[0] ?? 'over90';
}

export function moneyAtAGlance(ctx: Ctx, input: z.infer<typeof MoneyAtAGlance>): MoneyOverview {
  const acting = input.actingOrganizationId;
  if (acting) actingOrganization(ctx, acting);
  if (input.organizationId && acting) assertVisible(ctx, acting, 'organization', input.organizationId);
  const today = input.today ?? todayIso(ctx.clock.now());
  const months = lastTwelveMonths(today);
  // An invoice lives with the organization that pays it: a partner sees the ones it pays.
  const payer = input.organizationId ?? acting;

  const bucket = (due: SQL) => sql`case when ${due} is null or ${due} = '' or ${due} >= ${today} then 'notDue'
        ${sql.join(
          AGE_STEPS.map(([b, days]) => sql`when ${due} >= ${addDays(today, -days)} then ${b}`),
          sql` `,
        )}
        else 'over90' end`;
  const ages = payer
    ? ctx.db.all<{ currency: Currency; bucket: AgeBucket; n: number; due: number }>(sql`
    select currency, ${bucket(sql`due_on`)} as bucket, count(*) as n, sum(gross_minor - paid_minor) as due
    from invoices indexed by invoices_open_cover_idx
    where ${sql.raw(OPEN_SQL)} and organization_id = ${payer}
    group by currency, bucket`)
    : ctx.db.all<{ currency: Currency; bucket: AgeBucket; n: number; due: number }>(sql`
    select currency, ${bucket(sql`due_on`)} as bucket, sum(n) as n, sum(due_minor) as due
    from glance_open group by currency, bucket having sum(n) > 0`);
  const receivables = new Map<Currency, Receivables>();
  const add = (currency: Currency, ageBucket: AgeBucket, due: number) => {
    const r = receivables.get(currency) ?? {
      currency,
      openMinor: 0,
      openCount: 0,
      overdueMinor: 0,
      feesMinor: 0,
      buckets: { notDue: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 },
    };
    r.openMinor += due;
    r.buckets[ageBucket] += due;
    if (ageBucket !== 'notDue') r.overdueMinor += due;
    receivables.set(currency, r);
    return r;
  };
  for (const row of ages) add(row.currency, row.bucket, row.due).openCount += row.n;
  // The reminders' fees are owed too, beside their invoices, until paid (billing/reminder-fees.ts).
  for (const fee of openFeesByDay(ctx, payer ?? null))
    add(fee.currency, ageOf(fee.payBy, today), fee.openMinor).feesMinor += fee.openMinor;

  const from = `${months[0]}-01`;
  const revenue = payer
    ? ctx.db.all<MonthRevenue>(sql`
    select substr(issued_on, 1, 7) as month, currency, sum(${sql.raw(SIGNED_GROSS_SQL)}) as grossMinor
    from invoices indexed by invoices_org_issued_idx
    where organization_id = ${payer} and issued_on >= ${from} and issued_on <= ${today} and ${sql.raw(EARNED_SQL)}
    group by month, currency order by month, currency`)
    : ctx.db.all<MonthRevenue>(sql`
    select substr(issued_on, 1, 7) as month, currency, sum(gross_minor) as grossMinor
    from glance_revenue where issued_on >= ${from} and issued_on <= ${today}
    group by month, currency having sum(n) > 0 order by month, currency`);

  // CROSS JOIN keeps the balances outermost: without statistics the planner walked every
  // organization (10k: 6 ms) to look up the few that hold a balance.
  const prepaid = ctx.db.all<PrepaidBalance>(sql`
    select b.organization_id as organizationId, o.name as organizationName, b.currency, b.balance_minor as balanceMinor
    from prepaid_balances b cross join organizations o on o.id = b.organization_id
    where b.balance_minor <> 0 ${payer ? sql`and b.organization_id = ${payer}` : sql``}
    order by b.balance_minor desc limit 20`);

  const ofProducts = input.organizationId
    ? sql`and p.organization_id = ${input.organizationId}`
    : acting
      ? sql`and p.organization_id = ${acting}`
      : sql``;
  const renewals = ctx.db.all<UpcomingRenewal & { autoRenew: number }>(sql`
    select p.id as productId, p.name as productName, p.organization_id as organizationId, o.name as organizationName,
      p.next_renewal_on as nextRenewalOn, p.public_price_minor as publicPriceMinor, p.currency
    from products p join organizations o on o.id = p.organization_id
    where p.deleted_at is null and p.status = 'active' and p.next_renewal_on >= ${today}
      and p.next_renewal_on <= ${addDays(today, RENEWAL_DAYS)} ${ofProducts}
    order by p.next_renewal_on, p.id limit ${RENEWAL_LIMIT}`);

  return {
    today,
    months,
    receivables: [...receivables.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    revenue,
    prepaid,
    renewals,
  };
}
