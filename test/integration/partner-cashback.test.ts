// Partner money (DOMAIN.md "Partner money: discounts and cashback", seeds "remise et cashback"):
// each case credits cashback to the partner's prepaid ledger, gives a discount, or nothing,
// with the right amounts; the ledger entry is append-only and linked to its invoice.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '#core/api/contract';
import { issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-cashback-');

let k: TestKontor;
let partner: SeededOrganization;
let clientPays: SeededOrganization; // complete access, client's payment methods
let partnerPays: SeededOrganization; // complete access, partner's payment methods
let limited: SeededOrganization; // limited access, first product allocated
const ids = { clientPays: '', partnerPays: '', limited: '' };

async function as(personId: string | null) {
  await k.ok('settings.setActingPerson', { personId });
}
async function partnership(client: SeededOrganization, access: 'limited' | 'complete', payment?: 'client' | 'partner') {
  await as(partner.personIds[0]!);
  const p = await k.ok('partners.inviteClient', {
    partnerOrganizationId: partner.organizationId,
    clientOrganizationId: client.organizationId,
    access,
    payment,
  });
  await as(client.personIds[0]!);
  const productIds = access === 'limited' ? [client.productIds[0]!] : undefined;
  return (await k.ok('partners.accept', { partnershipId: p.id, productIds })).id;
}
const cashbackRows = () =>
  k.raw
    .prepare("select * from ledger_entries where organization_id = ? and kind = 'cashback' order by hlc")
    .all(partner.organizationId) as Record<string, unknown>[];

// 35 web hostings from the price book (seeds: CHF 9.92 each), partner tier 20 %, degressive 25 %.
const ORDER = { productKind: 'web_hosting' as const, quantity: 35 };

beforeAll(async () => {
  k = space.kontor();
  partner = await seedOrganization(k, { name: 'Agence Alpha', products: 0, tags: 0 });
  clientPays = await seedOrganization(k, { name: 'Client Paie', products: 1, tags: 0 });
  partnerPays = await seedOrganization(k, { name: 'Client Géré', products: 1, tags: 0 });
  limited = await seedOrganization(k, { name: 'Client Limité', products: 2, tags: 0 });
  ids.clientPays = await partnership(clientPays, 'complete', 'client');
  ids.partnerPays = await partnership(partnerPays, 'complete', 'partner');
  ids.limited = await partnership(limited, 'limited');
  await as(null);
});

type Decision = MethodOutput<'partners.cashbackFor'>;
const CASHBACK_TOTAL = 26_040 - 20_832; // paid (public less degressive) − preferential

describe('cashback and discount follow DOMAIN.md’s cases', () => {
  it.each([
    ['complete, client pays, client orders', 'clientPays', 'client'],
    ['complete, client pays, partner orders with the client’s payment methods', 'clientPays', 'partner'],
    ['complete, partner pays, client orders', 'partnerPays', 'client'],
    ['limited, client orders a managed product', 'limited', 'client'],
  ] as const)('%s → cashback credited', async (_label, which, orderedBy) => {
    const productId = which === 'limited' ? limited.productIds[0] : undefined;
    const before = cashbackRows().length;
    const d: Decision = await k.ok('partners.cashbackFor', { partnershipId: ids[which], orderedBy, productId, ...ORDER });
    expect(d.case).toBe('cashback');
    expect(d.total).toMatchObject({
      publicMinor: 34_720,
      discountMinor: 0,
      paidMinor: 26_040,
      preferentialMinor: 20_832,
      cashbackMinor: CASHBACK_TOTAL,
    });
    const credited = await k.ok('partners.creditCashback', { partnershipId: ids[which], orderedBy, productId, ...ORDER });
    expect(credited.entry).toMatchObject({
      organizationId: partner.organizationId,
      kind: 'cashback',
      amountMinor: CASHBACK_TOTAL,
      currency: 'CHF',
    });
    expect(cashbackRows()).toHaveLength(before + 1);
  });

  it('complete, partner pays, partner orders → discount: it pays the preferential price, no cashback', async () => {
    const d = await k.ok('partners.cashbackFor', { partnershipId: ids.partnerPays, orderedBy: 'partner', ...ORDER });
    expect(d.case).toBe('discount');
    expect(d.total).toMatchObject({ publicMinor: 34_720, discountMinor: 6_944, degressiveMinor: 6_944, paidMinor: 20_832, cashbackMinor: 0 });
    const before = count(k.raw, 'ledger_entries');
    await k.fails('partners.creditCashback', { partnershipId: ids.partnerPays, orderedBy: 'partner', ...ORDER }, 'partner_no_cashback');
    expect(count(k.raw, 'ledger_entries')).toBe(before);
  });

  it('limited, client orders a product the partner does not manage → nothing', async () => {
    const d = await k.ok('partners.cashbackFor', {
      partnershipId: ids.limited,
      orderedBy: 'client',
      productId: limited.productIds[1]!,
      ...ORDER,
    });
    expect(d.case).toBe('none');
    expect(d.total.cashbackMinor).toBe(0);
    await k.fails(
      'partners.creditCashback',
      { partnershipId: ids.limited, orderedBy: 'client', productId: limited.productIds[1]!, ...ORDER },
      'partner_no_cashback',
    );
  });

  it('limited: the partner cannot order or renew at all', async () => {
    const e = await k.fails(
      'partners.cashbackFor',
      { partnershipId: ids.limited, orderedBy: 'partner', productId: limited.productIds[0]!, ...ORDER },
      'partner_cannot_order',
      { locale: 'fr' },
    );
    expect(e.message).toContain('accès limité');
  });

  it('a partner order paid against the arrangement is refused', async () => {
    await k.fails(
      'partners.cashbackFor',
      { partnershipId: ids.clientPays, orderedBy: 'partner', payment: 'partner', ...ORDER },
      'partner_payment_mismatch',
    );
  });

  it('the partner’s own tier and an explicit public price are used', async () => {
    await k.ok('partners.setDiscount', { partnerOrganizationId: partner.organizationId, productKind: 'domain', discountBp: 1_000 });
    const d = await k.ok('partners.cashbackFor', {
      partnershipId: ids.clientPays,
      orderedBy: 'client',
      productKind: 'domain',
      quantity: 3,
      publicUnitMinor: 1_995,
    });
    // 59.85 public, no degressive for domains, 10 % → 5.985 rounds half away from zero to 5.99.
    expect(d.total).toMatchObject({ publicMinor: 5_985, paidMinor: 5_985, preferentialMinor: 5_387, cashbackMinor: 598 });
    expect(d.degressiveBp).toBe(0);
  });
});

describe('the ledger entry', () => {
  it('is linked to the invoice that earned it, and append-only', async () => {
    await setUpProvider(k);
    const invoice = await issueInvoice(k, clientPays.organizationId, [line(34_720)]);
    const { entry } = await k.ok('partners.creditCashback', {
      partnershipId: ids.clientPays,
      orderedBy: 'client',
      invoiceId: invoice.id,
      ...ORDER,
    });
    expect(entry.invoiceId).toBe(invoice.id);
    const ledger = await k.ok('ledger.list', { organizationId: partner.organizationId, limit: 50 });
    expect(ledger.rows[0]).toMatchObject({ id: entry.id, kind: 'cashback', invoiceNumber: invoice.number });
    expect(ledger.balanceMinor).toBe(CASHBACK_TOTAL * 5);
    expect(() => k.raw.prepare('update ledger_entries set amount_minor = 1 where id = ?').run(entry.id)).toThrow();
    expect(() => k.raw.prepare('delete from ledger_entries where id = ?').run(entry.id)).toThrow();
    await k.fails(
      'partners.creditCashback',
      { partnershipId: ids.clientPays, orderedBy: 'client', invoiceId: 'no-such-invoice', ...ORDER },
      'invoice_not_found',
    );
  });

  it('shows on the dashboard per month and per client; volume against the dealer threshold', async () => {
    const dash = await k.ok('partners.dashboard', { partnerOrganizationId: partner.organizationId });
    expect(dash.year).toBe(2026);
    expect(dash.cashbackByMonth).toEqual([{ month: '2026-03', currency: 'CHF', amountMinor: CASHBACK_TOTAL * 5 }]);
    const perClient = Object.fromEntries(dash.cashbackByClient.map((r) => [r.clientOrganizationId, r.amountMinor]));
    expect(perClient).toEqual({
      [clientPays.organizationId]: CASHBACK_TOTAL * 3,
      [partnerPays.organizationId]: CASHBACK_TOTAL,
      [limited.organizationId]: CASHBACK_TOTAL,
    });
    expect(dash.clients).toHaveLength(3);
    // Complete: every product; limited: only the allocated one.
    expect(dash.productsUnderManagement).toBe(3);
    const chf = dash.volume.find((v) => v.currency === 'CHF')!;
    expect(chf.thresholdMinor).toBe(200_000);
    expect(dash.dealerEligible).toBe(chf.yearlyMinor >= 200_000);
    expect(dash.pendingInvitations).toEqual([]);
  });
});

describe('quotes', () => {
  it('the price book quote reproduces the seeds; overrides make a what-if', async () => {
    const q = await k.ok('partners.quote', { partnerOrganizationId: partner.organizationId, productKind: 'web_hosting', quantity: 35 });
    expect(q).toMatchObject({ case: 'discount', discountBp: 2_000, degressiveBp: 2_500, currency: 'CHF' });
    expect(q.total.paidMinor).toBe(20_832);
    const eur = await k.ok('partners.quote', {
      partnerOrganizationId: partner.organizationId,
      productKind: 'web_hosting',
      quantity: 35,
      currency: 'EUR',
    });
    expect(eur.total.paidMinor).toBe(12_075);
    const whatIf = await k.ok('partners.quote', {
      partnerOrganizationId: partner.organizationId,
      productKind: 'web_hosting',
      quantity: 1,
      publicPriceMinor: 10_000,
      discountBp: 3_500,
      degressiveBp: 1_000,
      payment: 'client',
    });
    expect(whatIf.total).toMatchObject({ paidMinor: 9_000, preferentialMinor: 5_850, cashbackMinor: 3_150 });
    await k.fails(
      'partners.quote',
      { partnerOrganizationId: partner.organizationId, productKind: 'web_hosting', quantity: 1, discountBp: 3_600 },
      'invalid_input',
    );
    await k.fails(
      'partners.quote',
      { partnerOrganizationId: partner.organizationId, productKind: 'drive', quantity: 1 },
      'price_unknown',
    );
  });
});
