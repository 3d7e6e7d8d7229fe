import type { Statement } from 'better-sqlite3';
import { invoiceTotals, lineAmounts } from '#common/invoice-math';
import type { RawDb } from '../open';

// Values an invoice derives from other rows are never merged field by field: two devices
// that each recorded a payment would otherwise keep only the last writer's paid amount, and
// a line edited on one device and totals on another would give totals that are not the
// lines. They never travel (DERIVED_COLUMNS) and are recomputed here after every merge:
//   totals       = the sum of the lines (each line's amounts from its own inputs)
//   paid         = applied payments − what the hub deposited back as over-payment
//   status       = from issued-ness, payments, credit notes and pro forma conversions
// The same rules as the services that write them locally (ledger.service applyToInvoice,
// invoices.service createCreditNote), so a device's own writes and a merge agree.

/** The note of the hub's deposit of an over-payment found after a merge (server/sync/derived.ts). */
export const OVERPAID_NOTE = 'overpaid_at_sync';

export interface DerivedInvoice {
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  paidMinor: number;
  status: string;
}

interface LineRow {
  quantity_milli: number;
  unit_price_minor: number;
  discount_bp: number;
  vat_rate_bp: number;
}

/** The status an issued document has, given what was paid and credited against it. */
export function settledStatus(input: {
  kind: string;
  grossMinor: number;
  paidMinor: number;
  creditedMinor: number;
  converted: boolean;
}): string {
  if (input.kind === 'credit_note') return 'paid';
  if (input.kind === 'pro_forma') return input.converted ? 'cancelled' : 'unpaid';
  const { grossMinor: gross, paidMinor: paid, creditedMinor: credited } = input;
  if (credited > 0 && credited >= gross) return paid > 0 ? 'refunded' : 'cancelled';
  if (paid > 0 && paid + credited >= gross) return 'paid';
  return paid > 0 ? 'partially_paid' : 'unpaid';
}

export class InvoiceDeriver {
  private readonly invoice: Statement;
  private readonly lines: Statement;
  private readonly paid: Statement;
  private readonly overpaid: Statement;
  private readonly credited: Statement;
  private readonly converted: Statement;
  private readonly write: Statement;
  private readonly fixLine: Statement;

  constructor(private readonly raw: RawDb) {
    this.invoice = raw.prepare('SELECT id, kind, status, deleted_at FROM invoices WHERE id = ?');
    this.lines = raw.prepare(
      'SELECT id, quantity_milli, unit_price_minor, discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor FROM invoice_lines WHERE invoice_id = ?',
    );
    this.paid = raw
      .prepare(
        "SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = ? AND outcome = 'applied'",
      )
      .pluck();
    this.overpaid = raw
      .prepare(
        `SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries WHERE invoice_id = ? AND kind = 'deposit' AND note = '${OVERPAID_NOTE}'`,
      )
      .pluck();
    this.credited = raw
      .prepare(
        "SELECT coalesce(sum(gross_minor), 0) FROM invoices WHERE corrects_invoice_id = ? AND kind = 'credit_note' AND status <> 'draft' AND deleted_at IS NULL",
      )
      .pluck();
    this.converted = raw
      .prepare('SELECT count(*) FROM invoices WHERE converted_from_id = ? AND deleted_at IS NULL')
      .pluck();
    this.write = raw.prepare(
      'UPDATE invoices SET net_minor = ?, vat_minor = ?, gross_minor = ?, paid_minor = ?, status = ? WHERE id = ?',
    );
    this.fixLine = raw.prepare(
      'UPDATE invoice_lines SET net_minor = ?, vat_minor = ?, gross_minor = ? WHERE id = ?',
    );
  }

  /**
   * Recomputes one invoice and what depends on it (the invoice a credit note corrects, the pro
   * forma an invoice was converted from). Runs inside sync's guarded transaction: the store's
   * triggers let sync write an issued invoice's derived values.
   */
  recompute(invoiceId: string): void {
    const seen = new Set<string>();
    const queue = [invoiceId];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const row = this.invoice.get(id) as
        | { id: string; kind: string; status: string; deleted_at: string | null }
        | undefined;
      if (!row) continue;
      this.recomputeOne(row);
      const links = this.raw
        .prepare('SELECT corrects_invoice_id, converted_from_id FROM invoices WHERE id = ?')
        .get(id) as { corrects_invoice_id: string | null; converted_from_id: string | null };
      if (links.corrects_invoice_id) queue.push(links.corrects_invoice_id);
      if (links.converted_from_id) queue.push(links.converted_from_id);
    }
  }

  private recomputeOne(row: { id: string; kind: string; status: string }): void {
    const lines = this.lines.all(row.id) as (LineRow & {
      id: string;
      net_minor: number;
      vat_minor: number;
      gross_minor: number;
    })[];
    const amounts = lines.map((l) => {
      const a = lineAmounts({
        quantityMilli: l.quantity_milli,
        unitPriceMinor: l.unit_price_minor,
        discountBp: l.discount_bp,
        vatRateBp: l.vat_rate_bp,
      });
      if (a.netMinor !== l.net_minor || a.vatMinor !== l.vat_minor || a.grossMinor !== l.gross_minor)
        this.fixLine.run(a.netMinor, a.vatMinor, a.grossMinor, l.id);
      return { ...a, vatRateBp: l.vat_rate_bp };
    });
    const totals = invoiceTotals(amounts);
    const derived = this.derive(row, totals.grossMinor);
    this.write.run(
      totals.netMinor,
      totals.vatMinor,
      totals.grossMinor,
      derived.paidMinor,
      derived.status,
      row.id,
    );
  }

  private derive(row: { id: string; kind: string; status: string }, grossMinor: number) {
    if (row.status === 'draft') return { paidMinor: 0, status: 'draft' };
    if (row.kind === 'credit_note') return { paidMinor: grossMinor, status: 'paid' };
    const paidMinor =
      row.kind === 'invoice' ? (this.paid.get(row.id) as number) - (this.overpaid.get(row.id) as number) : 0;
    const status = settledStatus({
      kind: row.kind,
      grossMinor,
      paidMinor,
      creditedMinor: row.kind === 'invoice' ? (this.credited.get(row.id) as number) : 0,
      converted: row.kind === 'pro_forma' && (this.converted.get(row.id) as number) > 0,
    });
    return { paidMinor, status };
  }
}
