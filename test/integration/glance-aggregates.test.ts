// Money at a glance is read from sums kept by triggers (db/glance.ts, migration 0023), not
// from a scan of the invoices: whatever writes — the router, the bulk writer, sync apply by
// pages or by snapshot slices — the sums must equal a scan of the invoices in the same
// transaction. A property test drives random writes and compares; the triggers must also
// survive every committed migration (a drizzle-kit rebuild of invoices drops them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import { insertInvoicesBulk } from '#core/services/invoices/bulk';
import { EARNED_SQL, OPEN_SQL, SIGNED_GROSS_SQL } from '#db/glance';
import type { RawDb } from '#db/open';
import { Applier } from '#db/sync/apply';
import { createPayer, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { applyPulled, drainOutbox } from '../helpers/sync';

const space = useTempSpace('kontor-glance-');

/** The maintained sums, rows that still count anything, beside the same sums by a scan. */
function expectSumsMatchScan(raw: RawDb, label: string): void {
  const kept = (table: string, key: string, amount: string) =>
    raw
      .prepare(
        `SELECT ${key}, n, ${amount} AS amount FROM ${table} WHERE n <> 0 OR ${amount} <> 0 ORDER BY ${key}`,
      )
      .all();
  expect(kept('glance_open', 'currency, due_on', 'due_minor'), `${label}: open`).toEqual(
    raw
      .prepare(
        `SELECT currency, coalesce(due_on, '') AS due_on, count(*) AS n, sum(gross_minor - paid_minor) AS amount
         FROM invoices WHERE ${OPEN_SQL} GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(),
  );
  expect(kept('glance_revenue', 'issued_on, currency', 'gross_minor'), `${label}: revenue`).toEqual(
    raw
      .prepare(
        `SELECT issued_on, currency, count(*) AS n, sum(${SIGNED_GROSS_SQL}) AS amount
         FROM invoices WHERE ${EARNED_SQL} GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(),
  );
}

type Op =
  | { op: 'draft'; payer: number; cents: number }
  | { op: 'issue'; at: number; day: number }
  | { op: 'pay'; at: number; part: number }
  | { op: 'credit'; at: number }
  | { op: 'deleteDraft'; at: number }
  | { op: 'bulk'; payer: number; count: number; day: number };

const at = fc.nat(30);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('draft' as const),
    payer: fc.nat(1),
    cents: fc.integer({ min: 100, max: 900_000 }),
  }),
  fc.record({ op: fc.constant('issue' as const), at, day: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ op: fc.constant('pay' as const), at, part: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('credit' as const), at }),
  fc.record({ op: fc.constant('deleteDraft' as const), at }),
  fc.record({
    op: fc.constant('bulk' as const),
    payer: fc.nat(1),
    count: fc.integer({ min: 1, max: 6 }),
    day: fc.nat(400),
  }),
);

const dayOf = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

async function runOps(
  k: TestKontor,
  issuer: string,
  payers: { id: string; currency: 'CHF' | 'EUR' }[],
  ops: Op[],
) {
  const invoices: { id: string; state: 'draft' | 'issued' | 'gone' }[] = [];
  const pick = (state: 'draft' | 'issued', i: number) => {
    const list = invoices.filter((x) => x.state === state);
    return list.length ? list[i % list.length] : undefined;
  };
  for (const o of ops) {
    if (o.op === 'draft') {
      const payer = payers[o.payer]!;
      const d = await k.ok('invoices.create', {
        organizationId: payer.id,
        lines: [line(o.cents, { vatRateBp: 0 })],
      });
      invoices.push({ id: d.id, state: 'draft' });
    } else if (o.op === 'issue') {
      const x = pick('draft', o.at);
      if (x && (await k.call('invoices.issue', { id: x.id, issuedOn: dayOf(o.day) })).ok) x.state = 'issued';
    } else if (o.op === 'pay') {
      const x = pick('issued', o.at);
      if (!x) continue;
      const inv = await k.ok('invoices.get', { id: x.id });
      const due = inv.grossMinor - inv.paidMinor;
      if (due <= 0 || inv.kind !== 'invoice') continue;
      await k.call('payments.record', {
        invoiceId: x.id,
        amountMinor: Math.max(1, Math.floor(due / o.part)),
        currency: inv.currency,
        receivedOn: '2026-03-01',
        method: 'bank_transfer',
      });
    } else if (o.op === 'credit') {
      const x = pick('issued', o.at);
      if (x) await k.call('invoices.creditNote', { invoiceId: x.id });
    } else if (o.op === 'deleteDraft') {
      const x = pick('draft', o.at);
      if (x && (await k.call('invoices.deleteDraft', { id: x.id })).ok) x.state = 'gone';
    } else {
      const payer = payers[o.payer]!;
      insertInvoicesBulk(
        k.kontor.ctx(),
        Array.from({ length: o.count }, (_, n) => ({
          kind: 'invoice' as const,
          status: (['unpaid', 'paid', 'partially_paid', 'draft'] as const)[n % 4]!,
          organizationId: payer.id,
          productsOrganizationId: payer.id,
          issuerOrganizationId: issuer,
          billingAddressId: null,
          currency: payer.currency,
          locale: 'fr' as const,
          issuedOn: dayOf(o.day + n),
          dueOn: n % 3 === 0 ? null : dayOf(o.day + n + 30),
          series: null,
          sequence: null,
          number: null,
          billTo: null,
          issuer: null,
          reverseCharge: false,
          paidMinor: n % 4 === 2 ? 500 : n % 4 === 1 ? 10_000_000 : 0,
          referenceType: null,
          paymentReference: null,
          notes: null,
          importRef: null,
          lines: [
            {
              productId: null,
              description: 'Bulk',
              quantityMilli: 1000,
              unitPriceMinor: 1_000 * (n + 1),
              discountBp: 0,
              vatRateBp: 0,
            },
          ],
        })),
        { action: 'invoice.imported' },
      );
    }
  }
}

/** The rows of `from`'s outbox as a hub's snapshot carries them (each field with its last HLC). */
function asSnapshot(changes: ReturnType<typeof drainOutbox>): SnapshotRow[] {
  const rows = new Map<string, SnapshotRow>();
  for (const c of changes) {
    const key = `${c.table}:${c.rowId}`;
    const row = rows.get(key) ?? { table: c.table, rowId: c.rowId, fields: {} };
    rows.set(key, row);
    if (c.column === '*') {
      // A bulk-written row: its whole value, every field at that HLC.
      for (const [column, value] of Object.entries(JSON.parse(c.value ?? '{}') as Record<string, unknown>))
        if (column !== 'id') row.fields[column] = [JSON.stringify(value), c.hlc];
    } else row.fields[c.column] = [c.value, c.hlc];
  }
  return [...rows.values()];
}

describe('money at a glance: the kept sums equal a scan', () => {
  it('after any sequence of writes, here, by sync pages and by snapshot slices (fast-check, fixed seed)', {
    timeout: 400_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 24 }), async (ops) => {
        const a = space.kontor();
        const b = space.kontor();
        const c = space.kontor();
        try {
          const issuer = await setUpProvider(a);
          const chf = await createPayer(a, { name: 'Käserei Müller AG' });
          const eur = await createPayer(a, {
            name: 'Éditions Berliner GmbH',
            country: 'DE',
            currency: 'EUR',
            vatNumber: 'DE136695976',
          });
          await runOps(
            a,
            issuer,
            [
              { id: chf.id, currency: 'CHF' },
              { id: eur.id, currency: 'EUR' },
            ],
            ops,
          );
          expectSumsMatchScan(a.raw, 'written here');
          const changes = drainOutbox(a);
          applyPulled(b, changes);
          expectSumsMatchScan(b.raw, 'applied by pages');
          const rows = asSnapshot(changes).map((r) => JSON.stringify(r));
          const applier = new Applier(c.raw);
          const now = c.clock.now().toISOString();
          for (let next = 0; next < rows.length; )
            next = applier.applySnapshotSlice(rows, next, 1, now, false, 0).next;
          expectSumsMatchScan(c.raw, 'applied by snapshot slices');
          // The whole book's dashboard (from the sums) says what one organization's (from the invoices) says, summed.
          const book = await a.ok('dashboard.money', {});
          const one = await Promise.all(
            [chf.id, eur.id].map((id) => a.ok('dashboard.money', { organizationId: id })),
          );
          const open = (list: typeof book.receivables) => list.reduce((s, r) => s + r.openMinor, 0);
          expect(open(book.receivables)).toBe(open(one[0]!.receivables) + open(one[1]!.receivables));
          const earned = (list: typeof book.revenue) => list.reduce((s, r) => s + r.grossMinor, 0);
          expect(earned(book.revenue)).toBe(earned(one[0]!.revenue) + earned(one[1]!.revenue));
        } finally {
          a.close();
          b.close();
          c.close();
        }
      }),
      {
        seed: 20_261_207,
        numRuns: Number(process.env.KONTOR_GLANCE_PROPERTY_RUNS ?? 10),
        endOnFailure: true,
      },
    );
  });

  it('keeps its triggers after the committed migrations (a table rebuild of invoices drops them silently)', () => {
    const k = space.kontor();
    // The open reminder fees' triggers on invoices are checked by glance-fees.test.ts.
    const triggers = k.raw
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'invoices' AND name LIKE 'glance\\_%' ESCAPE '\\' AND name NOT LIKE 'glance\\_fees\\_%' ESCAPE '\\' ORDER BY name",
      )
      .pluck()
      .all();
    expect(triggers).toEqual(['glance_invoices_ad', 'glance_invoices_ai', 'glance_invoices_au']);
  });
});
