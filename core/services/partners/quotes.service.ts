// Quotes and cashback (DOMAIN.md "Partner money"): what an order costs or earns, priced over
// the price book, and the cashback credited to the partner's prepaid ledger.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Currency,
  type LedgerEntry,
  type PartnerPayment,
  type ProductKind,
  products,
} from '#db/schema/index';
import { fail } from '#common/errors';
import type { CreditCashback, OrderEvent, QuoteInput } from '#common/partners.schema';
import { degressiveRateFor, type MoneyCase, moneyCase, type Quote, quote } from '#common/pricing';
import { requireAuthority } from '../authority';
import type { Ctx } from '../context';
import { appendEntry } from '../ledger/entries';
import { getOrganization } from '../organizations.service';
import { allocatedProductIds, assertActive, findPartnership } from './partnerships';
import { priceBookFor } from './price-book.service';

// ---------------------------------------------------------------------------------------
// Quotes and cashback.

export interface QuoteResult extends Quote {
  productKind: ProductKind;
  currency: Currency;
}

function priced(
  ctx: Ctx,
  partnerOrganizationId: string,
  kind: ProductKind,
  currency: Currency,
  quantity: number,
  moneyCaseValue: MoneyCase,
  overrides: { publicUnitMinor?: number; discountBp?: number; degressiveBp?: number },
): QuoteResult {
  const book = priceBookFor(ctx, kind, partnerOrganizationId);
  const publicUnitMinor = overrides.publicUnitMinor ?? book.publicPrice(currency);
  if (publicUnitMinor === null) fail('price_unknown', { kind, currency });
  const q = quote({
    publicUnitMinor,
    quantity,
    discountBp: overrides.discountBp ?? book.discountBp,
    degressiveBp: overrides.degressiveBp ?? degressiveRateFor(kind, book.tiers, quantity),
    case: moneyCaseValue,
  });
  return { ...q, productKind: kind, currency };
}

export function quoteFor(ctx: Ctx, input: z.infer<typeof QuoteInput>): QuoteResult {
  const partner = getOrganization(ctx, input.partnerOrganizationId);
  const c = moneyCase({
    access: input.access,
    payment: input.access === 'complete' ? input.payment : null,
    orderedBy: input.orderedBy,
    managedByPartner: true,
  });
  if (c === 'forbidden') fail('partner_cannot_order');
  return priced(ctx, partner.id, input.productKind, input.currency ?? partner.currency, input.quantity, c, {
    publicUnitMinor: input.publicPriceMinor,
    discountBp: input.discountBp,
    degressiveBp: input.degressiveBp,
  });
}

export interface CashbackDecision extends QuoteResult {
  partnershipId: string;
  partnerOrganizationId: string;
  clientOrganizationId: string;
  reason: string;
}

/** What an order or renewal earns the partner: DOMAIN.md's cases, over the price book. */
export function cashbackFor(ctx: Ctx, input: z.infer<typeof OrderEvent>): CashbackDecision {
  const p = findPartnership(ctx, input.partnershipId);
  assertActive(p);
  // Who pays: the client pays its own orders; a partner's order is paid per the arrangement.
  const arrangement: PartnerPayment | null = p.access === 'complete' ? p.payment : null;
  if (
    input.orderedBy === 'partner' &&
    p.access === 'complete' &&
    input.payment &&
    input.payment !== arrangement
  )
    fail('partner_payment_mismatch', { arrangement: arrangement ?? '', given: input.payment });
  if (input.orderedBy === 'client' && input.payment === 'partner')
    fail('partner_payment_mismatch', { arrangement: 'client', given: 'partner' });
  let managed = p.access === 'complete';
  if (p.access === 'limited' && input.productId) {
    managed = allocatedProductIds(ctx, p.id).includes(input.productId);
  }
  if (input.productId) {
    const product = ctx.db.select().from(products).where(eq(products.id, input.productId)).get();
    if (!product) fail('product_not_found', { id: input.productId });
    if (product.organizationId !== p.clientOrganizationId)
      fail('product_wrong_organization', { productId: product.id });
  }
  const c = moneyCase({
    access: p.access,
    payment: input.orderedBy === 'client' ? 'client' : arrangement,
    orderedBy: input.orderedBy,
    managedByPartner: managed,
  });
  if (c === 'forbidden') fail('partner_cannot_order');
  const currency = input.currency ?? getOrganization(ctx, p.clientOrganizationId).currency;
  const q = priced(ctx, p.partnerOrganizationId, input.productKind, currency, input.quantity, c, {
    publicUnitMinor: input.publicUnitMinor,
  });
  const reason =
    c === 'none'
      ? 'product_not_managed'
      : c === 'discount'
        ? 'partner_paid_preferential_price'
        : `${p.access}_${input.orderedBy}_ordered`;
  return {
    ...q,
    partnershipId: p.id,
    partnerOrganizationId: p.partnerOrganizationId,
    clientOrganizationId: p.clientOrganizationId,
    reason,
  };
}

/** A cashback ledger entry names the partnership that earned it in its note (client exports read it too). */
export const CASHBACK_NOTE = 'partnership:';

/** Credits the cashback an order earned to the partner's prepaid ledger (append-only, linked). */
export function creditCashback(
  ctx: Ctx,
  input: z.infer<typeof CreditCashback>,
): { decision: CashbackDecision; entry: LedgerEntry } {
  return ctx.write(
    'partner.cashback_credited',
    (tx) => {
      const decision = cashbackFor(ctx, input);
      // Cashback is money the firm books, as the billing rules compute it (common/authority).
      requireAuthority(ctx, 'ledger_entries', 'insert', decision.partnerOrganizationId, {
        values: { kind: 'cashback' },
      });
      if (decision.case !== 'cashback' || decision.total.cashbackMinor <= 0)
        fail('partner_no_cashback', { reason: decision.reason });
      if (input.invoiceId) {
        const invoice = ctx.raw.prepare('select id from invoices where id = ?').get(input.invoiceId);
        if (!invoice) fail('invoice_not_found', { id: input.invoiceId });
      }
      const entry = appendEntry(tx, ctx, {
        organizationId: decision.partnerOrganizationId,
        kind: 'cashback',
        amountMinor: decision.total.cashbackMinor,
        currency: decision.currency,
        invoiceId: input.invoiceId ?? null,
        note: `${CASHBACK_NOTE}${decision.partnershipId}`,
      });
      return { decision, entry };
    },
    { durable: true },
  );
}
