import type {
  Currency,
  DocumentLocale,
  InvoiceKind,
  InvoiceStatus,
  PartySnapshot,
  ReferenceType,
} from '#db/schema/index';
import { lineAmounts } from '#common/invoice-math';
import { insertedInvoicesSince, withoutInsertTriggers } from '#db/derived-inserts';
import type { Ctx } from '../context';

export interface BulkLine {
  productId: string | null;
  description: string;
  quantityMilli: number;
  unitPriceMinor: number;
  discountBp: number;
  vatRateBp: number;
  /**
   * History from another tool: the amounts as that tool computed them (its rounding, its
   * several rates folded into one line), kept instead of recomputed.
   */
  amounts?: { netMinor: number; vatMinor: number; grossMinor: number };
}

/** A payment received for an imported invoice (history): applied, append-only like any other. */
export interface BulkPayment {
  amountMinor: number;
  receivedOn: string;
  method: 'bank_transfer' | 'card' | 'paypal' | 'standing_order';
  reference: string | null;
}

export interface BulkInvoice {
  kind: InvoiceKind;
  status: InvoiceStatus;
  organizationId: string;
  productsOrganizationId: string;
  issuerOrganizationId: string;
  billingAddressId: string | null;
  currency: Currency;
  locale: DocumentLocale;
  issuedOn: string;
  dueOn: string | null;
  series: string | null;
  sequence: number | null;
  number: string | null;
  billTo: PartySnapshot | null;
  issuer: PartySnapshot | null;
  reverseCharge: boolean;
  paidMinor: number;
  referenceType: ReferenceType | null;
  paymentReference: string | null;
  notes: string | null;
  importRef: string | null;
  lines: BulkLine[];
  /** Chosen ahead when another row of the same import points at it (a credit note's invoice). */
  id?: string;
  correctsInvoiceId?: string | null;
  payments?: BulkPayment[];
}

export interface BulkOptions {
  action: string;
  batchSize?: number;
  onProgress?: (inserted: number) => void;
  /** Checked between batches: a cancelled import keeps the batches already committed. */
  shouldStop?: () => boolean;
  /** Return the new ids (imports report them; a million-row demo does not need them). */
  collectIds?: boolean;
}

/**
 * The fast path for many invoices at once (imports, demo data, benchmarks): prepared
 * statements made once, one transaction per batch, one change-log row per invoice and per
 * payment carrying nothing but "the whole row" (a sync peer applies it as an insert of every
 * field at that HLC) and one activity row per batch. Lines go in before their invoice, with
 * foreign keys deferred to the commit, so an already-issued invoice never has lines added
 * after it is issued (the store's triggers would refuse that, rightly).
 *
 * Push-style, so a caller that streams (the history import parses, checks and writes a chunk
 * at a time) hands over each batch as it is ready; insertInvoicesBulk pulls from an iterable.
 */
export class BulkInvoiceWriter {
  inserted = 0;
  readonly ids: string[] = [];
  private readonly ctx: Ctx;
  private readonly options: BulkOptions;
  private readonly statements;
  /** A snapshot object is shared by every invoice of one payer: serialised once. */
  private readonly snapshots = new WeakMap<PartySnapshot, string>();

  constructor(ctx: Ctx, options: BulkOptions) {
    this.ctx = ctx;
    this.options = options;
    const raw = ctx.raw;
    this.statements = {
      invoice: raw.prepare(
        `INSERT INTO invoices (id, created_at, updated_at, deleted_at, kind, status, organization_id, products_organization_id,
          issuer_organization_id, billing_address_id, currency, locale, series, sequence, number, issued_on, due_on, bill_to, issuer,
          reverse_charge, net_minor, vat_minor, gross_minor, paid_minor, reference_type, payment_reference, corrects_invoice_id,
          converted_from_id, notes, import_ref)
         VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      ),
      // Payments are append-only rows like every payment (ledger/payments.ts).
      payment: raw.prepare(
        `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency, received_on, reference, outcome, deposit_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'applied', NULL)`,
      ),
      line: raw.prepare(
        `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor,
          discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // The change log of a batch in two statements, not one per row: the rows the batch
      // added, found by rowid (rowids only grow inside this transaction), in the order they
      // were written — invoices first, so a peer applying in order meets an invoice before
      // its payments. The value stays empty: '*' means "the whole row — and an invoice's
      // lines — read when it is pushed" (sync/outbox.ts). Both rows are immutable once written
      // (an issued invoice, an append-only payment; a draft's later edits log their own newer
      // changes), so reading them at push time sends exactly what was written here.
      invoiceChanges: raw.prepare(
        `INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value)
         SELECT ?, ?, 'invoices', id, '*', NULL FROM invoices WHERE rowid > ? ORDER BY rowid`,
      ),
      paymentChanges: raw.prepare(
        `INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value)
         SELECT ?, ?, 'payments', id, '*', NULL FROM payments WHERE rowid > ? ORDER BY rowid`,
      ),
      lastInvoice: raw.prepare('SELECT coalesce(max(rowid), 0) FROM invoices').pluck(),
      lastPayment: raw.prepare('SELECT coalesce(max(rowid), 0) FROM payments').pluck(),
      activity: raw.prepare(
        `INSERT INTO activity (id, at, hlc, actor_person_id, device_id, organization_id, product_id, action, entity, entity_id, before, after)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 'invoices', ?, NULL, ?)`,
      ),
      saveHlc: raw.prepare('UPDATE device SET last_hlc = ? WHERE id = ?'),
      readHlc: raw.prepare('SELECT last_hlc FROM device WHERE id = ?').pluck(),
    };
  }

  private json(snapshot: PartySnapshot | null): string | null {
    if (!snapshot) return null;
    let text = this.snapshots.get(snapshot);
    if (text === undefined) {
      text = JSON.stringify(snapshot);
      this.snapshots.set(snapshot, text);
    }
    return text;
  }

  /** Writes one batch in its own transaction (a savepoint inside the caller's); returns its size. */
  write(batch: readonly BulkInvoice[]): number {
    if (batch.length === 0) return 0;
    const { ctx, statements: st } = this;
    const raw = ctx.raw;
    const count = raw
      .transaction(() => {
        raw.pragma('defer_foreign_keys = ON');
        const now = ctx.clock.now().toISOString();
        // Another connection may have written under this device since: continue after it.
        const stored = st.readHlc.get(ctx.deviceId) as string | undefined;
        if (stored) ctx.hlc.observeOwn(stored);
        // One timestamp for the whole batch: its change-log rows (distinct rows) and its one
        // activity row share it, as the fields of one ordinary write do.
        const batchHlc = ctx.hlc.now();
        const invoicesBefore = st.lastInvoice.get() as number;
        const paymentsBefore = st.lastPayment.get() as number;
        // The derived data's insert triggers are set aside for the batch (db/derived-inserts.ts:
        // a trigger would cost a statement journal per invoice); the batch accounts for its
        // invoices after, set-based (search notes, glance sums), and the commit indexes them.
        const written = withoutInsertTriggers(raw, ['invoices'], () => {
          let organizationId: string | null | undefined;
          let firstId: string | null = null;
          for (const inv of batch) {
            const id = inv.id ?? ctx.ids.next();
            firstId ??= id;
            let net = 0;
            let vat = 0;
            for (let position = 0; position < inv.lines.length; position++) {
              const line = inv.lines[position] as BulkLine;
              const amounts = line.amounts ?? lineAmounts(line);
              net += amounts.netMinor;
              vat += amounts.vatMinor;
              st.line.run(
                ctx.ids.next(),
                id,
                position,
                line.productId,
                line.description,
                line.quantityMilli,
                line.unitPriceMinor,
                line.discountBp,
                line.vatRateBp,
                amounts.netMinor,
                amounts.vatMinor,
                amounts.grossMinor,
              );
            }
            // The invoice's totals are its lines' sums, gross = net + VAT (invoiceTotals' rule).
            const gross = net + vat;
            st.invoice.run(
              id,
              now,
              now,
              inv.kind,
              inv.status,
              inv.organizationId,
              inv.productsOrganizationId,
              inv.issuerOrganizationId,
              inv.billingAddressId,
              inv.currency,
              inv.locale,
              inv.series,
              inv.sequence,
              inv.number,
              inv.issuedOn,
              inv.dueOn,
              this.json(inv.billTo),
              this.json(inv.issuer),
              inv.reverseCharge ? 1 : 0,
              net,
              vat,
              gross,
              Math.min(inv.paidMinor, gross),
              inv.referenceType,
              inv.paymentReference,
              inv.correctsInvoiceId ?? null,
              inv.notes,
              inv.importRef,
            );
            if (inv.payments)
              for (const p of inv.payments)
                st.payment.run(
                  ctx.ids.next(),
                  now,
                  batchHlc,
                  inv.organizationId,
                  id,
                  p.method,
                  p.amountMinor,
                  inv.currency,
                  p.receivedOn,
                  p.reference,
                );
            organizationId =
              organizationId === undefined || organizationId === inv.organizationId
                ? inv.organizationId
                : null;
            if (this.options.collectIds) this.ids.push(id);
          }
          return { organizationId, firstId };
        });
        insertedInvoicesSince(raw, invoicesBefore);
        st.invoiceChanges.run(batchHlc, ctx.deviceId, invoicesBefore);
        st.paymentChanges.run(batchHlc, ctx.deviceId, paymentsBefore);
        st.activity.run(
          ctx.ids.next(),
          now,
          batchHlc,
          ctx.actor.personId,
          ctx.deviceId,
          written.organizationId ?? null,
          this.options.action,
          written.firstId,
          JSON.stringify({ count: batch.length }),
        );
        st.saveHlc.run(ctx.hlc.lastIssued, ctx.deviceId);
        return batch.length;
      })
      .immediate();
    this.inserted += count;
    this.options.onProgress?.(this.inserted);
    return count;
  }
}

/** Writes every invoice of `source` in batches of `batchSize` (see BulkInvoiceWriter). */
export function insertInvoicesBulk(
  ctx: Ctx,
  source: Iterable<BulkInvoice>,
  options: BulkOptions,
): { inserted: number; ids: string[] } {
  const batchSize = options.batchSize ?? 5_000;
  const writer = new BulkInvoiceWriter(ctx, options);
  const stopped = () => options.shouldStop?.() === true;
  let batch: BulkInvoice[] = [];
  for (const inv of source) {
    batch.push(inv);
    if (batch.length < batchSize) continue;
    // Checked between batches: a cancelled run keeps the batches already committed.
    if (stopped()) return { inserted: writer.inserted, ids: writer.ids };
    writer.write(batch);
    batch = [];
  }
  if (!stopped()) writer.write(batch);
  return { inserted: writer.inserted, ids: writer.ids };
}
