// Two laptops of one firm import the same bank statement offline, then sync through the real
// hub (issue 12). A payment recorded from a statement entry is the same fact on every device:
// its id is derived from the entry (bank account and the bank's reference), so after sync each
// credit is one payment — one payment on the invoice, one deposit for the over-payment — never
// two, the prepaid balance counts it once, nothing is refused, and both devices hold the same book.
// Before the fix, each device gave its payment a random id: the invoice was paid twice. A
// reminder's fees paid with the invoice are the firm's income, once, on both devices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camt } from '../helpers/camt';
import { addDays } from '#common/dates';
import { adminApi, enrolledDevice, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-statement-devices-');
const ENGINES: HubEngine[] = ['sqlite', 'postgres'];
let users = 0;
const money = (minor: number) => (minor / 100).toFixed(2);

for (const engine of ENGINES) {
  describe(`two devices import the same statement offline, hub on ${engine}`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub(engine);
    });
    afterAll(async () => {
      await hub?.cleanup();
    });

    async function syncAll(a: TestKontor, b: TestKontor) {
      for (const k of [a, b, a, b, a, b]) {
        k.clock.advance(1_000);
        await k.ok('sync.now', {});
      }
    }

    /** Two devices of one firm, in sync, with a provider paid to a QR-IBAN and a payer. */
    async function pair() {
      const admin = adminApi(hub.url);
      const user = `statement-${engine}-${++users}`;
      await admin.createUser(user);
      const start = Date.now() - 60_000;
      const open = async () => {
        const k = space.kontor({ clock: new FixedClock(new Date(start).toISOString()) });
        const { code } = await admin.enrollCode(user);
        await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
        await k.ok('sync.now', {});
        return k;
      };
      const a = await open();
      const b = await open();
      const providerId = await setUpProvider(a, { iban: CH_QR_IBAN });
      const payer = await createPayer(a, { name: 'Payeur Deux Postes SA' });
      await a.ok('sync.now', {});
      await b.ok('sync.now', {});
      await b.ok('settings.setProvider', { organizationId: providerId });
      a.clock.set(new Date(start + 60_000).toISOString());
      b.clock.set(new Date(start + 120_000).toISOString());
      return { a, b, payer };
    }

    it('each credit becomes one payment after sync, whichever device imported it', async () => {
      const { a, b, payer } = await pair();
      const exact = await issueInvoice(a, payer.id, [line(10_000)]);
      const over = await issueInvoice(a, payer.id, [line(5_000)]);
      await a.ok('sync.now', {});
      await b.ok('sync.now', {});

      const xml = camt({
        kind: '054',
        version: '08',
        credits: [
          { ref: 'TWO-EXACT', amount: money(exact.grossMinor), qrr: exact.paymentReference! },
          { ref: 'TWO-OVER', amount: money(over.grossMinor + 700), qrr: over.paymentReference! },
          { ref: 'TWO-UNKNOWN', amount: '12.00', text: 'no invoice named here' },
        ],
      });
      const file = { fileName: 'camt054.xml', contentBase64: Buffer.from(xml).toString('base64') };
      for (const k of [a, b]) {
        const done = await k.ok('payments.importStatement', file);
        expect(done.counts).toMatchObject({ exact: 1, deposit: 1, unmatched: 1 });
      }
      await syncAll(a, b);

      for (const k of [a, b]) {
        const payments = k.raw
          .prepare('SELECT invoice_id, amount_minor, outcome FROM payments ORDER BY amount_minor')
          .all();
        expect(payments).toEqual(
          [
            { invoice_id: exact.id, amount_minor: exact.grossMinor, outcome: 'applied' },
            { invoice_id: over.id, amount_minor: over.grossMinor + 700, outcome: 'deposited' },
          ].sort((x, y) => x.amount_minor - y.amount_minor),
        );
        const statuses = k.raw
          .prepare('SELECT id, status, paid_minor FROM invoices WHERE id IN (?, ?) ORDER BY id')
          .all(exact.id, over.id) as { id: string; status: string; paid_minor: number }[];
        expect(statuses.find((s) => s.id === exact.id)).toMatchObject({
          status: 'paid',
          paid_minor: exact.grossMinor,
        });
        // The over-payment went to the prepaid account once, not once per device.
        const balance = k.raw
          .prepare(
            "SELECT balance_minor FROM prepaid_balances WHERE organization_id = ? AND currency = 'CHF'",
          )
          .pluck()
          .get(payer.id);
        expect(balance).toBe(over.grossMinor + 700);
        expect(k.raw.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
      }
      expect(storeContent(a.raw)).toEqual(storeContent(b.raw));
    });

    it('a reminder’s fees paid on both devices offline: once, the firm’s fee income, never the payer’s prepaid money', async () => {
      const { a, b, payer } = await pair();
      const invoice = await issueInvoice(a, payer.id, [line(10_000)]);
      // Past the second level (due + 25 days, 20.00 fee by default) of an invoice due in 30 days.
      const today = new Date(Date.now()).toISOString().slice(0, 10);
      await a.ok('reminders.run', { date: addDays(today, 45) });
      await a.ok('reminders.run', { date: addDays(today, 60) });
      await syncAll(a, b);
      const fees = b.raw
        .prepare('SELECT sum(fee_minor) FROM reminders WHERE invoice_id = ?')
        .pluck()
        .get(invoice.id);
      expect(fees).toBe(2_000);
      const xml = camt({
        kind: '054',
        version: '08',
        credits: [
          { ref: 'TWO-FEES', amount: money(invoice.grossMinor + 2_000), qrr: invoice.paymentReference! },
        ],
      });
      const file = { fileName: 'camt054-fees.xml', contentBase64: Buffer.from(xml).toString('base64') };
      for (const k of [a, b])
        expect((await k.ok('payments.importStatement', file)).counts).toMatchObject({ exact: 1 });
      await syncAll(a, b);
      // A device of the payer itself books the fee income for the firm: refused, nothing changes.
      const { personId } = await a.ok('members.add', {
        organizationId: payer.id,
        email: `boss-${engine}-${users}@payeur.ch`,
        name: 'Patronne Payeur',
        role: 'legal_representative',
      });
      await syncAll(a, b);
      const payerUser = `payer-${engine}-${users}`;
      await adminApi(hub.url).createUser(payerUser, { personId });
      const hostile = await enrolledDevice(hub.url, payerUser);
      const forged = await hostile.push([
        hostile.money('payments', 'forged-fee', {
          created_at: new Date().toISOString(),
          organization_id: payer.id,
          invoice_id: invoice.id,
          method: 'prepaid',
          amount_minor: 2_000,
          currency: 'CHF',
          received_on: today,
          reference: null,
          outcome: 'fee',
          deposit_reason: null,
        }),
      ]);
      expect(forged.results[0]?.outcome).toBe('rejected');
      await syncAll(a, b);
      for (const k of [a, b]) {
        expect(
          k.raw
            .prepare('SELECT outcome, amount_minor FROM payments WHERE invoice_id = ? ORDER BY outcome')
            .all(invoice.id),
        ).toEqual([
          { outcome: 'applied', amount_minor: invoice.grossMinor },
          { outcome: 'fee', amount_minor: 2_000 },
        ]);
        expect(k.raw.prepare('SELECT status FROM invoices WHERE id = ?').pluck().get(invoice.id)).toBe(
          'paid',
        );
        // Neither a device nor the hub (its over-payment rule) moved the payer's prepaid account.
        expect(
          k.raw
            .prepare('SELECT count(*) FROM ledger_entries WHERE organization_id = ?')
            .pluck()
            .get(payer.id),
        ).toBe(0);
        const glance = await k.ok('dashboard.money', { organizationId: payer.id, today: addDays(today, 60) });
        expect(glance.receivables).toEqual([]);
        expect(k.raw.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
      }
      expect(storeContent(a.raw)).toEqual(storeContent(b.raw));
    });

    it('the customer pays invoice and fees twice, one credit imported on each device: the second credit lands whole on the prepaid account, fee income once', async () => {
      const { a, b, payer } = await pair();
      const invoice = await issueInvoice(a, payer.id, [line(10_000)]);
      const today = new Date(Date.now()).toISOString().slice(0, 10);
      await a.ok('reminders.run', { date: addDays(today, 45) });
      await a.ok('reminders.run', { date: addDays(today, 60) });
      await syncAll(a, b);
      // Two bank credits (two references), each the reminder's QR-bill amount: A has one, B the other.
      const credit = (ref: string) => {
        const xml = camt({
          kind: '054',
          version: '08',
          credits: [{ ref, amount: money(invoice.grossMinor + 2_000), qrr: invoice.paymentReference! }],
        });
        return { fileName: `${ref}.xml`, contentBase64: Buffer.from(xml).toString('base64') };
      };
      expect((await a.ok('payments.importStatement', credit('TWICE-A'))).counts).toMatchObject({ exact: 1 });
      expect((await b.ok('payments.importStatement', credit('TWICE-B'))).counts).toMatchObject({ exact: 1 });
      await syncAll(a, b);
      for (const k of [a, b]) {
        // Both credits kept as the devices booked them (money is never lost)…
        expect(
          k.raw
            .prepare(
              'SELECT outcome, count(*) AS n FROM payments WHERE invoice_id = ? GROUP BY outcome ORDER BY outcome',
            )
            .all(invoice.id),
        ).toEqual([
          { outcome: 'applied', n: 2 },
          { outcome: 'fee', n: 2 },
        ]);
        // …and the hub gave the second back to the payer, the invoice's part and the fees' part.
        expect(
          k.raw
            .prepare('SELECT note, amount_minor FROM ledger_entries WHERE invoice_id = ? ORDER BY note')
            .all(invoice.id),
        ).toEqual([
          { note: 'fee_overpaid_at_sync', amount_minor: 2_000 },
          { note: 'overpaid_at_sync', amount_minor: invoice.grossMinor },
        ]);
        expect(
          k.raw
            .prepare(
              "SELECT balance_minor FROM prepaid_balances WHERE organization_id = ? AND currency = 'CHF'",
            )
            .pluck()
            .get(payer.id),
        ).toBe(invoice.grossMinor + 2_000);
        const glance = await k.ok('dashboard.money', { organizationId: payer.id, today: addDays(today, 60) });
        expect(glance.receivables).toEqual([]);
        expect(k.raw.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
      }
      expect(storeContent(a.raw)).toEqual(storeContent(b.raw));
    });

    it('fees given back by the hub are not fees paid: a later reminder’s fee stays open whole', async () => {
      const { a, payer } = await pair();
      const invoice = await issueInvoice(a, payer.id, [line(10_000)]);
      const today = new Date(Date.now()).toISOString().slice(0, 10);
      await a.ok('reminders.run', { date: addDays(today, 45) });
      await a.ok('reminders.run', { date: addDays(today, 60) });
      await a.ok('sync.now', {});
      // Another device of the firm booked the second level's 20.00 fee twice (two credits):
      // the hub applies both and deposits one back to the payer.
      const other = await enrolledDevice(hub.url, `fees-desk-${engine}-${users}`);
      await adminApi(hub.url).link(`fees-desk-${engine}-${users}`, payer.id);
      const fee = (id: string) =>
        other.money('payments', id, {
          created_at: new Date().toISOString(),
          organization_id: payer.id,
          invoice_id: invoice.id,
          method: 'bank_transfer',
          amount_minor: 2_000,
          currency: 'CHF',
          received_on: today,
          reference: id,
          outcome: 'fee',
          deposit_reason: null,
        });
      const pushed = await other.push([fee(`fee-1-${engine}-${users}`), fee(`fee-2-${engine}-${users}`)]);
      expect(pushed.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
      a.clock.advance(1_000);
      await a.ok('sync.now', {});
      // The third level charges 30.00 more; the invoice is still unpaid. What is open of the
      // fees is 20.00 + 30.00 − 20.00 paid (40.00 booked, 20.00 given back): 30.00.
      await a.ok('reminders.run', { date: addDays(today, 75) });
      const glance = await a.ok('dashboard.money', { organizationId: payer.id, today: addDays(today, 75) });
      expect(glance.receivables).toMatchObject([{ currency: 'CHF', feesMinor: 3_000 }]);
      expect(a.raw.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
    });

    it('a credit another device matched leaves this device’s to-reconcile list, and cannot be booked twice', async () => {
      const { a, b, payer } = await pair();
      // Issued on A, not yet on B: A matches the credit, B cannot and keeps it waiting.
      const invoice = await issueInvoice(a, payer.id, [line(8_000)]);
      const xml = camt({
        kind: '053',
        version: '04',
        credits: [{ ref: 'TWO-LATE', amount: money(invoice.grossMinor), qrr: invoice.paymentReference! }],
      });
      const file = { fileName: 'camt053.xml', contentBase64: Buffer.from(xml).toString('base64') };
      expect((await a.ok('payments.importStatement', file)).counts).toMatchObject({ exact: 1 });
      expect((await b.ok('payments.importStatement', file)).counts).toMatchObject({ unmatched: 1 });
      const [waiting] = await b.ok('payments.unmatched', {});
      expect(waiting).toBeDefined();
      await syncAll(a, b);
      // A's payment reached B: the credit is booked, nothing waits, and assigning it again is refused.
      expect(await b.ok('payments.unmatched', {})).toEqual([]);
      await b.fails(
        'payments.assignEntry',
        { entryId: waiting!.id, invoiceId: invoice.id },
        'statement_entry_not_found',
      );
      for (const k of [a, b]) {
        expect(k.raw.prepare('SELECT count(*) FROM payments').pluck().get()).toBe(1);
        expect(k.raw.prepare('SELECT status FROM invoices WHERE id = ?').pluck().get(invoice.id)).toBe(
          'paid',
        );
      }
    });
  });
}
