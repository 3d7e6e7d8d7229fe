// The billing run's writing side, a batch of invoices at a time: what billGroup and issueInvoice
// do for one invoice — the draft with its priced lines, a claim per billed period, the products'
// next renewal moved on, the readiness check and the gapless number (./bulk-numbers.ts), the
// issue — done for many in one transaction through statements prepared once (BatchWriter), the
// readiness checked on the document in hand instead of read back. Every row the one-by-one path
// writes (the invoice, lines, claims, products, change log, activity, search index by its
// triggers) is written the same; test/integration/billing-bulk-equivalence.test.ts holds the
// two equal. An issued invoice is in the change log as one whole-row change (./issued-whole.ts).
import type { Statement } from 'better-sqlite3';
import { fail, KontorError } from '#common/errors';
import { invoiceTotals } from '#common/invoice-math';
import { periodKey } from '#common/renewal-periods';
import { CpuBudget } from '#db/cpu-budget';
import {
  type BillingAddress,
  billingAddresses,
  invoices,
  type Organization,
  organizations,
  products,
  renewals,
} from '#db/schema/index';
import { BatchWriter } from '../batch-writer';
import type { Ctx } from '../context';
import { vatFor } from '../invoices/detail';
import { priceLines } from '../invoices/drafts.service';
import { payFromBalance } from '../ledger.service';
import { type BilledInvoice, type BillFailure, claimValues, summary } from './billed';
import { BatchIssue } from './bulk-numbers';
import { autoPayOf, type PlannedGroup, toLineInput } from './plan';

type Row = Record<string, unknown>;

/**
 * Longest transaction of the batch path (ms of this process's CPU time, #db/cpu-budget), nearly:
 * the process that owns the store (the desktop app's main process) gets a turn of its event
 * loop between two, as a snapshot apply does (core/sync/snapshot-round.ts). Each is one durable
 * commit.
 */
export const SLICE_MS = 50;

/**
 * Bills planned invoices a slice at a time: each slice (`slice`) from `from` on in one durable
 * transaction that stops once `sliceMs` of CPU time are spent (after at least one invoice);
 * each invoice is its own savepoint, so one payer's problem (no billing address, an e-invoice
 * that would be refused) rolls back that invoice alone and is reported, its periods left for
 * the next run.
 * The statements are prepared once per run; what they read is read again in every slice.
 */
export class BulkBiller {
  private readonly batch: Batch;
  private readonly savepoints: Record<'begin' | 'release' | 'rollback', Statement>;

  constructor(
    private readonly ctx: Ctx,
    issuerId: string,
    date: string,
  ) {
    this.batch = new Batch(ctx, new BatchWriter(ctx, ctx.clock.now()), issuerId, date);
    this.savepoints = {
      begin: ctx.raw.prepare('SAVEPOINT billed_invoice'),
      release: ctx.raw.prepare('RELEASE billed_invoice'),
      rollback: ctx.raw.prepare('ROLLBACK TO billed_invoice'),
    };
  }

  /**
   * One invoice's savepoint, taken by hand rather than with raw.transaction: that one is
   * wrapped to index the search notes at every release (db/search-index.ts), a dozen statements
   * per invoice; the slice's transaction indexes all of its invoices at once before it commits
   * (set-based, as that module intends for bulk writes), and the notes of an invoice rolled back
   * roll back with it.
   */
  private savepoint<T>(fn: () => T): T {
    const sp = this.savepoints;
    sp.begin.run();
    try {
      const result = fn();
      sp.release.run();
      return result;
    } catch (error) {
      sp.rollback.run();
      sp.release.run();
      throw error;
    }
  }

  slice(
    groups: readonly PlannedGroup[],
    options: { draftsOnly?: boolean; from?: number; sliceMs?: number },
  ): { billed: BilledInvoice[]; failed: BillFailure[]; next: number } {
    const { ctx, batch } = this;
    const billed: BilledInvoice[] = [];
    const failed: BillFailure[] = [];
    let next = options.from ?? 0;
    ctx.write(
      'renewal.billed',
      (tx) => {
        // CPU time, not wall time (#db/cpu-budget): under load a wall-clock slice held fewer
        // invoices, so the same run made more commits, each rewriting the pages it touched.
        const budget = new CpuBudget(options.sliceMs ?? Number.POSITIVE_INFINITY);
        // Lines go in before their invoice (Batch.bill): checked when the slice commits.
        ctx.raw.pragma('defer_foreign_keys = ON');
        batch.begin(tx.now);
        while (next < groups.length) {
          const group = groups[next++] as PlannedGroup;
          try {
            const one = this.savepoint(() => batch.bill(group, options));
            if (one) billed.push(one);
          } catch (error) {
            if (!(error instanceof KontorError)) throw error;
            failed.push({
              payerId: group.payerId,
              payerName: group.payerName,
              code: error.code,
              params: { ...error.params },
            });
          }
          if (budget.spent()) break;
        }
      },
      { durable: true },
    );
    return { billed, failed, next };
  }
}

class Batch {
  private readonly orgs = new Map<string, Organization>();
  private issuer!: Organization;
  private readonly issuing: BatchIssue;
  private readonly defaultAddress: (organizationId: string) => BillingAddress | undefined;
  private readonly st;

  constructor(
    private readonly ctx: Ctx,
    private readonly w: BatchWriter,
    private readonly issuerId: string,
    private readonly date: string,
  ) {
    const raw = ctx.raw;
    this.st = {
      held: raw
        .prepare(
          'SELECT 1 FROM renewals r JOIN invoices i ON i.id = r.invoice_id WHERE r.period_key = ? AND i.deleted_at IS NULL LIMIT 1',
        )
        .pluck(),
      line: raw.prepare(
        `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor,
          discount_bp, vat_rate_bp, unit_code, vat_category, exemption_reason, net_minor, vat_minor, gross_minor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    // addresses.service's defaultAddress, as a plain statement: drizzle's row mapping was 5 % of
    // the run; the row comes in drizzle's shape through the writer's own mapping.
    const byDefault = raw.prepare(
      'SELECT * FROM billing_addresses WHERE organization_id = ? AND is_default = 1 AND deleted_at IS NULL LIMIT 1',
    );
    this.defaultAddress = (organizationId) => {
      const row = byDefault.get(organizationId) as Row | undefined;
      return row && (w.fromSql(billingAddresses, row) as BillingAddress);
    };
    this.issuing = new BatchIssue(
      ctx,
      date,
      (id) => this.orgs.get(id)?.name ?? (this.w.find(organizations, id)?.name as string | undefined),
    );
  }

  /** A new slice: its transaction's time, and the organizations read afresh. */
  begin(now: Date): void {
    this.w.begin(now);
    this.orgs.clear();
    this.issuer = this.org(this.issuerId);
    this.issuing.begin(this.issuer, this.defaultAddress(this.issuerId));
  }

  /** getOrganization, read once per batch. */
  private org(id: string): Organization {
    let org = this.orgs.get(id);
    if (!org) {
      const row = this.w.find(organizations, id) as Organization | undefined;
      if (!row || row.deletedAt) fail('organization_not_found', { id });
      org = row;
      this.orgs.set(id, org);
    }
    return org;
  }

  bill(group: PlannedGroup, options: { draftsOnly?: boolean }): BilledInvoice | null {
    const { ctx, w, issuer, date } = this;
    // Another run (the CLI beside the app) may have billed some of these periods since the plan
    // was read: the device refuses its own duplicates inside the writing transaction.
    const lines = group.lines.filter((l) =>
      l.periods.every((p) => !this.st.held.get(periodKey(l.productId, p.start))),
    );
    if (lines.length === 0) return null;
    const payer = this.org(group.payerId);
    const address = (
      group.billingAddressId
        ? w.find(billingAddresses, group.billingAddressId)
        : this.defaultAddress(payer.id)
    ) as BillingAddress | undefined;
    const decision = vatFor(issuer, payer);
    const priced = priceLines(lines.map(toLineInput), decision);
    // Each product as stored, read once: its owner checked here, its next renewal moved below.
    const stored = new Map<string, Row>();
    for (const line of lines) {
      if (stored.has(line.productId)) continue;
      const product = w.find(products, line.productId);
      if (!product) fail('product_not_found', { id: line.productId });
      if (product.organizationId !== group.productsOrganizationId) fail('product_wrong_organization');
      stored.set(line.productId, product);
    }
    const totals = invoiceTotals(priced);

    // What the one-by-one path records, write by write and in its order (the same ids and
    // HLCs drawn in the same sequence): the draft (billGroup), its lines and totals
    // (writeLines), a claim per period and each product moved on, then the issue. An invoice
    // issued here goes to the change log as one whole-row change at the draft's clock
    // (./issued-whole.ts); a draft left as such logs its fields, lines and totals.
    const whole = !options.draftsOnly;
    const invoiceId = ctx.ids.next();
    const draft = w.logInsert(
      invoices,
      'renewal.billed',
      {
        id: invoiceId,
        kind: 'invoice',
        status: 'draft',
        organizationId: payer.id,
        productsOrganizationId: group.productsOrganizationId,
        issuerOrganizationId: issuer.id,
        billingAddressId: group.billingAddressId,
        currency: group.currency,
        // The plan's: its lines' dates are already written in it (plan.ts lineDescription).
        locale: group.locale,
        issuedOn: date,
        notes: null,
      },
      { log: whole ? 'whole' : 'fields' },
    );
    const lineIds = priced.map(() => ctx.ids.next());
    const linesHlc = whole ? ctx.hlc.now() : w.logChange('invoices', invoiceId, 'lines', priced);
    w.recordActivity('renewal.billed', {
      entity: 'invoices',
      entityId: invoiceId,
      organizationId: payer.id,
      // A new invoice had no lines: as writeLines records it (the one-by-one path).
      before: { lines: 0 },
      after: { lines: priced.length },
      hlc: linesHlc,
    });
    const totalled = w.logUpdate(
      invoices,
      'renewal.billed',
      draft,
      { netMinor: totals.netMinor, vatMinor: totals.vatMinor, grossMinor: totals.grossMinor },
      { log: !whole },
    ).row;
    // The issue decided before anything is written: a refusal leaves no trace (the savepoint
    // would roll it back all the same).
    const issue = options.draftsOnly ? null : this.issuing.decide(payer, address, decision, totalled, priced);
    // Lines first, then the invoice written once in its final state (issued): the store refuses
    // lines on an issued invoice, and a status flipped afterwards was one more UPDATE per
    // invoice through its triggers. Foreign keys are deferred to the slice's commit (as the
    // bulk invoice writer of imports does, invoices/bulk.ts).
    for (const [i, l] of priced.entries())
      this.st.line.run(
        lineIds[i],
        invoiceId,
        l.position,
        l.productId,
        l.description,
        l.quantityMilli,
        l.unitPriceMinor,
        l.discountBp,
        l.vatRateBp,
        l.unitCode,
        l.vatCategory ?? null,
        l.exemptionReason ?? null,
        l.netMinor,
        l.vatMinor,
        l.grossMinor,
      );
    w.insertRow(invoices, { ...totalled, ...issue?.fields });
    for (const line of lines) {
      for (const period of line.periods) this.claim(invoiceId, group, line, period);
      // A product a catch-up bills on several lines moves on from where the last one left it.
      const moved = w.update(products, 'renewal.billed', stored.get(line.productId) as Row, {
        nextRenewalOn: line.periods[line.periods.length - 1]?.end,
      });
      stored.set(line.productId, moved.row);
    }
    if (!issue) return summary(invoiceId, group, lines, totals.grossMinor, false, 'draft', null);

    // The issue's clock and activity row as issueInvoice's; the issued document itself is
    // the whole-row change logged with the draft.
    w.logUpdate(invoices, 'invoice.issued', totalled, issue.fields, { log: false });
    this.issuing.consume(issue.sequence);

    const autoPay = autoPayOf(ctx, payer, { lines, currency: group.currency, grossMinor: totals.grossMinor });
    if (autoPay.pays) payFromBalance(ctx, { organizationId: payer.id, items: [{ invoiceId }] });
    return summary(
      invoiceId,
      group,
      lines,
      totals.grossMinor,
      autoPay.pays,
      autoPay.pays ? null : autoPay.reason,
      issue.fields.number,
    );
  }

  /** billGroup's appendClaim: the claim row, its whole-row change and its activity row. */
  private claim(
    invoiceId: string,
    group: PlannedGroup,
    line: PlannedGroup['lines'][number],
    period: { start: string; end: string },
  ): void {
    const hlc = this.ctx.hlc.now();
    const row: Row = this.w.insertRow(
      renewals,
      claimValues(invoiceId, this.issuer.id, group, line, period, this.w.stamp, hlc),
    );
    // One JSON text for the change log's whole record and the activity's `after`.
    const text = JSON.stringify(row);
    this.w.logChange('renewals', String(row.id), '*', row, hlc, text);
    this.w.recordActivity(
      'renewal.billed',
      {
        entity: 'renewals',
        entityId: String(row.id),
        organizationId: group.productsOrganizationId,
        productId: line.productId,
        after: row,
        hlc,
      },
      text,
    );
  }
}
