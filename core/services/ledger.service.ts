import { desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { todayIso } from '#common/dates';
import { fail, moneyParam } from '#common/errors';
import type { ListLedger, PayFromBalance, RecordPayment, TopUp, Withdraw } from '#common/invoices.schema';
import {
  type Currency,
  type LedgerEntry,
  type LedgerEntryKind,
  type Payment,
  type PaymentMethod,
  payments,
  prepaidBalances,
} from '#db/schema/index';
import { requireAuthority } from './authority';
import type { Ctx } from './context';
import { getInvoice, type InvoiceDetail } from './invoices.service';
import { appendEntry, balanceOf } from './ledger/entries';
import { appendPayment, applyPayment } from './ledger/payments';
import { getOrganization } from './organizations.service';
import { decodeCursor, encodeCursor } from './query-helpers';
import { assertVisible } from './visibility';

export interface LedgerRow extends LedgerEntry {
  balanceAfterMinor: number;
  invoiceNumber: string | null;
}

/** As `actingOrganizationId`: a prepaid account is visible to its own organization only. */
export function balances(
  ctx: Ctx,
  organizationId: string,
  actingOrganizationId?: string,
): { currency: Currency; balanceMinor: number }[] {
  assertVisible(ctx, actingOrganizationId, 'ledger', organizationId);
  const org = getOrganization(ctx, organizationId);
  const rows = ctx.db
    .select({ currency: prepaidBalances.currency, balanceMinor: prepaidBalances.balanceMinor })
    .from(prepaidBalances)
    .where(eq(prepaidBalances.organizationId, organizationId))
    .all();
  if (!rows.some((r) => r.currency === org.currency))
    rows.unshift({ currency: org.currency, balanceMinor: 0 });
  return rows;
}

function whyNotApplicable(invoice: InvoiceDetail, amountMinor: number, currency: Currency): string | null {
  if (invoice.kind !== 'invoice' || invoice.status === 'draft') return 'not_issued';
  if (invoice.status === 'paid' || invoice.status === 'refunded' || invoice.status === 'cancelled')
    return 'already_settled';
  if (currency !== invoice.currency) return 'currency_mismatch';
  if (amountMinor > invoice.dueMinor) return 'more_than_due';
  return null;
}

/**
 * Records money received for an invoice. A payment that does not match — another currency,
 * more than is due, or for an invoice already settled — is not forced onto it: it is
 * deposited to the payer's prepaid account instead, and the activity says why.
 */
export function recordPayment(
  ctx: Ctx,
  input: z.infer<typeof RecordPayment>,
): { payment: Payment; invoice: InvoiceDetail } {
  const payment = ctx.write(
    'payment.recorded',
    (tx) => {
      const invoice = getInvoice(ctx, input.invoiceId);
      const reason = whyNotApplicable(invoice, input.amountMinor, input.currency);
      if (reason === 'not_issued')
        fail('invoice_not_payable', { number: invoice.number ?? '', status: invoice.status });
      const row = appendPayment(tx, ctx, {
        organizationId: invoice.organizationId,
        invoiceId: invoice.id,
        method: input.method,
        amountMinor: input.amountMinor,
        currency: input.currency,
        receivedOn: input.receivedOn,
        reference: input.reference ?? null,
        outcome: reason ? 'deposited' : 'applied',
        depositReason: reason,
      });
      if (reason) {
        appendEntry(tx, ctx, {
          organizationId: invoice.organizationId,
          kind: 'deposit',
          amountMinor: input.amountMinor,
          currency: input.currency,
          invoiceId: invoice.id,
          paymentId: row.id,
          method: input.method,
          note: reason,
        });
      } else applyPayment(tx, ctx, invoice, input.amountMinor);
      return row;
    },
    { durable: true },
  );
  return { payment, invoice: getInvoice(ctx, input.invoiceId) };
}

export function topUp(ctx: Ctx, input: z.infer<typeof TopUp>): LedgerEntry {
  return ctx.write(
    'prepaid.topped_up',
    (tx) => {
      const org = getOrganization(ctx, input.organizationId);
      // Money is booked by the firm (common/authority): refused here as the hub would.
      requireAuthority(ctx, 'ledger_entries', 'insert', org.id, { values: { kind: 'top_up' } });
      return appendEntry(tx, ctx, {
        organizationId: org.id,
        kind: 'top_up',
        amountMinor: input.amountMinor,
        currency: input.currency ?? org.currency,
        method: input.method,
        note: input.note ?? null,
      });
    },
    { durable: true },
  );
}

export function withdraw(ctx: Ctx, input: z.infer<typeof Withdraw>): LedgerEntry {
  return ctx.write(
    'prepaid.withdrawn',
    (tx) => {
      const org = getOrganization(ctx, input.organizationId);
      requireAuthority(ctx, 'ledger_entries', 'insert', org.id, { values: { kind: 'withdrawal' } });
      return appendEntry(tx, ctx, {
        organizationId: org.id,
        kind: 'withdrawal',
        amountMinor: -input.amountMinor,
        currency: input.currency ?? org.currency,
        method: input.method,
        note: input.note ?? null,
      });
    },
    { durable: true },
  );
}

/** Pays one or several invoices from the prepaid balance, each fully or partly; all or nothing. */
export function payFromBalance(ctx: Ctx, input: z.infer<typeof PayFromBalance>): InvoiceDetail[] {
  ctx.write(
    'prepaid.invoices_paid',
    (tx) => {
      getOrganization(ctx, input.organizationId);
      // A refusal speaks of the balance the user sees and of what the batch asks for so far,
      // not of a balance halfway through a batch that is rolled back.
      const startBalance = new Map<Currency, number>();
      const requested = new Map<Currency, number>();
      for (const item of input.items) {
        const invoice = getInvoice(ctx, item.invoiceId);
        if (invoice.organizationId !== input.organizationId) fail('invoice_wrong_organization');
        const amount = item.amountMinor ?? invoice.dueMinor;
        const reason = whyNotApplicable(invoice, amount, invoice.currency);
        if (reason === 'more_than_due') {
          fail('payment_exceeds_due', {
            number: invoice.number ?? '',
            due: moneyParam(invoice.dueMinor, invoice.currency),
            amount: moneyParam(amount, invoice.currency),
          });
        }
        if (reason || amount <= 0)
          fail('invoice_not_payable', { number: invoice.number ?? '', status: invoice.status });
        const before =
          startBalance.get(invoice.currency) ?? balanceOf(ctx, input.organizationId, invoice.currency);
        startBalance.set(invoice.currency, before);
        const total = (requested.get(invoice.currency) ?? 0) + amount;
        requested.set(invoice.currency, total);
        if (total > before) {
          fail('prepaid_insufficient_balance', {
            balance: moneyParam(before, invoice.currency),
            amount: moneyParam(total, invoice.currency),
          });
        }
        const payment = appendPayment(tx, ctx, {
          organizationId: invoice.organizationId,
          invoiceId: invoice.id,
          method: 'prepaid' satisfies PaymentMethod,
          amountMinor: amount,
          currency: invoice.currency,
          receivedOn: todayIso(tx.now),
          reference: invoice.paymentReference,
          outcome: 'applied',
          depositReason: null,
        });
        appendEntry(tx, ctx, {
          organizationId: invoice.organizationId,
          kind: 'invoice_payment',
          amountMinor: -amount,
          currency: invoice.currency,
          invoiceId: invoice.id,
          paymentId: payment.id,
          method: 'prepaid',
        });
        applyPayment(tx, ctx, invoice, amount);
      }
    },
    { durable: true },
  );
  return input.items.map((i) => getInvoice(ctx, i.invoiceId));
}

/** Ledger with a running balance, newest first; the balance column is computed by SQLite. */
export function listLedger(
  ctx: Ctx,
  input: z.infer<typeof ListLedger>,
): { rows: LedgerRow[]; nextCursor: string | null; balanceMinor: number } {
  assertVisible(ctx, input.actingOrganizationId, 'ledger', input.organizationId);
  const org = getOrganization(ctx, input.organizationId);
  const currency = input.currency ?? org.currency;
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  // In HLC order, the order the entries were written in (and the one the never-below-zero
  // check saw): the wall clock in created_at can step back, and a running balance in its order
  // would show a negative balance that never was.
  const rows = ctx.raw
    .prepare(
      `select * from (
         select e.*, i.number as invoice_number,
           sum(e.amount_minor) over (order by e.hlc, e.id rows unbounded preceding) as balance_after
         from ledger_entries e left join invoices i on i.id = e.invoice_id
         where e.organization_id = ? and e.currency = ?)
       where (? is null or (hlc, id) < (?, ?))
       order by hlc desc, id desc limit ?`,
    )
    .all(
      org.id,
      currency,
      cursor?.[0] ?? null,
      cursor?.[0] ?? null,
      cursor?.[1] ?? null,
      input.limit + 1,
    ) as Record<string, unknown>[];
  const mapped: LedgerRow[] = rows.slice(0, input.limit).map((r) => ({
    id: r.id as string,
    createdAt: r.created_at as string,
    hlc: r.hlc as string,
    organizationId: r.organization_id as string,
    kind: r.kind as LedgerEntryKind,
    amountMinor: r.amount_minor as number,
    currency: r.currency as Currency,
    bookedOn: r.booked_on as string,
    invoiceId: (r.invoice_id as string | null) ?? null,
    paymentId: (r.payment_id as string | null) ?? null,
    reversesEntryId: (r.reverses_entry_id as string | null) ?? null,
    method: (r.method as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    balanceAfterMinor: r.balance_after as number,
    invoiceNumber: (r.invoice_number as string | null) ?? null,
  }));
  const last = mapped.at(-1);
  return {
    rows: mapped,
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.hlc, last.id]) : null,
    balanceMinor: balanceOf(ctx, org.id, currency),
  };
}

/** Payments of an invoice; as `actingOrganizationId`, only of an invoice it pays. */
export function paymentsOf(ctx: Ctx, invoiceId: string, actingOrganizationId?: string): Payment[] {
  if (actingOrganizationId) getInvoice(ctx, invoiceId, actingOrganizationId);
  return ctx.db
    .select()
    .from(payments)
    .where(eq(payments.invoiceId, invoiceId))
    .orderBy(desc(payments.createdAt))
    .all();
}
