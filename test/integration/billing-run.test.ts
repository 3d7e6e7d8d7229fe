// The billing run (issue 12): due renewals become invoices per payer, priced per DOMAIN.md's
// partnership cases; a second run bills nothing; auto-renew pays from the prepaid account at
// issue; cashback follows the payment and goes back with a credit note; an unpaid renewal
// expires its product after the grace period and paying reactivates it.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Book, buildBook, expectedTerms, runBilling } from '../helpers/billing';
import { createPayer } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-billing-run-');
const DATE = '2026-03-20';

let k: TestKontor;
let book: Book;
const invoiceOf = (productId: string) =>
  k.raw
    .prepare(
      `SELECT i.* FROM invoices i JOIN renewals r ON r.invoice_id = i.id WHERE r.product_id = ? ORDER BY r.period_start DESC LIMIT 1`,
    )
    .get(productId) as Record<string, unknown>;
const claimsOf = (productId: string) =>
  k.raw
    .prepare('SELECT period_start, period_end FROM renewals WHERE product_id = ? ORDER BY period_start')
    .all(productId);
const lineOf = (productId: string) =>
  k.raw
    .prepare('SELECT * FROM invoice_lines WHERE product_id = ? ORDER BY rowid DESC LIMIT 1')
    .get(productId) as Record<string, number>;
const balance = (org: string) =>
  k.raw
    .prepare(
      "SELECT coalesce(sum(amount_minor),0) FROM ledger_entries WHERE organization_id = ? AND currency = 'CHF'",
    )
    .pluck()
    .get(org) as number;

beforeAll(async () => {
  k = space.kontor({ now: '2026-03-20T08:00:00.000Z' });
  book = await buildBook(k, [
    {
      case: 'plain',
      kind: 'web_hosting',
      publicPriceMinor: 990,
      frequency: 'monthly',
      nextRenewalOn: '2026-04-01',
      autoRenew: true,
    },
    {
      case: 'plain',
      kind: 'web_hosting',
      publicPriceMinor: 2_990,
      frequency: 'quarterly',
      nextRenewalOn: '2026-04-10',
      autoRenew: false,
    },
    {
      case: 'complete_client',
      kind: 'mail_hosting',
      publicPriceMinor: 1_500,
      frequency: 'monthly',
      nextRenewalOn: '2026-04-01',
      autoRenew: true,
    },
    {
      case: 'complete_partner',
      kind: 'web_hosting',
      publicPriceMinor: 34_720,
      frequency: 'annual',
      nextRenewalOn: '2026-04-05',
      autoRenew: true,
    },
    {
      case: 'limited_managed',
      kind: 'domain',
      publicPriceMinor: 1_800,
      frequency: 'annual',
      nextRenewalOn: '2026-04-02',
      autoRenew: true,
    },
    {
      case: 'limited_other',
      kind: 'domain',
      publicPriceMinor: 1_800,
      frequency: 'annual',
      nextRenewalOn: '2026-04-02',
      autoRenew: true,
    },
    // Not due within 30 days of the run: left alone.
    {
      case: 'plain',
      kind: 'domain',
      publicPriceMinor: 1_800,
      frequency: 'annual',
      nextRenewalOn: '2026-06-01',
      autoRenew: true,
    },
  ]);
});

describe('a billing run', () => {
  it('previews one invoice per payer, products organization and address, priced per partnership case', async () => {
    const plan = await k.ok('renewals.preview', { date: DATE });
    const billed = plan.groups.flatMap((g) => g.lines.map((l) => l.productId));
    expect(billed).toHaveLength(6);
    expect(billed).not.toContain(book.products[6]!.id);
    for (const p of book.products.slice(0, 6)) {
      const group = plan.groups.find((g) => g.lines.some((l) => l.productId === p.id))!;
      const line = group.lines.find((l) => l.productId === p.id)!;
      const volume = book.products.filter(
        (q) => q.organizationId === p.organizationId && q.kind === p.kind,
      ).length;
      const want = expectedTerms(book, p, volume);
      expect({ payer: group.payerId, unit: line.unitPriceMinor, cashback: line.cashbackMinor }).toEqual({
        payer: want.payer,
        unit: want.unitMinor,
        cashback: want.cashbackMinor,
      });
    }
    // The partner paying with its own methods gets its own invoice for its client's product.
    expect(plan.groups.find((g) => g.payerId === book.partnerId)?.productsOrganizationId).toBe(
      book.clients.complete_partner,
    );
  });

  it('runs: invoices issued, periods claimed, next renewals moved on; a second run bills nothing', async () => {
    await k.ok('ledger.topUp', {
      organizationId: book.clients.complete_client,
      amountMinor: 100_000,
      method: 'bank_transfer',
    });
    const report = await runBilling(k, { date: DATE });
    expect(report.failed).toEqual([]);
    // Plain (two products, one address), client-pays, the partner, the limited client (two products).
    expect(report.invoices.length).toBe(4);
    expect(report.invoices.every((i) => i.number !== null)).toBe(true);
    const monthly = book.products[0]!;
    expect(claimsOf(monthly.id)).toEqual([{ period_start: '2026-04-01', period_end: '2026-05-01' }]);
    expect((await k.ok('products.get', { id: monthly.id })).nextRenewalOn).toBe('2026-05-01');
    const again = await runBilling(k, { date: DATE });
    expect(again.invoices).toEqual([]);
    expect((await k.ok('renewals.preview', { date: DATE })).groups).toEqual([]);
  });

  it('pays a renewal from the prepaid balance at issue when the profile and balance allow, else says why', async () => {
    const cc = book.products[2]!;
    const paid = invoiceOf(cc.id);
    expect(paid.status).toBe('paid');
    expect(balance(book.clients.complete_client)).toBe(100_000 - (paid.gross_minor as number));
    // The plain client has no balance: its invoice stays unpaid.
    expect(invoiceOf(book.products[0]!.id).status).toBe('unpaid');
  });

  it('credits the cashback when the earning invoice is paid, and takes it back with a credit note', async () => {
    const cc = book.products[2]!;
    const line = lineOf(cc.id);
    const want = expectedTerms(book, cc, 1).cashbackMinor;
    expect(want).toBeGreaterThan(0);
    expect(line.net_minor).toBe(expectedTerms(book, cc, 1).unitMinor);
    // Paid at issue from the prepaid account: the cashback is on the partner's account already.
    const cashback = k.raw
      .prepare(
        "SELECT amount_minor FROM ledger_entries WHERE organization_id = ? AND kind = 'cashback' AND invoice_id = ?",
      )
      .pluck()
      .all(book.partnerId, invoiceOf(cc.id).id);
    expect(cashback).toEqual([want]);
    // The limited partner's managed product earns once its invoice is paid by bank transfer.
    const lm = invoiceOf(book.products[4]!.id);
    const lmCashbackDue = expectedTerms(book, book.products[4]!, 2).cashbackMinor;
    const pending = await k.ok('partners.dashboard', { partnerOrganizationId: book.partnerId, year: 2026 });
    expect(pending.cashback).toEqual([
      { currency: 'CHF', earnedMinor: want, pendingMinor: lmCashbackDue, reversedMinor: 0 },
    ]);
    // The same, invoice by invoice: each total names the invoices behind it.
    const byInvoice = (d: typeof pending) =>
      d.cashbackInvoices
        .map((r) => [r.state, r.invoiceId, r.invoiceNumber, r.amountMinor])
        .sort((a, b) => String(a).localeCompare(String(b)));
    const ccInvoice = invoiceOf(cc.id);
    expect(byInvoice(pending)).toEqual(
      [
        ['earned', ccInvoice.id, ccInvoice.number, want],
        ['pending', lm.id, lm.number, lmCashbackDue],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const before = balance(book.partnerId);
    await k.ok('payments.record', {
      invoiceId: lm.id as string,
      amountMinor: lm.gross_minor as number,
      currency: 'CHF',
      method: 'bank_transfer',
      receivedOn: DATE,
    });
    const lmCashback = expectedTerms(book, book.products[4]!, 2).cashbackMinor;
    expect(balance(book.partnerId)).toBe(before + lmCashback);
    // The unmanaged product on the same invoice earned nothing; a full credit note reverses.
    await k.ok('invoices.creditNote', { invoiceId: lm.id as string });
    expect(balance(book.partnerId)).toBe(before);
    // The partner's dashboard: earned (both), reversed (the credited one), nothing pending.
    const board = await k.ok('partners.dashboard', { partnerOrganizationId: book.partnerId, year: 2026 });
    expect(board.cashback).toEqual([
      { currency: 'CHF', earnedMinor: want + lmCashback, pendingMinor: 0, reversedMinor: lmCashback },
    ]);
    expect(byInvoice(board)).toEqual(
      [
        ['earned', ccInvoice.id, ccInvoice.number, want],
        ['earned', lm.id, lm.number, lmCashback],
        ['reversed', lm.id, lm.number, lmCashback],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
  });

  it('expires a product whose renewal is unpaid past grace; paying reactivates it', async () => {
    const monthly = book.products[0]!;
    const unpaid = invoiceOf(monthly.id);
    // Due 30 days after 2026-03-20, grace 15 days: still active on 2026-05-30, expired on 2026-06-05.
    const late = await k.ok('renewals.preview', { date: '2026-06-05' });
    expect(late.expiring.map((e) => e.productId)).toContain(monthly.id);
    await runBilling(k, { date: '2026-06-05' });
    expect((await k.ok('products.get', { id: monthly.id })).status).toBe('expired');
    await k.ok('payments.record', {
      invoiceId: unpaid.id as string,
      amountMinor: unpaid.gross_minor as number,
      currency: 'CHF',
      method: 'bank_transfer',
      receivedOn: '2026-06-06',
    });
    expect((await k.ok('products.get', { id: monthly.id })).status).toBe('active');
    const activity = k.raw
      .prepare("SELECT count(*) FROM activity WHERE product_id = ? AND action LIKE 'renewal.%'")
      .pluck()
      .get(monthly.id) as number;
    expect(activity).toBeGreaterThan(0);
  });

  it('bills every other payer when one cannot be billed, and leaves that one’s periods for the next run', async () => {
    const bare = await createPayer(k, { name: 'Sans Adresse SA', address: false });
    const ok = await createPayer(k, { name: 'Avec Adresse SA' });
    const product = (organizationId: string) =>
      k.ok('products.create', {
        organizationId,
        kind: 'domain',
        name: `domaine-${organizationId.slice(-4)}.ch`,
        publicPriceMinor: 1_500,
        billingFrequency: 'annual',
        nextRenewalOn: '2026-06-20',
      });
    const stuck = await product(bare.id);
    const fine = await product(ok.id);
    const report = await runBilling(k, { date: '2026-06-10', locale: 'fr' });
    expect(report.failed.map((f) => [f.payerName, f.code])).toEqual([
      ['Sans Adresse SA', 'billing_address_missing'],
    ]);
    // Said in the caller's language, for the Renewals screen.
    expect(report.failed[0]!.message).toBe(
      'Sans Adresse SA n’a pas encore d’adresse de facturation. Ajoutez-en une d’abord.',
    );
    expect(claimsOf(fine.id)).toEqual([{ period_start: '2026-06-20', period_end: '2027-06-20' }]);
    expect(claimsOf(stuck.id)).toEqual([]);
    expect((await k.ok('products.get', { id: stuck.id })).nextRenewalOn).toBe('2026-06-20');
    expect(
      k.raw.prepare('SELECT count(*) FROM invoices WHERE organization_id = ?').pluck().get(bare.id),
    ).toBe(0);
  });
});
