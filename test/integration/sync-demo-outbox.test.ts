// Every write goes through the outbox, bulk paths included (issue 11, point 6): a demo book
// (organizations through the router, invoices in bulk, payments and prepaid entries written
// by the generator) syncs to the hub, and a fresh device of the same user receives exactly
// what the first one holds, table by table, row by row — payments and ledgers included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '#core/demo/demo-data';
import { generateDemoInvoices } from '#core/demo/demo-invoices';
import { ensureDemoProvider } from '#core/demo/demo-provider';
import { getOrganization } from '#core/services/organizations.service';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-demo-outbox-');

for (const engine of ['sqlite', 'postgres'] as HubEngine[]) {
  describe(`a demo book syncs whole, hub on ${engine}`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub(engine);
    });
    afterAll(async () => {
      await hub?.cleanup();
    });

    it('payments and prepaid entries reach the hub; a new device equals the one that wrote them', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const a = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      await generateDemo(a.kontor.router, { organizations: 4, seed: 3, today });
      const provider = await ensureDemoProvider(a.kontor.router);
      const made = generateDemoInvoices(a.kontor.ctx(), {
        count: 400,
        seed: 3,
        today,
        issuer: getOrganization(a.kontor.ctx(), provider.id),
      });
      expect(made.payments).toBeGreaterThan(100);
      expect(made.ledgerEntries).toBeGreaterThan(0);

      const admin = adminApi(hub.url);
      const user = `demo-${engine}`;
      await admin.createUser(user);
      await a.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode(user)).code });
      const round = await a.ok('sync.now', {});
      expect(round.rejected).toBe(0);
      expect(round.status.pending).toBe(0);

      const b = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      await b.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode(user)).code });
      await b.ok('sync.now', {});
      const mine = storeContent(a.raw);
      const theirs = storeContent(b.raw);
      for (const table of Object.keys(mine)) {
        expect(theirs[table]?.length, table).toBe(mine[table]?.length);
        expect(theirs[table], table).toEqual(mine[table]);
      }
      expect(mine.payments?.length).toBe(made.payments);
      expect(mine.ledger_entries?.length).toBe(made.ledgerEntries);
    });
  });
}
