import crypto from 'node:crypto';
import { invoiceTotals, lineAmounts } from '#common/invoice-math';
import { chargedFees, FEE_OVERPAID_NOTE, givesFeesBack, paysFees } from '#common/reminder-fee-paid';
import { OVERPAID_NOTE } from '#db/sync/derived';
import type { Sql } from '../store/types';
import { parseJson } from './stored-json';

// What an invoice derives (totals from its lines, paid from its payments) is never merged as
// a field: the hub recomputes it from the rows it holds (as every device does,
// db/sync/derived.ts). One decision only the hub can take: two devices that each recorded a
// full payment offline, or a payment racing a credit note, leave more applied than the
// invoice asks. The seeds' rule for money that does not match an invoice is a deposit to the
// payer's prepaid account; the hub books it once, as a ledger entry of its own (note
// `overpaid_at_sync`), which every device receives and subtracts from what is paid.

export interface HubDeposit {
  id: string;
  row: Record<string, unknown>;
}

const decode = (text: string | null | undefined): unknown => parseJson(text) ?? null;

function num(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
}

async function fieldsOf(sql: Sql, table: string, rowId: string): Promise<Record<string, unknown>> {
  const rows = await sql.all<{ column_name: string; value: string | null }>(
    'SELECT column_name, value FROM hub_fields WHERE table_name = ? AND row_id = ?',
    [table, rowId],
  );
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    const v = decode(r.value);
    if (r.column_name === '*' && v && typeof v === 'object') Object.assign(out, v);
  }
  for (const r of rows) if (r.column_name !== '*') out[r.column_name] = decode(r.value);
  return out;
}

/** An invoice's gross as its lines say (each line from its own inputs, as on the device). */
export function grossOfLines(lines: unknown): number {
  if (!Array.isArray(lines)) return 0;
  const amounts = lines.map((l: Record<string, unknown>) => ({
    ...lineAmounts({
      quantityMilli: num(l.quantityMilli),
      unitPriceMinor: num(l.unitPriceMinor),
      discountBp: num(l.discountBp),
      vatRateBp: num(l.vatRateBp),
    }),
    vatRateBp: num(l.vatRateBp),
  }));
  return invoiceTotals(amounts).grossMinor;
}

async function moneyRows(sql: Sql, table: string, invoiceId: string): Promise<Record<string, unknown>[]> {
  const rows = await sql.all<{ value: string | null }>(
    `SELECT f.value FROM hub_rows r JOIN hub_fields f
       ON f.table_name = r.table_name AND f.row_id = r.row_id AND f.column_name = '*'
     WHERE r.table_name = ? AND r.ref_id = ?`,
    [table, invoiceId],
  );
  return rows.map((r) => (decode(r.value) ?? {}) as Record<string, unknown>);
}

/**
 * The deposit the hub owes an invoice's payer, if what is applied to it now exceeds what it
 * asks (gross less issued credit notes) by more than was already given back (credit-note
 * refunds and earlier hub deposits). Null when nothing is owed.
 */
export async function overpaymentOf(
  sql: Sql,
  invoiceId: string,
  now: number,
  hubHlc: string,
): Promise<HubDeposit | null> {
  const invoice = await fieldsOf(sql, 'invoices', invoiceId);
  if (invoice.kind !== 'invoice' || invoice.status === 'draft' || invoice.status === undefined) return null;
  if (invoice.deleted_at !== null && invoice.deleted_at !== undefined) return null;
  const gross = grossOfLines(invoice.lines);
  let credited = 0;
  const notes = await sql.all<{ row_id: string }>(
    "SELECT row_id FROM hub_rows WHERE table_name = 'invoices' AND ref_id = ?",
    [invoiceId],
  );
  for (const n of notes) {
    const note = await fieldsOf(sql, 'invoices', n.row_id);
    if (note.kind === 'credit_note' && note.status !== 'draft' && !note.deleted_at)
      credited += grossOfLines(note.lines);
  }
  const applied = (await moneyRows(sql, 'payments', invoiceId))
    .filter((p) => p.outcome === 'applied')
    .reduce((sum, p) => sum + num(p.amount_minor), 0);
  const givenBack = (await moneyRows(sql, 'ledger_entries', invoiceId))
    .filter((e) => e.kind === 'deposit' && (e.note === OVERPAID_NOTE || e.note === 'credit_note_refund'))
    .reduce((sum, e) => sum + num(e.amount_minor), 0);
  const owed = Math.max(0, applied - Math.max(0, gross - credited)) - givenBack;
  return owed > 0 ? hubDeposit(invoice, invoiceId, OVERPAID_NOTE, givenBack, owed, now, hubHlc) : null;
}

/**
 * The deposit the hub owes an invoice's payer when the reminder fees paid on it exceed every
 * fee its live reminders charged, less what it already gave back (two devices each booked the
 * open fee from two bank credits: the customer paid twice, the second is the payer's money —
 * the seeds' rule for money that does not match, as for the invoice above). Null when nothing
 * is owed. A fee payment above the charges themselves never gets here: refused at push
 * (./authorize-reminders.ts).
 */
export async function feeOverpaymentOf(
  sql: Sql,
  invoiceId: string,
  now: number,
  hubHlc: string,
): Promise<HubDeposit | null> {
  const invoice = await fieldsOf(sql, 'invoices', invoiceId);
  const reminders = await sql.all<{ row_id: string }>(
    "SELECT row_id FROM hub_rows WHERE table_name = 'reminders' AND ref_id = ?",
    [invoiceId],
  );
  const charged = chargedFees(await Promise.all(reminders.map((r) => fieldsOf(sql, 'reminders', r.row_id))));
  const paid = (await moneyRows(sql, 'payments', invoiceId))
    .filter(paysFees)
    .reduce((sum, p) => sum + num(p.amount_minor), 0);
  if (paid <= charged) return null;
  const givenBack = (await moneyRows(sql, 'ledger_entries', invoiceId))
    .filter(givesFeesBack)
    .reduce((sum, e) => sum + num(e.amount_minor), 0);
  const owed = paid - charged - givenBack;
  return owed > 0 ? hubDeposit(invoice, invoiceId, FEE_OVERPAID_NOTE, givenBack, owed, now, hubHlc) : null;
}

/** A deposit of the hub's own to an invoice's payer; its id derives from what it settles, so it is booked once. */
function hubDeposit(
  invoice: Record<string, unknown>,
  invoiceId: string,
  note: string,
  givenBack: number,
  owed: number,
  now: number,
  hubHlc: string,
): HubDeposit {
  // The invoice over-payment's id keeps its historical input (no note): ids already on hubs stay.
  const prefix = note === OVERPAID_NOTE ? 'overpaid' : note;
  const h = crypto
    .createHash('sha256')
    .update(`${prefix}\u0000${invoiceId}\u0000${givenBack}\u0000${owed}`)
    .digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-b${h.slice(17, 20)}-${h.slice(20, 32)}`;
  const at = new Date(now).toISOString();
  return {
    id,
    row: {
      id,
      created_at: at,
      hlc: hubHlc,
      organization_id: invoice.organization_id,
      kind: 'deposit',
      amount_minor: owed,
      currency: invoice.currency,
      booked_on: at.slice(0, 10),
      invoice_id: invoiceId,
      payment_id: null,
      reverses_entry_id: null,
      method: null,
      note,
    },
  };
}
