// What a billing run for a date would bill (renewals.preview, and the first step of
// renewals.run): the due periods of every active product, priced and grouped into one invoice
// per payer, products organization, billing address and currency. Reads only.
import { invoiceTotals } from '#common/invoice-math';
import type { MoneyCase, OrderedBy } from '#common/pricing';
import { type Period, periodKey, periodsToBill } from '#common/renewal-periods';
import type { RenewalRun } from '#common/renewals.schema';
import type { DocumentLocale } from '#common/enums';
import type { CatchUpMode, Currency, Organization, Product, RenewalOrigin } from '#db/schema/index';
import type { Ctx } from '../context';
import { documentFormatter } from '../../export/pdf/format';
import { vatFor } from '../invoices/detail';
import { defaultLocale, priceLines } from '../invoices/drafts.service';
import { balanceOf } from '../ledger/entries';
import { getOrganization } from '../organizations.service';
import { getSettings } from '../settings.service';
import { type ExpiringProduct, expiringProducts } from './lifecycle';
import { activeCounts, PartnershipIndex, priceBooksOnce, termsFor } from './terms';

export interface PlannedLine {
  productId: string;
  productName: string;
  periods: Period[];
  description: string;
  quantityMilli: number;
  /** One period's price excl. VAT. */
  unitPriceMinor: number;
  netMinor: number;
  cashbackMinor: number;
  /** Per period (a catch-up line bills several). */
  periodCashbackMinor: number;
  moneyCase: MoneyCase;
  partnershipId: string | null;
  partnerOrganizationId: string | null;
  autoRenew: boolean;
  origin: RenewalOrigin;
  frequency: Product['billingFrequency'];
}

export type AutoPay =
  | { pays: true }
  | { pays: false; reason: 'invoice_only' | 'not_auto_renew' | 'balance_short'; balanceMinor: number };

export interface PlannedGroup {
  key: string;
  payerId: string;
  payerName: string;
  productsOrganizationId: string;
  productsOrganizationName: string;
  billingAddressId: string | null;
  /** What the screen names the address by (label · city); the payer's default when none is set. */
  billingAddress: string | null;
  currency: Currency;
  /** The invoice's language (the payer's, else its region's, else the firm's): its lines' dates are written in it. */
  locale: DocumentLocale;
  lines: PlannedLine[];
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  cashbackMinor: number;
  autoPay: AutoPay;
}

export interface RenewalPlan {
  date: string;
  issuerOrganizationId: string | null;
  groups: PlannedGroup[];
  /** Products whose renewal invoice is unpaid past the grace period: the run expires them. */
  expiring: ExpiringProduct[];
  /** Products too far behind to bill (a wrong next renewal date): shown, never billed silently. */
  tooFarBehind: { productId: string; name: string; nextRenewalOn: string }[];
  totals: { currency: Currency; invoices: number; lines: number; netMinor: number; grossMinor: number }[];
}

const lastDay = (end: string) => {
  const t = new Date(`${end}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
};
/**
 * The line text, exact: duplicates are found by it (billing/duplicates.ts). Its dates are the
 * document's (the invoice's language and currency: 01.12.2026 – 30.11.2027 in de-CH, 01/12/2026
 * in fr-FR), as the PDF writes every other date, never ISO.
 */
export const lineDescription = (
  name: string,
  first: Period,
  last: Period,
  locale: DocumentLocale,
  currency: Currency,
) => {
  const f = documentFormatter(locale, currency);
  return `${name} · ${f.date(first.start)} – ${f.date(lastDay(last.end))}`;
};

/** The live claims of billed periods: a key held by a live invoice is never billed again. */
export function claimedKeys(ctx: Ctx, since: string): Set<string> {
  const rows = ctx.raw
    .prepare(
      `SELECT r.period_key FROM renewals r JOIN invoices i ON i.id = r.invoice_id
       WHERE i.deleted_at IS NULL AND r.period_start >= ?`,
    )
    .pluck()
    .all(since) as string[];
  return new Set(rows);
}

interface Candidate {
  product: Product;
  org: Pick<Organization, 'billingHorizonDays' | 'renewalCatchUp'>;
}

function candidates(ctx: Ctx, input: RenewalRun, only?: string): Candidate[] {
  const select = 'SELECT p.*, o.billing_horizon_days AS horizon, o.renewal_catch_up AS catch_up';
  const due = `p.deleted_at IS NULL AND p.status = 'active'
    AND p.next_renewal_on <= date(@date, '+' || o.billing_horizon_days || ' days')`;
  // A run: organization by organization (CROSS JOIN keeps that order), each one's products due
  // within its own horizon found through products_org_renewal_idx: only the due products are
  // read, where a scan of every product joined to its organization read all of them (2× the
  // time at 100k products). An order: its one product.
  const rows = ctx.raw
    .prepare(
      only
        ? `${select} FROM products p JOIN organizations o ON o.id = p.organization_id WHERE p.id = @only AND ${due}`
        : `${select} FROM organizations o CROSS JOIN products p ON p.organization_id = o.id WHERE ${due}
           ORDER BY p.organization_id, p.id`,
    )
    .all(only ? { date: input.date, only } : { date: input.date }) as Record<string, unknown>[];
  return rows.map((r) => ({
    product: {
      id: r.id as string,
      createdAt: r.created_at as string,
      updatedAt: r.updated_at as string,
      deletedAt: null,
      organizationId: r.organization_id as string,
      kind: r.kind as Product['kind'],
      name: r.name as string,
      publicPriceMinor: r.public_price_minor as number,
      currency: r.currency as Currency,
      billingFrequency: r.billing_frequency as Product['billingFrequency'],
      nextRenewalOn: r.next_renewal_on as string,
      autoRenew: r.auto_renew === 1,
      status: 'active',
      billingAddressId: (r.billing_address_id as string | null) ?? null,
    },
    org: { billingHorizonDays: r.horizon as number, renewalCatchUp: r.catch_up as CatchUpMode },
  }));
}

export interface PlanOptions {
  /** Bill this product only (an order). */
  productId?: string;
  origin?: RenewalOrigin;
  orderedBy?: OrderedBy;
}

export function planRenewals(ctx: Ctx, input: RenewalRun, options: PlanOptions = {}): RenewalPlan {
  const issuerId = getSettings(ctx).providerOrganizationId ?? null;
  const index = new PartnershipIndex(ctx);
  const volumes = activeCounts(ctx);
  const books = priceBooksOnce(ctx);
  const found = candidates(ctx, input, options.productId);
  const since = found.reduce(
    (m, c) => (c.product.nextRenewalOn < m ? c.product.nextRenewalOn : m),
    input.date,
  );
  const claimed = claimedKeys(ctx, since);
  const groups = new Map<string, PlannedGroup>();
  const tooFarBehind: RenewalPlan['tooFarBehind'] = [];
  const orgs = new Map<string, Organization>();
  const addressOf = addressReader(ctx);
  const org = (id: string) => {
    let o = orgs.get(id);
    if (!o) {
      o = getOrganization(ctx, id);
      orgs.set(id, o);
    }
    return o;
  };
  // The firm's default document language, for payers whose own and region's say nothing.
  const issuerLocale = { documentLocale: issuerId ? org(issuerId).documentLocale : null };
  for (const { product, org: settings } of found) {
    const { periods, tooFarBehind: behind } = periodsToBill({
      nextRenewalOn: product.nextRenewalOn,
      frequency: product.billingFrequency,
      runDate: input.date,
      horizonDays: settings.billingHorizonDays,
    });
    if (behind) {
      tooFarBehind.push({ productId: product.id, name: product.name, nextRenewalOn: product.nextRenewalOn });
      continue;
    }
    const open = periods.filter((p) => !claimed.has(periodKey(product.id, p.start)));
    if (open.length === 0) continue;
    const partnership = index.of(product);
    const terms = termsFor(
      ctx,
      product,
      partnership,
      volumes.get(`${product.organizationId}:${product.kind}`) ?? 1,
      options.orderedBy ?? null,
      books,
    );
    if (
      input.organizationId &&
      input.organizationId !== product.organizationId &&
      input.organizationId !== terms.payerId
    )
      continue;
    const key = [terms.payerId, product.organizationId, terms.billingAddressId ?? '', product.currency].join(
      '|',
    );
    let group = groups.get(key);
    if (!group) {
      const address = addressOf(terms.payerId, terms.billingAddressId);
      group = {
        key,
        payerId: terms.payerId,
        payerName: org(terms.payerId).name,
        productsOrganizationId: product.organizationId,
        productsOrganizationName: org(product.organizationId).name,
        billingAddressId: terms.billingAddressId,
        billingAddress: address.name,
        currency: product.currency,
        locale: defaultLocale(org(terms.payerId), address.postalCode, issuerLocale),
        lines: [],
        netMinor: 0,
        vatMinor: 0,
        grossMinor: 0,
        cashbackMinor: 0,
        autoPay: { pays: true },
      };
      groups.set(key, group);
    }
    // Missed periods (started before the run date) as one catch-up line when the client's
    // organization asks for it; the coming period always on its own line.
    const missed = open.filter((p) => p.start < input.date);
    const coming = open.filter((p) => p.start >= input.date);
    const bundles =
      settings.renewalCatchUp === 'single' && missed.length > 1
        ? [missed, ...coming.map((p) => [p])]
        : open.map((p) => [p]);
    for (const bundle of bundles) {
      const first = bundle[0] as Period;
      const last = bundle[bundle.length - 1] as Period;
      group.lines.push({
        productId: product.id,
        productName: product.name,
        periods: bundle,
        description: lineDescription(product.name, first, last, group.locale, group.currency),
        quantityMilli: bundle.length * 1000,
        unitPriceMinor: terms.netMinor,
        netMinor: terms.netMinor * bundle.length,
        cashbackMinor: terms.cashbackMinor * bundle.length,
        periodCashbackMinor: terms.cashbackMinor,
        moneyCase: terms.moneyCase,
        partnershipId: terms.partnership?.id ?? null,
        partnerOrganizationId: terms.partnership?.partnerOrganizationId ?? null,
        autoRenew: product.autoRenew,
        origin: options.origin ?? 'renewal',
        frequency: product.billingFrequency,
      });
    }
  }
  const issuer = issuerId ? org(issuerId) : null;
  for (const group of groups.values()) {
    const payer = org(group.payerId);
    if (issuer) {
      const priced = priceLines(group.lines.map(toLineInput), vatFor(issuer, payer));
      const totals = invoiceTotals(priced);
      group.netMinor = totals.netMinor;
      group.vatMinor = totals.vatMinor;
      group.grossMinor = totals.grossMinor;
    } else group.netMinor = group.lines.reduce((s, l) => s + l.netMinor, 0);
    group.cashbackMinor = group.lines.reduce((s, l) => s + l.cashbackMinor, 0);
    group.autoPay = autoPayOf(ctx, payer, group);
  }
  const list = [...groups.values()];
  return {
    date: input.date,
    issuerOrganizationId: issuerId,
    groups: list,
    expiring: options.productId ? [] : expiringProducts(ctx, input.date, input.organizationId),
    tooFarBehind,
    totals: totalsOf(list),
  };
}

/**
 * A group's billing address, one read per address: what the screen names it by (label · city)
 * and its postcode (the document's language region).
 */
function addressReader(ctx: Ctx) {
  const columns = "label || ' · ' || city AS name, postal_code AS postalCode";
  const byId = ctx.raw.prepare(
    `SELECT ${columns} FROM billing_addresses WHERE id = ? AND deleted_at IS NULL`,
  );
  const byDefault = ctx.raw.prepare(
    `SELECT ${columns} FROM billing_addresses WHERE organization_id = ? AND is_default = 1 AND deleted_at IS NULL LIMIT 1`,
  );
  type Address = { name: string | null; postalCode: string | null };
  const seen = new Map<string, Address>();
  return (payerId: string, addressId: string | null): Address => {
    const key = addressId ?? `default:${payerId}`;
    let found = seen.get(key);
    if (!found) {
      found = ((addressId ? byId.get(addressId) : byDefault.get(payerId)) as Address | undefined) ?? {
        name: null,
        postalCode: null,
      };
      seen.set(key, found);
    }
    return found;
  };
}

export function toLineInput(l: PlannedLine) {
  return {
    productId: l.productId,
    description: l.description,
    quantityMilli: l.quantityMilli,
    unitPriceMinor: l.unitPriceMinor,
    discountBp: 0,
    unitCode: UNIT_OF[l.frequency],
  };
}

/** UN/ECE Rec 20: the quantity is a number of periods of the product's frequency. */
const UNIT_OF = { monthly: 'MON', quarterly: 'QAN', annual: 'ANN' } as const;

/** Whether the payer's prepaid balance pays this invoice at issue (DOMAIN.md, seeds' payment profile). */
export function autoPayOf(
  ctx: Ctx,
  payer: Organization,
  group: Pick<PlannedGroup, 'lines' | 'currency' | 'grossMinor'>,
): AutoPay {
  const balanceMinor = balanceOf(ctx, payer.id, group.currency);
  if (payer.paymentProfile === 'invoice_only') return { pays: false, reason: 'invoice_only', balanceMinor };
  if (!group.lines.every((l) => l.autoRenew)) return { pays: false, reason: 'not_auto_renew', balanceMinor };
  if (balanceMinor < group.grossMinor) return { pays: false, reason: 'balance_short', balanceMinor };
  return { pays: true };
}

function totalsOf(groups: PlannedGroup[]): RenewalPlan['totals'] {
  const by = new Map<Currency, RenewalPlan['totals'][number]>();
  for (const g of groups) {
    const t = by.get(g.currency) ?? {
      currency: g.currency,
      invoices: 0,
      lines: 0,
      netMinor: 0,
      grossMinor: 0,
    };
    t.invoices++;
    t.lines += g.lines.length;
    t.netMinor += g.netMinor;
    t.grossMinor += g.grossMinor;
    by.set(g.currency, t);
  }
  return [...by.values()];
}
