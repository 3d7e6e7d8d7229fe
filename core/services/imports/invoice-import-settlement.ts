// The status of imported history is what its amounts make it — payments, credit notes — by
// the rule every device and the hub apply after a merge (db/sync/derived.ts): a status the
// book kept apart from its amounts would differ from device to device. A credit note further
// down the file may still cancel or refund an invoice, so each invoice's settlement is kept
// until the end, where the status its line gave is checked against it.
import { KontorError, moneyParam } from '#common/errors';
import type { InvoiceStatus } from '#db/schema/index';
import { settledStatus } from '#db/sync/derived';
import type { Ctx } from '../context';
import type { RowFailed } from './report';
import type { BulkInvoice } from '../invoices/bulk';

interface Settlement {
  /** The line of the file (0: an invoice of the book a credit note of the file corrects). */
  line: number;
  /** The status the file gave. */
  given: string;
  gross: number;
  paid: number;
  credited: number;
  status: InvoiceStatus;
  currency: string;
}


export class Settlements {
  private readonly entries = new Map<string, Settlement>();
  /** The current batch, not yet written: a credit note settles its invoice there. */
  private readonly unwritten = new Map<string, BulkInvoice>();
  private readonly bookInvoice;
  private readonly setStatus;
  private readonly logStatus;

  constructor(
    private readonly ctx: Ctx,
    private readonly rowFailed: RowFailed,
  ) {
    this.bookInvoice = ctx.raw.prepare(
      `SELECT i.gross_minor AS gross, i.paid_minor AS paid, i.status, i.currency,
         (SELECT coalesce(sum(c.gross_minor), 0) FROM invoices c WHERE c.corrects_invoice_id = i.id
            AND c.kind = 'credit_note' AND c.status <> 'draft' AND c.deleted_at IS NULL) AS credited
       FROM invoices i WHERE i.id = ?`,
    );
    this.setStatus = ctx.raw.prepare('UPDATE invoices SET status = ? WHERE id = ?');
    // As ctx.write logs a settled invoice's new status: history, never sent (every device
    // derives it from the credit note).
    this.logStatus = ctx.raw.prepare(
      `INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value, hub_seq) VALUES (?, ?, 'invoices', ?, 'status', ?, 0)`,
    );
  }

  issued(id: string, entry: Settlement): void {
    this.entries.set(id, entry);
  }

  pending(id: string, invoice: BulkInvoice): void {
    this.unwritten.set(id, invoice);
  }

  written(): void {
    this.unwritten.clear();
  }

  /** A credit note of the file settles the invoice it corrects, in the batch or in the store. */
  credit(invoiceId: string, amount: number): void {
    let entry = this.entries.get(invoiceId);
    if (!entry) {
      const row = this.bookInvoice.get(invoiceId) as Omit<Settlement, 'line' | 'given'> | undefined;
      if (!row || row.status === 'draft') return;
      entry = { line: 0, given: row.status, ...row };
      this.entries.set(invoiceId, entry);
    }
    entry.credited += amount;
    const next = settledStatus({
      kind: 'invoice',
      grossMinor: entry.gross,
      paidMinor: entry.paid,
      creditedMinor: entry.credited,
      converted: false,
    }) as InvoiceStatus;
    if (next === entry.status) return;
    entry.status = next;
    const pending = this.unwritten.get(invoiceId);
    if (pending) pending.status = next;
    else if (this.setStatus.run(next, invoiceId).changes > 0)
      this.logStatus.run(this.ctx.hlc.now(), this.ctx.deviceId, invoiceId, JSON.stringify(next));
  }

  /**
   * After the last row: an invoice whose status in the file is not what its payments and
   * credit notes make it (a "cancelled" invoice without its credit note, "paid" with nothing
   * paid) does not add up, and is told with its line.
   */
  finish(): void {
    for (const entry of this.entries.values()) {
      if (entry.line === 0 || entry.given === entry.status) continue;
      this.rowFailed(
        entry.line,
        'status',
        new KontorError('import_status_mismatch', {
          status: entry.given,
          derived: entry.status,
          paid: moneyParam(entry.paid, entry.currency),
          credited: moneyParam(entry.credited, entry.currency),
          gross: moneyParam(entry.gross, entry.currency),
        }),
        entry.given,
      );
    }
  }
}
