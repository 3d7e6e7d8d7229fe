// Two laptops of one firm run the same billing run offline, then sync through the real hub
// (issue 12, server/HUB.md "Renewals"): each renewal period ends billed exactly once — while
// both were drafts one draft remains; when both were issued, the invoice the shared rule
// designates is cancelled by an automatic credit note from the device that issued it, and what
// was paid on it from the prepaid account goes back there. Numbers stay gapless per series and
// both devices end with the same book.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBilling } from '../helpers/billing';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { createPayer, setUpProvider } from '../helpers/invoices';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-billing-devices-');
const ENGINES: HubEngine[] = ['sqlite', 'postgres'];
const DATE = '2026-03-20';
let users = 0;

for (const engine of ENGINES) {
  describe(`two devices bill the same period offline, hub on ${engine}`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub(engine);
    });
    afterAll(async () => {
      await hub?.cleanup();
    });

    /** Two devices in sync with a client holding three products due on the run's date. */
    async function pair() {
      const admin = adminApi(hub.url);
      const user = `billing-${engine}-${++users}`;
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
      const providerId = await setUpProvider(a);
      const client = await createPayer(a, { name: 'Client Deux Postes SA' });
      const products: string[] = [];
      for (const [frequency, price] of [
        ['monthly', 990],
        ['quarterly', 2_990],
        ['annual', 12_000],
      ] as const) {
        const p = await a.ok('products.create', {
          organizationId: client.id,
          kind: 'web_hosting',
          name: `Hébergement ${frequency}`,
          publicPriceMinor: price,
          billingFrequency: frequency,
          nextRenewalOn: '2026-04-01',
          autoRenew: true,
        });
        products.push(p.id);
      }
      // Enough on the prepaid account for both devices to pay their invoice at issue.
      await a.ok('ledger.topUp', {
        organizationId: client.id,
        amountMinor: 100_000,
        method: 'bank_transfer',
      });
      await a.ok('sync.now', {});
      await b.ok('sync.now', {});
      await b.ok('settings.setProvider', { organizationId: providerId });
      a.clock.set(new Date(start + 60_000).toISOString());
      b.clock.set(new Date(start + 120_000).toISOString());
      return { a, b, clientId: client.id, products };
    }

    async function syncAll(a: TestKontor, b: TestKontor) {
      for (const k of [a, b, a, b, a, b]) {
        k.clock.advance(1_000);
        await k.ok('sync.now', {});
      }
      expect(storeContent(a.raw)).toEqual(storeContent(b.raw));
    }

    /** The invoices still billing each period: one per period key, whatever each device did. */
    const billedPerKey = (k: TestKontor) =>
      k.raw
        .prepare(
          `SELECT r.period_key, count(DISTINCT r.invoice_id) AS n FROM renewals r JOIN invoices i ON i.id = r.invoice_id
           WHERE i.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded')
           GROUP BY r.period_key ORDER BY r.period_key`,
        )
        .all() as { period_key: string; n: number }[];

    it('both issued offline: the later invoice is cancelled by an automatic credit note; the prepaid payment comes back', async () => {
      const { a, b, clientId, products } = await pair();
      const ra = await runBilling(a, { date: DATE });
      const rb = await runBilling(b, { date: DATE });
      expect(ra.invoices).toHaveLength(1);
      expect(rb.invoices).toHaveLength(1);
      expect(ra.invoices[0]!.paidFromPrepaid && rb.invoices[0]!.paidFromPrepaid).toBe(true);
      const gross = ra.invoices[0]!.grossMinor;
      await syncAll(a, b);
      for (const k of [a, b]) {
        expect(billedPerKey(k)).toEqual(
          products
            .map((p) => ({ period_key: `${p}:2026-04-01`, n: 1 }))
            .sort((x, y) => x.period_key.localeCompare(y.period_key)),
        );
      }
      // The rule: the invoice created first (smaller UUIDv7) stays; A ran first.
      const loser = rb.invoices[0]!.invoiceId;
      const note = a.raw
        .prepare(
          "SELECT number, notes, gross_minor FROM invoices WHERE corrects_invoice_id = ? AND kind = 'credit_note'",
        )
        .all(loser) as { number: string; notes: string; gross_minor: number }[];
      expect(note).toHaveLength(1);
      expect(note[0]!.notes).toMatch(/^renewal_duplicate: /);
      expect(note[0]!.gross_minor).toBe(gross);
      const statuses = a.raw
        .prepare('SELECT id, status FROM invoices WHERE id IN (?, ?)')
        .all(ra.invoices[0]!.invoiceId, loser) as { id: string; status: string }[];
      expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
        [ra.invoices[0]!.invoiceId]: 'paid',
        [loser]: 'refunded',
      });
      // Paid twice from the prepaid account, refunded once: one period's price is what it cost.
      const balance = a.raw
        .prepare("SELECT balance_minor FROM prepaid_balances WHERE organization_id = ? AND currency = 'CHF'")
        .pluck()
        .get(clientId);
      expect(balance).toBe(100_000 - gross);
      // Every series stays gapless: numbers 1..n, no hole.
      const series = a.raw
        .prepare(
          'SELECT series, count(*) AS n, max(sequence) AS top FROM invoices WHERE sequence IS NOT NULL GROUP BY series',
        )
        .all() as { series: string; n: number; top: number }[];
      for (const s of series) expect(s.n, s.series).toBe(s.top);
      // Nothing is left to push or refused.
      for (const k of [a, b]) {
        expect(k.raw.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
      }
    });

    it('both drafts offline: one draft remains for the period', async () => {
      const { a, b, products } = await pair();
      const ra = await runBilling(a, { date: DATE, draftsOnly: true });
      const rb = await runBilling(b, { date: DATE, draftsOnly: true });
      expect(ra.invoices).toHaveLength(1);
      expect(rb.invoices).toHaveLength(1);
      await syncAll(a, b);
      for (const k of [a, b]) {
        expect(billedPerKey(k).map((r) => r.n)).toEqual(products.map(() => 1));
        const live = k.raw
          .prepare("SELECT id FROM invoices WHERE status = 'draft' AND deleted_at IS NULL")
          .pluck()
          .all();
        expect(live).toEqual([ra.invoices[0]!.invoiceId]);
      }
      // Issuing the remaining draft, then a run on B bills nothing more for those periods.
      await a.ok('invoices.issue', { id: ra.invoices[0]!.invoiceId });
      await syncAll(a, b);
      expect((await runBilling(b, { date: DATE })).invoices).toEqual([]);
    });
  });
}
