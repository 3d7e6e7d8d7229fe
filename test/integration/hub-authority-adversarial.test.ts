// The adversarial suite (issue 10): hostile devices enrolled with real codes as every actor of
// the authority table push hand-made changes — the attacks found by hand, then the same
// attack on every table and field the table forbids each of them, generated from the table
// itself (a new column is probed without editing this file). Each is refused with its reason,
// the hub's whole state is byte-identical before and after, and a firm's real device that
// syncs afterwards holds none of it. On the embedded store and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS as ACTOR_CLASSES, type Actor } from '#common/authority/actors';
import { AUTHORITY, can, invalidValue } from '#common/authority/table';
import type { SnapshotRow, WireChange } from '#common/sync/protocol';
import { formatHlc } from '#db/sync/hlc';
import { ACTORS, type ActorName, type Book, buildBook, hubDigest, ORGS } from '../helpers/hostile';
import {
  adminApi,
  type HubEngine,
  HubHttpError,
  type TestDevice,
  TestDevice as Device,
  startTestHub,
  type TestHub,
} from '../helpers/hub';
import { draftInvoice, ledger, organization, partnership } from '../helpers/hub-fixtures';

const decode = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/** The test's own reading of who an actor is on a row (DOMAIN.md), from the rows it sees. */
function classesOn(
  name: ActorName,
  table: string,
  f: Record<string, unknown>,
  seen: Map<string, SnapshotRow>,
): (Actor | null)[] {
  if (name === 'firmAccountant') return ['firm_accountant'];
  const roles = ACTORS[name].roles;
  const on = (org: unknown) => (typeof org === 'string' ? ((roles[org] as Actor | undefined) ?? null) : null);
  const field = (t: string, id: unknown, col: string) => {
    const row = typeof id === 'string' ? seen.get(`${t}/${id}`) : undefined;
    return row ? decode(row.fields[col]?.[0] ?? null) : null;
  };
  const owner = AUTHORITY[table]!.owner;
  if ('global' in owner) return [null];
  if ('self' in owner) return [on(f.id)];
  if ('person' in owner)
    return [...seen.values()]
      .filter((r) => r.table === 'memberships' && decode(r.fields.person_id?.[0] ?? null) === f.id)
      .map((r) => on(decode(r.fields.organization_id?.[0] ?? null)));
  if (table === 'partnerships') {
    const client = on(f.client_organization_id);
    if (client && !client.startsWith('partner_')) return [client];
    if (on(f.partner_organization_id) !== 'legal_representative') return [null];
    return [
      f.access === 'limited'
        ? 'partner_limited'
        : f.payment === 'partner'
          ? 'partner_complete_partner_pays'
          : 'partner_complete_client_pays',
    ];
  }
  if ('via' in owner) {
    const col = owner.via === 'partnerships' ? 'client_organization_id' : 'organization_id';
    return [on(field(owner.via, f[owner.column], col))];
  }
  return [on(f[owner.column])];
}

/** A valid value of this column other than the current one, or undefined when none is found. */
function otherValue(table: string, column: string, current: unknown, pool: unknown[]): unknown {
  const candidates: unknown[] = [...pool];
  if (typeof current === 'boolean') candidates.push(!current);
  if (typeof current === 'number') candidates.push(current + 1, current - 1, 2, 1);
  if (typeof current === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(current)) candidates.push('2027-03-04');
    if (/^\d{4}-\d{2}-\d{2}T/.test(current)) candidates.push('2027-03-04T05:06:07.000Z');
    candidates.push(
      `${current}x`,
      'CH',
      'EUR',
      'complete',
      'limited',
      'partner',
      'client',
      'ended',
      'active',
      'annual',
      'member',
      ORGS.other,
      'other-a',
    );
  }
  if (current === null)
    candidates.push('Changed', 1, true, '2027-03-04', '2027-03-04T05:06:07.000Z', ORGS.other, '#112233');
  return candidates.find(
    (v) => JSON.stringify(v) !== JSON.stringify(current) && invalidValue(table, column, v) === null,
  );
}

interface Attempt {
  what: string;
  changes: WireChange[];
  /** Acceptable reasons: the authority's, or out_of_scope for a row seen but not writable. */
  reasons: string[];
}

/** Every forbidden insert, update and tombstone of every row this actor sees, from the table. */
function generatedAttacks(name: ActorName, device: TestDevice, rows: SnapshotRow[]): Attempt[] {
  const seen = new Map(rows.map((r) => [`${r.table}/${r.rowId}`, r]));
  const out: Attempt[] = [];
  for (const row of rows) {
    const rule = AUTHORITY[row.table];
    if (!rule || row.table === 'payments' || row.table === 'ledger_entries' || row.table === 'invoice_voids')
      continue;
    const f: Record<string, unknown> = { id: row.rowId };
    for (const [c, [v]] of Object.entries(row.fields)) f[c] = decode(v);
    const classes = classesOn(name, row.table, f, seen);
    const allowed = (check: (a: Actor | null) => boolean) => classes.some(check);
    for (const [column, fr] of Object.entries(rule.fields)) {
      if (['id', 'updated_at', 'deleted_at', 'lines'].includes(column)) continue;
      if (fr.update !== 'never' && allowed((a) => can(a, row.table, 'update', column))) continue;
      if (rule.payer?.fields.includes(column)) continue;
      const pool = rows
        .filter((r) => r.table === row.table)
        .map((r) => decode(r.fields[column]?.[0] ?? null));
      const value = otherValue(row.table, column, f[column] ?? null, pool);
      if (value === undefined) continue;
      out.push({
        what: `${name} updates ${row.table}.${column} of ${row.rowId}`,
        changes: [
          { table: row.table, rowId: row.rowId, column, value: JSON.stringify(value), hlc: device.hlc() },
        ],
        reasons: [
          fr.update === 'never' ? 'field_fixed' : 'not_allowed',
          'out_of_scope',
          'invoice_issued_immutable',
        ],
      });
    }
    if (!allowed((a) => can(a, row.table, 'tombstone')) && f.deleted_at == null)
      out.push({
        what: `${name} tombstones ${row.table} ${row.rowId}`,
        changes: [
          {
            table: row.table,
            rowId: row.rowId,
            column: 'deleted_at',
            value: JSON.stringify('2027-01-01T00:00:00.000Z'),
            hlc: device.hlc(),
          },
        ],
        reasons: ['not_allowed', 'out_of_scope', 'invoice_issued_immutable'],
      });
    if (!allowed((a) => can(a, row.table, 'insert'))) {
      const hlc = device.hlc();
      const copyId = `${row.rowId}-copy-${name}`;
      out.push({
        what: `${name} inserts a copy of ${row.table} ${row.rowId}`,
        changes: Object.entries(row.fields).map(([column, [value]]) => ({
          table: row.table,
          rowId: copyId,
          column,
          value,
          hlc,
        })),
        reasons: ['not_allowed', 'out_of_scope'],
      });
    }
  }
  return out;
}

describe.each<HubEngine>(['sqlite', 'postgres'])('the hub on %s refuses what no actor may do', (engine) => {
  let hub: TestHub;
  let book: Book;
  beforeAll(async () => {
    hub = await startTestHub(engine);
    book = await buildBook(hub.url);
  }, 120_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  /** Pushes one attack: refused with one of its reasons, and the hub's state unchanged. */
  async function refused(device: TestDevice, changes: WireChange[], reasons: string[], what = '') {
    const before = await hubDigest(hub.store);
    const r = await device.push(changes);
    for (const x of r.results) {
      expect(x.outcome, what).toBe('rejected');
      expect(reasons, `${what}: ${x.reason} ${JSON.stringify(x.detail)}`).toContain(x.reason);
    }
    expect(await hubDigest(hub.store), what).toBe(before);
    return r.results[0]!;
  }

  it('refuses access escalation by moving a partnership onto another client', async () => {
    const { partnerCompleteClientPays: q, partnerLimited: l, clientMember: m } = book.devices;
    // A complete partner repoints its partnership at another organization.
    await refused(q, q.row('partnerships', 'ps-q', { client_organization_id: ORGS.other }), ['field_fixed']);
    // A limited partner creates a shell organization and an active complete partnership with
    // it (its own business), then repoints the client to the one it only had limited access to.
    const setup = await l.push([
      ...organization(l, 'org-shell'),
      ...partnership(l, 'ps-shell', ORGS.pl, 'org-shell', 'complete', 'client'),
    ]);
    expect(setup.results.every((x) => x.outcome === 'applied')).toBe(true);
    // Its creator is the shell's legal representative (the generated probes below know it).
    ACTORS.partnerLimited.roles['org-shell'] = 'legal_representative';
    await refused(l, l.row('partnerships', 'ps-shell', { client_organization_id: ORGS.c1 }), ['field_fixed']);
    await refused(l, l.row('partnerships', 'ps-l', { access: 'complete' }), ['not_allowed']);
    // A plain member of a client does the same against another client.
    await refused(m, m.row('partnerships', 'ps-l', { client_organization_id: ORGS.c2 }), ['field_fixed']);
    await refused(m, m.row('partnerships', 'ps-l', { access: 'complete' }), ['not_allowed']);
  });

  it('refuses money that the firm did not book', async () => {
    const {
      partnerLimited: l,
      partnerCompletePartnerPays: r,
      clientMember: m,
      clientAccountant: acc,
    } = book.devices;
    // A partner tops itself up with CHF 1,000,000.
    await refused(l, [ledger(l, 'le-mint', ORGS.pl, 100_000_000)], ['not_allowed']);
    // A debit of a client's prepaid account pointed at an invoice the partner issued itself.
    const debit = { ...ledger(l, 'le-steal', ORGS.c1, -5_000) };
    const row = JSON.parse(debit.value!);
    debit.value = JSON.stringify({
      ...row,
      kind: 'invoice_payment',
      invoice_id: book.invoices.issuedByPartner,
    });
    await refused(l, [debit], ['not_allowed']);
    // A client member marks its own invoice paid with no payment; its accountant neither.
    await refused(m, m.row('invoices', 'inv-c1', { paid_minor: 10810, status: 'paid' }), ['not_allowed']);
    await refused(acc, acc.row('invoices', 'inv-c1', { paid_minor: 10810, status: 'paid' }), ['not_allowed']);
    // A partner adds a payment to another client's invoice, in its own name or the client's.
    const pay = (org: string, id: string) =>
      r.money('payments', id, {
        created_at: '2026-01-05T10:00:00.000Z',
        organization_id: org,
        invoice_id: 'inv-c1',
        method: 'card',
        amount_minor: 10810,
        currency: 'CHF',
        received_on: '2026-01-05',
        reference: null,
        outcome: 'applied',
        deposit_reason: null,
      });
    await refused(r, [pay(ORGS.pr, 'pay-own-name')], ['payment_not_own_invoice']);
    await refused(r, [pay(ORGS.c1, 'pay-client-name')], ['out_of_scope']);
  });

  it('refuses forged documents: issuer, series, numbers, drafts', async () => {
    const { partnerCompleteClientPays: q, clientMember: m, partnerLimited: l } = book.devices;
    // A credit note of CHF −10,000 with the firm as issuer.
    const cn = draftInvoice(q, 'cn-forged', ORGS.pq, ORGS.firm).map((c) =>
      c.column === 'kind'
        ? { ...c, value: JSON.stringify('credit_note') }
        : c.column === 'gross_minor'
          ? { ...c, value: '-1000000' }
          : c,
    );
    await refused(q, cn, ['not_allowed']);
    // A client member rewrites the firm's draft; a partner moves its draft onto another organization.
    await refused(m, m.row('invoices', 'draft-c1', { notes: 'rewritten' }), ['not_allowed']);
    await refused(l, l.row('invoices', 'draft-pl', { organization_id: ORGS.c1 }), ['field_fixed']);
    // A device whose id starts with the firm's series code issues in the firm's series.
    const admin = adminApi(hub.url);
    await admin.createUser('prefix-forger', { firmRole: 'accountant' });
    await admin.link('prefix-forger', ORGS.firm);
    const forger = new Device(hub.url);
    Object.assign(forger, { id: `${book.firm.seriesCode.toLowerCase()}${'0'.repeat(10)}` });
    await forger.enroll((await admin.enrollCode('prefix-forger')).code);
    expect(forger.seriesCode).not.toBe(book.firm.seriesCode);
    await forger.push(draftInvoice(forger, 'inv-forged', ORGS.c1, ORGS.firm));
    const series = `INV-2026-${book.firm.seriesCode}`;
    await refused(
      forger,
      forger.row('invoices', 'inv-forged', {
        status: 'unpaid',
        series,
        sequence: 1,
        number: `${series}-000001`,
      }),
      ['invoice_series_foreign'],
    );
    // The firm's number text in the device's own series; a sequence number used twice.
    const own = `INV-2026-${forger.seriesCode}`;
    await refused(
      forger,
      forger.row('invoices', 'inv-forged', {
        status: 'unpaid',
        series: own,
        sequence: 1,
        number: `${series}-000001`,
      }),
      ['invoice_number_mismatch'],
    );
    const first = await forger.push(
      forger.row('invoices', 'inv-forged', {
        status: 'unpaid',
        series: own,
        sequence: 1,
        number: `${own}-000001`,
      }),
    );
    expect(first.results.every((x) => x.outcome === 'applied')).toBe(true);
    await forger.push(draftInvoice(forger, 'inv-forged-2', ORGS.c1, ORGS.firm));
    await refused(
      forger,
      forger.row('invoices', 'inv-forged-2', {
        status: 'unpaid',
        series: own,
        sequence: 1,
        number: `${own}-000001`,
      }),
      ['invoice_number_reused'],
    );
  });

  it('refuses prices, tiers and discounts from anyone but the firm, and out-of-range ones from the firm', async () => {
    const { partnerLimited: l, firmAccountant: fc } = book.devices;
    await refused(l, l.row('price_book', 'pb-web-chf', { public_price_minor: 1 }), [
      'not_allowed',
      'out_of_scope',
    ]);
    await refused(l, l.row('partner_rates', 'rate-pl-web', { discount_bp: 3500 }), [
      'not_allowed',
      'out_of_scope',
    ]);
    await refused(l, l.row('degressive_tiers', 'tier-web-10', { rate_bp: 10_000 }), ['value_invalid']);
    await refused(l, l.row('degressive_tiers', 'tier-web-10', { rate_bp: 20_000 }), ['value_invalid']);
    await refused(fc, fc.row('partner_rates', 'rate-pl-web', { discount_bp: 9_000 }), ['value_invalid']);
    // Prices are the firm administrator's, not its accountant's.
    await refused(fc, fc.row('price_book', 'pb-web-chf', { public_price_minor: 1 }), ['not_allowed']);
  });

  it('refuses moving rows between organizations, and forgets a partner the client took an allocation back from', async () => {
    const { partnerLimited: l, clientLegal: lr } = book.devices;
    await refused(l, l.row('products', 'c1-a', { organization_id: ORGS.pl }), ['not_allowed']);
    const back = await lr.push(
      lr.row('partnership_products', 'ps-l:c1-a', { deleted_at: '2026-02-01T00:00:00.000Z' }),
    );
    expect(back.results.every((x) => x.outcome === 'applied')).toBe(true);
    await refused(l, l.row('products', 'c1-a', { name: 'still mine' }), ['out_of_scope']);
  });

  it('refuses forged clocks, unknown columns, ill-typed, nested and invisible values, and gives no existence oracle', async () => {
    const { partnerLimited: l, firmAccountant: fc } = book.devices;
    const foreign = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: book.firm.id });
    await refused(
      l,
      [{ table: 'organizations', rowId: ORGS.pl, column: 'name', value: '"x"', hlc: foreign }],
      ['hlc_foreign_device'],
    );
    await refused(fc, fc.row('organizations', ORGS.c1, { nickname: 'x' }), ['unknown_column']);
    await refused(fc, fc.row('products', 'c1-b', { public_price_minor: 'abc' }), ['value_invalid']);
    await refused(
      fc,
      [
        {
          table: 'organizations',
          rowId: ORGS.c1,
          column: 'name',
          value: JSON.stringify({ a: 1 }),
          hlc: fc.hlc(),
        },
      ],
      ['value_invalid'],
    );
    // Nested deeper than any stack: refused, never a 500 (as a value, and inside a whole row).
    const deep = `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`;
    await refused(
      fc,
      [{ table: 'invoices', rowId: 'draft-c1', column: 'lines', value: deep, hlc: fc.hlc() }],
      ['malformed_value'],
    );
    const deepRow = `{"lines":${deep},"notes":"x"}`;
    await refused(
      fc,
      [{ table: 'invoices', rowId: 'draft-c1', column: '*', value: deepRow, hlc: fc.hlc() }],
      ['malformed_value'],
    );
    const deepMoney = `{"organization_id":"${ORGS.c1}","note":${deep}}`;
    await refused(
      fc,
      [{ table: 'ledger_entries', rowId: 'le-deep', column: '*', value: deepMoney, hlc: fc.hlc() }],
      ['malformed_value'],
    );
    for (const bad of ['Evil\u0000Corp', 'Evil\u001bCorp', 'Evil\u202eCorp', 'Evil\u200bCorp'])
      await refused(fc, fc.row('organizations', ORGS.c1, { name: bad }), ['value_invalid']);
    // An existing row out of scope and a random id answer alike.
    const existing = await refused(l, l.row('organizations', ORGS.other, { name: 'probe' }), [
      'out_of_scope',
    ]);
    const missing = await refused(l, l.row('organizations', 'org-never-was', { name: 'probe' }), [
      'out_of_scope',
    ]);
    expect({ ...existing, detail: { ...existing.detail, rowId: null } }).toEqual({
      ...missing,
      detail: { ...missing.detail, rowId: null },
    });
    // 50 MB in one batch.
    const big = 'x'.repeat(200_000);
    const huge = Array.from({ length: 260 }, (_, i) => ({
      table: 'organizations',
      rowId: `org-big-${i}`,
      column: 'name',
      value: JSON.stringify(big),
      hlc: fc.hlc(),
    }));
    const error = await fc.push(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubHttpError);
    expect((error as HubHttpError).status).toBe(413);
  });

  it('refuses every forbidden insert, update and tombstone of the authority table, for every actor', async () => {
    let authoritative = 0;
    for (const name of Object.keys(ACTORS) as ActorName[]) {
      const device = book.devices[name];
      const { rows } = await device.snapshot();
      const attacks = generatedAttacks(name, device, rows);
      expect(attacks.length, name).toBeGreaterThan(0);
      const before = await hubDigest(hub.store);
      const r = await device.push(attacks.flatMap((a) => a.changes));
      let i = 0;
      for (const a of attacks)
        for (const _ of a.changes) {
          const x = r.results[i++]!;
          expect(x.outcome, a.what).toBe('rejected');
          expect(a.reasons, `${a.what}: ${x.reason}`).toContain(x.reason);
          if (x.reason === a.reasons[0]) authoritative++;
        }
      expect(await hubDigest(hub.store), name).toBe(before);
    }
    // Most refusals come from the authority table itself, not only from scope.
    expect(authoritative).toBeGreaterThan(100);
    void ACTOR_CLASSES;
  }, 120_000);

  it('counts every refusal by reason in /metrics and throttles enrollment guesses', async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    for (const reason of ['not_allowed', 'field_fixed', 'value_invalid', 'out_of_scope', 'payload_too_large'])
      expect(text).toContain(`kontor_hub_refusals_total{reason="${reason}"}`);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${hub.url}/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: `GUESS-${String(i).padStart(4, '0')}-XXXX`, deviceId: `guesser-${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 403)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // A code's validity is checked: an expired-on-creation code is refused.
    await expect(adminApi(hub.url).enrollCode('firmAccountant', -60)).rejects.toMatchObject({ status: 400 });
  });
});
