// Issue 11, "Smaller": a partner did not see its own ended partnership. The hub left the
// client's organization out of the partner's scope once the partnership ended, so the ended
// partnership row (which points at both organizations) waited in sync_deferred forever on the
// partner's device, and `sync status` said deferred 0. Real hub, both stores; `sync status
// --json` through the real command line.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'kontor.js');

function statusJson(db: string): Promise<{ code: number; status: { deferred: number } }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, '--db', db, 'sync', 'status', '--json'],
      { encoding: 'utf8', env: { ...process.env, KONTOR_DB: '' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        try {
          resolve({ code, status: JSON.parse(stdout) as { deferred: number } });
        } catch {
          reject(new Error(`sync status --json: ${stderr}`));
        }
      },
    );
  });
}

describe.each<HubEngine>(['sqlite', 'postgres'])('an ended partnership on the %s hub', (engine) => {
  const space = useTempSpace(`kontor-ended-partnership-${engine}-`);
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function device(user: string, links: string[]): Promise<TestKontor> {
    const admin = adminApi(hub.url);
    await admin.createUser(user);
    for (const o of links) await admin.link(user, o);
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await admin.enrollCode(user);
    await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
    return k;
  }
  const status = (k: TestKontor, id: string) =>
    k.raw.prepare('SELECT status FROM partnerships WHERE id = ?').pluck().get(id) as string | undefined;
  const waiting = (k: TestKontor) =>
    k.raw.prepare('SELECT count(*) FROM sync_deferred').pluck().get() as number;

  it('reaches the partner and the client as ended, nothing waits, and status counts what does', {
    timeout: 120_000,
  }, async () => {
    const firm = await device('firm', []);
    const as = (o: SeededOrganization) => firm.ok('settings.setActingPerson', { personId: o.personIds[0]! });
    const partner = await seedOrganization(firm, { name: 'Agence Alpha', products: 1, tags: 0 });
    const client = await seedOrganization(firm, { name: 'Client Un', products: 2, tags: 0 });
    await as(partner);
    const invited = await firm.ok('partners.inviteClient', {
      partnerOrganizationId: partner.organizationId,
      clientOrganizationId: client.organizationId,
      access: 'limited',
    });
    await as(client);
    await firm.ok('partners.accept', { partnershipId: invited.id, productIds: [client.productIds[0]!] });
    expect((await firm.ok('sync.now', {})).rejected).toBe(0);

    const p = await device('partner-user', [partner.organizationId]);
    const c = await device('client-user', [client.organizationId]);
    await p.ok('sync.now', {});
    await c.ok('sync.now', {});
    expect(status(p, invited.id)).toBe('active');

    await firm.ok('partners.end', { partnershipId: invited.id, side: 'client', confirm: true });
    await firm.ok('sync.now', {});
    for (const k of [p, c]) {
      await k.ok('sync.now', {});
      expect(status(k, invited.id)).toBe('ended');
      expect(waiting(k)).toBe(0);
      expect((await k.ok('sync.status', {})).deferred).toBe(0);
    }
    // Ending took the client's products away from the partner, not the partnership.
    expect(
      p.raw.prepare('SELECT count(*) FROM products WHERE id = ?').pluck().get(client.productIds[0]!),
    ).toBe(0);
    // A device that saw the partnership only after it ended gets it too.
    const late = await device('partner-late', [partner.organizationId]);
    await late.ok('sync.now', {});
    expect(status(late, invited.id)).toBe('ended');
    expect(waiting(late)).toBe(0);
    expect((await statusJson(p.file)).status.deferred).toBe(0);

    // A row that does wait (here: for a partnership it has not got) is counted.
    p.raw
      .prepare(
        `INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
         VALUES (0, '', 'partnership_products', 'planted', '', NULL, 'pending_row', ?)`,
      )
      .run(new Date().toISOString());
    expect((await statusJson(p.file)).status.deferred).toBe(1);
    expect((await p.ok('sync.status', {})).deferred).toBe(1);
  });
});
