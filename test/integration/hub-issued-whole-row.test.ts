// A billed invoice travels as ONE whole-row change (core/services/billing/issued-whole.ts):
// the issued document, created and issued in one write. The hub takes it as it takes an issue
// command (server/HUB.md "Issuing is a command"), so a hostile device gains nothing by sending
// an issued invoice that way: totals it carries are not kept (the lines decide, on the hub and
// on every device), and an invoice outside its scope, issued by someone who may not issue, or
// under a number it may not use is refused with the hub's state byte-identical. On the
// embedded store and on PostgreSQL. An issuer that lets the hub number at sync gets its number
// for a whole issued invoice pushed without one, as for an issue command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireChange } from '#common/sync/protocol';
import { type Book, buildBook, hubDigest, ORGS } from '../helpers/hostile';
import { adminApi, type HubEngine, type TestDevice, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-whole-row-');

/** An issued invoice as the billing run's outbox sends it: one `*` change, lines included. */
function issuedWhole(
  device: TestDevice,
  id: string,
  payer: string,
  numbers: { series: string | null; sequence: number | null; number?: string | null },
  extra: Record<string, unknown> = {},
): WireChange {
  const hlc = device.hlc();
  const row = {
    id,
    created_at: '2026-01-05T10:00:00.000Z',
    deleted_at: null,
    kind: 'invoice',
    status: 'unpaid',
    organization_id: payer,
    products_organization_id: payer,
    issuer_organization_id: ORGS.firm,
    currency: 'CHF',
    locale: 'en',
    series: numbers.series,
    sequence: numbers.sequence,
    number:
      numbers.number !== undefined
        ? numbers.number
        : `${numbers.series}-${String(numbers.sequence).padStart(6, '0')}`,
    issued_on: '2026-01-05',
    due_on: '2026-02-04',
    lines: [
      {
        position: 1,
        productId: null,
        description: 'Hosting 2026',
        quantityMilli: 1000,
        unitPriceMinor: 10_000,
        discountBp: 0,
        vatRateBp: 810,
        netMinor: 10_000,
        vatMinor: 810,
        grossMinor: 10_810,
        unitCode: 'C62',
        vatCategory: null,
        exemptionReason: null,
      },
    ],
    ...extra,
  };
  return { table: 'invoices', rowId: id, column: '*', value: JSON.stringify(row), hlc };
}

describe.each<HubEngine>(['sqlite', 'postgres'])('an issued invoice pushed whole, on %s', (engine) => {
  let hub: TestHub;
  let book: Book;
  let firmDevice: TestKontor;
  beforeAll(async () => {
    hub = await startTestHub(engine);
    book = await buildBook(hub.url);
    const admin = adminApi(hub.url);
    await admin.createUser('firm-desk', { firmRole: 'administrator' });
    for (const org of Object.values(ORGS)) await admin.link('firm-desk', org);
    firmDevice = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    await firmDevice.ok('sync.configure', {
      hubUrl: hub.url,
      enrollCode: (await admin.enrollCode('firm-desk')).code,
    });
    await firmDevice.ok('sync.now', {});
  }, 120_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function refused(device: TestDevice, change: WireChange, reasons: string[]) {
    const before = await hubDigest(hub.store);
    const r = await device.push([change]);
    expect(r.results).toHaveLength(1);
    expect(r.results[0]?.outcome).toBe('rejected');
    expect(reasons, JSON.stringify(r.results[0])).toContain(r.results[0]?.reason);
    expect(await hubDigest(hub.store)).toBe(before);
  }

  it('applies as an issue whose totals are its lines: totals it carries are never kept', async () => {
    const fc = book.devices.firmAccountant;
    const series = `INV-2026-${fc.seriesCode}`;
    // Totals that are not the lines, and a line whose amounts are not its own inputs.
    const hostile = issuedWhole(
      fc,
      'inv-whole-1',
      ORGS.c1,
      { series, sequence: 1 },
      { net_minor: 1, vat_minor: 0, gross_minor: 1, paid_minor: 10_810 },
    );
    const row = JSON.parse(hostile.value ?? '{}') as { lines: Record<string, unknown>[] };
    row.lines[0] = { ...row.lines[0], netMinor: 1, vatMinor: 0, grossMinor: 1 };
    const r = await fc.push([{ ...hostile, value: JSON.stringify(row) }]);
    expect(r.results.map((x) => x.outcome)).toEqual(['applied']);
    const kept = await hub.store.read((sql) =>
      sql.all<{ column_name: string }>(
        "SELECT column_name FROM hub_fields WHERE table_name = 'invoices' AND row_id = 'inv-whole-1'",
      ),
    );
    const columns = kept.map((k) => k.column_name);
    expect(columns).toEqual(expect.arrayContaining(['status', 'number', 'lines']));
    for (const derived of ['net_minor', 'vat_minor', 'gross_minor', 'paid_minor', '*'])
      expect(columns).not.toContain(derived);
    // The firm's real device receives the issued invoice with the totals its line gives.
    await firmDevice.ok('sync.now', {});
    expect(
      firmDevice.raw
        .prepare(
          'SELECT status, number, net_minor, vat_minor, gross_minor, paid_minor FROM invoices WHERE id = ?',
        )
        .get('inv-whole-1'),
    ).toEqual({
      status: 'unpaid',
      number: `${series}-000001`,
      net_minor: 10_000,
      vat_minor: 810,
      gross_minor: 10_810,
      paid_minor: 0,
    });
    expect(
      firmDevice.raw
        .prepare('SELECT net_minor, vat_minor, gross_minor FROM invoice_lines WHERE invoice_id = ?')
        .all('inv-whole-1'),
    ).toEqual([{ net_minor: 10_000, vat_minor: 810, gross_minor: 10_810 }]);
  });

  it('refuses one outside the writer’s scope, or from someone who may not issue', async () => {
    const m = book.devices.clientMember;
    const series = `INV-2026-${m.seriesCode}`;
    // A member of client 1 bills client 2 in the firm's name: neither is its book.
    await refused(m, issuedWhole(m, 'inv-whole-scope', ORGS.c2, { series, sequence: 1 }), ['out_of_scope']);
    // Its own organization as payer: in scope, but only the firm issues.
    await refused(m, issuedWhole(m, 'inv-whole-member', ORGS.c1, { series, sequence: 1 }), ['not_allowed']);
    const l = book.devices.partnerLimited;
    await refused(
      l,
      issuedWhole(l, 'inv-whole-partner', ORGS.c1, { series: `INV-2026-${l.seriesCode}`, sequence: 1 }),
      ['not_allowed', 'out_of_scope'],
    );
  });

  it('refuses a number the device may not use: another series, a mismatch, a number used', async () => {
    const fc = book.devices.firmAccountant;
    const own = `INV-2026-${fc.seriesCode}`;
    // The firm's own device's series (the one the book was issued in).
    const firmSeries = `INV-2026-${book.firm.seriesCode}`;
    await refused(fc, issuedWhole(fc, 'inv-whole-foreign', ORGS.c1, { series: firmSeries, sequence: 9 }), [
      'invoice_series_foreign',
    ]);
    await refused(
      fc,
      issuedWhole(fc, 'inv-whole-mismatch', ORGS.c1, {
        series: own,
        sequence: 2,
        number: `${firmSeries}-000002`,
      }),
      ['invoice_number_mismatch'],
    );
    // Sequence 1 of its series went to inv-whole-1 above.
    await refused(fc, issuedWhole(fc, 'inv-whole-reused', ORGS.c1, { series: own, sequence: 1 }), [
      'invoice_number_reused',
    ]);
    // And the number the firm's device used for the book's first invoice, in the firm's series.
    await refused(
      book.firm,
      issuedWhole(book.firm, 'inv-whole-again', ORGS.c1, { series: firmSeries, sequence: 1 }),
      ['invoice_number_reused'],
    );
  });

  it('is numbered by the hub when its issuer numbers at sync', async () => {
    await adminApi(hub.url).numbering(ORGS.firm, 'at_sync');
    const fc = book.devices.firmAccountant;
    const r = await fc.push([
      issuedWhole(fc, 'inv-whole-at-sync', ORGS.c1, { series: null, sequence: null, number: null }),
    ]);
    expect(r.results.map((x) => x.outcome)).toEqual(['applied']);
    await firmDevice.ok('sync.now', {});
    const got = firmDevice.raw
      .prepare('SELECT status, series, sequence, number FROM invoices WHERE id = ?')
      .get('inv-whole-at-sync') as { status: string; series: string; sequence: number; number: string };
    expect(got.status).toBe('unpaid');
    expect(got.series).toMatch(/-000000$/);
    expect(got.number).toBe(`${got.series}-${String(got.sequence).padStart(6, '0')}`);
  });
});
