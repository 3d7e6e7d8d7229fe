import { and, eq, isNull } from 'drizzle-orm';
import {
  type BillingAddress,
  billingAddresses,
  type InvoiceStatus,
  type Organization,
  organizations,
  type PaymentMethod,
  type Product,
  products,
} from '#db/schema/index';
import { addDays } from '#common/dates';
import { lineAmounts } from '#common/invoice-math';
import { issuerCodeOf, type Numbering, numbering } from '#common/invoice-numbering';
import type { Ctx } from '../services/context';
import { type BulkInvoice, insertInvoicesBulk } from '../services/invoices/bulk';
import {
  defaultLocale,
  paymentReferenceFor,
  seriesCode,
  snapshotOf,
  vatFor,
} from '../services/invoices.service';
import { intBetween, pick, prng } from './prng';

export interface DemoInvoiceOptions {
  count: number;
  seed: number;
  today: string;
  issuer: Organization;
  onProgress?: (done: number) => void;
}

const STATUS_WEIGHTS: [InvoiceStatus, number][] = [
  // Cancelled and refunded invoices come only from credit notes: the demo makes none.
  ['paid', 66],
  ['unpaid', 20],
  ['partially_paid', 8],
  ['draft', 6],
];
const METHODS: PaymentMethod[] = ['bank_transfer', 'bank_transfer', 'card', 'paypal', 'standing_order'];

function weighted<T>(random: () => number, table: [T, number][]): T {
  const total = table.reduce((a, [, w]) => a + w, 0);
  let roll = random() * total;
  for (const [value, w] of table) {
    roll -= w;
    if (roll < 0) return value;
  }
  return table[0]?.[0] as T;
}

/**
 * Realistic invoices for the demo organizations: two years of history, the issuer's numbering
 * per year, VAT by the real rules, statuses spread like a real book (most paid, some overdue),
 * payments for what was paid and prepaid-ledger entries for what was paid from the balance.
 */
export function generateDemoInvoices(
  ctx: Ctx,
  options: DemoInvoiceOptions,
): { invoices: number; payments: number; ledgerEntries: number } {
  const random = prng(options.seed * 7919 + 13);
  const payers = ctx.db
    .select()
    .from(organizations)
    .where(and(isNull(organizations.deletedAt)))
    .all()
    .filter((o) => o.id !== options.issuer.id);
  if (payers.length === 0) throw new Error('create organizations first (kontor demo --orgs N)');
  const productsByOrg = new Map<string, Product[]>();
  for (const p of ctx.db.select().from(products).where(isNull(products.deletedAt)).all()) {
    const list = productsByOrg.get(p.organizationId) ?? [];
    list.push(p);
    productsByOrg.set(p.organizationId, list);
  }
  const addressOf = new Map<string, BillingAddress>();
  for (const a of ctx.db
    .select()
    .from(billingAddresses)
    .where(and(eq(billingAddresses.isDefault, true), isNull(billingAddresses.deletedAt)))
    .all()) {
    addressOf.set(a.organizationId, a);
  }
  const issuerSnapshot = snapshotOf(options.issuer, addressOf.get(options.issuer.id));
  const code = seriesCode(ctx.deviceId);
  const sequences = new Map<number, number>();
  for (const row of ctx.raw
    .prepare(
      `SELECT year, next_sequence FROM invoice_series WHERE issuer_organization_id = ? AND kind = 'invoice' AND code = ?`,
    )
    .all(options.issuer.id, code) as { year: number; next_sequence: number }[]) {
    sequences.set(row.year, row.next_sequence);
  }
  const paid: {
    index: number;
    organizationId: string;
    amountMinor: number;
    currency: 'CHF' | 'EUR';
    receivedOn: string;
    status: InvoiceStatus;
    reference: string | null;
  }[] = [];
  const startDay = addDays(options.today, -730);

  function* invoicesToWrite(): Generator<BulkInvoice> {
    // Issue dates must rise with the sequence inside a year, so draw them in order.
    const step = 730 / Math.max(1, options.count);
    for (let i = 0; i < options.count; i++) {
      const payer = payers[Math.floor(random() * payers.length)] as Organization;
      const owned = productsByOrg.get(payer.id) ?? [];
      const decision = vatFor(options.issuer, payer);
      const issuedOn = addDays(startDay, Math.floor(i * step));
      let status = weighted(random, STATUS_WEIGHTS);
      const lineCount = intBetween(random, 1, 3);
      const lines = Array.from({ length: lineCount }, () => {
        const product = owned.length ? pick(random, owned) : null;
        return {
          productId: product?.id ?? null,
          description: product
            ? `${product.name} — ${product.billingFrequency}`
            : pick(random, ['Support', 'Migration', 'Conseil']),
          quantityMilli: pick(random, [1000, 1000, 1000, 2000, 12000, 1500]),
          unitPriceMinor: product?.publicPriceMinor || intBetween(random, 500, 25_000),
          discountBp: pick(random, [0, 0, 0, 500, 1000]),
          vatRateBp: decision.defaultRateBp,
        };
      });
      const year = Number(issuedOn.slice(0, 4));
      if (status === 'draft' && issuedOn < addDays(options.today, -30)) status = 'paid';
      const issued = status !== 'draft';
      let numbers: Numbering | null = null;
      if (issued) {
        const sequence = sequences.get(year) ?? 1;
        sequences.set(year, sequence + 1);
        numbers = numbering('invoice', issuerCodeOf(options.issuer), year, code, sequence);
      }
      const address = addressOf.get(payer.id) ?? null;
      const gross = lines.reduce((sum, l) => sum + lineAmounts(l).grossMinor, 0);
      const paidMinor =
        status === 'paid' || status === 'refunded'
          ? gross
          : status === 'partially_paid'
            ? Math.floor(gross / 2)
            : 0;
      const reference = numbers ? paymentReferenceFor(issuerSnapshot, 'invoice', numbers) : null;
      if (paidMinor > 0) {
        paid.push({
          index: i,
          organizationId: payer.id,
          amountMinor: paidMinor,
          currency: payer.currency,
          receivedOn: addDays(issuedOn, intBetween(random, 1, 40)),
          status,
          reference: reference?.paymentReference ?? null,
        });
      }
      yield {
        kind: 'invoice',
        status,
        organizationId: payer.id,
        productsOrganizationId: payer.id,
        issuerOrganizationId: options.issuer.id,
        billingAddressId: address?.id ?? null,
        currency: payer.currency,
        locale: defaultLocale(payer, address?.postalCode, options.issuer),
        issuedOn,
        dueOn: issued ? addDays(issuedOn, options.issuer.paymentTermDays) : null,
        series: numbers?.series ?? null,
        sequence: numbers?.sequence ?? null,
        number: numbers?.number ?? null,
        billTo: issued ? snapshotOf(payer, address ?? undefined) : null,
        issuer: issued ? issuerSnapshot : null,
        reverseCharge: decision.reverseCharge,
        paidMinor,
        referenceType: reference?.referenceType ?? null,
        paymentReference: reference?.paymentReference ?? null,
        notes: null,
        importRef: null,
        lines,
      };
    }
  }

  const { ids } = insertInvoicesBulk(ctx, invoicesToWrite(), {
    action: 'demo.invoices_generated',
    onProgress: options.onProgress,
    collectIds: true,
  });

  // Payments and ledger entries for what was paid: most by transfer or card, one in ten from
  // a prepaid balance that was topped up first (the balance never dips below zero).
  const insertPayment = ctx.raw.prepare(
    `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency, received_on, reference, outcome, deposit_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'applied', NULL)`,
  );
  const insertEntry = ctx.raw.prepare(
    `INSERT INTO ledger_entries (id, created_at, hlc, organization_id, kind, amount_minor, currency, booked_on, invoice_id, payment_id, method, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  // Money goes through the outbox like every other write: one whole-row change per record,
  // read at push time (value NULL, as invoice-bulk.ts does), at the record's own HLC.
  const logWhole = ctx.raw.prepare(
    "INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value) VALUES (?, ?, ?, ?, '*', NULL)",
  );
  let payments = 0;
  let ledgerEntries = 0;
  const now = ctx.clock.now().toISOString();
  const chunk = 5_000;
  for (let start = 0; start < paid.length; start += chunk) {
    ctx.raw.transaction(() => {
      for (const meta of paid.slice(start, start + chunk)) {
        const invoiceId = ids[meta.index] as string;
        const fromBalance = random() < 0.1;
        const paymentId = ctx.ids.next();
        const method = fromBalance ? 'prepaid' : pick(random, METHODS);
        // The top-up first: the hub takes a prepaid payment only when the balance carries it.
        if (fromBalance) {
          const topUpId = ctx.ids.next();
          const topUpHlc = ctx.hlc.now();
          insertEntry.run(
            topUpId,
            now,
            topUpHlc,
            meta.organizationId,
            'top_up',
            meta.amountMinor,
            meta.currency,
            meta.receivedOn,
            null,
            null,
            'bank_transfer',
          );
          logWhole.run(topUpHlc, ctx.deviceId, 'ledger_entries', topUpId);
          ledgerEntries++;
        }
        const paymentHlc = ctx.hlc.now();
        insertPayment.run(
          paymentId,
          now,
          paymentHlc,
          meta.organizationId,
          invoiceId,
          method,
          meta.amountMinor,
          meta.currency,
          meta.receivedOn,
          meta.reference,
        );
        logWhole.run(paymentHlc, ctx.deviceId, 'payments', paymentId);
        payments++;
        if (fromBalance) {
          const entryId = ctx.ids.next();
          const entryHlc = ctx.hlc.now();
          insertEntry.run(
            entryId,
            now,
            entryHlc,
            meta.organizationId,
            'invoice_payment',
            -meta.amountMinor,
            meta.currency,
            meta.receivedOn,
            invoiceId,
            paymentId,
            'prepaid',
          );
          logWhole.run(entryHlc, ctx.deviceId, 'ledger_entries', entryId);
          ledgerEntries++;
        }
      }
    })();
  }
  // The clock carries on after the timestamps these records took, across restarts.
  ctx.raw
    .prepare('UPDATE device SET last_hlc = ? WHERE id = ? AND last_hlc < ?')
    .run(ctx.hlc.lastIssued, ctx.deviceId, ctx.hlc.lastIssued);
  // The series continue after the generated numbers.
  const upsertSeries = ctx.raw.prepare(
    `INSERT INTO invoice_series (id, issuer_organization_id, kind, year, code, device_id, next_sequence) VALUES (?, ?, 'invoice', ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET next_sequence = excluded.next_sequence`,
  );
  for (const [year, next] of sequences) {
    upsertSeries.run(
      `${options.issuer.id}:invoice:${year}:${code}`,
      options.issuer.id,
      year,
      code,
      ctx.deviceId,
      next,
    );
  }
  return { invoices: options.count, payments, ledgerEntries };
}
