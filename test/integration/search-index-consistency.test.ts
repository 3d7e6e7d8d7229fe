// The search index (migration 0013) is derived data kept by triggers: whatever writes a row
// — the router, a bulk import, another device's changes applied by sync, a purge — the
// index must say exactly what the tables say, in the same transaction. A property test
// drives random writes through the router and compares; the sync and bulk paths get their
// own cases; and the triggers must all still exist after every committed migration (a
// drizzle-kit table rebuild drops a table's triggers with it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawDb } from '#db/open';
import { insertInvoicesBulk } from '#core/services/invoices/bulk';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { applyPulled, drainOutbox } from '../helpers/sync';
import type { SnapshotRow } from '#common/sync/protocol';
import { Applier } from '#db/sync/apply';
import { withoutInsertTriggers } from '#db/derived-inserts';

const space = useTempSpace('kontor-search-index-');

const KINDS = [
  { kind: 'organization', table: 'organizations', fts: 'search_organizations' },
  { kind: 'person', table: 'people', fts: 'search_people' },
  { kind: 'product', table: 'products', fts: 'search_products' },
  { kind: 'invoice', table: 'invoices', fts: 'search_invoices' },
] as const;

/** The index holds one entry per live row of each kind, and nothing else; FTS5 agrees with itself. */
function expectIndexMatchesTables(raw: RawDb): void {
  // Indexed in the same transaction as the write: nothing noted is left over after a commit.
  expect(raw.prepare('SELECT kind, ref_id FROM search_pending').all(), 'rows noted but not indexed').toEqual([]);
  for (const { kind, table, fts } of KINDS) {
    const live = raw.prepare(`SELECT id FROM ${table} WHERE deleted_at IS NULL ORDER BY id`).pluck().all();
    const docs = raw.prepare('SELECT ref_id FROM search_docs WHERE kind = ? ORDER BY ref_id').pluck().all(kind);
    expect(docs, `${kind}: one index entry per live row`).toEqual(live);
    const rowids = raw.prepare(`SELECT rowid FROM ${fts} ORDER BY rowid`).pluck().all();
    const docIds = raw.prepare('SELECT doc_id FROM search_docs WHERE kind = ? ORDER BY doc_id').pluck().all(kind);
    expect(rowids, `${kind}: FTS rows are the index entries`).toEqual(docIds);
    raw.prepare(`INSERT INTO ${fts} (${fts}) VALUES ('integrity-check')`).run();
  }
}

const WORDS = ['Käserei', 'Éditions', 'Zoë', 'Ångström', 'Lefèvre', 'Müller', 'Nicolò', 'Œuvre', 'Kontor', 'Brasserie'];
const unaccented = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

type Op =
  | { op: 'org'; words: string[] }
  | { op: 'renameOrg'; at: number; words: string[] }
  | { op: 'deleteOrg'; at: number }
  | { op: 'address'; at: number; city: string }
  | { op: 'deleteAddress'; at: number }
  | { op: 'person'; words: string[] }
  | { op: 'renamePerson'; at: number; words: string[] }
  | { op: 'product'; at: number; words: string[] }
  | { op: 'deleteProduct'; at: number }
  | { op: 'draft'; at: number; cents: number }
  | { op: 'changeDraft'; at: number; cents: number }
  | { op: 'deleteDraft'; at: number }
  | { op: 'issue'; at: number };

const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 });
const at = fc.nat(20);
const cents = fc.integer({ min: 1, max: 5_000_000 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('org' as const), words }),
  fc.record({ op: fc.constant('renameOrg' as const), at, words }),
  fc.record({ op: fc.constant('deleteOrg' as const), at }),
  fc.record({ op: fc.constant('address' as const), at, city: fc.constantFrom('Zürich', 'Genève', 'Köln', 'Besançon') }),
  fc.record({ op: fc.constant('deleteAddress' as const), at }),
  fc.record({ op: fc.constant('person' as const), words }),
  fc.record({ op: fc.constant('renamePerson' as const), at, words }),
  fc.record({ op: fc.constant('product' as const), at, words }),
  fc.record({ op: fc.constant('deleteProduct' as const), at }),
  fc.record({ op: fc.constant('draft' as const), at, cents }),
  fc.record({ op: fc.constant('changeDraft' as const), at, cents }),
  fc.record({ op: fc.constant('deleteDraft' as const), at }),
  fc.record({ op: fc.constant('issue' as const), at }),
);

interface Entity {
  kind: 'organization' | 'person' | 'product' | 'invoice';
  id: string;
  /** A token only this entity's name carries, so a search for it names one row. */
  tag: string;
  name: string;
  alive: boolean;
  grossMinor?: number;
}

const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

async function runOps(k: TestKontor, ops: Op[]): Promise<Entity[]> {
  const entities: Entity[] = [];
  const live = (kind: Entity['kind']) => entities.filter((e) => e.kind === kind && e.alive);
  const addresses: string[] = [];
  let n = 0;
  const named = (ws: string[]) => {
    const tag = `u${++n}x`;
    return { tag, name: `${ws.join(' ')} ${tag}` };
  };
  for (const o of ops) {
    if (o.op === 'org') {
      const { tag, name } = named(o.words);
      const org = await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' });
      entities.push({ kind: 'organization', id: org.id, tag, name, alive: true });
    } else if (o.op === 'renameOrg' || o.op === 'renamePerson') {
      const e = pick(live(o.op === 'renameOrg' ? 'organization' : 'person'), o.at);
      if (!e) continue;
      e.name = `${o.words.join(' ')} ${e.tag}`;
      if (o.op === 'renameOrg') await k.ok('organizations.update', { id: e.id, name: e.name });
      else await k.ok('people.update', { id: e.id, name: e.name });
    } else if (o.op === 'deleteOrg') {
      const e = pick(live('organization'), o.at);
      if (e && (await k.call('organizations.delete', { id: e.id })).ok) e.alive = false;
    } else if (o.op === 'address') {
      const e = pick(live('organization'), o.at);
      if (!e) continue;
      const a = await k.ok('addresses.create', {
        organizationId: e.id, label: 'Siège', recipient: e.name, line1: 'Rue du Lac 1', postalCode: '8000', city: o.city, country: 'CH',
      });
      addresses.push(a.id);
    } else if (o.op === 'deleteAddress') {
      const id = pick(addresses, o.at);
      if (id && (await k.call('addresses.delete', { id })).ok) addresses.splice(addresses.indexOf(id), 1);
    } else if (o.op === 'person') {
      const { tag, name } = named(o.words);
      const p = await k.ok('people.create', { name, email: `${tag}@example.ch` });
      entities.push({ kind: 'person', id: p.id, tag, name, alive: true });
    } else if (o.op === 'product') {
      const org = pick(live('organization'), o.at);
      if (!org) continue;
      const { tag, name } = named(o.words);
      const p = await k.ok('products.create', {
        organizationId: org.id, kind: 'web_hosting', name, publicPriceMinor: 1000, billingFrequency: 'annual', nextRenewalOn: '2027-01-01',
      });
      entities.push({ kind: 'product', id: p.id, tag, name, alive: true });
    } else if (o.op === 'deleteProduct') {
      const e = pick(live('product'), o.at);
      if (e && (await k.call('products.delete', { id: e.id })).ok) e.alive = false;
    } else if (o.op === 'draft') {
      const org = pick(live('organization'), o.at);
      if (!org) continue;
      const d = await k.ok('invoices.create', { organizationId: org.id, lines: [line(o.cents, { vatRateBp: 0 })] });
      entities.push({ kind: 'invoice', id: d.id, tag: '', name: '', alive: true, grossMinor: d.grossMinor });
    } else if (o.op === 'changeDraft' || o.op === 'deleteDraft' || o.op === 'issue') {
      const e = pick(live('invoice'), o.at);
      if (!e) continue;
      if (o.op === 'changeDraft') {
        const r = await k.call('invoices.updateDraft', { id: e.id, lines: [line(o.cents, { vatRateBp: 0 })] });
        if (r.ok) e.grossMinor = o.cents;
      } else if (o.op === 'deleteDraft') {
        if ((await k.call('invoices.deleteDraft', { id: e.id })).ok) e.alive = false;
      } else {
        await k.call('invoices.issue', { id: e.id });
      }
    }
  }
  return entities;
}

const groupOf = { organization: 'organizations', person: 'people', product: 'products', invoice: 'invoices' } as const;

async function expectSearchFindsLiveRowsOnly(k: TestKontor, entities: Entity[]): Promise<void> {
  for (const e of entities) {
    if (e.kind === 'invoice') continue;
    const byTag = (await k.ok('search.all', { text: e.tag, limit: 50 }))[groupOf[e.kind]].map((r) => r.id);
    expect(byTag, `${e.kind} ${e.name} by its tag`).toEqual(e.alive ? [e.id] : []);
    if (!e.alive) continue;
    const found = await k.ok('search.all', { text: unaccented(e.name).toUpperCase(), limit: 50 });
    expect(found[groupOf[e.kind]].map((r) => r.id), `${e.kind} ${e.name} by its name without accents`).toEqual([e.id]);
  }
  for (const e of entities.filter((x) => x.kind === 'invoice')) {
    const amount = (e.grossMinor! / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, "'");
    const found = (await k.ok('search.all', { text: amount, limit: 50 })).invoices.map((r) => r.id);
    if (e.alive) expect(found, `invoice of ${amount}`).toContain(e.id);
    else expect(found, `deleted invoice of ${amount}`).not.toContain(e.id);
  }
}

describe('the search index says what the tables say', () => {
  it('after any sequence of writes through the router (fast-check, fixed seed)', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
        const k = space.kontor();
        try {
          await setUpProvider(k);
          const entities = await runOps(k, [{ op: 'org', words: ['Käserei'] }, ...ops]);
          expectIndexMatchesTables(k.raw);
          await expectSearchFindsLiveRowsOnly(k, entities);
        } finally {
          k.close();
        }
      }),
      { seed: 20_261_207, numRuns: Number(process.env.KONTOR_SEARCH_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  });

  it('for rows another device wrote, applied by sync: new, changed and deleted', async () => {
    const a = space.kontor();
    const b = space.kontor();
    await setUpProvider(a, { name: 'Fiduciaire Lémanique SA' });
    const payer = await createPayer(a, { name: 'Käserei Gruyère AG', city: 'Bulle' });
    const issued = await issueInvoice(a, payer.id, [line(123_456, { vatRateBp: 0 })]);
    const person = await a.ok('people.create', { name: 'Anaïs Çelik', email: 'anais@example.ch' });
    applyPulled(b, drainOutbox(a));
    expectIndexMatchesTables(b.raw);
    const found = await b.ok('search.all', { text: 'kaserei gruyere' });
    expect(found.organizations.map((o) => o.id)).toEqual([payer.id]);
    expect(found.invoices.map((i) => i.id)).toEqual([issued.id]);
    expect((await b.ok('search.all', { text: "1'234.56" })).invoices.map((i) => i.id)).toEqual([issued.id]);
    expect((await b.ok('search.all', { text: 'bulle' })).organizations.map((o) => o.id)).toEqual([payer.id]);
    expect((await b.ok('search.all', { text: 'anais celik' })).people.map((p) => p.id)).toEqual([person.id]);

    // Changed and deleted on A, applied on B.
    await a.ok('organizations.update', { id: payer.id, name: 'Fromagerie Broye AG' });
    await a.ok('people.update', { id: person.id, name: 'Anaïs Yilmaz' });
    const product = await a.ok('products.create', {
      organizationId: payer.id, kind: 'web_hosting', name: 'Vacherin Hosting', publicPriceMinor: 500, billingFrequency: 'monthly', nextRenewalOn: '2027-01-01',
    });
    applyPulled(b, drainOutbox(a));
    expect((await b.ok('search.all', { text: 'vacherin' })).products.map((p) => p.id)).toEqual([product.id]);
    await a.ok('products.delete', { id: product.id });
    applyPulled(b, drainOutbox(a));
    expectIndexMatchesTables(b.raw);
    expect((await b.ok('search.all', { text: 'kaserei' })).organizations).toEqual([]);
    expect((await b.ok('search.all', { text: 'fromagerie broye' })).organizations.map((o) => o.id)).toEqual([payer.id]);
    expect((await b.ok('search.all', { text: 'celik' })).people).toEqual([]);
    expect((await b.ok('search.all', { text: 'yilmaz' })).people.map((p) => p.id)).toEqual([person.id]);
    expect((await b.ok('search.all', { text: 'vacherin' })).products).toEqual([]);
    // The issued invoice keeps the name it was issued to.
    expect((await b.ok('search.all', { text: 'kaserei' })).invoices.map((i) => i.id)).toEqual([issued.id]);
  });

  it('for rows a first sync applied as a snapshot (insert triggers set aside, rows noted one by one)', async () => {
    const a = space.kontor();
    const b = space.kontor();
    await setUpProvider(a, { name: 'Fiduciaire Lémanique SA' });
    const payer = await createPayer(a, { name: 'Käserei Gruyère AG', city: 'Bulle' });
    const issued = await issueInvoice(a, payer.id, [line(123_456, { vatRateBp: 0 })]);
    const person = await a.ok('people.create', { name: 'Anaïs Çelik', email: 'anais@example.ch' });
    const product = await a.ok('products.create', {
      organizationId: payer.id, kind: 'web_hosting', name: 'Vacherin Hosting', publicPriceMinor: 500, billingFrequency: 'monthly', nextRenewalOn: '2027-01-01',
    });
    // The rows as a hub's snapshot carries them: each field with the HLC of its last write.
    const rows = new Map<string, SnapshotRow>();
    for (const c of drainOutbox(a)) {
      const key = `${c.table}:${c.rowId}`;
      const row = rows.get(key) ?? { table: c.table, rowId: c.rowId, fields: {} };
      if (c.column === '*') continue;
      row.fields[c.column] = [c.value, c.hlc];
      rows.set(key, row);
    }
    const applier = new Applier(b.raw);
    const now = b.clock.now().toISOString();
    // Small slices, several transactions, as the sync engine applies them.
    const all = [...rows.values()].map((r) => JSON.stringify(r));
    for (let at = 0; at < all.length; ) at = applier.applySnapshotSlice(all, at, 1, now, false, 0).next;
    expectIndexMatchesTables(b.raw);
    expect((await b.ok('search.all', { text: 'kaserei bulle' })).organizations.map((o) => o.id)).toEqual([payer.id]);
    expect((await b.ok('search.all', { text: "1'234.56" })).invoices.map((i) => i.id)).toEqual([issued.id]);
    expect((await b.ok('search.all', { text: 'anais' })).people.map((p) => p.id)).toEqual([person.id]);
    expect((await b.ok('search.all', { text: 'vacherin' })).products.map((p) => p.id)).toEqual([product.id]);
    // The insert triggers are back once the slices are done.
    const triggers = b.raw.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_%\\_ai' ESCAPE '\\'").pluck().get();
    expect(triggers).toBe(5);
  });

  it('puts the insert triggers back when a bulk insert fails halfway', async () => {
    const k = space.kontor();
    const raw = k.raw;
    expect(() =>
      raw.transaction(() =>
        withoutInsertTriggers(raw, ['organizations', 'invoices'], () => {
          throw new Error('halfway');
        }),
      )(),
    ).toThrow('halfway');
    raw.transaction(() => {
      try {
        withoutInsertTriggers(raw, ['organizations'], () => {
          throw new Error('caught inside the transaction');
        });
      } catch {}
    })();
    const org = await k.ok('organizations.create', { kind: 'company', name: 'Zoë Ångström SA', country: 'CH', currency: 'CHF' });
    expect((await k.ok('search.all', { text: 'zoe angstrom' })).organizations.map((o) => o.id)).toEqual([org.id]);
    expectIndexMatchesTables(raw);
  });

  it('for rows a bulk import wrote', async () => {
    const k = space.kontor();
    const issuer = await setUpProvider(k);
    const payer = await createPayer(k, { name: 'Boulangerie Lefèvre' });
    insertInvoicesBulk(
      k.kontor.ctx(),
      [1, 2].map((n) => ({
        kind: 'invoice' as const, status: 'unpaid' as const, organizationId: payer.id, productsOrganizationId: payer.id,
        issuerOrganizationId: issuer, billingAddressId: null, currency: 'CHF' as const, locale: 'fr' as const,
        issuedOn: `2025-01-0${n}`, dueOn: null, series: 'OLD', sequence: n, number: `OLD-2025-${n}`, billTo: null, issuer: null,
        reverseCharge: false, paidMinor: 0, referenceType: null, paymentReference: null, notes: null, importRef: `legacy-77${n}`,
        lines: [{ productId: null, description: 'Pain', quantityMilli: 1000, unitPriceMinor: 10_000 * n, discountBp: 0, vatRateBp: 0 }],
      })),
      { action: 'invoice.imported' },
    );
    expectIndexMatchesTables(k.raw);
    const found = await k.ok('search.all', { text: 'lefevre' });
    expect(found.invoices.map((i) => i.number)).toEqual(['OLD-2025-2', 'OLD-2025-1']);
    expect((await k.ok('search.all', { text: '200.00' })).invoices.map((i) => i.number)).toEqual(['OLD-2025-2']);
    expect((await k.ok('search.all', { text: 'legacy-772' })).invoices.map((i) => i.number)).toEqual(['OLD-2025-2']);
  });

  it('keeps every trigger after the committed migrations (a table rebuild drops them silently)', () => {
    const k = space.kontor();
    const triggers = k.raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_%' ESCAPE '\\' ORDER BY name")
      .pluck()
      .all();
    expect(triggers).toEqual(
      [
        ...['organizations', 'people', 'products', 'invoices'].flatMap((t) => [`search_${t}_ad`, `search_${t}_ai`, `search_${t}_au`]),
        'search_addresses_ad', 'search_addresses_ai', 'search_addresses_au',
      ].sort(),
    );
  });
});
