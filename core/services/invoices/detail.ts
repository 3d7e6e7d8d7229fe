// One invoice as every screen and export reads it: its lines, VAT summary, credited and due
// amounts, whether it is overdue, and the VAT rule between its issuer and payer.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  type Invoice,
  type InvoiceLine,
  invoiceLines,
  invoices,
  type Organization,
  organizations,
} from '#db/schema/index';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import { invoiceTotals } from '#common/invoice-math';
import { decideVat, type VatDecision } from '#common/vat-rates';
import type { OperationCategory } from '#common/enums';
import { preparedOnce } from '../query-helpers';
import type { Ctx } from '../context';
import { getOrganization } from '../organizations.service';
import { actingOrganization, assertVisible, invoiceVisibleSql } from '../visibility';

export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[];
  /** Sum of the credit notes issued against this invoice. */
  creditedMinor: number;
  vatSummary: { vatRateBp: number; netMinor: number; vatMinor: number }[];
  dueMinor: number;
  overdue: boolean;
  organizationName: string;
  allowedVatRatesBp: number[];
  /** A credit note: the number of the invoice it corrects, to name it by. */
  correctsNumber: string | null;
}

const OPEN_STATUSES = ['unpaid', 'partially_paid'] as const;

/** One invoice; as `actingOrganizationId`, not_visible unless that organization pays it. */
export function getInvoice(ctx: Ctx, id: string, actingOrganizationId?: string): InvoiceDetail {
  if (actingOrganizationId) actingOrganization(ctx, actingOrganizationId);
  const invoice = liveInvoice(ctx, id);
  assertVisible(ctx, actingOrganizationId, 'invoice', invoice.id);
  return detail(ctx, invoice);
}

/**
 * One invoice by its number. Numbers are unique per issuer; across issuers only Kontor's own
 * numbers are (they carry the issuer's code), so a number that several issuers hold (imported
 * history, numbers from before issuer codes) needs the issuer, and the error says whose.
 */
export function getInvoiceByNumber(
  ctx: Ctx,
  number: string,
  actingOrganizationId?: string,
  issuerOrganizationId?: string,
): InvoiceDetail {
  if (actingOrganizationId) actingOrganization(ctx, actingOrganizationId);
  if (issuerOrganizationId) getOrganization(ctx, issuerOrganizationId);
  const where = [eq(invoices.number, number.trim()), isNull(invoices.deletedAt)];
  if (issuerOrganizationId) where.push(eq(invoices.issuerOrganizationId, issuerOrganizationId));
  const all = ctx.db
    .select()
    .from(invoices)
    .where(and(...where))
    .limit(20)
    .all();
  if (all.length === 0) fail('invoice_not_found', { number });
  // As an organization, only what it may see counts (and nothing says what else exists).
  const visible = actingOrganizationId
    ? ctx.db
        .select()
        .from(invoices)
        .where(and(...where, invoiceVisibleSql(actingOrganizationId)))
        .limit(20)
        .all()
    : all;
  if (visible.length === 0) assertVisible(ctx, actingOrganizationId, 'invoice', (all[0] as Invoice).id);
  if (visible.length > 1) {
    const names = visible.map(
      (i) =>
        ctx.db
          .select({ name: organizations.name })
          .from(organizations)
          .where(eq(organizations.id, i.issuerOrganizationId))
          .get()?.name ?? i.issuerOrganizationId,
    );
    fail('invoice_number_ambiguous', { number, issuers: names.join(', ') });
  }
  return detail(ctx, visible[0] as Invoice);
}

function detail(ctx: Ctx, invoice: Invoice): InvoiceDetail {
  const lines = linesOf(ctx, invoice.id);
  const payer = getOrganization(ctx, invoice.organizationId);
  const issuer = ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, invoice.issuerOrganizationId))
    .get();
  const decision = issuer ? vatFor(issuer, payer) : null;
  const creditedMinor = creditedOf(ctx, invoice.id);
  return {
    ...invoice,
    lines,
    creditedMinor,
    vatSummary: invoiceTotals(lines).vatSummary,
    dueMinor: dueOf(invoice, creditedMinor),
    overdue: isOverdue(invoice, todayIso(ctx.clock.now())),
    organizationName: payer.name,
    allowedVatRatesBp: decision?.allowedRatesBp ?? [],
    correctsNumber: invoice.correctsInvoiceId
      ? (ctx.db
          .select({ number: invoices.number })
          .from(invoices)
          .where(eq(invoices.id, invoice.correctsInvoiceId))
          .get()?.number ?? null)
      : null,
  };
}

/**
 * What is still due: nothing on an invoice a credit note cancelled or refunded (nor on a credit
 * note or a pro forma); a partial credit note lowers what is due.
 */
export function dueOf(
  invoice: Pick<Invoice, 'status' | 'kind' | 'grossMinor' | 'paidMinor'>,
  creditedMinor: number,
): number {
  if (invoice.status === 'cancelled' || invoice.status === 'refunded' || invoice.kind !== 'invoice') return 0;
  return Math.max(0, invoice.grossMinor - invoice.paidMinor - creditedMinor);
}

/** What issued credit notes took off each of these invoices (absent: nothing). */
export function creditedOfMany(ctx: Ctx, invoiceIds: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  // SQLite caps bound parameters: a page is at most 1000 rows, looked up in slices.
  for (let i = 0; i < invoiceIds.length; i += 500) {
    const slice = invoiceIds.slice(i, i + 500);
    for (const row of ctx.db
      .select({ id: invoices.correctsInvoiceId, total: sql<number>`sum(${invoices.grossMinor})` })
      .from(invoices)
      .where(
        and(
          inArray(invoices.correctsInvoiceId, slice),
          eq(invoices.kind, 'credit_note'),
          sql`${invoices.status} <> 'draft'`,
        ),
      )
      .groupBy(invoices.correctsInvoiceId)
      .all())
      if (row.id) out.set(row.id, row.total);
  }
  return out;
}

export function creditedOf(ctx: Ctx, invoiceId: string): number {
  return (
    ctx.db
      .select({ total: sql<number>`coalesce(sum(${invoices.grossMinor}), 0)` })
      .from(invoices)
      .where(
        and(
          eq(invoices.correctsInvoiceId, invoiceId),
          eq(invoices.kind, 'credit_note'),
          sql`${invoices.status} <> 'draft'`,
        ),
      )
      .get()?.total ?? 0
  );
}

export function isOverdue(invoice: Pick<Invoice, 'status' | 'dueOn' | 'kind'>, today: string): boolean {
  return (
    invoice.kind === 'invoice' &&
    (OPEN_STATUSES as readonly string[]).includes(invoice.status) &&
    invoice.dueOn !== null &&
    invoice.dueOn < today
  );
}

/** The VAT rule between two parties, with what the issuer sells (for the lines' VAT category). */
export type LineRule = VatDecision & { operation: OperationCategory };

export function vatFor(issuer: Organization, payer: Organization): LineRule {
  return {
    ...decideVat(issuer.country, { country: payer.country, kind: payer.kind, vatNumber: payer.vatNumber }),
    operation: issuer.operationCategory,
  };
}

/** The stored invoice `id`, unless deleted (a deleted draft is not found). */
/**
 * What paying a live invoice needs to know of it (ledger/payments.ts applyPayment), read by a
 * statement prepared once per connection (a statement import pays thousands).
 */
export function payableOf(
  ctx: Ctx,
  id: string,
): { id: string; paidMinor: number; creditedMinor: number; grossMinor: number } {
  const query = preparedOnce(
    ctx.raw,
    `SELECT i.id, i.paid_minor AS paidMinor, i.gross_minor AS grossMinor,
       (SELECT coalesce(sum(c.gross_minor), 0) FROM invoices c
        WHERE c.corrects_invoice_id = i.id AND c.kind = 'credit_note' AND c.status <> 'draft') AS creditedMinor
     FROM invoices i WHERE i.id = ? AND i.deleted_at IS NULL`,
  );
  return (query.get(id) as ReturnType<typeof payableOf> | undefined) ?? fail('invoice_not_found', { id });
}

export function liveInvoice(ctx: Ctx, id: string): Invoice {
  return (
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, id), isNull(invoices.deletedAt)))
      .get() ?? fail('invoice_not_found', { id })
  );
}

/** An invoice's lines in their printed order. */
export function linesOf(ctx: Ctx, invoiceId: string): InvoiceLine[] {
  return ctx.db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position))
    .all();
}
