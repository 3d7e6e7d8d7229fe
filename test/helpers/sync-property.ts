// The sync property (issue 5): devices of one hub user make random writes through the real
// router, sync in random partial ways (push only, a few pull pages, a batch sent twice, a page
// applied again or out of order), then sync fully; afterwards every device holds what the hub
// holds for it, nothing written is lost, and replays change nothing. Shared by the CI test
// (fixed seed) and the soak bench (random seeds).
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { PulledChange } from '#common/sync/protocol';
import { HubClient } from '#core/sync/hub-client';
import { readSyncState, writeSyncState } from '#core/sync/state';
import { Applier } from '#db/sync/apply';
import { readOutbox } from '#db/sync/outbox';
import { adminApi, type TestHub } from './hub';
import { line } from './invoices';
import { FixedClock, type TestKontor } from './kontor';
import { type StoreContent, storeContent } from './sync';
import { buildPartnerships, outOfScope, type PartnerCast } from './sync-property-partners';

export type Op =
  | { k: 'org'; d: number }
  | { k: 'renameOrg'; d: number; o: number; name: string }
  | { k: 'deleteOrg'; d: number; o: number }
  | { k: 'member'; d: number; o: number }
  | { k: 'address'; d: number; o: number }
  | { k: 'product'; d: number; o: number; price: number }
  | { k: 'updateProduct'; d: number; p: number; price: number }
  | { k: 'tag'; d: number; o: number; p: number }
  | { k: 'team'; d: number; o: number; p: number }
  | { k: 'draft'; d: number; o: number; price: number }
  | { k: 'updateDraft'; d: number; i: number; price: number }
  | { k: 'issue'; d: number; i: number }
  | { k: 'issueRace'; d: number; e: number; i: number }
  | { k: 'deleteDraft'; d: number; i: number }
  | { k: 'payFull'; d: number; i: number }
  | { k: 'creditNote'; d: number; i: number }
  | { k: 'payment'; d: number; i: number; amount: number }
  | { k: 'topUp'; d: number; o: number; amount: number }
  | { k: 'withdraw'; d: number; o: number; amount: number }
  | { k: 'sync'; d: number }
  | { k: 'pushOnly'; d: number; batch: number }
  | { k: 'pullPages'; d: number; pages: number; limit: number }
  | { k: 'pushTwice'; d: number; sameBatchId: boolean }
  | { k: 'pullAgain'; d: number; limit: number }
  | { k: 'pullReordered'; d: number; limit: number };

export interface Scenario {
  /** Devices of the firm's hub user (a firm administrator). */
  devices: number;
  /**
   * Two more hub users, each bound to the legal representative of a partner organization of
   * one client: a limited partner (devices[n]) and a complete partner (devices[n + 1]).
   */
  partners?: boolean;
  ops: Op[];
}

const idx = fc.nat(50);
export function scenarioArb(
  maxOps = 40,
  size: fc.SizeForArbitrary = 'small',
  partners = false,
): fc.Arbitrary<Scenario> {
  return fc.integer({ min: 2, max: partners ? 3 : 5 }).chain((n) => {
    // With partners, ops also land on the two partner devices (indexes n and n + 1).
    const d = fc.integer({ min: 0, max: n - 1 + (partners ? 2 : 0) });
    const amount = fc.integer({ min: 1, max: 30_000 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ k: fc.constant('org' as const), d }) },
      {
        weight: 2,
        arbitrary: fc.record({
          k: fc.constant('renameOrg' as const),
          d,
          o: idx,
          name: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `Org ${s}`),
        }),
      },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('deleteOrg' as const), d, o: idx }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('member' as const), d, o: idx }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('address' as const), d, o: idx }) },
      { weight: 3, arbitrary: fc.record({ k: fc.constant('product' as const), d, o: idx, price: amount }) },
      {
        weight: 2,
        arbitrary: fc.record({ k: fc.constant('updateProduct' as const), d, p: idx, price: amount }),
      },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('tag' as const), d, o: idx, p: idx }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('team' as const), d, o: idx, p: idx }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('draft' as const), d, o: idx, price: amount }) },
      {
        weight: 1,
        arbitrary: fc.record({ k: fc.constant('updateDraft' as const), d, i: idx, price: amount }),
      },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('issue' as const), d, i: idx }) },
      // Races on one document: two devices issue the same draft, a draft deleted while issued
      // elsewhere, full payments and credit notes recorded on several devices at once.
      { weight: 2, arbitrary: fc.record({ k: fc.constant('issueRace' as const), d, e: d, i: idx }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('deleteDraft' as const), d, i: idx }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('payFull' as const), d, i: idx }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('creditNote' as const), d, i: idx }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('payment' as const), d, i: idx, amount }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('topUp' as const), d, o: idx, amount }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant('withdraw' as const), d, o: idx, amount }) },
      { weight: 3, arbitrary: fc.record({ k: fc.constant('sync' as const), d }) },
      {
        weight: 2,
        arbitrary: fc.record({
          k: fc.constant('pushOnly' as const),
          d,
          batch: fc.integer({ min: 1, max: 30 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          k: fc.constant('pullPages' as const),
          d,
          pages: fc.integer({ min: 1, max: 3 }),
          limit: fc.integer({ min: 1, max: 40 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ k: fc.constant('pushTwice' as const), d, sameBatchId: fc.boolean() }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('pullAgain' as const),
          d,
          limit: fc.integer({ min: 1, max: 40 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('pullReordered' as const),
          d,
          limit: fc.integer({ min: 1, max: 20 }),
        }),
      },
    );
    return fc.record({
      devices: fc.constant(n),
      partners: fc.constant(partners),
      ops: fc.array(op, { minLength: 5, maxLength: maxOps, size }),
    });
  });
}

/** What the run wrote, for the checks: rows created, money moved, invoices issued. */
interface Written {
  created: { table: string; id: string; device: number }[];
  withdrawals: { id: string; device: number }[];
  /** Every issue a device made: the invoice, its number and gross, the device. */
  issued: { id: string; number: string; gross: unknown; device: number }[];
}

type OpenDevice = (clock: FixedClock) => TestKontor;
const SYNCING = new Set<Op['k']>(['sync', 'pushOnly', 'pullPages', 'pushTwice', 'pullAgain', 'pullReordered']);

let users = 0;

/**
 * Runs one scenario against `hub` and checks the properties; throws with what differs.
 * `open` makes a new device store (each its own SQLite file).
 */
export async function runScenario(
  hub: TestHub,
  open: OpenDevice,
  s: Scenario,
  options: {
    /** Runs after every op that syncs (compaction between rounds: sync-compaction-property.test.ts). */
    betweenRounds?: (devices: readonly TestKontor[]) => Promise<void>;
  } = {},
): Promise<void> {
  const admin = adminApi(hub.url);
  const user = `prop-${process.pid}-${++users}-${crypto.randomBytes(3).toString('hex')}`;
  await admin.createUser(user);
  const enroll = async (who = user) => {
    const k = open(new FixedClock(new Date().toISOString()));
    const { code } = await admin.enrollCode(who);
    await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
    return k;
  };
  const devices: TestKontor[] = [];
  /** The hub user of each device, and the partner it acts for (none for firm staff). */
  const cast: Cast[] = [];
  try {
    for (let i = 0; i < s.devices; i++) {
      devices.push(await enroll());
      cast.push({ user, partner: null });
    }
    // One provider for everyone: issuing needs one with a UID, an IBAN and an address.
    const [first] = devices as [TestKontor];
    const provider = await first.ok('organizations.create', {
      kind: 'company',
      name: 'Provider SA',
      country: 'CH',
      currency: 'CHF',
      // A VAT invoice names its issuer's VAT number (firm-setup.test.ts).
      uid: 'CHE-116.281.710',
      iban: 'CH93 0076 2011 6238 5295 7',
    });
    await first.ok('addresses.create', {
      organizationId: provider.id,
      label: 'Siège',
      recipient: 'Provider SA',
      line1: 'Rue 1',
      postalCode: '1003',
      city: 'Lausanne',
      country: 'CH',
    });
    const partners = s.partners ? await buildPartnerships(first) : [];
    const setup = await first.ok('sync.now', {});
    if (setup.rejected !== 0) throw new Error(`the firm's setup was refused: ${setup.rejected} changes`);
    for (const k of devices) {
      await k.ok('sync.now', {});
      await k.ok('settings.setProvider', { organizationId: provider.id });
    }
    for (const p of partners) {
      const name = `${user}-${p.access}`;
      await admin.createUser(name, { personId: p.person });
      await admin.link(name, p.organizationId);
      const k = await enroll(name);
      await k.ok('sync.now', {});
      devices.push(k);
      cast.push({ user: name, partner: p });
    }

    const written: Written = { created: [], withdrawals: [], issued: [] };
    for (const op of s.ops) {
      await runOp(devices, op, written, provider.id);
      if (options.betweenRounds && SYNCING.has(op.k)) await options.betweenRounds(devices);
    }

    // Full sync until quiet: every device pushes, then every device pulls what the others pushed.
    for (let pass = 0; pass < 2; pass++) for (const k of devices) await k.ok('sync.now', {});
    await checkProperties(devices, cast, written, enroll);
  } finally {
    for (const k of devices) k.close();
  }
}

interface Cast {
  user: string;
  partner: PartnerCast | null;
}

const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length ? list[i % list.length] : undefined;
const ids = (k: TestKontor, sql: string): string[] => k.raw.prepare(sql).pluck().all() as string[];
const live = (k: TestKontor, table: string, where = 'deleted_at IS NULL') =>
  ids(k, `SELECT id FROM ${table} WHERE ${where} ORDER BY id`);

async function runOp(devices: TestKontor[], op: Op, w: Written, providerId: string): Promise<void> {
  const k = devices[op.d % devices.length]!;
  const d = op.d % devices.length;
  k.clock.advance(3);
  const payers = () => live(k, 'organizations').filter((id) => id !== providerId);
  const created = (table: string, id: string) => w.created.push({ table, id, device: d });
  const tryCall = async (method: string, input: unknown) => {
    const r = await k.call(method, input);
    return r.ok ? (r.value as Record<string, unknown>) : null;
  };
  switch (op.k) {
    case 'org': {
      const r = await tryCall('organizations.create', {
        kind: 'company',
        name: `Org ${crypto.randomBytes(3).toString('hex')}`,
        country: 'CH',
        currency: 'CHF',
      });
      if (r) {
        created('organizations', String(r.id));
        const a = await tryCall('addresses.create', {
          organizationId: r.id,
          label: 'Facturation',
          recipient: 'Compta',
          line1: 'Rue du Marché 4',
          postalCode: '1003',
          city: 'Lausanne',
          country: 'CH',
        });
        if (a) created('billing_addresses', String(a.id));
      }
      return;
    }
    case 'renameOrg': {
      const o = pick(payers(), op.o);
      if (o) await tryCall('organizations.update', { id: o, name: op.name });
      return;
    }
    case 'deleteOrg': {
      const o = pick(payers(), op.o);
      if (o) await tryCall('organizations.delete', { id: o });
      return;
    }
    case 'member': {
      const o = pick(payers(), op.o);
      if (!o) return;
      const tag = crypto.randomBytes(3).toString('hex');
      const r = await tryCall('members.add', {
        organizationId: o,
        email: `p${tag}@example.test`,
        name: `Person ${tag}`,
        role: 'member',
      });
      if (r) {
        const person = ids(k, `SELECT id FROM people WHERE email = 'p${tag}@example.test'`)[0];
        if (person) created('people', person);
      }
      return;
    }
    case 'address': {
      const o = pick(payers(), op.o);
      if (!o) return;
      const a = await tryCall('addresses.create', {
        organizationId: o,
        label: 'Autre',
        recipient: 'Direction',
        line1: 'Avenue 2',
        postalCode: '1201',
        city: 'Genève',
        country: 'CH',
      });
      if (a) created('billing_addresses', String(a.id));
      return;
    }
    case 'product': {
      const o = pick(payers(), op.o);
      if (!o) return;
      const r = await tryCall('products.create', {
        organizationId: o,
        kind: 'domain',
        name: `site-${crypto.randomBytes(3).toString('hex')}.ch`,
        publicPriceMinor: op.price,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
      });
      if (r) created('products', String(r.id));
      return;
    }
    case 'updateProduct': {
      const p = pick(live(k, 'products'), op.p);
      if (p) await tryCall('products.update', { id: p, publicPriceMinor: op.price });
      return;
    }
    case 'tag': {
      const o = pick(payers(), op.o);
      if (!o) return;
      const t = await tryCall('tags.create', {
        organizationId: o,
        name: `T${crypto.randomBytes(2).toString('hex')}`,
      });
      if (!t) return;
      created('tags', String(t.id));
      const p = pick(live(k, 'products', `deleted_at IS NULL AND organization_id = '${o}'`), op.p);
      if (p) await tryCall('tags.assign', { tagId: t.id, productIds: [p] });
      return;
    }
    case 'team': {
      const o = pick(payers(), op.o);
      if (!o) return;
      const p = pick(live(k, 'products', `deleted_at IS NULL AND organization_id = '${o}'`), op.p);
      const t = await tryCall('teams.create', {
        organizationId: o,
        name: `Team ${crypto.randomBytes(2).toString('hex')}`,
        productIds: p ? [p] : [],
      });
      if (t) created('work_teams', String(t.id));
      return;
    }
    case 'draft': {
      const o = pick(payers(), op.o);
      if (!o) return;
      const r = await tryCall('invoices.create', { organizationId: o, lines: [line(op.price)] });
      if (r) created('invoices', String(r.id));
      return;
    }
    case 'updateDraft': {
      const i = pick(live(k, 'invoices', "deleted_at IS NULL AND status = 'draft'"), op.i);
      if (i) await tryCall('invoices.updateDraft', { id: i, lines: [line(op.price), line(100)] });
      return;
    }
    case 'issue': {
      const i = pick(live(k, 'invoices', "deleted_at IS NULL AND status = 'draft'"), op.i);
      if (!i) return;
      const r = await tryCall('invoices.issue', { id: i });
      if (r) {
        const row = k.raw.prepare('SELECT number, gross_minor FROM invoices WHERE id = ?').get(i) as {
          number: string;
          gross_minor: unknown;
        };
        w.issued.push({ id: i, number: row.number, gross: row.gross_minor, device: d });
      }
      return;
    }
    case 'issueRace': {
      // The same draft issued offline on two devices (when both hold it as a draft).
      const other = devices[op.e % devices.length]!;
      const e = op.e % devices.length;
      const drafts = live(k, 'invoices', "deleted_at IS NULL AND status = 'draft'").filter(
        (id) =>
          other.raw
            .prepare('SELECT status FROM invoices WHERE id = ? AND deleted_at IS NULL')
            .pluck()
            .get(id) === 'draft',
      );
      const i = pick(drafts, op.i);
      if (!i) return;
      for (const [who, dev] of [
        [k, d],
        [other, e],
      ] as const) {
        if (who !== k) who.clock.advance(3);
        const r = await who.call('invoices.issue', { id: i });
        if (!r.ok) continue;
        const row = who.raw.prepare('SELECT number, gross_minor FROM invoices WHERE id = ?').get(i) as {
          number: string;
          gross_minor: unknown;
        };
        w.issued.push({ id: i, number: row.number, gross: row.gross_minor, device: dev });
      }
      return;
    }
    case 'deleteDraft': {
      const i = pick(live(k, 'invoices', "deleted_at IS NULL AND status = 'draft'"), op.i);
      if (i) await tryCall('invoices.deleteDraft', { id: i });
      return;
    }
    case 'payFull': {
      const inv = pick(
        k.raw
          .prepare(
            "SELECT id FROM invoices WHERE kind = 'invoice' AND status IN ('unpaid', 'partially_paid') ORDER BY id",
          )
          .pluck()
          .all() as string[],
        op.i,
      );
      if (!inv) return;
      const got = await tryCall('invoices.get', { id: inv });
      const due = Number(got?.dueMinor ?? 0);
      if (due <= 0) return;
      if (
        await tryCall('payments.record', {
          invoiceId: inv,
          amountMinor: due,
          currency: String(got?.currency),
          method: 'bank_transfer',
          receivedOn: '2026-03-15',
        })
      )
        created('payments', newest(k, 'payments'));
      return;
    }
    case 'creditNote': {
      const inv = pick(
        k.raw
          .prepare(
            "SELECT id FROM invoices WHERE kind = 'invoice' AND status IN ('unpaid', 'partially_paid', 'paid') ORDER BY id",
          )
          .pluck()
          .all() as string[],
        op.i,
      );
      if (inv) await tryCall('invoices.creditNote', { invoiceId: inv });
      return;
    }
    case 'payment': {
      const inv = pick(
        k.raw
          .prepare(
            "SELECT id, currency FROM invoices WHERE status IN ('unpaid', 'partially_paid') ORDER BY id",
          )
          .all() as { id: string; currency: string }[],
        op.i,
      );
      if (!inv) return;
      const r = await tryCall('payments.record', {
        invoiceId: inv.id,
        amountMinor: op.amount,
        currency: inv.currency,
        method: 'bank_transfer',
        receivedOn: '2026-03-15',
      });
      if (r) created('payments', newest(k, 'payments'));
      return;
    }
    case 'topUp': {
      const o = pick(payers(), op.o);
      if (!o) return;
      if (await tryCall('ledger.topUp', { organizationId: o, amountMinor: op.amount }))
        created('ledger_entries', newest(k, 'ledger_entries'));
      return;
    }
    case 'withdraw': {
      const o = pick(payers(), op.o);
      if (!o) return;
      if (await tryCall('ledger.withdraw', { organizationId: o, amountMinor: op.amount }))
        w.withdrawals.push({ id: newest(k, 'ledger_entries'), device: d });
      return;
    }
    case 'sync':
      await k.ok('sync.now', {});
      return;
    case 'pushOnly': {
      const batch = readOutbox(k.raw, { deviceId: devId(k), schemaVersion: schema(k), limit: op.batch });
      if (!batch) return;
      const answer = await client(k).push(batch.request);
      new Applier(k.raw).acknowledge(batch.request.changes, batch.seqs, answer.results, now(k));
      return;
    }
    case 'pushTwice': {
      // The same changes delivered twice: the same batch again (a lost answer), or in a new batch.
      const batch = readOutbox(k.raw, { deviceId: devId(k), schemaVersion: schema(k), limit: 20 });
      if (!batch) return;
      const c = client(k);
      await c.push(batch.request);
      const again = await c.push(
        op.sameBatchId ? batch.request : { ...batch.request, batchId: crypto.randomUUID() },
      );
      new Applier(k.raw).acknowledge(batch.request.changes, batch.seqs, again.results, now(k));
      return;
    }
    case 'pullPages': {
      let cursor = readSyncState(k.raw).cursor;
      for (let p = 0; p < op.pages; p++) {
        const page = await safePull(k, cursor, op.limit);
        if (!page) return;
        applyPages(k, [page.changes], page.cursor);
        cursor = page.cursor;
        if (!page.hasMore) return;
      }
      return;
    }
    case 'pullAgain': {
      // A page applied twice, and an older page again: both are duplicates.
      const cursor = readSyncState(k.raw).cursor;
      const older = await safePull(k, Math.max(0, cursor - op.limit), op.limit);
      const page = await safePull(k, cursor, op.limit);
      if (!older || !page) return;
      applyPages(k, [page.changes, page.changes, older.changes], page.cursor);
      return;
    }
    case 'pullReordered': {
      // Two pages applied newest first, in one go, then the cursor moves past both.
      const cursor = readSyncState(k.raw).cursor;
      const one = await safePull(k, cursor, op.limit);
      if (!one) return;
      const two = await safePull(k, one.cursor, op.limit);
      if (!two) return;
      applyPages(k, [two.changes, one.changes], two.cursor);
      return;
    }
  }
}

const devId = (k: TestKontor) => k.kontor.ctx().deviceId;
const schema = (k: TestKontor) => k.raw.pragma('user_version', { simple: true }) as number;
const now = (k: TestKontor) => k.clock.now().toISOString();
const newest = (k: TestKontor, table: string) =>
  k.raw.prepare(`SELECT id FROM ${table} ORDER BY rowid DESC LIMIT 1`).pluck().get() as string;

function client(k: TestKontor): HubClient {
  const state = readSyncState(k.raw);
  return new HubClient({ url: state.hubUrl as string, token: state.token });
}

/** A pull page, or null when the device must first take a snapshot (the engine's job). */
async function safePull(k: TestKontor, cursor: number, limit: number) {
  if (readSyncState(k.raw).needsSnapshot) return null;
  const page = await client(k).pull(cursor, limit);
  return page.scopeChanged ? null : page;
}

function applyPages(k: TestKontor, pages: PulledChange[][], cursor: number): void {
  const applier = new Applier(k.raw);
  k.raw.transaction(() => {
    for (const p of pages) applier.applyPage(p, now(k));
    if (cursor > readSyncState(k.raw).cursor) writeSyncState(k.raw, { cursor });
  })();
  // As the engine does: later local writes sort after what was received.
  const newestHlc = applier.newestRemoteHlc;
  if (newestHlc) k.kontor.ctx().hlc.observeOwn(`${newestHlc.split(':').slice(0, 2).join(':')}:${devId(k)}`);
}

function differs(a: StoreContent, b: StoreContent): string | null {
  for (const table of Object.keys(a)) {
    const x = JSON.stringify(a[table]);
    const y = JSON.stringify(b[table]);
    if (x === y) continue;
    // Only the rows that differ: whole tables hide the one field that matters.
    const there = new Set((b[table] ?? []).map((r) => JSON.stringify(r)));
    const here = new Set((a[table] ?? []).map((r) => JSON.stringify(r)));
    const onlyHere = [...here].filter((r) => !there.has(r));
    const onlyThere = [...there].filter((r) => !here.has(r));
    return `${table}: ${onlyHere.join('\n').slice(0, 1200)}\n  vs the hub's\n${onlyThere.join('\n').slice(0, 1200)}`;
  }
  return null;
}

async function checkProperties(
  devices: TestKontor[],
  cast: Cast[],
  w: Written,
  enroll: (user?: string) => Promise<TestKontor>,
) {
  // The hub filtered to each user's scope, as a new device of that user receives it.
  const views = new Map<string, TestKontor>();
  try {
    for (const c of cast) {
      if (views.has(c.user)) continue;
      const v = await enroll(c.user);
      views.set(c.user, v);
      await v.ok('sync.now', {});
    }
    const viewOf = (device: number) => views.get(cast[device]!.user)!;
    const fresh = viewOf(0);
    const contents = new Map([...views].map(([u, v]) => [u, storeContent(v.raw)]));
    for (const [i, k] of devices.entries()) {
      const hubView = contents.get(cast[i]!.user)!;
      const partner = cast[i]!.partner;
      if (partner) {
        // The test's own reading of the partner's scope: nothing outside it arrived.
        const ownOrgs = w.created
          .filter((c) => c.table === 'organizations' && cast[c.device]!.user === cast[i]!.user)
          .map((c) => c.id);
        const outside = outOfScope(k, partner, ownOrgs);
        if (outside.length) {
          // With what the device was told about those rows, and whether its own user's hub view has them.
          const rowIds = outside.map((o) => o.split(' ')[1]);
          const told = k.raw
            .prepare(
              `SELECT table_name, row_id, column_name, reason FROM sync_rejections WHERE row_id IN (${rowIds.map(() => '?').join(', ')})`,
            )
            .all(...rowIds);
          throw new Error(
            `${partner.access} partner device ${i} holds rows outside its scope: ${outside}; refused: ${JSON.stringify(told).slice(0, 800)}`,
          );
        }
      }
      const pending = k.raw.prepare('SELECT count(*) FROM change_log WHERE hub_seq IS NULL').pluck().get();
      if (pending !== 0) throw new Error(`device ${i}: ${pending} changes still in the outbox`);
      // Nothing the hub shows a user waits on its device once all is synced: a row that waits
      // for a parent outside the user's scope waits forever (and its own user's view with it).
      for (const [who, store] of [
        [`device ${i}`, k],
        [`the hub view of device ${i}`, viewOf(i)],
      ] as const) {
        const waiting = store.raw
          .prepare('SELECT table_name, row_id, column_name, reason FROM sync_deferred')
          .all();
        if (waiting.length)
          throw new Error(
            `${who} (${cast[i]!.partner?.access ?? 'firm'}): waiting ${JSON.stringify(waiting).slice(0, 800)}`,
          );
      }
      const diff = differs(storeContent(k.raw), hubView);
      if (diff) {
        const deferred = viewOf(i)
          .raw.prepare('SELECT table_name, row_id, column_name, reason FROM sync_deferred')
          .all();
        const refused = k.raw
          .prepare('SELECT table_name, row_id, column_name, reason FROM sync_rejections')
          .all();
        throw new Error(
          `device ${i} differs from the hub:\n${diff}\nnew device deferred: ${JSON.stringify(deferred).slice(0, 800)}\ndevice refused: ${JSON.stringify(refused).slice(0, 800)}`,
        );
      }
      // Replays change nothing: another round applies and pushes nothing.
      const again = await k.ok('sync.now', {});
      if (again.applied !== 0 || again.pushed !== 0)
        throw new Error(`device ${i}: a replayed round applied ${again.applied}, pushed ${again.pushed}`);
    }
    // No lost writes: every row a device created is in its user's view (deleted rows keep their row).
    // The hub holds it when some user's view does: a partner's write on the client's money is
    // kept by the hub yet shown to the client's side only (ledger entries go to members).
    const held = (table: string, id: string) =>
      [...views.values()].some(
        (v) => v.raw.prepare(`SELECT count(*) FROM ${table} WHERE id = ?`).pluck().get(id) === 1,
      )
        ? 1
        : 0;
    for (const c of w.created) {
      const there = held(c.table, c.id);
      const refused = devices[c.device]!.raw.prepare('SELECT count(*) FROM sync_rejections WHERE row_id = ?')
        .pluck()
        .get(c.id);
      if (there !== 1 && refused === 0)
        throw new Error(`lost: ${c.table} ${c.id} written by device ${c.device}`);
    }
    // A withdrawal is on every device, or refused by the hub and shown on its device — below
    // zero, or not this user's to make (withdrawals are the firm's: a partner's device that
    // acts as its book's keeper writes one, the hub refuses it) — and then gone from it.
    for (const wd of w.withdrawals) {
      const there = held('ledger_entries', wd.id);
      const k = devices[wd.device]!;
      const told = k.raw.prepare('SELECT reason FROM sync_rejections WHERE row_id = ?').pluck().all(wd.id);
      const kept = k.raw.prepare('SELECT count(*) FROM ledger_entries WHERE id = ?').pluck().get(wd.id);
      if (there !== 1 && told.length === 0) {
        const log = k.raw.prepare('SELECT * FROM change_log WHERE row_id = ?').all(wd.id);
        throw new Error(
          `withdrawal ${wd.id} by device ${wd.device} (${cast[wd.device]!.partner?.access ?? 'firm'}) neither synced nor refused: on the device ${kept}, log ${JSON.stringify(log)}`,
        );
      }
      if (there === 1 && told.length !== 0)
        throw new Error(`withdrawal ${wd.id} refused (${told}) yet applied`);
      if (there !== 1 && kept !== 0)
        throw new Error(`withdrawal ${wd.id} refused (${told}) yet kept on its device`);
      if (told.length !== 0 && !cast[wd.device]!.partner && !told.includes('ledger_below_zero'))
        throw new Error(`the firm's withdrawal ${wd.id} refused for ${told}`);
    }
    // Balances never below zero, on every user's view: per organization and currency.
    for (const v of views.values()) {
      const negative = v.raw
        .prepare(
          'SELECT organization_id, currency, sum(amount_minor) AS s FROM ledger_entries GROUP BY organization_id, currency HAVING s < 0',
        )
        .all();
      if (negative.length) throw new Error(`negative balances: ${JSON.stringify(negative)}`);
    }
    // Numbers unique; every number of every series is a document or a documented void.
    const numbers = ids(fresh, 'SELECT number FROM invoices WHERE number IS NOT NULL');
    if (new Set(numbers).size !== numbers.length) throw new Error(`duplicate invoice numbers: ${numbers}`);
    for (const k of [...views.values(), ...devices]) {
      const report = await k.ok('invoices.series', {});
      const holes = report.filter((r) => r.missing.length > 0);
      if (holes.length)
        throw new Error(`series with numbers neither issued nor void: ${JSON.stringify(holes)}`);
    }
    // Derived values are their sources on every device: totals the lines, paid the payments.
    for (const [i, k] of [fresh, ...devices].entries()) {
      const bad = k.raw
        .prepare(
          `SELECT i.id, i.gross_minor, i.paid_minor FROM invoices i
           WHERE i.gross_minor <> (SELECT coalesce(sum(gross_minor), 0) FROM invoice_lines WHERE invoice_id = i.id)
              OR (i.kind = 'invoice' AND i.paid_minor <>
                  (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = i.id AND outcome = 'applied')
                  - (SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries
                     WHERE invoice_id = i.id AND kind = 'deposit' AND note = 'overpaid_at_sync'))`,
        )
        .all();
      if (bad.length)
        throw new Error(`device ${i - 1}: derived values that are not their sources: ${JSON.stringify(bad)}`);
      const balances = k.raw
        .prepare(
          `SELECT b.organization_id, b.currency, b.balance_minor,
                  (SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries e
                   WHERE e.organization_id = b.organization_id AND e.currency = b.currency) AS ledger
           FROM prepaid_balances b WHERE b.balance_minor <> ledger OR b.balance_minor < 0`,
        )
        .all();
      if (balances.length)
        throw new Error(`device ${i - 1}: balances off their ledgers: ${JSON.stringify(balances)}`);
    }
    // An issued document is exactly its issuer's; a lost issue is a void its device was told of.
    for (const was of w.issued) {
      const view = viewOf(was.device);
      const row = view.raw.prepare('SELECT number, gross_minor FROM invoices WHERE id = ?').get(was.id) as
        | { number: string; gross_minor: unknown }
        | undefined;
      if (row && row.number === was.number) {
        if (row.gross_minor !== was.gross)
          throw new Error(
            `issued invoice ${was.id} changed: ${JSON.stringify(was)} → ${JSON.stringify(row)}`,
          );
        continue;
      }
      const voided = view.raw
        .prepare('SELECT count(*) FROM invoice_voids WHERE number = ?')
        .pluck()
        .get(was.number);
      const told = devices[was.device]!.raw.prepare(
        "SELECT count(*) FROM sync_rejections WHERE row_id = ? AND reason = 'invoice_issue_lost'",
      )
        .pluck()
        .get(was.id);
      if (voided !== 1 || told === 0)
        throw new Error(
          `issue ${was.number} of ${was.id} by device ${was.device} lost without a void (${voided}) or a refusal (${told}); the invoice is ${JSON.stringify(row)}`,
        );
    }
  } finally {
    for (const v of views.values()) v.close();
  }
}
