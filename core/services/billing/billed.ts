// What a billing run reports of each invoice it billed, or of each payer it could not bill, and
// the claim both billing paths write for a billed period (the run's report and ./bulk-issue.ts).
import crypto from 'node:crypto';
import type { ErrorParams } from '#common/errors';
import { periodKey } from '#common/renewal-periods';
import type { renewals } from '#db/schema/index';
import type { PlannedGroup } from './plan';

export interface BilledInvoice {
  invoiceId: string;
  number: string | null;
  payerId: string;
  payerName: string;
  currency: PlannedGroup['currency'];
  grossMinor: number;
  lines: number;
  periods: number;
  /** Paid from the prepaid account at issue, or why not. */
  paidFromPrepaid: boolean;
  unpaidReason: 'invoice_only' | 'not_auto_renew' | 'balance_short' | 'draft' | null;
}

export interface BillFailure {
  payerId: string;
  payerName: string;
  code: string;
  params: ErrorParams;
}

/** A claim's id: one per period and invoice, the same wherever the claim is written. */
export const claimId = (key: string, invoiceId: string): string => {
  const h = crypto.createHash('sha256').update(`renewal\u0000${key}\u0000${invoiceId}`).digest('hex');
  return `rn:${h.slice(0, 40)}`;
};

/**
 * The claim of one billed period: which product, payer, issuer, invoice and money it stands
 * for. Both billing paths write this row; one builder keeps their columns the same.
 */
export function claimValues(
  invoiceId: string,
  issuerId: string,
  group: PlannedGroup,
  line: PlannedGroup['lines'][number],
  period: { start: string; end: string },
  createdAt: string,
  hlc: string,
): typeof renewals.$inferInsert {
  const key = periodKey(line.productId, period.start);
  return {
    id: claimId(key, invoiceId),
    createdAt,
    hlc,
    periodKey: key,
    productId: line.productId,
    productsOrganizationId: group.productsOrganizationId,
    organizationId: group.payerId,
    issuerOrganizationId: issuerId,
    invoiceId,
    periodStart: period.start,
    periodEnd: period.end,
    frequency: line.frequency,
    origin: line.origin,
    netMinor: line.unitPriceMinor,
    currency: group.currency,
    moneyCase: line.moneyCase,
    partnershipId: line.partnershipId,
    partnerOrganizationId: line.partnerOrganizationId,
    cashbackMinor: line.periodCashbackMinor,
    lineDescription: line.description,
  };
}

/**
 * What the run reports of one billed invoice. A function of the module, not a closure made in
 * each bill(): the runner (tsx, keepNames) names every closure it makes, a property defined on
 * each new function object — 2 % of a 100k run's profile.
 */
export function summary(
  invoiceId: string,
  group: PlannedGroup,
  lines: readonly PlannedGroup['lines'][number][],
  grossMinor: number,
  paid: boolean,
  reason: BilledInvoice['unpaidReason'],
  number: string | null,
): BilledInvoice {
  let periods = 0;
  for (const l of lines) periods += l.periods.length;
  return {
    invoiceId,
    number,
    payerId: group.payerId,
    payerName: group.payerName,
    currency: group.currency,
    grossMinor,
    lines: lines.length,
    periods,
    paidFromPrepaid: paid,
    unpaidReason: reason,
  };
}
