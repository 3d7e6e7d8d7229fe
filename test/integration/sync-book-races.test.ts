// The five races of issue 11, deterministic: two devices of one firm work offline on the same
// invoice, then sync (first, second, first, second), in both sync orders and both clock
// orders, against the real hub on both stores. After the sync the book is one an auditor
// would accept, and whoever lost a race was told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayer, line, setUpProvider } from '../helpers/invoices';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-book-races-');
const ENGINES: HubEngine[] = ['sqlite', 'postgres'];
const ORDERS = [
  { name: 'A syncs first', first: 'a', second: 'b' },
  { name: 'B syncs first', first: 'b', second: 'a' },
] as const;
const CLOCKS = [
  { name: "A's clock later", a: 2, b: 1 },
  { name: "B's clock later", a: 1, b: 2 },
] as const;

type Pair = { a: TestKontor; b: TestKontor; invoiceId: string; payerId: string };

let users = 0;
const invoiceRow = (k: TestKontor, id: string) =>
  k.raw.prepare('SELECT * FROM invoices WHERE id = ?').get(id) as Record<string, unknown> | undefined;
const linesOf = (k: TestKontor, id: string) =>
  k.raw
    .prepare(
      'SELECT description, unit_price_minor, net_minor, gross_minor FROM invoice_lines WHERE invoice_id = ? ORDER BY position',
    )
    .all(id) as { description: string; unit_price_minor: number; net_minor: number; gross_minor: number }[];
const refusals = (k: TestKontor) =>
  k.raw.prepare('SELECT table_name, row_id, column_name, reason, detail FROM sync_rejections').all() as {
    table_name: string;
    row_id: string;
    column_name: string;
    reason: string;
    detail: string | null;
  }[];

for (const engine of ENGINES) {
  describe(`races on the same invoice, hub on ${engine}`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub(engine);
    });
    afterAll(async () => {
      await hub?.cleanup();
    });

    /** Two laptops of one firm, in sync, with a draft (one line, 50.00 + VAT = 54.05). */
    async function pair(clock: (typeof CLOCKS)[number]): Promise<Pair> {
      const admin = adminApi(hub.url);
      const user = `races-${engine}-${++users}`;
      await admin.createUser(user);
      const start = Date.now() - 60_000;
      const open = async () => {
        const k = space.kontor({ clock: new FixedClock(new Date(start).toISOString()) });
        const { code } = await admin.enrollCode(user);
        await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
        // The background round enrollment starts: over before the scripted rounds begin (a
        // sync.now during it would join it instead of starting after the writes).
        await k.ok('sync.now', {});
        return k;
      };
      const a = await open();
      const b = await open();
      const providerId = await setUpProvider(a);
      const payer = await createPayer(a, { name: 'Payeur SA' });
      const draft = await a.ok('invoices.create', {
        organizationId: payer.id,
        lines: [line(5_000, { description: 'Base line' })],
      });
      await a.ok('sync.now', {});
      await b.ok('sync.now', {});
      await b.ok('settings.setProvider', { organizationId: providerId });
      // Offline from here on; the clocks say who wrote last (both within the hub's 5 minutes).
      a.clock.set(new Date(start + clock.a * 60_000).toISOString());
      b.clock.set(new Date(start + clock.b * 60_000).toISOString());
      return { a, b, invoiceId: draft.id, payerId: payer.id };
    }

    async function syncAll(p: Pair, order: (typeof ORDERS)[number]) {
      for (const who of [order.first, order.second, order.first, order.second]) {
        const k = who === 'a' ? p.a : p.b;
        k.clock.advance(1_000);
        await k.ok('sync.now', {});
      }
      expect(storeContent(p.a.raw)).toEqual(storeContent(p.b.raw));
    }

    /** Every invoice's totals are its lines' sums, and its paid amount its payments'. */
    function assertBookHolds(k: TestKontor) {
      const bad = k.raw
        .prepare(
          `SELECT i.id FROM invoices i
           WHERE i.gross_minor <> (SELECT coalesce(sum(gross_minor), 0) FROM invoice_lines WHERE invoice_id = i.id)
              OR i.net_minor <> (SELECT coalesce(sum(net_minor), 0) FROM invoice_lines WHERE invoice_id = i.id)
              OR (i.kind = 'invoice' AND i.paid_minor <>
                  (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = i.id AND outcome = 'applied')
                  - (SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries
                     WHERE invoice_id = i.id AND kind = 'deposit' AND note = 'overpaid_at_sync'))`,
        )
        .all();
      expect(bad).toEqual([]);
    }

    for (const order of ORDERS) {
      for (const clock of CLOCKS) {
        describe(`${order.name}, ${clock.name}`, () => {
          it('1. an issue is final: a concurrent draft edit is refused to its author, with keep mine', async () => {
            const p = await pair(clock);
            await p.a.ok('invoices.updateDraft', {
              id: p.invoiceId,
              lines: [line(12_963, { description: 'Changed on A' })],
            });
            const issued = await p.b.ok('invoices.issue', { id: p.invoiceId });
            expect(issued.grossMinor).toBe(5_405);
            await syncAll(p, order);
            for (const k of [p.a, p.b]) {
              const row = invoiceRow(k, p.invoiceId);
              expect(row).toMatchObject({ number: issued.number, gross_minor: 5_405, deleted_at: null });
              expect(linesOf(k, p.invoiceId).map((l) => l.description)).toEqual(['Base line']);
              assertBookHolds(k);
            }
            const lost = refusals(p.a).filter((r) => r.row_id === p.invoiceId);
            expect(lost.map((r) => r.column_name)).toContain('lines');
            expect(refusals(p.b)).toEqual([]);
            // Keep mine: A's version comes back as a new draft.
            const all = await p.a.ok('sync.rejections', { includeResolved: false, limit: 50 });
            const open = all.find((r) => r.column === 'lines');
            expect(open?.message).toContain(issued.number ?? '?');
            const kept = await p.a.ok('sync.resolve', { id: open!.id, choice: 'keepMine' });
            expect(kept.newId).toBeTruthy();
            expect(linesOf(p.a, kept.newId!).map((l) => l.description)).toEqual(['Changed on A']);
          });

          it('2. an issue survives a concurrent delete of the draft, and the delete is refused visibly', async () => {
            const p = await pair(clock);
            await p.a.ok('invoices.deleteDraft', { id: p.invoiceId });
            const issued = await p.b.ok('invoices.issue', { id: p.invoiceId });
            await syncAll(p, order);
            for (const k of [p.a, p.b]) {
              const got = await k.ok('invoices.get', { id: p.invoiceId });
              expect(got).toMatchObject({ number: issued.number, grossMinor: 5_405, status: 'unpaid' });
            }
            expect(refusals(p.a).map((r) => r.column_name)).toContain('deleted_at');
          });

          it('3. two issues of one draft: the first the hub receives wins, the other number is a documented void', async () => {
            const p = await pair(clock);
            const byA = await p.a.ok('invoices.issue', { id: p.invoiceId });
            const byB = await p.b.ok('invoices.issue', { id: p.invoiceId });
            expect(byA.number).not.toBe(byB.number);
            await syncAll(p, order);
            const winner = order.first === 'a' ? byA : byB;
            const loser = order.first === 'a' ? byB : byA;
            const loserDevice = order.first === 'a' ? p.b : p.a;
            for (const k of [p.a, p.b]) {
              expect(invoiceRow(k, p.invoiceId)).toMatchObject({ number: winner.number });
              const voids = k.raw.prepare('SELECT * FROM invoice_voids').all();
              expect(voids).toMatchObject([
                {
                  number: loser.number,
                  winning_number: winner.number,
                  invoice_id: p.invoiceId,
                  reason: 'issue_lost_race',
                },
              ]);
            }
            for (const k of [p.a, p.b]) {
              const report = await k.ok('invoices.series', {});
              expect(report.flatMap((r) => r.missing)).toEqual([]);
              expect(report.flatMap((r) => r.voids.map((v) => v.number))).toEqual([loser.number]);
            }
            // The period pack's manifest accounts for the void beside the document.
            if (engine === 'sqlite' && order.first === 'a' && clock.a === 2) {
              const out = `${space.dir()}/pack`;
              const pack = await p.a.ok('exports.pack', { out });
              expect(pack.manifest.voids).toMatchObject([
                { number: loser.number, winningNumber: winner.number },
              ]);
            }
            const told = refusals(loserDevice).filter((r) => r.reason === 'invoice_issue_lost');
            expect(told.length).toBeGreaterThan(0);
            expect(JSON.parse(told[0]!.detail ?? '{}')).toMatchObject({
              number: loser.number,
              winningNumber: winner.number,
            });
            expect(refusals(order.first === 'a' ? p.a : p.b)).toEqual([]);
          });

          it('4. totals are always their lines: a price edit racing a text edit, then issued', async () => {
            const p = await pair(clock);
            await p.a.ok('invoices.updateDraft', {
              id: p.invoiceId,
              lines: [line(7_000, { description: 'Base line' })],
            });
            await p.b.ok('invoices.updateDraft', {
              id: p.invoiceId,
              lines: [line(5_000, { description: 'Base line, text changed on B' })],
            });
            await syncAll(p, order);
            for (const k of [p.a, p.b]) assertBookHolds(k);
            const issued = await p.a.ok('invoices.issue', { id: p.invoiceId });
            const lines = linesOf(p.a, p.invoiceId);
            expect(issued.grossMinor).toBe(lines.reduce((s, l) => s + l.gross_minor, 0));
            await syncAll(p, order);
            for (const k of [p.a, p.b]) assertBookHolds(k);
          });

          it('5. concurrent payments add up; a double full payment goes once to the prepaid account', async () => {
            const p = await pair(clock);
            const issued = await p.a.ok('invoices.issue', { id: p.invoiceId });
            await syncAll(p, order);
            const pay = (k: TestKontor, amountMinor: number) =>
              k.ok('payments.record', {
                invoiceId: p.invoiceId,
                amountMinor,
                currency: 'CHF',
                method: 'bank_transfer',
                receivedOn: '2026-03-15',
              });
            await pay(p.a, 2_000);
            await pay(p.b, 1_500);
            await syncAll(p, order);
            for (const k of [p.a, p.b]) {
              expect(await k.ok('invoices.get', { id: p.invoiceId })).toMatchObject({
                paidMinor: 3_500,
                status: 'partially_paid',
              });
              assertBookHolds(k);
            }
            // Both pay what is left, in full: received twice, applied once, the rest deposited.
            const due = issued.grossMinor - 3_500;
            await pay(p.a, due);
            await pay(p.b, due);
            await syncAll(p, order);
            for (const k of [p.a, p.b]) {
              expect(await k.ok('invoices.get', { id: p.invoiceId })).toMatchObject({
                paidMinor: issued.grossMinor,
                status: 'paid',
              });
              const balance = await k.ok('ledger.balances', { organizationId: p.payerId });
              expect(balance).toContainEqual({ currency: 'CHF', balanceMinor: due });
              const deposits = k.raw
                .prepare("SELECT amount_minor FROM ledger_entries WHERE note = 'overpaid_at_sync'")
                .pluck()
                .all();
              expect(deposits).toEqual([due]);
              assertBookHolds(k);
            }
          });
        });
      }
    }
  });
}
