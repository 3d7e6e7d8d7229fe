// The partner dashboard: managed clients and products, yearly volume against the dealer
// threshold, cashback by month and by client, pending invitations and unread notices.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Currency, ledgerEntries, partnerNotices, products } from '#db/schema/index';
import type { PartnerDashboard } from '#common/partners.schema';
import type { Ctx } from '../context';
import { getOrganization } from '../organizations.service';
import { listPartnerships } from './partnerships';
import { DEALER_THRESHOLD_MINOR } from './price-book.service';
import { cashbackTotals } from '../billing/cashback';
import { cashbackInvoices } from './cashback-invoices';
import { CASHBACK_NOTE } from './quotes.service';

// ---------------------------------------------------------------------------------------
// Dashboard.

const PERIODS_PER_YEAR = { monthly: 12, quarterly: 4, annual: 1 } as const;

export function partnerDashboard(ctx: Ctx, input: z.infer<typeof PartnerDashboard>) {
  const partner = getOrganization(ctx, input.partnerOrganizationId);
  const year = input.year ?? ctx.clock.now().getUTCFullYear();
  const all = listPartnerships(ctx, { organizationId: partner.id, role: 'partner' });
  const active = all.filter((p) => p.status === 'active');
  const volume: Record<Currency, number> = { CHF: 0, EUR: 0 };
  let productsUnderManagement = 0;
  const clients = active.map((p) => {
    const managed = ctx.db
      .select({
        id: products.id,
        price: products.publicPriceMinor,
        currency: products.currency,
        freq: products.billingFrequency,
      })
      .from(products)
      .where(
        and(
          eq(products.organizationId, p.clientOrganizationId),
          isNull(products.deletedAt),
          eq(products.status, 'active'),
          p.access === 'limited'
            ? inArray(products.id, p.productIds.length ? p.productIds : [''])
            : undefined,
        ),
      )
      .all();
    productsUnderManagement += managed.length;
    let yearlyMinor = 0;
    for (const m of managed) {
      const yearly = m.price * PERIODS_PER_YEAR[m.freq];
      volume[m.currency] += yearly;
      yearlyMinor += yearly;
    }
    return {
      partnershipId: p.id,
      clientOrganizationId: p.clientOrganizationId,
      clientName: p.clientName,
      access: p.access,
      payment: p.payment,
      status: p.status,
      products: managed.length,
      yearlyVolumeMinor: yearlyMinor,
    };
  });
  const entries = ctx.db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.organizationId, partner.id),
        eq(ledgerEntries.kind, 'cashback'),
        sql`${ledgerEntries.bookedOn} like ${`${year}-%`}`,
      ),
    )
    .all();
  const byMonth = new Map<string, number>();
  const byClient = new Map<string, number>();
  const clientOf = new Map(all.map((p) => [p.id, p.clientOrganizationId]));
  for (const e of entries) {
    const key = `${e.bookedOn.slice(0, 7)}|${e.currency}`;
    byMonth.set(key, (byMonth.get(key) ?? 0) + e.amountMinor);
    const pid = e.note?.startsWith(CASHBACK_NOTE) ? e.note.slice(CASHBACK_NOTE.length) : null;
    const client = (pid && clientOf.get(pid)) || 'unknown';
    const ck = `${client}|${e.currency}`;
    byClient.set(ck, (byClient.get(ck) ?? 0) + e.amountMinor);
  }
  const names = new Map(all.map((p) => [p.clientOrganizationId, p.clientName]));
  return {
    partnerOrganizationId: partner.id,
    year,
    clients,
    productsUnderManagement,
    volume: (['CHF', 'EUR'] as const).map((currency) => ({
      currency,
      yearlyMinor: volume[currency],
      thresholdMinor: DEALER_THRESHOLD_MINOR[currency],
      reached: volume[currency] >= DEALER_THRESHOLD_MINOR[currency],
    })),
    dealerEligible: (['CHF', 'EUR'] as const).some((c) => volume[c] >= DEALER_THRESHOLD_MINOR[c]),
    cashbackByMonth: [...byMonth]
      .map(([k, amountMinor]) => {
        const [month, currency] = k.split('|') as [string, Currency];
        return { month, currency, amountMinor };
      })
      .sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency)),
    // Earned, pending (billed, not paid yet) and reversed by credit notes (billing/cashback.ts).
    cashback: cashbackTotals(ctx, partner.id, year),
    // The same three, invoice by invoice (the dashboard names each invoice).
    cashbackInvoices: cashbackInvoices(ctx, partner.id, year),
    cashbackByClient: [...byClient].map(([k, amountMinor]) => {
      const [clientOrganizationId, currency] = k.split('|') as [string, Currency];
      return {
        clientOrganizationId,
        clientName: names.get(clientOrganizationId) ?? null,
        currency,
        amountMinor,
      };
    }),
    pendingInvitations: all
      .filter((p) => p.status === 'invited')
      .map((p) => ({
        partnershipId: p.id,
        clientOrganizationId: p.clientOrganizationId,
        clientName: p.clientName,
        invitedBy: p.invitedBy,
        requestedAccess: p.requestedAccess,
        invitedEmail: p.invitedEmail,
        lastSentAt: p.lastSentAt,
      })),
    notices: ctx.db
      .select()
      .from(partnerNotices)
      .where(
        and(
          eq(partnerNotices.organizationId, partner.id),
          isNull(partnerNotices.readAt),
          isNull(partnerNotices.deletedAt),
        ),
      )
      .orderBy(asc(partnerNotices.createdAt))
      .all(),
  };
}
