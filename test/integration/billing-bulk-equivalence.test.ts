// The billing run's batch path (billing/bulk-issue.ts) writes what the one-by-one path (draft,
// lines, claims, issue through the ordinary services) writes: the same book, copied on the same
// device, billed both ways, ends with the same invoices, lines, totals, numbers, claims,
// products, payments from the prepaid account, change log (the sync outbox), activity and search
// index — row for row, ids and clocks included, since both draw them from the same sources in
// the same order. In the outbox each issued invoice is one whole-row change (billing/
// issued-whole.ts): the batch path writes it so, the one-by-one path collapses its draft's
// changes into it; the test checks that shape too.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { bindingFor } from '#db/sync/device';
import { runRenewals } from '#core/services/billing/run';
import type { RawDb } from '#db/open';
import { type Book, type BookProduct, buildBook, CASES } from '../helpers/billing';
import { createPayer, TAX_IDS } from '../helpers/invoices';
import { openTestKontor, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-billing-bulk-');
const NOW = '2026-03-20T08:00:00.000Z';
const DATE = '2026-03-20';

/** Ids from a counter: both copies draw the same ids when they ask in the same order. */
const counterIds = (start: number) => {
  let n = start;
  return { next: () => `id-${String(++n).padStart(8, '0')}` };
};

/** Products of every case, frequency and auto-renew, some a few periods behind (catch-up). */
function specs(): Omit<BookProduct, 'id' | 'organizationId'>[] {
  const out: Omit<BookProduct, 'id' | 'organizationId'>[] = [];
  const kinds = ['web_hosting', 'mail_hosting', 'domain'] as const;
  const frequencies = ['monthly', 'quarterly', 'annual'] as const;
  let i = 0;
  for (const c of CASES)
    for (const frequency of frequencies)
      for (const start of ['2025-11-05', '2026-03-25', '2026-04-12', '2026-06-01']) {
        out.push({
          case: c,
          kind: kinds[i % 3] as BookProduct['kind'],
          publicPriceMinor: 990 + 350 * (i % 7),
          frequency,
          nextRenewalOn: start,
          autoRenew: c === 'complete_client' || c === 'complete_partner' || i % 2 === 0,
        });
        i++;
      }
  return out;
}

let one: TestKontor;
let bulk: TestKontor;
let book: Book;

beforeAll(async () => {
  const first = space.file();
  const ids = counterIds(0);
  const k = openTestKontor({ file: first, now: NOW, ids });
  book = await buildBook(k, specs());
  await k.ok('ledger.topUp', {
    organizationId: book.clients.complete_client,
    amountMinor: 200_000,
    method: 'bank_transfer',
  });
  await k.ok('ledger.topUp', { organizationId: book.partnerId, amountMinor: 5_000, method: 'bank_transfer' });
  // Plain payers elsewhere: another canton, Liechtenstein, a person, a German company (reverse
  // charge, in euros).
  const payers = [
    await createPayer(k, { name: 'Client Vaud SA' }),
    await createPayer(k, { name: 'Client Vaduz AG', country: 'LI' }),
    await createPayer(k, { name: 'Anne Dupont', kind: 'individual' }),
    await createPayer(k, { name: 'Kunde Berlin GmbH', country: 'DE', vatNumber: TAX_IDS.deVat }),
  ];
  for (const [n, payer] of payers.entries())
    for (const frequency of ['monthly', 'annual'] as const)
      await k.ok('products.create', {
        organizationId: payer.id,
        kind: 'web_hosting',
        name: `hébergement ${n} ${frequency}`,
        publicPriceMinor: 1_290 + n * 100,
        billingFrequency: frequency,
        nextRenewalOn: n % 2 ? '2026-02-01' : '2026-04-01',
      });
  // One payer without a billing address: refused the same way by both paths.
  const bare = await createPayer(k, { name: 'Sans Adresse SA', address: false });
  await k.ok('products.create', {
    organizationId: bare.id,
    kind: 'domain',
    name: 'sans-adresse.ch',
    publicPriceMinor: 1_500,
    billingFrequency: 'annual',
    nextRenewalOn: '2026-04-01',
  });
  k.close();
  // The same book on the same device: the copy is bound to its own path as the original was.
  const second = space.file();
  fs.copyFileSync(first, second);
  const db = new Database(second);
  db.prepare('UPDATE device SET bound_to = ? WHERE current = 1').run(bindingFor(second));
  db.close();
  const issued = Number(ids.next().slice(3));
  one = openTestKontor({ file: first, now: NOW, ids: counterIds(issued) });
  bulk = openTestKontor({ file: second, now: NOW, ids: counterIds(issued) });
});

const TABLES: [string, string][] = [
  ['invoices', 'id'],
  ['invoice_lines', 'id'],
  ['invoice_series', 'id'],
  ['renewals', 'id'],
  ['products', 'id'],
  ['payments', 'id'],
  ['ledger_entries', 'id'],
  ['prepaid_balances', 'organization_id, currency'],
  ['search_docs', 'kind, ref_id'],
  // Money at a glance, kept by triggers: the batch path inserts an invoice issued (its lines
  // first), the one-by-one path issues a draft; the sums must not tell them apart.
  ['glance_open', 'currency, due_on'],
  ['glance_revenue', 'issued_on, currency'],
];

function state(raw: RawDb) {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of TABLES) out[table] = raw.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
  // The sync outbox and the activity log, in the order they were written (seq is left out: the
  // one-by-one issue rewrites its change rows, which leaves gaps in it).
  out.change_log = raw
    .prepare('SELECT hlc, device_id, table_name, row_id, column_name, value, hub_seq FROM change_log ORDER BY seq')
    .all();
  out.activity = raw.prepare('SELECT * FROM activity ORDER BY rowid').all();
  // The search index answers the same for every invoice number and client name.
  const find = raw.prepare(
    "SELECT d.ref_id FROM search_invoices s JOIN search_docs d ON d.doc_id = s.rowid AND d.kind = 'invoice' WHERE search_invoices MATCH ? ORDER BY d.ref_id",
  );
  out.search = (raw.prepare('SELECT number FROM invoices WHERE number IS NOT NULL').pluck().all() as string[])
    .concat(['Client', 'Agence'])
    .map((term) => [term, find.all(`"${term}"`)]);
  return out;
}

describe('the billing run, batch path against one by one', () => {
  it('bills the same invoices, numbers, outbox, activity and search index', async () => {
    const a = await runRenewals(one.kontor.ctx(), { date: DATE }, { oneByOne: true });
    const b = await runRenewals(bulk.kontor.ctx(), { date: DATE });
    // The run reports the same: several invoices, some paid from the prepaid account, one refused.
    expect(a.invoices.length).toBeGreaterThan(4);
    expect(a.invoices.some((i) => i.paidFromPrepaid)).toBe(true);
    expect(a.invoices.some((i) => i.unpaidReason === 'balance_short')).toBe(true);
    expect(a.failed.map((f) => f.code)).toEqual(['billing_address_missing']);
    expect(b).toEqual(a);
    const sa = state(one.raw);
    const sb = state(bulk.raw);
    for (const key of Object.keys(sa)) expect({ [key]: sb[key] }).toEqual({ [key]: sa[key] });
    expect(sa.glance_open?.length).toBeGreaterThan(0);
    expect(sa.glance_revenue?.length).toBeGreaterThan(0);
    // Each issued invoice is in the outbox once, as its whole row (read at push time) at its
    // creation's clock, before the claims that name it; nothing of its draft travels.
    const outbox = one.raw
      .prepare(
        `SELECT i.id, group_concat(c.column_name) AS columns, count(c.seq) AS n, min(c.seq) AS at, min(c.hlc) AS hlc,
                (SELECT min(r.hlc) FROM renewals r WHERE r.invoice_id = i.id) AS claimed
         FROM invoices i JOIN change_log c ON c.table_name = 'invoices' AND c.row_id = i.id AND c.hub_seq IS NULL
         WHERE i.status <> 'draft' GROUP BY i.id`,
      )
      .all() as { columns: string; n: number; hlc: string; claimed: string }[];
    expect(outbox.length).toBe(a.invoices.length);
    for (const row of outbox) {
      expect(row).toMatchObject({ columns: '*', n: 1 });
      expect(row.hlc < row.claimed).toBe(true);
    }
    // Catch-up periods were billed (the book has products months behind).
    const claims = (sa.renewals as { product_id: string }[]).map((r) => r.product_id);
    expect(claims.length).toBeGreaterThan(new Set(claims).size);
  });

  it('a second run, either way, bills nothing', async () => {
    expect((await runRenewals(one.kontor.ctx(), { date: DATE }, { oneByOne: true })).invoices).toEqual([]);
    expect((await runRenewals(bulk.kontor.ctx(), { date: DATE })).invoices).toEqual([]);
  });
});
