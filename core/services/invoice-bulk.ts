import type {
  Currency,
  DocumentLocale,
  InvoiceKind,
  InvoiceStatus,
  PartySnapshot,
  ReferenceType,
} from '#db/schema/index';
import { invoiceTotals, lineAmounts } from '#common/invoice-math';
import type { Ctx } from './context';

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
 * statements, one transaction per batch, one change-log row per invoice carrying the whole
 * row (a sync peer applies it as an insert of every field at that HLC) and one activity row
 * per batch. Lines go in before their invoice, with foreign keys deferred to the commit, so
 * an already-issued invoice never has lines added after it is issued (the store's triggers
 * would refuse that, rightly).
 */
export function insertInvoicesBulk(
  ctx: Ctx,
  source: Iterable<BulkInvoice>,
  options: BulkOptions,
): { inserted: number; ids: string[] } {
  const batchSize = options.batchSize ?? 5_000;
  const raw = ctx.raw;
  const insertInvoice = raw.prepare(
    `INSERT INTO invoices (id, created_at, updated_at, deleted_at, kind, status, organization_id, products_organization_id,
      issuer_organization_id, billing_address_id, currency, locale, series, sequence, number, issued_on, due_on, bill_to, issuer,
      reverse_charge, net_minor, vat_minor, gross_minor, paid_minor, reference_type, payment_reference, corrects_invoice_id,
      converted_from_id, notes, import_ref)
     VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  );
  // Payments travel as whole append-only rows, like every payment (ledger/payments.ts).
  const insertPayment = raw.prepare(
    `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency, received_on, reference, outcome, deposit_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'applied', NULL)`,
  );
  const insertPaymentChange = raw.prepare(
    `INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value) VALUES (?, ?, 'payments', ?, '*', ?)`,
  );
  const insertLine = raw.prepare(
    `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor,
      discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertChange = raw.prepare(
    `INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value) VALUES (?, ?, 'invoices', ?, '*', ?)`,
  );
  const insertActivity = raw.prepare(
    `INSERT INTO activity (id, at, hlc, actor_person_id, device_id, organization_id, product_id, action, entity, entity_id, before, after)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 'invoices', ?, NULL, ?)`,
  );
  const saveHlc = raw.prepare('UPDATE device SET last_hlc = ? WHERE id = ?');
  const readHlc = raw.prepare('SELECT last_hlc FROM device WHERE id = ?').pluck();

  const iterator = source[Symbol.iterator]();
  const ids: string[] = [];
  let inserted = 0;
  let done = false;
  while (!done) {
    if (options.shouldStop?.()) break;
    const batch = raw.transaction(() => {
      raw.pragma('defer_foreign_keys = ON');
      const now = ctx.clock.now().toISOString();
      // Another connection may have written under this device since: continue after it.
      const stored = readHlc.get(ctx.deviceId) as string | undefined;
      if (stored) ctx.hlc.observeOwn(stored);
      // One timestamp for the whole batch: its change-log rows (one per invoice, distinct rows)
      // and its one activity row share it, as the fields of one ordinary write do.
      const batchHlc = ctx.hlc.now();
      let organizationId: string | null | undefined;
      let count = 0;
      let firstId: string | null = null;
      while (count < batchSize) {
        const next = iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        const inv = next.value;
        const id = inv.id ?? ctx.ids.next();
        firstId ??= id;
        const priced = inv.lines.map((line) => ({ ...line, ...(line.amounts ?? lineAmounts(line)) }));
        const totals = invoiceTotals(priced);
        priced.forEach((line, position) => {
          insertLine.run(
            ctx.ids.next(),
            id,
            position,
            line.productId,
            line.description,
            line.quantityMilli,
            line.unitPriceMinor,
            line.discountBp,
            line.vatRateBp,
            line.netMinor,
            line.vatMinor,
            line.grossMinor,
          );
        });
        const row = [
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
          inv.billTo ? JSON.stringify(inv.billTo) : null,
          inv.issuer ? JSON.stringify(inv.issuer) : null,
          inv.reverseCharge ? 1 : 0,
          totals.netMinor,
          totals.vatMinor,
          totals.grossMinor,
          Math.min(inv.paidMinor, totals.grossMinor),
          inv.referenceType,
          inv.paymentReference,
          inv.correctsInvoiceId ?? null,
          inv.notes,
          inv.importRef,
        ] as const;
        insertInvoice.run(...row);
        // The value stays empty: '*' means "the whole row — and its lines — read when it is
        // pushed". The row is immutable once issued (and a draft's later edits log their own,
        // newer changes), so reading it at push time sends exactly what was written here, at
        // half the disk cost. Sync must read invoice_lines with it.
        insertChange.run(batchHlc, ctx.deviceId, id, null);
        for (const p of inv.payments ?? []) {
          const paymentId = ctx.ids.next();
          const values = [
            paymentId,
            now,
            batchHlc,
            inv.organizationId,
            id,
            p.method,
            p.amountMinor,
            inv.currency,
            p.receivedOn,
            p.reference,
          ] as const;
          insertPayment.run(...values);
          insertPaymentChange.run(
            batchHlc,
            ctx.deviceId,
            paymentId,
            JSON.stringify({
              id: paymentId,
              createdAt: now,
              hlc: batchHlc,
              organizationId: inv.organizationId,
              invoiceId: id,
              method: p.method,
              amountMinor: p.amountMinor,
              currency: inv.currency,
              receivedOn: p.receivedOn,
              reference: p.reference,
              outcome: 'applied',
              depositReason: null,
            }),
          );
        }
        organizationId =
          organizationId === undefined || organizationId === inv.organizationId ? inv.organizationId : null;
        if (options.collectIds) ids.push(id);
        count++;
      }
      if (count > 0) {
        insertActivity.run(
          ctx.ids.next(),
          now,
          batchHlc,
          ctx.actor.personId,
          ctx.deviceId,
          organizationId ?? null,
          options.action,
          firstId,
          JSON.stringify({ count }),
        );
        saveHlc.run(ctx.hlc.lastIssued, ctx.deviceId);
      }
      return count;
    });
    inserted += batch.immediate();
    options.onProgress?.(inserted);
  }
  return { inserted, ids };
}
