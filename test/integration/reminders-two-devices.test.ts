// Two laptops of one firm run the same reminder run offline, then sync through the real hub
// (issue 12, server/HUB.md "Reminders"): each invoice ends with one reminder per level — the two
// devices wrote the same row (its id is the invoice and the level), which the hub merges field by
// field — nothing refused, the outbox drained, both books equal. A statement imported on one
// device and synced keeps the other from reminding the invoice it paid (the crossing payment).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#common/dates';
import { camt } from '../helpers/camt';
import { adminApi, enrolledDevice, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-reminder-devices-');
const ENGINES: HubEngine[] = ['sqlite', 'postgres'];
let users = 0;

for (const engine of ENGINES) {
  describe(`two devices remind the same invoices offline, hub on ${engine}`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub(engine);
    });
    afterAll(async () => {
      await hub?.cleanup();
    });

    async function syncAll(a: TestKontor, b: TestKontor) {
      for (const k of [a, b, a, b]) {
        k.clock.advance(1_000);
        await k.ok('sync.now', {});
      }
      expect(storeContent(a.raw)).toEqual(storeContent(b.raw));
      for (const k of [a, b]) {
        expect(k.raw.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
        expect(k.raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get()).toBe(0);
      }
    }

    it('one reminder per invoice and level after sync; a payment imported on one device is never reminded by the other', async () => {
      const admin = adminApi(hub.url);
      const user = `reminders-${engine}-${++users}`;
      await admin.createUser(user);
      // The clocks are near the hub's real time (it refuses changes from far ahead): invoices are
      // issued today, due in 30 days; the runs are for dates after that.
      const start = Date.now() - 600_000;
      const today = new Date(start).toISOString().slice(0, 10);
      const open = async () => {
        const k = space.kontor({ clock: new FixedClock(new Date(start).toISOString()) });
        const { code } = await admin.enrollCode(user);
        await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
        await k.ok('sync.now', {});
        return k;
      };
      const a = await open();
      const b = await open();
      await setUpProvider(a, { iban: CH_QR_IBAN });
      const invoices = [];
      for (const name of ['Un', 'Deux', 'Trois']) {
        const payer = await createPayer(a, { name: `Client ${name} SA` });
        invoices.push(await issueInvoice(a, payer.id, [line(10_000)]));
      }
      await syncAll(a, b);
      expect(b.raw.prepare('SELECT count(*) FROM invoices').pluck().get()).toBe(3);

      // Offline, both run the first level on the same day (B a little later on its clock).
      a.clock.advance(10_000);
      b.clock.advance(20_000);
      const ra = await a.ok('reminders.run', { date: addDays(today, 40) });
      const rb = await b.ok('reminders.run', { date: addDays(today, 40) });
      expect(ra.reminders).toHaveLength(3);
      expect(rb.reminders).toHaveLength(3);
      await syncAll(a, b);
      const perLevel = (k: TestKontor) =>
        k.raw
          .prepare(
            'SELECT invoice_id, level, count(*) AS n FROM reminders GROUP BY invoice_id, level ORDER BY invoice_id, level',
          )
          .all();
      for (const k of [a, b])
        expect(perLevel(k)).toEqual(
          invoices
            .map((i) => ({ invoice_id: i.id, level: 1, n: 1 }))
            .sort((x, y) => x.invoice_id.localeCompare(y.invoice_id)),
        );

      // A imports the bank's statement: the second invoice is paid. B syncs, then reminds.
      const paid = invoices[1]!;
      await a.ok('payments.importStatement', {
        fileName: 'camt.xml',
        contentBase64: Buffer.from(
          camt({
            kind: '054',
            version: '08',
            credits: [
              {
                ref: 'TWO-DEV',
                amount: (paid.grossMinor / 100).toFixed(2),
                qrr: paid.paymentReference ?? '',
              },
            ],
          }),
        ).toString('base64'),
      });
      await syncAll(a, b);
      const second = await b.ok('reminders.run', { date: addDays(today, 55) });
      expect(second.reminders.map((r) => r.invoiceId).sort()).toEqual(
        [invoices[0]!.id, invoices[2]!.id].sort(),
      );
      // A, offline, runs the same level for the same two: one row each after sync.
      await a.ok('reminders.run', { date: addDays(today, 56) });
      await syncAll(a, b);
      // A hostile device of the same firm user: a reminder whose id is not its invoice and level,
      // or that names another payer, is refused with its reason and changes nothing.
      const hostile = await enrolledDevice(hub.url, user);
      const target = invoices[0]!;
      const row = (id: string, patch: Record<string, unknown>) =>
        hostile.row('reminders', id, {
          id,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
          organization_id: a.raw
            .prepare('SELECT organization_id FROM invoices WHERE id = ?')
            .pluck()
            .get(target.id),
          issuer_organization_id: a.raw
            .prepare('SELECT issuer_organization_id FROM invoices WHERE id = ?')
            .pluck()
            .get(target.id),
          invoice_id: target.id,
          level: 3,
          final: true,
          reminded_on: addDays(today, 70),
          pay_by: addDays(today, 80),
          due_minor: 1,
          fee_minor: 0,
          fees_minor: 0,
          currency: 'CHF',
          ...patch,
        });
      const wrongId = await hostile.push(row(`rm:${target.id}:4`, {}));
      expect(wrongId.results[0]).toMatchObject({ outcome: 'rejected', reason: 'reminder_mismatch' });
      const wrongPayer = await hostile.push(
        row(`rm:${target.id}:3`, { organization_id: invoices[1]!.organizationId }),
      );
      expect(wrongPayer.results[0]?.outcome).toBe('rejected');
      await syncAll(a, b);
      expect(
        a.raw
          .prepare('SELECT count(*) FROM reminders WHERE invoice_id = ? AND level = 3')
          .pluck()
          .get(target.id),
      ).toBe(0);
      for (const k of [a, b]) {
        expect(k.raw.prepare('SELECT count(*) FROM reminders WHERE level = 2').pluck().get()).toBe(2);
        expect(
          k.raw
            .prepare('SELECT count(*) FROM reminders WHERE invoice_id = ? AND level = 2')
            .pluck()
            .get(paid.id),
        ).toBe(0);
      }
    });
  });
}
