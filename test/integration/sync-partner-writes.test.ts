// Issue 11, found by the sync soak (partner seeds 11, 17 and 29): what a partner's own device
// writes, through the real router and a real hub on both stores.
// - A person-bound hub user (a partner's legal representative) adds a member to its own
//   organization: the hub took the membership but refused the new person (it judged the
//   person before the membership that names them), so the membership waited for that person
//   on every device forever. The person pushed alone (a batch cut between the two) was refused
//   too: the outbox now keeps a new person with their first membership.
// - A prepaid withdrawal made on a partner's device (withdrawals are the firm's): refused by
//   the hub, told on the device, gone from its ledger, its balance back, nowhere else.
// - Found by the soak (partner seed 1453832018): a partner's device acted as the book's keeper
//   (no acting person), so it let a limited partner create a work team in its client; the hub
//   refused it and the device kept the row outside its scope. The device now acts as the
//   person its hub user is bound to (the enrollment answer names it) and refuses first. The
//   hub's refusals below are driven by a device told to act as the keeper again — an older
//   or tampered device, which the hub must still hold to its rules.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#db/sync/outbox';
import { adminApi, type HubEngine, startTestHub, type TestHub } from '../helpers/hub';
import { line, setUpProvider } from '../helpers/invoices';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { buildPartnerships, type PartnerCast } from '../helpers/sync-property-partners';

describe.each<HubEngine>(['sqlite', 'postgres'])('a partner writing on its own device, %s hub', (engine) => {
  const space = useTempSpace(`kontor-partner-writes-${engine}-`);
  let hub: TestHub;
  let firm: TestKontor;
  let casts: PartnerCast[];
  const devices: Record<string, TestKontor> = {};
  const run = crypto.randomBytes(3).toString('hex');

  async function enroll(user: string): Promise<TestKontor> {
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await adminApi(hub.url).enrollCode(user);
    await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
    await k.ok('sync.now', {});
    return k;
  }

  beforeAll(async () => {
    hub = await startTestHub(engine);
    const admin = adminApi(hub.url);
    await admin.createUser(`firm-${run}`);
    firm = await enroll(`firm-${run}`);
    casts = await buildPartnerships(firm);
    // The firm's device acts as the keeper again (building the partnerships acted as their people).
    await firm.ok('settings.setActingPerson', { personId: null });
    expect((await firm.ok('sync.now', {})).rejected).toBe(0);
    // One hub user per partner, bound to its legal representative (`hub user add --person`).
    for (const c of casts) {
      const name = `${c.access}-${run}`;
      await admin.createUser(name, { personId: c.person });
      await admin.link(name, c.organizationId);
      devices[c.access] = await enroll(name);
    }
  }, 120_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  const count = (k: TestKontor, sql: string, ...args: unknown[]) =>
    k.raw
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  const refusals = (k: TestKontor, rowId: string) =>
    k.raw.prepare('SELECT reason FROM sync_rejections WHERE row_id = ?').pluck().all(rowId) as string[];

  /** An older or tampered device: it acts as the book's keeper, whatever its hub user is. */
  async function asKeeper(k: TestKontor) {
    await k.ok('settings.setActingPerson', { personId: null });
  }

  it("a partner's device acts as the person its hub user is bound to, and refuses first what that person may not do", {
    timeout: 60_000,
  }, async () => {
    const cast = casts.find((c) => c.access === 'limited')!;
    const k = await enroll(`limited-${run}`);
    expect((await k.ok('settings.get', {})).actingPersonId).toBe(cast.person);
    const teams = () => count(k, 'SELECT count(*) FROM work_teams WHERE organization_id = ?', cast.clientId);
    const before = teams();
    const r = await k.call('teams.create', { organizationId: cast.clientId, name: 'Not ours', productIds: [] });
    expect(r.ok ? 'written' : r.error.code).toBe('not_allowed');
    expect(teams()).toBe(before);
    expect(count(k, 'SELECT count(*) FROM change_log WHERE hub_seq IS NULL')).toBe(0);
    // Its own organization's team is its to make, and the hub takes it.
    await k.ok('teams.create', { organizationId: cast.organizationId, name: 'Ours', productIds: [] });
    expect((await k.ok('sync.now', {})).rejected).toBe(0);
    k.close();
  });

  for (const access of ['limited', 'complete'] as const)
    it(`the ${access} partner adds a member to its organization: person and membership reach every device`, {
      timeout: 60_000,
    }, async () => {
      const k = devices[access]!;
      const cast = casts.find((c) => c.access === access)!;
      const member = await k.ok('members.add', {
        organizationId: cast.organizationId,
        email: `new-${access}@agence.test`,
        name: `New ${access}`,
        role: 'member',
      });
      // The batch cut right after the person (a sync that pushes one change): the person
      // travels with the membership that names them.
      const batch = readOutbox(k.raw, { deviceId: k.kontor.ctx().deviceId, schemaVersion: 0, limit: 1 });
      expect(batch?.request.changes.map((c) => c.table)).toContain('memberships');
      expect(batch?.request.changes.filter((c) => c.table === 'people').length).toBeGreaterThan(0);

      const pushed = await k.ok('sync.now', {});
      expect(pushed.rejected).toBe(0);
      expect(refusals(k, member.person.id)).toEqual([]);
      // The firm, and a second device of the same partner user, hold both; nothing waits.
      await firm.ok('sync.now', {});
      for (const other of [firm, await enroll(`${access}-${run}`)]) {
        expect(count(other, 'SELECT count(*) FROM people WHERE id = ?', member.person.id)).toBe(1);
        expect(count(other, 'SELECT count(*) FROM memberships WHERE id = ?', member.id)).toBe(1);
        expect(count(other, 'SELECT count(*) FROM sync_deferred')).toBe(0);
        other === firm || other.close();
      }
    });

  it('refuses a new person whose membership names an organization the partner may not manage', {
    timeout: 60_000,
  }, async () => {
    // The limited partner is no member of its client: a person joined there is hostile.
    const k = devices.limited!;
    const cast = casts.find((c) => c.access === 'limited')!;
    await asKeeper(k);
    const r = await k.call('members.add', {
      organizationId: cast.clientId,
      email: 'intruder@agence.test',
      name: 'Intruder',
      role: 'member',
    });
    const person = k.raw.prepare("SELECT id FROM people WHERE email = 'intruder@agence.test'").pluck().get();
    if (!r.ok) {
      // Refused on the device already: nothing was written.
      expect(r.error.code).toBe('not_allowed');
      expect(person).toBeUndefined();
      return;
    }
    const result = await k.ok('sync.now', {});
    expect(result.rejected).toBeGreaterThan(0);
    expect(refusals(k, String(person)).length).toBeGreaterThan(0);
    await firm.ok('sync.now', {});
    expect(count(firm, 'SELECT count(*) FROM people WHERE id = ?', person)).toBe(0);
  });

  it("a partner device's withdrawal is refused, told, and leaves the ledger and balance as they were", {
    timeout: 60_000,
  }, async () => {
    const cast = casts.find((c) => c.access === 'complete')!;
    await firm.ok('ledger.topUp', { organizationId: cast.organizationId, amountMinor: 20_000 });
    expect((await firm.ok('sync.now', {})).rejected).toBe(0);
    const k = devices.complete!;
    await k.ok('sync.now', {});
    const balance = (d: TestKontor) =>
      count(
        d,
        "SELECT coalesce(sum(balance_minor), 0) FROM prepaid_balances WHERE organization_id = ? AND currency = 'CHF'",
        cast.organizationId,
      );
    expect(balance(k)).toBe(20_000);
    // The device, with no acting person, lets the keeper of its book write it; the hub knows
    // this user is the partner's legal representative, and withdrawals are the firm's.
    await asKeeper(k);
    const entry = await k.call('ledger.withdraw', {
      organizationId: cast.organizationId,
      amountMinor: 5_000,
    });
    if (!entry.ok) {
      // Refused on the device already (it knows its acting person): nothing was written.
      expect(entry.error.code).toBe('not_allowed');
      expect(balance(k)).toBe(20_000);
      return;
    }
    const id = (entry.value as { id: string }).id;
    const result = await k.ok('sync.now', {});
    expect(result.rejected).toBe(1);
    expect(refusals(k, id)).toEqual(['not_allowed']);
    expect(count(k, 'SELECT count(*) FROM ledger_entries WHERE id = ?', id)).toBe(0);
    expect(balance(k)).toBe(20_000);
    expect(count(k, 'SELECT count(*) FROM change_log WHERE hub_seq IS NULL')).toBe(0);
    await firm.ok('sync.now', {});
    expect(count(firm, 'SELECT count(*) FROM ledger_entries WHERE id = ?', id)).toBe(0);
    expect(balance(firm)).toBe(20_000);
    // Shown where a person looks: the open refusals.
    const listed = await k.ok('sync.rejections', {});
    expect(JSON.stringify(listed)).toContain(id);
  });

  it("a partner device's own bank payment of its invoice is refused, gone, and the invoice unpaid again", {
    timeout: 60_000,
  }, async () => {
    const cast = casts.find((c) => c.access === 'complete')!;
    const providerId = await setUpProvider(firm);
    await firm.ok('settings.setProvider', { organizationId: providerId });
    const draft = await firm.ok('invoices.create', {
      organizationId: cast.organizationId,
      lines: [line(10_000)],
    });
    const issued = await firm.ok('invoices.issue', { id: draft.id });
    expect((await firm.ok('sync.now', {})).rejected).toBe(0);
    const k = devices.complete!;
    await k.ok('sync.now', {});
    const invoice = (d: TestKontor) =>
      d.raw.prepare('SELECT status, paid_minor FROM invoices WHERE id = ?').get(issued.id) as
        | { status: string; paid_minor: number }
        | undefined;
    expect(k.raw.prepare('SELECT table_name, row_id, reason FROM sync_deferred').all()).toEqual([]);
    expect(invoice(k)).toEqual({ status: 'unpaid', paid_minor: 0 });
    // An organization pays its own invoices from its prepaid account only: the bank is the firm's to book.
    await asKeeper(k);
    const paid = await k.call('payments.record', {
      invoiceId: issued.id,
      amountMinor: issued.grossMinor,
      currency: issued.currency,
      method: 'bank_transfer',
      receivedOn: '2026-03-15',
    });
    if (!paid.ok) {
      expect(paid.error.code).toBe('not_allowed');
      expect(invoice(k)).toEqual({ status: 'unpaid', paid_minor: 0 });
      return;
    }
    expect(invoice(k)?.status).toBe('paid');
    const payment = k.raw
      .prepare('SELECT id FROM payments WHERE invoice_id = ?')
      .pluck()
      .get(issued.id) as string;
    const result = await k.ok('sync.now', {});
    expect(result.rejected).toBeGreaterThan(0);
    expect(refusals(k, payment).length).toBeGreaterThan(0);
    expect(count(k, 'SELECT count(*) FROM payments WHERE id = ?', payment)).toBe(0);
    expect(invoice(k)).toEqual({ status: 'unpaid', paid_minor: 0 });
    await firm.ok('sync.now', {});
    expect(invoice(firm)).toEqual({ status: 'unpaid', paid_minor: 0 });
  });
});
