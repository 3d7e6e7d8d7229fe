import { derivedIssuerCode } from '#common/invoice-numbering';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf } from '#db/sync/checksum';
import type { PulledChange, SnapshotRow } from '#common/sync/protocol';
import {
  adminApi,
  enrolledDevice,
  type HubEngine,
  type TestDevice,
  type TestHub,
  startTestHub,
} from '../helpers/hub';
import { allocation, draftInvoice, issue, organization, partnership, product } from '../helpers/hub-fixtures';

// Who sees what (SYNC.md), pull pages, snapshots and checksums, on both stores.
// The firm's device creates everything; partners and clients only pull.

const rowsOfChanges = (changes: PulledChange[]) => new Set(changes.map((c) => `${c.table}:${c.rowId}`));
const rowsOfSnapshot = (rows: SnapshotRow[]) => new Set(rows.map((r) => `${r.table}:${r.rowId}`));

/** A device's store as the changes build it: per field the value of the newest HLC. */
function stateOf(
  changes: { table: string; rowId: string; column: string; value: string | null; hlc: string }[],
) {
  const fields = new Map<
    string,
    { table: string; rowId: string; column: string; value: string | null; hlc: string }
  >();
  for (const c of changes) {
    const k = `${c.table}\u0000${c.rowId}\u0000${c.column}`;
    const cur = fields.get(k);
    if (!cur || cur.hlc < c.hlc)
      fields.set(k, { table: c.table, rowId: c.rowId, column: c.column, value: c.value, hlc: c.hlc });
  }
  return fields;
}

const snapshotChanges = (rows: SnapshotRow[]) =>
  rows.flatMap((r) =>
    Object.entries(r.fields).map(([column, [value, hlc]]) => ({
      table: r.table,
      rowId: r.rowId,
      column,
      value,
      hlc,
    })),
  );

describe.each<HubEngine>(['sqlite', 'postgres'])('hub scope on %s', (engine) => {
  let hub: TestHub;
  let firm: TestDevice;
  const devices: Record<string, TestDevice> = {};

  beforeAll(async () => {
    hub = await startTestHub(engine);
    firm = await enrolledDevice(hub.url, 'firm');
    await firm.push([
      ...['prov', 'p1', 'p2', 'c1', 'c2', 'c3'].flatMap((o) => organization(firm, o)),
      ...['c1-a', 'c2-a', 'c2-b', 'c3-a', 'c3-b'].flatMap((p) => product(firm, p, p.slice(0, 2))),
      ...partnership(firm, 'p1-c1', 'p1', 'c1', 'complete', 'partner'),
      ...partnership(firm, 'p1-c2', 'p1', 'c2', 'limited', null),
      ...partnership(firm, 'p2-c2', 'p2', 'c2', 'complete', 'client'),
      ...partnership(firm, 'p2-c3', 'p2', 'c3', 'limited', null),
      ...allocation(firm, 'p1-c2', 'c2-a'),
      ...allocation(firm, 'p2-c3', 'c3-a'),
      // The partner pays c1's products; the clients pay their own.
      ...draftInvoice(firm, 'inv-c1', 'p1', 'prov', 'c1'),
      ...draftInvoice(firm, 'inv-c2', 'c2', 'prov'),
      ...draftInvoice(firm, 'inv-c3', 'c3', 'prov'),
    ]);
    for (const who of ['p1', 'p2', 'c1', 'c2', 'c3'])
      devices[who] = await enrolledDevice(hub.url, `user-${who}`, [who]);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  // An invoice comes with its issuer's organization row (its name only): without it the
  // invoice would wait on the device for its issuer forever (sync-partner-writes.test.ts).
  const expected: Record<string, string[]> = {
    p1: [
      'organizations:p1',
      'organizations:c1',
      'organizations:c2',
      'products:c1-a',
      'products:c2-a',
      'partnerships:p1-c1',
      'partnerships:p1-c2',
      'partnership_products:p1-c2:c2-a',
      'invoices:inv-c1',
      'organizations:prov',
    ],
    p2: [
      'organizations:p2',
      'organizations:c2',
      'organizations:c3',
      'organizations:p1',
      'products:c2-a',
      'products:c2-b',
      'products:c3-a',
      'partnerships:p1-c2',
      'partnerships:p2-c2',
      'partnerships:p2-c3',
      'partnership_products:p1-c2:c2-a',
      'partnership_products:p2-c3:c3-a',
    ],
    c1: ['organizations:c1', 'organizations:p1', 'products:c1-a', 'partnerships:p1-c1'],
    c2: [
      'organizations:c2',
      'organizations:p1',
      'organizations:p2',
      'products:c2-a',
      'products:c2-b',
      'partnerships:p1-c2',
      'partnerships:p2-c2',
      'partnership_products:p1-c2:c2-a',
      'invoices:inv-c2',
      'organizations:prov',
    ],
    c3: [
      'organizations:c3',
      'organizations:p2',
      'products:c3-a',
      'products:c3-b',
      'partnerships:p2-c3',
      'partnership_products:p2-c3:c3-a',
      'invoices:inv-c3',
      'organizations:prov',
    ],
  };

  it('gives each of two partners and three clients exactly its scope, by pull and by snapshot', async () => {
    for (const [who, rows] of Object.entries(expected)) {
      const d = devices[who]!;
      const pulled = await d.pullAll(0, 7);
      expect(pulled.scopeChanged).toBe(false);
      expect([...rowsOfChanges(pulled.changes)].sort(), who).toEqual([...rows].sort());
      expect([...rowsOfSnapshot((await d.snapshot(3)).rows)].sort(), who).toEqual([...rows].sort());
    }
  });

  it('tells a partner its scope changed when a partnership ends or an allocation grows, and the snapshot drops the rows', async () => {
    const p1 = devices.p1!;
    const { cursor } = await p1.pullAll(0);
    await firm.push([
      { table: 'partnerships', rowId: 'p1-c1', column: 'status', value: '"ended"', hlc: firm.hlc() },
    ]);
    const after = await p1.pull(cursor);
    expect(after.scopeChanged).toBe(true);
    expect(after.changes).toEqual([]);
    const snap = await p1.snapshot();
    const rows = rowsOfSnapshot(snap.rows);
    expect(rows.has('products:c1-a')).toBe(false);
    expect(rows.has('invoices:inv-c1')).toBe(true); // p1 paid it: still its invoice
    // The ended partnership stays the partner's, and it points at the client's organization
    // row: that row stays (its name only), or the partnership would wait on the device forever.
    expect(rows.has('partnerships:p1-c1')).toBe(true);
    expect(rows.has('organizations:c1')).toBe(true);
    expect((await p1.pull(snap.asOf)).scopeChanged).toBe(false);

    // A product allocated later has changes older than the cursor: snapshot again.
    await firm.push(allocation(firm, 'p1-c2', 'c2-b'));
    expect((await p1.pull(snap.asOf)).scopeChanged).toBe(true);
    expect(rowsOfSnapshot((await p1.snapshot()).rows).has('products:c2-b')).toBe(true);

    // An organization the partner creates itself grows its scope without a snapshot.
    const { cursor: c2 } = await p1.pullAll((await p1.snapshot()).asOf);
    const created = await p1.push([...organization(p1, 'p1-new'), ...product(p1, 'p1-new-a', 'p1-new')]);
    expect(created.results.every((r) => r.outcome === 'applied')).toBe(true);
    expect((await p1.pull(c2)).scopeChanged).toBe(false);
  });

  it('pages a pull without losing or repeating a change, and snapshot + tail equals a pull from zero', async () => {
    const reader = await enrolledDevice(hub.url, 'firm');
    await firm.push(Array.from({ length: 40 }, (_, i) => product(firm, `bulk-${i}`, 'c3')).flat());
    const whole = await reader.pullAll(0, 10_000);
    const paged = await reader.pullAll(0, 7);
    expect(paged.changes.map((c) => c.seq)).toEqual(whole.changes.map((c) => c.seq));
    expect(new Set(whole.changes.map((c) => c.seq)).size).toBe(whole.changes.length);
    expect(paged.cursor).toBe(whole.cursor);

    const snap = await reader.snapshot(5);
    await firm.push([
      { table: 'products', rowId: 'bulk-3', column: 'name', value: '"renamed"', hlc: firm.hlc() },
      ...product(firm, 'late', 'c3'),
    ]);
    const tail = await reader.pullAll(snap.asOf);
    const fromZero = await reader.pullAll(0);
    expect([...stateOf([...snapshotChanges(snap.rows), ...tail.changes]).entries()].sort()).toEqual(
      [...stateOf(fromZero.changes).entries()].sort(),
    );
  });

  it('gives equal checksums for equal scopes, the device can compute it, and it differs after divergence', async () => {
    const a = await enrolledDevice(hub.url, 'user-c3');
    const b = await enrolledDevice(hub.url, 'user-c3');
    const pulled = await a.pullAll(0);
    const sumA = await a.checksum(pulled.cursor);
    expect(sumA).toEqual(await b.checksum(pulled.cursor));
    expect(sumA.rows).toBe(rowsOfChanges(pulled.changes).size);
    const local = [...stateOf(pulled.changes).values()];
    expect(checksumOf(local).checksum).toBe(sumA.checksum);
    // Divergence: a field the device holds differently.
    local[0] = { ...local[0]!, value: '"tampered"' };
    expect(checksumOf(local).checksum).not.toBe(sumA.checksum);
    // Another scope, another checksum; later changes do not alter a checksum up to an older seq.
    expect((await devices.c2!.checksum(pulled.cursor)).checksum).not.toBe(sumA.checksum);
    await firm.push([
      { table: 'products', rowId: 'c3-a', column: 'name', value: '"c3 renamed"', hlc: firm.hlc() },
    ]);
    expect(await a.checksum(pulled.cursor)).toEqual(sumA);
    expect((await a.checksum()).checksum).not.toBe(sumA.checksum);
  });

  it('numbers issued invoices of a "number at sync" organization in one continuous series', async () => {
    await adminApi(hub.url).numbering('prov', 'at_sync');
    const other = await enrolledDevice(hub.url, 'firm');
    for (const [d, id] of [
      [firm, 'sync-1'],
      [other, 'sync-2'],
    ] as const) {
      await d.push(draftInvoice(d, id, 'c3', 'prov'));
      const r = await d.push(issue(d, id, null, null));
      expect(r.results.every((x) => x.outcome === 'applied')).toBe(true);
    }
    const numbers = (await devices.c3!.pullAll(0)).changes.filter(
      (c) => c.table === 'invoices' && c.column === 'number' && c.value,
    );
    expect(numbers.map((c) => [c.rowId, JSON.parse(c.value!), c.hlc.endsWith(':hub')])).toEqual([
      // The issuer's code (derived from its id, none chosen) keeps the hub's series apart
      // from another issuer's.
      ['sync-1', `INV-${derivedIssuerCode('prov')}-2026-000000-000001`, true],
      ['sync-2', `INV-${derivedIssuerCode('prov')}-2026-000000-000002`, true],
    ]);
  });

  it("lets a partner invite but not grant itself access, nor allocate a client's products to itself", async () => {
    const p2 = devices.p2!;
    const self = await p2.push(partnership(p2, 'p2-c1', 'p2', 'c1', 'complete', 'partner'));
    expect(self.results.every((r) => r.reason === 'partnership_needs_client')).toBe(true);
    const invite = await p2.push(
      partnership(p2, 'p2-c1-invite', 'p2', 'c1', 'complete', 'partner', 'invited'),
    );
    expect(invite.results.every((r) => r.outcome === 'applied')).toBe(true);
    const accept = await p2.push([
      { table: 'partnerships', rowId: 'p2-c1-invite', column: 'status', value: '"active"', hlc: p2.hlc() },
    ]);
    expect(accept.results[0]).toMatchObject({ outcome: 'rejected', reason: 'partnership_needs_client' });
    const grab = await p2.push(allocation(p2, 'p2-c3', 'c3-b'));
    expect(grab.results.every((r) => r.reason === 'out_of_scope')).toBe(true);
    // The client accepts: now the partner sees c1 (after a snapshot, its rows being older).
    const c1 = devices.c1!;
    await c1.pullAll(0);
    const accepted = await c1.push([
      { table: 'partnerships', rowId: 'p2-c1-invite', column: 'status', value: '"active"', hlc: c1.hlc() },
    ]);
    expect(accepted.results[0]!.outcome).toBe('applied');
    expect(rowsOfSnapshot((await p2.snapshot()).rows).has('products:c1-a')).toBe(true);
  });
});
