// The billing run (renewals.run, `kontor renew`): what planRenewals finds, written — one
// transaction per invoice, so a cancelled run leaves whole invoices and nothing half-billed:
//   the draft with its priced lines, a claim per billed period (its deterministic key), the
//   products' next renewal moved past the billed periods, the invoice issued, and, when the
//   payer's profile and balance allow it, paid from the prepaid account — all or nothing.
// Before billing: duplicates two devices billed offline are settled (duplicates.ts), products
// unpaid past grace expire (lifecycle.ts) and cashback of invoices paid where nobody could book
// it is booked (cashback.ts).
import { fail, KontorError } from '#common/errors';
import { periodKey } from '#common/renewal-periods';
import type { RenewalRun } from '#common/renewals.schema';
import { withBulkSettings } from '#db/bulk-settings';
import { invoices, products, renewals } from '#db/schema/index';
import { requireAuthority } from '../authority';
import { atomically, type Ctx, type WriteTx } from '../context';
import { getInvoice, vatFor } from '../invoices/detail';
import { writeLines } from '../invoices/drafts.service';
import { issueInvoice } from '../invoices/issue.service';
import { payFromBalance } from '../ledger.service';
import { getOrganization } from '../organizations.service';
import { type BilledInvoice, type BillFailure, claimValues } from './billed';
import { BulkBiller, SLICE_MS } from './bulk-issue';
import { creditPendingCashback } from './cashback';
import { type DuplicateReport, settleDuplicateRenewals } from './duplicates';
import { logIssuedWhole } from './issued-whole';
import { expire } from './lifecycle';
import { autoPayOf, type PlannedGroup, type PlanOptions, planRenewals, toLineInput } from './plan';

export type { BilledInvoice } from './billed';

/**
 * How long one writing transaction of the batch path may run (SLICE_MS). A test sets 0 — one
 * invoice per transaction — so a cancel lands between two invoices whatever the machine's speed
 * (test/integration/renewals-cancel.test.ts).
 */
export const runSlicing = { ms: SLICE_MS };

/** Invoices per transaction of the one-by-one path. */
const ONE_BY_ONE_BATCH = 200;

export interface RunReport {
  date: string;
  invoices: BilledInvoice[];
  expired: number;
  duplicates: DuplicateReport;
  cashbackBookedMinor: number;
  /** Invoices a problem kept from being billed (a payer without an address…): nothing of them written. */
  failed: BillFailure[];
  cancelled: boolean;
}

export interface RunOptions extends PlanOptions {
  draftsOnly?: boolean;
  /**
   * Invoice by invoice through the ordinary draft and issue services, as orders are billed:
   * the reference the batch path is held equal to (billing-bulk-equivalence.test.ts).
   */
  oneByOne?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | null) => void;
}

export async function runRenewals(ctx: Ctx, input: RenewalRun, options: RunOptions = {}): Promise<RunReport> {
  // A savepoint per invoice, its journal in memory; a commit per slice, checkpointed less often.
  return withBulkSettings(ctx.raw, () => runNow(ctx, input, options));
}

async function runNow(ctx: Ctx, input: RenewalRun, options: RunOptions): Promise<RunReport> {
  const duplicates = settleDuplicateRenewals(ctx);
  const plan = planRenewals(ctx, input, options);
  if (!plan.issuerOrganizationId) fail('issuer_missing');
  const issuerId = plan.issuerOrganizationId;
  // The firm bills (common/authority): refused here as the hub would refuse the claims.
  requireAuthority(ctx, 'renewals', 'insert', issuerId);
  let expired = 0;
  let cashbackBookedMinor = 0;
  ctx.write('renewal.lifecycle', (tx) => {
    expire(tx, plan.expiring);
    expired = plan.expiring.length;
    cashbackBookedMinor = creditPendingCashback(tx, ctx);
  });
  const report: RunReport = {
    date: input.date,
    invoices: [],
    expired,
    duplicates,
    cashbackBookedMinor,
    failed: [],
    cancelled: false,
  };
  options.onProgress?.(0, plan.groups.length);
  // Invoices are written in short transactions, each one durable commit (one fsync for many
  // invoices, not one each); inside one every invoice is its own savepoint, so one payer's
  // problem rolls back that invoice alone. Between two the event loop gets a turn (progress, a
  // cancel, the app's other requests), so a cancelled run leaves whole invoices and nothing
  // half-billed, and no transaction holds the loop for long (SLICE_MS).
  const total = plan.groups.length;
  const biller = options.oneByOne ? null : new BulkBiller(ctx, issuerId, input.date);
  for (let at = 0; at < total; ) {
    if (options.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    if (!biller) {
      oneByOne(ctx, issuerId, input.date, plan.groups.slice(at, at + ONE_BY_ONE_BATCH), options, report);
      at += ONE_BY_ONE_BATCH;
    } else {
      const slice = biller.slice(plan.groups, { ...options, from: at, sliceMs: runSlicing.ms });
      report.invoices.push(...slice.billed);
      report.failed.push(...slice.failed);
      at = slice.next;
    }
    options.onProgress?.(Math.min(at, total), total);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return report;
}

function oneByOne(
  ctx: Ctx,
  issuerId: string,
  date: string,
  batch: readonly PlannedGroup[],
  options: RunOptions,
  report: RunReport,
): void {
  atomically(
    ctx,
    () => {
      for (const group of batch) {
        try {
          const billed = billGroup(ctx, issuerId, date, group, options);
          if (billed) report.invoices.push(billed);
        } catch (error) {
          // One payer's problem (no billing address, an e-invoice that would be refused) is
          // that invoice's alone: shown in the report, its periods left for the next run.
          if (!(error instanceof KontorError)) throw error;
          report.failed.push({
            payerId: group.payerId,
            payerName: group.payerName,
            code: error.code,
            params: { ...error.params },
          });
        }
      }
    },
    true,
  );
}

/** One product's first period, billed now (an order): all of it or nothing, failures thrown. */
export function billOrder(
  ctx: Ctx,
  productId: string,
  date: string,
  options: Pick<RunOptions, 'orderedBy' | 'draftsOnly'>,
): BilledInvoice {
  const plan = planRenewals(ctx, { date }, { productId, origin: 'order', orderedBy: options.orderedBy });
  if (!plan.issuerOrganizationId) fail('issuer_missing');
  requireAuthority(ctx, 'renewals', 'insert', plan.issuerOrganizationId);
  const group = plan.groups[0];
  const billed = group ? billGroup(ctx, plan.issuerOrganizationId, date, group, options) : null;
  if (!billed) fail('product_not_found', { id: productId });
  return billed;
}

/** One invoice, in one transaction (a savepoint of the caller's): all of it or nothing. */
function billGroup(
  ctx: Ctx,
  issuerId: string,
  date: string,
  group: PlannedGroup,
  options: RunOptions,
): BilledInvoice | null {
  return atomically(ctx, () => billGroupNow(ctx, issuerId, date, group, options));
}

function billGroupNow(
  ctx: Ctx,
  issuerId: string,
  date: string,
  group: PlannedGroup,
  options: RunOptions,
): BilledInvoice | null {
  // Another run (the CLI beside the app) may have billed some of these periods since the plan
  // was read: the device refuses its own duplicates inside the writing transaction.
  const held = ctx.raw.prepare(
    'SELECT 1 FROM renewals r JOIN invoices i ON i.id = r.invoice_id WHERE r.period_key = ? AND i.deleted_at IS NULL LIMIT 1',
  );
  const lines = group.lines.filter((l) => l.periods.every((p) => !held.get(periodKey(l.productId, p.start))));
  if (lines.length === 0) return null;
  const payer = getOrganization(ctx, group.payerId);
  const issuer = getOrganization(ctx, issuerId);
  const draft = ctx.write('renewal.billed', (tx) => {
    const invoice = tx.insert(invoices, {
      kind: 'invoice',
      status: 'draft',
      organizationId: payer.id,
      productsOrganizationId: group.productsOrganizationId,
      issuerOrganizationId: issuerId,
      billingAddressId: group.billingAddressId,
      currency: group.currency,
      // The plan's: its lines' dates are already written in it (plan.ts lineDescription).
      locale: group.locale,
      issuedOn: date,
      notes: null,
    });
    writeLines(tx, ctx, invoice, lines.map(toLineInput), vatFor(issuer, payer));
    for (const line of lines) {
      for (const period of line.periods) appendClaim(tx, ctx, invoice.id, issuerId, group, line, period);
      tx.update(products, line.productId, { nextRenewalOn: line.periods[line.periods.length - 1]!.end });
    }
    return invoice;
  });
  const periods = lines.reduce((n, l) => n + l.periods.length, 0);
  if (options.draftsOnly) {
    const d = getInvoice(ctx, draft.id);
    return summary(d, group, lines.length, periods, false, 'draft');
  }
  const issued = issueInvoice(ctx, draft.id, date);
  logIssuedWhole(ctx, issued.id);
  const autoPay = autoPayOf(ctx, payer, { lines, currency: group.currency, grossMinor: issued.grossMinor });
  if (autoPay.pays) payFromBalance(ctx, { organizationId: payer.id, items: [{ invoiceId: issued.id }] });
  return summary(
    getInvoice(ctx, issued.id),
    group,
    lines.length,
    periods,
    autoPay.pays,
    autoPay.pays ? null : autoPay.reason,
  );
}

function summary(
  d: ReturnType<typeof getInvoice>,
  group: PlannedGroup,
  lines: number,
  periods: number,
  paid: boolean,
  reason: BilledInvoice['unpaidReason'],
): BilledInvoice {
  return {
    invoiceId: d.id,
    number: d.number,
    payerId: group.payerId,
    payerName: group.payerName,
    currency: d.currency,
    grossMinor: d.grossMinor,
    lines,
    periods,
    paidFromPrepaid: paid,
    unpaidReason: reason,
  };
}

function appendClaim(
  tx: WriteTx,
  ctx: Ctx,
  invoiceId: string,
  issuerId: string,
  group: PlannedGroup,
  line: PlannedGroup['lines'][number],
  period: { start: string; end: string },
): void {
  const hlc = ctx.hlc.now();
  const row = tx.db
    .insert(renewals)
    .values(claimValues(invoiceId, issuerId, group, line, period, tx.now.toISOString(), hlc))
    .returning()
    .get();
  tx.logChange('renewals', row.id, '*', row, hlc);
  tx.recordActivity({
    entity: 'renewals',
    entityId: row.id,
    organizationId: row.productsOrganizationId,
    productId: row.productId,
    after: row,
    hlc,
  });
}
