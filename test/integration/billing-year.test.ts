// A year of billing runs over a book with every partnership case, every frequency, a mid-year
// frequency change, auto-renew with and without a balance, and a credit note — against an
// independent computation written from DOMAIN.md's rules (test/helpers/billing.ts), not from
// core/services/billing. Then runs repeated at random dates (fast-check) bill nothing twice and
// skip no period.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Book,
  type BookProduct,
  buildBook,
  expectedStarts,
  expectedTerms,
  MONTHS_OF,
  plusDays,
  plusMonths,
  runBilling,
} from '../helpers/billing';
import { createPayer } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-billing-year-');
const HORIZON = 30;
const VAT_BP = 810; // Swiss standard rate: a Swiss provider bills Swiss clients
const vat = (net: number) => Math.floor((net * VAT_BP * 2 + 10_000) / 20_000); // half up, net ≥ 0

let k: TestKontor;
let book: Book;
const RUNS = Array.from({ length: 12 }, (_, i) => plusMonths('2026-01-01', i));
const CHANGE = { at: '2026-05-15', product: 2, to: 'monthly' as const }; // quarterly → monthly
const CREDITED_RUN = '2026-03-01';

const SPECS: Omit<BookProduct, 'id' | 'organizationId'>[] = [
  {
    case: 'plain',
    kind: 'web_hosting',
    publicPriceMinor: 990,
    frequency: 'monthly',
    nextRenewalOn: '2026-01-05',
    autoRenew: true,
  },
  {
    case: 'plain',
    kind: 'web_hosting',
    publicPriceMinor: 2_990,
    frequency: 'annual',
    nextRenewalOn: '2026-03-31',
    autoRenew: true,
  },
  {
    case: 'plain',
    kind: 'mail_hosting',
    publicPriceMinor: 1_200,
    frequency: 'quarterly',
    nextRenewalOn: '2026-01-20',
    autoRenew: false,
  },
  {
    case: 'complete_client',
    kind: 'web_hosting',
    publicPriceMinor: 1_490,
    frequency: 'monthly',
    nextRenewalOn: '2026-01-10',
    autoRenew: true,
  },
  {
    case: 'complete_client',
    kind: 'web_hosting',
    publicPriceMinor: 4_490,
    frequency: 'quarterly',
    nextRenewalOn: '2026-02-01',
    autoRenew: true,
  },
  {
    case: 'complete_partner',
    kind: 'web_hosting',
    publicPriceMinor: 34_720,
    frequency: 'annual',
    nextRenewalOn: '2026-06-01',
    autoRenew: true,
  },
  {
    case: 'complete_partner',
    kind: 'domain',
    publicPriceMinor: 1_800,
    frequency: 'monthly',
    nextRenewalOn: '2025-11-15',
    autoRenew: true,
  },
  {
    case: 'limited_managed',
    kind: 'mail_hosting',
    publicPriceMinor: 900,
    frequency: 'monthly',
    nextRenewalOn: '2026-01-25',
    autoRenew: true,
  },
  {
    case: 'limited_other',
    kind: 'domain',
    publicPriceMinor: 1_500,
    frequency: 'quarterly',
    nextRenewalOn: '2026-02-14',
    autoRenew: true,
  },
];

interface Billed {
  run: string;
  product: BookProduct;
  start: string;
  payer: string;
  unitMinor: number;
  cashbackMinor: number;
}

/** The model: each run bills, per product, the periods expectedStarts gives from where it stands. */
function model() {
  const next = new Map(book.products.map((p) => [p.id, p.nextRenewalOn]));
  const freq = new Map(book.products.map((p) => [p.id, p.frequency]));
  const billed: Billed[] = [];
  for (const run of RUNS) {
    if (run > CHANGE.at) freq.set(book.products[CHANGE.product]!.id, CHANGE.to);
    for (const p of book.products) {
      const f = freq.get(p.id)!;
      const starts = expectedStarts({ nextRenewalOn: next.get(p.id)!, frequency: f }, run, HORIZON);
      const volume = book.products.filter(
        (q) => q.organizationId === p.organizationId && q.kind === p.kind,
      ).length;
      const terms = expectedTerms(book, p, volume);
      for (const start of starts)
        billed.push({
          run,
          product: p,
          start,
          payer: terms.payer,
          unitMinor: terms.unitMinor,
          cashbackMinor: terms.cashbackMinor,
        });
      if (starts.length) next.set(p.id, plusMonths(starts.at(-1)!, MONTHS_OF[f]));
    }
  }
  return billed;
}

beforeAll(async () => {
  k = space.kontor({ now: '2026-01-01T08:00:00.000Z' });
  book = await buildBook(k, SPECS);
  // A year of grace: products stay active, so the volume (degressive) stays what the model says.
  for (const org of new Set(Object.values(book.clients)))
    await k.ok('renewals.setSettings', { organizationId: org, renewalGraceDays: 366 });
  // The partner pays its renewals by invoice: its cashback stays on its account to be counted
  // (with its default profile the cashback would pay its own renewals, as it should).
  await k.ok('renewals.setSettings', {
    organizationId: book.partnerId,
    renewalGraceDays: 366,
    paymentProfile: 'invoice_only',
  });
  // The plain client's balance pays some months, then runs short; the client-pays one never does.
  await k.ok('ledger.topUp', {
    organizationId: book.clients.plain,
    amountMinor: 5_000,
    method: 'bank_transfer',
  });
  await k.ok('ledger.topUp', {
    organizationId: book.clients.complete_client,
    amountMinor: 1_000_000,
    method: 'bank_transfer',
  });
});

describe('a year of monthly billing runs', () => {
  it('bills what the independent computation bills: count, payer, price, totals, cashback, balances', async () => {
    const expected = model();
    const plainBalance = { v: 5_000 };
    let expectedPlainPaid = 0;
    let creditedGross = 0;
    let creditedCashback = 0;
    for (const run of RUNS) {
      if (run > CHANGE.at && run <= plusMonths(CHANGE.at, 1)) {
        await k.ok('products.update', {
          id: book.products[CHANGE.product]!.id,
          billingFrequency: CHANGE.to,
          confirmRebilling: true,
        });
      }
      k.clock.set(`${run}T08:00:00.000Z`);
      const report = await runBilling(k, { date: run });
      expect(report.failed).toEqual([]);
      const want = expected.filter((b) => b.run === run);
      // One invoice per payer and products organization (no billing addresses set, one currency).
      const groups = new Set(want.map((b) => `${b.payer}|${b.product.organizationId}`));
      expect(report.invoices.length, run).toBe(groups.size);
      for (const inv of report.invoices) {
        const lines = k.raw
          .prepare(
            'SELECT product_id, quantity_milli, unit_price_minor, net_minor, vat_minor FROM invoice_lines WHERE invoice_id = ?',
          )
          .all(inv.invoiceId) as {
          product_id: string;
          quantity_milli: number;
          unit_price_minor: number;
          net_minor: number;
          vat_minor: number;
        }[];
        const mine = want.filter((b) => lines.some((l) => l.product_id === b.product.id));
        expect(new Set(mine.map((b) => b.payer)), run).toEqual(new Set([inv.payerId]));
        const net = mine.reduce((s, b) => s + b.unitMinor, 0);
        expect(
          lines.reduce((s, l) => s + l.net_minor, 0),
          `${run} net`,
        ).toBe(net);
        // Each period its own line ('each' catch-up): VAT per line, rounded once.
        expect(lines.length).toBe(mine.length);
        const gross = mine.reduce((s, b) => s + b.unitMinor + vat(b.unitMinor), 0);
        expect(inv.grossMinor, `${run} gross`).toBe(gross);
        if (inv.payerId === book.clients.plain) {
          const allAuto = mine.every((b) => b.product.autoRenew);
          const pays = allAuto && plainBalance.v >= gross;
          expect(inv.paidFromPrepaid, `${run} plain pays`).toBe(pays);
          if (pays) {
            plainBalance.v -= gross;
            expectedPlainPaid += gross;
          }
        }
        if (inv.payerId === book.clients.complete_client) expect(inv.paidFromPrepaid).toBe(true);
        if (run === CREDITED_RUN && inv.payerId === book.clients.complete_client) {
          await k.ok('invoices.creditNote', { invoiceId: inv.invoiceId });
          creditedGross += gross;
          creditedCashback += mine.reduce((s, b) => s + b.cashbackMinor, 0);
        }
      }
    }
    // Every period billed exactly once, exactly the model's periods.
    const claims = k.raw
      .prepare('SELECT period_key FROM renewals ORDER BY period_key')
      .pluck()
      .all() as string[];
    expect(claims).toEqual(expected.map((b) => `${b.product.id}:${b.start}`).sort());
    // The frequency change applied from the renewal after it: monthly periods from then on.
    const changed = expected.filter((b) => b.product === book.products[CHANGE.product]);
    expect(changed.map((b) => b.start)).toEqual([
      '2026-01-20',
      '2026-04-20',
      '2026-07-20',
      '2026-08-20',
      '2026-09-20',
      '2026-10-20',
      '2026-11-20',
      '2026-12-20',
    ]);
    // Ledger balances: the plain client paid what it could; the client-pays one everything but
    // got the credited invoice back; the partner earned the cashback of what was paid.
    const balance = (org: string) =>
      k.raw
        .prepare(
          "SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries WHERE organization_id = ? AND currency = 'CHF'",
        )
        .pluck()
        .get(org) as number;
    expect(balance(book.clients.plain)).toBe(5_000 - expectedPlainPaid);
    const ccGross = expected
      .filter((b) => b.payer === book.clients.complete_client)
      .reduce((s, b) => s + b.unitMinor + vat(b.unitMinor), 0);
    expect(balance(book.clients.complete_client)).toBe(1_000_000 - ccGross + creditedGross);
    const earned = expected
      .filter((b) => b.payer === book.clients.complete_client)
      .reduce((s, b) => s + b.cashbackMinor, 0);
    expect(creditedCashback).toBeGreaterThan(0);
    expect(balance(book.partnerId)).toBe(earned - creditedCashback);
  });
});

describe('runs repeated at random dates', () => {
  it('never bill a period twice and never skip one (fast-check)', async () => {
    const q = space.kontor({ now: '2026-01-01T08:00:00.000Z' });
    const { setUpProvider } = await import('../helpers/invoices');
    await setUpProvider(q);
    const day = fc.integer({ min: 0, max: 400 }).map((n) => plusDays('2026-01-01', n));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom('monthly', 'quarterly', 'annual') as fc.Arbitrary<BookProduct['frequency']>,
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(day, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('each', 'single') as fc.Arbitrary<'each' | 'single'>,
        fc.integer({ min: 0, max: 60 }),
        async (frequencies, dates, catchUp, horizon) => {
          const org = await createPayer(q);
          await q.ok('renewals.setSettings', {
            organizationId: org.id,
            renewalCatchUp: catchUp,
            billingHorizonDays: horizon,
            renewalGraceDays: 366,
          });
          const products: { id: string; frequency: BookProduct['frequency'] }[] = [];
          for (const frequency of frequencies) {
            const p = await q.ok('products.create', {
              organizationId: org.id,
              kind: 'domain',
              name: `p ${products.length}`,
              publicPriceMinor: 1_000,
              billingFrequency: frequency,
              nextRenewalOn: '2026-01-31',
            });
            products.push({ id: p.id, frequency });
          }
          for (const date of dates) await runBilling(q, { date, organizationId: org.id });
          const last = dates.reduce((m, d) => (d > m ? d : m));
          for (const p of products) {
            const keys = q.raw
              .prepare('SELECT period_start FROM renewals WHERE product_id = ? ORDER BY period_start')
              .pluck()
              .all(p.id);
            expect(keys).toEqual(
              expectedStarts({ nextRenewalOn: '2026-01-31', frequency: p.frequency }, last, horizon),
            );
          }
        },
      ),
      { numRuns: 12, seed: 20261207 },
    );
  });
});
