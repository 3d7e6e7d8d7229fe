// Lists and reports over a filtered invoice set: the keyset-paged list, totals per currency,
// payment and renewal reminders, counts per status, monthly totals.
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { z } from 'zod';
import { type Invoice, type InvoiceKind, invoices, organizations, products } from '#db/schema/index';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import type { InvoiceFilters, ListInvoices } from '#common/invoices.schema';
import type { Ctx } from '../context';
import { decodeCursor, encodeCursor } from '../query-helpers';
import { matchingIdsSql } from '../search/search.service';
import { actingOrganization, invoiceVisibleSql, productVisibleSql } from '../visibility';
import { creditedOfMany, dueOf, isOverdue } from './detail';

export interface InvoiceListRow {
  id: string;
  kind: InvoiceKind;
  status: Invoice['status'];
  number: string | null;
  issuedOn: string;
  dueOn: string | null;
  organizationId: string;
  organizationName: string;
  /** Whose products it bills (the client, also when the partner pays). */
  productsOrganizationId: string;
  currency: Invoice['currency'];
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  paidMinor: number;
  overdue: boolean;
  /** What issued credit notes took off it. */
  creditedMinor: number;
  /** What is still due (dueOf, as on the invoice's page). */
  dueMinor: number;
}

export interface InvoicePage {
  rows: InvoiceListRow[];
  nextCursor: string | null;
}

/**
 * The conditions of a filtered invoice set. With `actingOrganizationId`, only the invoices it
 * pays (visibility.ts): a filter naming another organization then simply finds nothing.
 * Callers check that the acting organization exists (assertActingFilters).
 */
export function filterSql(input: InvoiceFilters, today: string): SQL[] {
  const where: SQL[] = [isNull(invoices.deletedAt)];
  if (input.actingOrganizationId) where.push(invoiceVisibleSql(input.actingOrganizationId));
  if (input.organizationId) where.push(eq(invoices.organizationId, input.organizationId));
  if (input.productsOrganizationId)
    where.push(eq(invoices.productsOrganizationId, input.productsOrganizationId));
  if (input.organizationIds?.length) where.push(inArray(invoices.organizationId, input.organizationIds));
  if (input.statuses.length) {
    where.push(inArray(invoices.status, input.statuses));
    // A credit note is born settled ("paid" in the store) and an issued pro forma stays
    // "unpaid": both read "Issued" (statusText), so a filter by payment status leaves them out.
    where.push(
      sql`not ((${invoices.kind} = 'credit_note' and ${invoices.status} = 'paid') or (${invoices.kind} = 'pro_forma' and ${invoices.status} = 'unpaid'))`,
    );
  }
  if (input.issuedOnly) where.push(sql`${invoices.status} <> 'draft'`);
  if (input.kinds.length) where.push(inArray(invoices.kind, input.kinds));
  if (input.currency) where.push(eq(invoices.currency, input.currency));
  if (input.from) where.push(sql`${invoices.issuedOn} >= ${input.from}`);
  if (input.to) where.push(sql`${invoices.issuedOn} <= ${input.to}`);
  if (input.overdue === true) {
    where.push(
      sql`${invoices.kind} = 'invoice' and ${invoices.status} in ('unpaid', 'partially_paid') and ${invoices.dueOn} < ${today}`,
    );
  }
  const search = input.search?.trim();
  // Number, customer, amount in any format, reference: the search index (search.service.ts).
  const matching = search ? matchingIdsSql('invoice', invoices.id, search) : null;
  if (matching) where.push(matching);
  return where;
}

/** An acting organization that does not exist is an error, not an empty book. */
export function assertActingFilters(ctx: Ctx, input: Pick<InvoiceFilters, 'actingOrganizationId'>): void {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
}

/**
 * A page of invoices, newest first by default. Keyset on (issued_on, id) with a row-value
 * comparison: the same cost at page 1 and page 10,000 (OFFSET grows with depth, and the
 * OR-form keyset drizzle would build defeats the index).
 */
export function listInvoices(ctx: Ctx, input: z.infer<typeof ListInvoices>): InvoicePage {
  assertActingFilters(ctx, input);
  const today = todayIso(ctx.clock.now());
  const rows = listInvoicesQuery(ctx, input, today).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  // What credit notes took off (an index lookup per page): the amount due a list shows and
  // "Pay invoices…" proposes is the invoice page's.
  const credited = creditedOfMany(
    ctx,
    page.filter((r) => r.kind === 'invoice' && r.status !== 'draft').map((r) => r.id),
  );
  return {
    rows: page.map((r) => ({
      ...r,
      overdue: isOverdue(r, today),
      creditedMinor: credited.get(r.id) ?? 0,
      dueMinor: dueOf(r, credited.get(r.id) ?? 0),
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.issuedOn, last.id]) : null,
  };
}

/** The page query itself (one row more than the limit), apart so its plan can be checked. */
export function listInvoicesQuery(ctx: Ctx, input: z.infer<typeof ListInvoices>, today: string) {
  const where = filterSql(input, today);
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor?.length !== 2) fail('invalid_input', { field: 'cursor' });
    where.push(
      input.direction === 'desc'
        ? sql`(${invoices.issuedOn}, ${invoices.id}) < (${cursor[0]}, ${cursor[1]})`
        : sql`(${invoices.issuedOn}, ${invoices.id}) > (${cursor[0]}, ${cursor[1]})`,
    );
  }
  const order =
    input.direction === 'desc'
      ? [desc(invoices.issuedOn), desc(invoices.id)]
      : [asc(invoices.issuedOn), asc(invoices.id)];
  return ctx.db
    .select({
      id: invoices.id,
      kind: invoices.kind,
      status: invoices.status,
      number: invoices.number,
      issuedOn: invoices.issuedOn,
      dueOn: invoices.dueOn,
      organizationId: invoices.organizationId,
      organizationName: organizations.name,
      productsOrganizationId: invoices.productsOrganizationId,
      currency: invoices.currency,
      netMinor: invoices.netMinor,
      vatMinor: invoices.vatMinor,
      grossMinor: invoices.grossMinor,
      paidMinor: invoices.paidMinor,
    })
    .from(invoices)
    .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
    .where(and(...where))
    .orderBy(...order)
    .limit(input.limit + 1);
}

/** Totals of the filtered set per currency (never summed across currencies). */
export function invoiceTotalsByCurrency(ctx: Ctx, input: InvoiceFilters) {
  assertActingFilters(ctx, input);
  const where = filterSql(input, todayIso(ctx.clock.now()));
  // A pro forma has no fiscal value: it counts only when asked for by kind.
  if (!input.kinds.includes('pro_forma')) where.push(sql`${invoices.kind} <> 'pro_forma'`);
  // Credit notes reduce the totals they correct.
  const signed = (column: SQLiteColumn) =>
    sql<number>`coalesce(sum(case when ${invoices.kind} = 'credit_note' then -${column} else ${column} end), 0)`;
  return ctx.db
    .select({
      currency: invoices.currency,
      count: sql<number>`count(*)`,
      netMinor: signed(invoices.netMinor),
      vatMinor: signed(invoices.vatMinor),
      grossMinor: signed(invoices.grossMinor),
      paidMinor: sql<number>`coalesce(sum(case when ${invoices.kind} = 'credit_note' then 0 else ${invoices.paidMinor} end), 0)`,
    })
    .from(invoices)
    .where(and(...where))
    .groupBy(invoices.currency)
    .orderBy(invoices.currency)
    .all();
}

/** Payment reminders: the overdue invoices of one organization (or all), oldest due first. */
export function overdueInvoices(
  ctx: Ctx,
  organizationId?: string,
  actingOrganizationId?: string,
): InvoiceListRow[] {
  return listInvoices(ctx, {
    organizationId,
    actingOrganizationId,
    overdue: true,
    organizationIds: [],
    statuses: [],
    kinds: ['invoice'],
    direction: 'asc',
    limit: 1000,
  }).rows.sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? ''));
}

/** Renewal reminders: products renewing within each organization's chosen reminder window. */
export function renewalReminders(
  ctx: Ctx,
  input: { organizationId?: string; today?: string; actingOrganizationId?: string },
) {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
  const today = input.today ?? todayIso(ctx.clock.now());
  const rows = ctx.db
    .select({
      productId: products.id,
      productName: products.name,
      nextRenewalOn: products.nextRenewalOn,
      autoRenew: products.autoRenew,
      publicPriceMinor: products.publicPriceMinor,
      currency: products.currency,
      organizationId: organizations.id,
      organizationName: organizations.name,
      reminderDays: organizations.renewalReminderDays,
    })
    .from(products)
    .innerJoin(organizations, eq(organizations.id, products.organizationId))
    .where(
      and(
        isNull(products.deletedAt),
        eq(products.status, 'active'),
        sql`${organizations.renewalReminderDays} is not null`,
        sql`${products.nextRenewalOn} >= ${today}`,
        sql`${products.nextRenewalOn} <= date(${today}, '+' || ${organizations.renewalReminderDays} || ' days')`,
        input.organizationId ? eq(organizations.id, input.organizationId) : undefined,
        input.actingOrganizationId ? productVisibleSql(input.actingOrganizationId) : undefined,
      ),
    )
    .orderBy(asc(products.nextRenewalOn))
    .all();
  return rows;
}

/** Invoice counts and amounts per status and currency (served from a covering index). */
export function invoiceCountsByStatus(ctx: Ctx, input: InvoiceFilters) {
  assertActingFilters(ctx, input);
  const where = filterSql(input, todayIso(ctx.clock.now()));
  return ctx.db
    .select({
      status: invoices.status,
      currency: invoices.currency,
      count: sql<number>`count(*)`,
      grossMinor: sql<number>`coalesce(sum(${invoices.grossMinor}), 0)`,
    })
    .from(invoices)
    .where(and(...where))
    .groupBy(invoices.status, invoices.currency)
    .orderBy(invoices.status, invoices.currency)
    .all();
}

/** Issued invoices per month and currency: invoiced, paid and still open. */
export function monthlyTotals(ctx: Ctx, input: InvoiceFilters) {
  assertActingFilters(ctx, input);
  const where = filterSql(input, todayIso(ctx.clock.now()));
  where.push(sql`${invoices.status} <> 'draft'`, sql`${invoices.kind} = 'invoice'`);
  const month = sql<string>`substr(${invoices.issuedOn}, 1, 7)`;
  return ctx.db
    .select({
      month,
      currency: invoices.currency,
      count: sql<number>`count(*)`,
      grossMinor: sql<number>`coalesce(sum(${invoices.grossMinor}), 0)`,
      paidMinor: sql<number>`coalesce(sum(${invoices.paidMinor}), 0)`,
    })
    .from(invoices)
    .where(and(...where))
    .groupBy(month, invoices.currency)
    .orderBy(month, invoices.currency)
    .all();
}
