// The rows of a partner's client export, one reader per history type (DOMAIN.md "Exports
// users ask for"). Of the managed clients' billing the partner sees only what lives with it:
//  - invoices it PAYS for their products (organization = partner, products organization =
//    the client), issued in the period. Invoices the client pays live with the client only
//    and never appear here;
//  - the payments applied to those invoices, received in the period (whatever the invoice's
//    own date: a January payment of a December invoice is January's money);
//  - the cashback credited to it for those clients' orders, booked in the period.
// The set is computed here with one query rather than shared with the screens' visibility
// rules, so an export never depends on what a screen happens to show.
//
// Rows are read in keyset chunks, each a finished query (the connection stays free between
// chunks and memory holds one chunk).
import { todayIso } from '#common/dates';
import { printedReference } from '#common/payment-reference';
import type { Currency, InvoiceKind, InvoiceStatus, PaymentMethod } from '#db/schema/index';
import { type InvoiceColumnsRow, listedAmounts } from '../export/invoice-columns';
import type { ClientExportPlan } from './client-export-plan';
import type { Ctx } from './context';
import { isOverdue } from './invoices.service';
import { CASHBACK_NOTE } from './partners.service';

export interface ClientCells {
  clientId: string;
  clientName: string;
}

export interface ClientInvoiceRow extends ClientCells, InvoiceColumnsRow {
  id: string;
  kind: InvoiceKind;
  status: InvoiceStatus;
  currency: Currency;
}

export interface ClientPaymentRow extends ClientCells {
  id: string;
  receivedOn: string;
  invoiceNumber: string;
  method: PaymentMethod;
  currency: Currency;
  amountMinor: number;
  reference: string;
}

export interface ClientCashbackRow extends ClientCells {
  id: string;
  bookedOn: string;
  invoiceNumber: string;
  currency: Currency;
  amountMinor: number;
}

/**
 * Runs `sql` chunk after chunk, keyset on (date, id): the statement takes its parameters,
 * then the last (date, id) seen, then the chunk size.
 */
async function* keyset<Raw extends { id: string }>(
  ctx: Ctx,
  sql: string,
  params: unknown[],
  dateOf: (row: Raw) => string,
  chunk: number,
): AsyncGenerator<Raw> {
  const statement = ctx.raw.prepare(sql);
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = statement.all(...params, after[0], after[1], chunk) as Raw[];
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < chunk) return;
    after = [dateOf(last), last.id];
  }
}

const scopeOf = (plan: ClientExportPlan) => JSON.stringify(plan.clients.map((c) => c.id));

interface RawInvoice {
  id: string;
  number: string | null;
  kind: InvoiceKind;
  status: InvoiceStatus;
  issued_on: string;
  due_on: string | null;
  currency: Currency;
  net_minor: number;
  vat_minor: number;
  gross_minor: number;
  paid_minor: number;
  payment_reference: string | null;
  client_id: string;
  client_name: string;
}

/** Partner-paid invoices and credit notes for the clients' products, issued in the period, oldest first. */
export async function* clientInvoiceRows(
  ctx: Ctx,
  plan: ClientExportPlan,
  chunk = 2_000,
): AsyncGenerator<ClientInvoiceRow> {
  const today = todayIso(ctx.clock.now());
  const rows = keyset<RawInvoice>(
    ctx,
    `select i.id, i.number, i.kind, i.status, i.issued_on, i.due_on, i.currency, i.net_minor,
            i.vat_minor, i.gross_minor, i.paid_minor, i.payment_reference,
            i.products_organization_id as client_id, o.name as client_name
       from invoices i join organizations o on o.id = i.products_organization_id
      where i.organization_id = ? and i.issued_on between ? and ?
        and i.products_organization_id in (select value from json_each(?))
        and i.deleted_at is null and i.status <> 'draft' and i.kind in ('invoice', 'credit_note')
        and (i.issued_on, i.id) > (?, ?)
      order by i.issued_on, i.id limit ?`,
    [plan.partner.id, plan.from, plan.to, scopeOf(plan)],
    (r) => r.issued_on,
    chunk,
  );
  for await (const r of rows) {
    yield {
      clientId: r.client_id,
      clientName: r.client_name,
      id: r.id,
      number: r.number ?? '',
      kind: r.kind,
      status: r.status,
      overdue: isOverdue({ kind: r.kind, status: r.status, dueOn: r.due_on }, today),
      issuedOn: r.issued_on,
      dueOn: r.due_on,
      currency: r.currency,
      ...listedAmounts({
        kind: r.kind,
        status: r.status,
        netMinor: r.net_minor,
        vatMinor: r.vat_minor,
        grossMinor: r.gross_minor,
        paidMinor: r.paid_minor,
      }),
      paymentReference: printedReference(r.payment_reference),
    };
  }
}

interface RawPayment {
  id: string;
  received_on: string;
  method: PaymentMethod;
  amount_minor: number;
  currency: Currency;
  reference: string | null;
  invoice_number: string | null;
  client_id: string;
  client_name: string;
}

/**
 * Payments applied to those invoices, received in the period. A payment that did not match
 * its invoice was deposited to the partner's prepaid account instead: it is the partner's
 * money, not the client's billing, and stays out.
 */
export async function* clientPaymentRows(
  ctx: Ctx,
  plan: ClientExportPlan,
  chunk = 2_000,
): AsyncGenerator<ClientPaymentRow> {
  const rows = keyset<RawPayment>(
    ctx,
    `select p.id, p.received_on, p.method, p.amount_minor, p.currency, p.reference,
            i.number as invoice_number, i.products_organization_id as client_id, o.name as client_name
       from payments p
       join invoices i on i.id = p.invoice_id
       join organizations o on o.id = i.products_organization_id
      where p.organization_id = ? and p.received_on between ? and ? and p.outcome = 'applied'
        and i.organization_id = p.organization_id
        and i.products_organization_id in (select value from json_each(?))
        and (p.received_on, p.id) > (?, ?)
      order by p.received_on, p.id limit ?`,
    [plan.partner.id, plan.from, plan.to, scopeOf(plan)],
    (r) => r.received_on,
    chunk,
  );
  for await (const r of rows) {
    yield {
      clientId: r.client_id,
      clientName: r.client_name,
      id: r.id,
      receivedOn: r.received_on,
      invoiceNumber: r.invoice_number ?? '',
      method: r.method,
      currency: r.currency,
      amountMinor: r.amount_minor,
      reference: printedReference(r.reference),
    };
  }
}

interface RawCashback {
  id: string;
  booked_on: string;
  amount_minor: number;
  currency: Currency;
  invoice_number: string | null;
  client_id: string;
  client_name: string;
}

/**
 * The partner's cashback entries booked in the period, per client: an entry names the
 * partnership that earned it (partners.service creditCashback), and so its client.
 */
export async function* clientCashbackRows(
  ctx: Ctx,
  plan: ClientExportPlan,
  chunk = 2_000,
): AsyncGenerator<ClientCashbackRow> {
  const rows = keyset<RawCashback>(
    ctx,
    `select e.id, e.booked_on, e.amount_minor, e.currency, i.number as invoice_number,
            ps.client_organization_id as client_id, o.name as client_name
       from ledger_entries e
       join partnerships ps on ps.id = substr(e.note, ${CASHBACK_NOTE.length + 1})
       join organizations o on o.id = ps.client_organization_id
       left join invoices i on i.id = e.invoice_id
      where e.organization_id = ? and e.kind = 'cashback' and e.booked_on between ? and ?
        and e.note like '${CASHBACK_NOTE}%' and ps.partner_organization_id = e.organization_id
        and ps.client_organization_id in (select value from json_each(?))
        and (e.booked_on, e.id) > (?, ?)
      order by e.booked_on, e.id limit ?`,
    [plan.partner.id, plan.from, plan.to, scopeOf(plan)],
    (r) => r.booked_on,
    chunk,
  );
  for await (const r of rows) {
    yield {
      clientId: r.client_id,
      clientName: r.client_name,
      id: r.id,
      bookedOn: r.booked_on,
      invoiceNumber: r.invoice_number ?? '',
      currency: r.currency,
      amountMinor: r.amount_minor,
    };
  }
}
