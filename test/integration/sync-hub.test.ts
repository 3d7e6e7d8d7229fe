// Device sync end to end: real stores, the real sync engine, the real hub (embedded store).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-sync-hub-');

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite');
});
afterAll(async () => {
  await hub?.cleanup();
});

let users = 0;

/** Devices of one hub user, enrolled through the API the Sync page uses. */
async function devices(n: number, hubUrl = () => hub.url): Promise<TestKontor[]> {
  const admin = adminApi(hub.url);
  const user = `user-${++users}`;
  await admin.createUser(user);
  const out: TestKontor[] = [];
  for (let i = 0; i < n; i++) {
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await admin.enrollCode(user);
    const status = await k.ok('sync.configure', { hubUrl: hubUrl(), enrollCode: code });
    expect(status).toMatchObject({ enrolled: true });
    expect(status.seriesCode).toMatch(/^[0-9A-F]{6}$/);
    out.push(k);
  }
  return out;
}

const sync = (k: TestKontor) => k.ok('sync.now', {});

/**
 * An organization with addresses, tags and tagged products. No members: the hub refuses a new
 * person pushed before the membership that puts it in scope (reported to the hub side).
 */
async function firm(k: TestKontor, name: string): Promise<string> {
  const payer = await createPayer(k, { name });
  const tag = await k.ok('tags.create', { organizationId: payer.id, name: `VIP ${name}`, color: '#0891b2' });
  for (let i = 0; i < 3; i++) {
    await k.ok('products.create', {
      organizationId: payer.id,
      kind: 'domain',
      name: `${name} ${i}.ch`,
      publicPriceMinor: 1_500 + i,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
      tagIds: i % 2 === 0 ? [tag.id] : [],
    });
  }
  return payer.id;
}

describe('device sync with the hub', () => {
  it('brings organizations, addresses, tags, products, invoices and money to another device and converges after concurrent edits', async () => {
    const [a, b] = (await devices(2)) as [TestKontor, TestKontor];
    const firmId = await firm(a, 'Hôtel du Lac SA');
    await setUpProvider(a);
    const payer = await createPayer(a, { name: 'Payeur SA' });
    const issued = await issueInvoice(a, payer.id, [line(12_000)]);
    await a.ok('ledger.topUp', { organizationId: payer.id, amountMinor: 50_000 });
    const first = await sync(a);
    expect(first.rejected).toBe(0);
    expect(first.status.pending).toBe(0);
    await sync(b);
    const scope = (k: TestKontor) => storeContent(k.raw);
    expect(scope(b)).toEqual(scope(a));
    // The hub's series: numbers issued after enrollment carry it.
    const series = (await a.ok('sync.status', {})).seriesCode;
    expect(issued.number).toContain(`-${series}-`);

    await a.ok('organizations.update', { id: firmId, name: 'Hôtel du Lac (A)' });
    b.clock.advance(5);
    await b.ok('organizations.update', {
      id: firmId,
      name: 'Hôtel du Lac (B)',
      renewalReminderDays: 20,
    });
    for (const k of [a, b, a]) await sync(k);
    expect(scope(a)).toEqual(scope(b));
    expect(a.raw.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(firmId)).toBe(
      'Hôtel du Lac (B)',
    );
    // A replayed round changes nothing.
    const again = await sync(b);
    expect([again.applied, again.pushed]).toEqual([0, 0]);
  });

  it('a connection cut in the middle of a pull resumes without loss or duplicates', async () => {
    let cutAfter = 3_000;
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(new URL(hub.url).port), '127.0.0.1');
      client.pipe(upstream);
      let sent = 0;
      upstream.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        if (cutAfter > 0 && sent > cutAfter) {
          client.write(chunk.subarray(0, 100));
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(chunk);
      });
      upstream.on('end', () => client.end());
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    try {
      const [a, b] = (await devices(2, () => proxyUrl)) as [TestKontor, TestKontor];
      cutAfter = 0;
      for (let i = 0; i < 3; i++) await firm(a, `Firma ${i} AG`);
      await sync(a);
      cutAfter = 3_000;
      const cut = await b.fails('sync.now', {}, 'sync_hub_unreachable');
      expect(cut.message).toContain(proxyUrl);
      cutAfter = 0;
      await sync(b);
      expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
      // Each change of a once, however many times the page was started.
      const dupes = b.raw
        .prepare(
          'SELECT count(*) FROM (SELECT 1 FROM change_log GROUP BY table_name, row_id, column_name, hlc HAVING count(*) > 1)',
        )
        .pluck()
        .get();
      expect(dupes).toBe(0);
    } finally {
      proxy.close();
    }
  });

  it('a clock 10 minutes ahead is refused clearly and loses nothing; a day behind still converges', async () => {
    const [a, b] = (await devices(2)) as [TestKontor, TestKontor];
    a.clock.advance(10 * 60_000);
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'En avance',
      country: 'CH',
      currency: 'CHF',
    });
    const refused = await a.fails('sync.now', {}, 'sync_clock_ahead', { locale: 'fr' });
    expect(refused.message).toMatch(/10 min/);
    const status = await a.ok('sync.status', { locale: 'fr' });
    expect(status.pending).toBeGreaterThan(0);
    expect(status.lastError?.message).toContain('horloge');
    // Time passes (as if the device's clock was right after all): everything goes through.
    hub.skew.ms = 11 * 60_000;
    a.clock.advance(60_000);
    try {
      await sync(a);
      b.clock.advance(-24 * 3_600_000);
      await sync(b);
      await b.ok('organizations.update', { id: org.id, name: 'Un jour de retard' });
      await sync(b);
      await sync(a);
    } finally {
      hub.skew.ms = 0;
    }
    expect(storeContent(a.raw)).toEqual(storeContent(b.raw));
    // The late device's edit came after what it had seen: it wins, whatever its wall clock says.
    expect(a.raw.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(org.id)).toBe(
      'Un jour de retard',
    );
  });

  it('a revoked device turns read-only with a translated message and keeps its data', async () => {
    const [a] = (await devices(1)) as [TestKontor];
    await a.ok('organizations.create', { kind: 'company', name: 'Gardée', country: 'CH', currency: 'CHF' });
    await sync(a);
    await adminApi(hub.url).revoke(a.kontor.ctx().deviceId);
    const revoked = await a.fails('sync.now', {}, 'device_revoked', { locale: 'de' });
    expect(revoked.message).toContain('widerrufen');
    expect((await a.ok('sync.status', {})).readOnly).toBe(true);
    await a.fails(
      'organizations.create',
      { kind: 'company', name: 'Neu', country: 'CH', currency: 'CHF' },
      'device_revoked',
    );
    expect(a.raw.prepare('SELECT count(*) FROM organizations').pluck().get()).toBe(1);
  });
});
