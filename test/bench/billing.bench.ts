// The billing cycle at size (issue 12), each figure beside the raw library doing the same work:
// 1. a billing run over N active products (≈ 8 % due within the 30-day horizon), against a raw
//    better-sqlite3 insert of the same invoices and lines in one transaction, and against a raw
//    insert of every row the run wrote (change log and activity included) into the same book,
//    with the run's connection settings (the ratio) and with the library's defaults;
// (The camt.054 import has its own bench, test/bench/statement.bench.ts.)
// Run: node bin/tsx.js test/bench/billing.bench.ts [products]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openKontor } from '#core/kontor';
import { runRenewals } from '#core/services/billing/run';
import { withBulkSettings } from '#db/bulk-settings';
import { measure } from './harness';

const products = Number(process.argv[2] ?? 100_000);
const DATE = '2027-01-10';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-bench-billing-'));

async function main() {
  const kontor = openKontor({
    dbFile: path.join(dir, 'bench.sqlite'),
    clock: { now: () => new Date(`${DATE}T08:00:00Z`) },
  });
  const call = async <T>(method: string, input: unknown) => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const provider = await call<{ id: string }>('organizations.create', {
    kind: 'company',
    name: 'Bench Hosting SA',
    country: 'CH',
    currency: 'CHF',
    uid: 'CHE-116.281.710',
    iban: 'CH93 0076 2011 6238 5295 7',
  });
  await call('addresses.create', {
    organizationId: provider.id,
    label: 'Siège',
    recipient: 'Bench Hosting SA',
    line1: 'Rue du Lac 1',
    postalCode: '1000',
    city: 'Lausanne',
    country: 'CH',
  });
  await call('settings.setProvider', { organizationId: provider.id });

  // The data generator: one organization per 12 products, each with its billing address;
  // renewals spread over the year, so about 30/365 of them fall due within the horizon.
  const raw = kontor.ctx().raw;
  const orgs = Math.max(1, Math.round(products / 12));
  const stamp = new Date().toISOString();
  raw.transaction(() => {
    const org = raw.prepare(
      `INSERT INTO organizations (id, created_at, updated_at, kind, name, country, currency, color) VALUES (?, ?, ?, 'company', ?, 'CH', 'CHF', '#336699')`,
    );
    const addr = raw.prepare(
      `INSERT INTO billing_addresses (id, created_at, updated_at, organization_id, label, recipient, line1, street, building_number, postal_code, city, country, is_default) VALUES (?, ?, ?, ?, 'Siège', ?, 'Rue du Marché 4', 'Rue du Marché', '4', '1003', 'Lausanne', 'CH', 1)`,
    );
    const prod = raw.prepare(
      `INSERT INTO products (id, created_at, updated_at, organization_id, kind, name, public_price_minor, currency, billing_frequency, next_renewal_on, auto_renew, status) VALUES (?, ?, ?, ?, 'web_hosting', ?, ?, 'CHF', ?, ?, 0, 'active')`,
    );
    for (let o = 0; o < orgs; o++) {
      org.run(`org-${o}`, stamp, stamp, `Client ${o} SA`);
      addr.run(`addr-${o}`, stamp, stamp, `org-${o}`, `Client ${o} SA`);
    }
    for (let i = 0; i < products; i++) {
      const day = new Date(Date.parse('2027-01-11T00:00:00Z') + ((i * 7919) % 365) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      prod.run(
        `prod-${i}`,
        stamp,
        stamp,
        `org-${i % orgs}`,
        `Hébergement ${i}`,
        990 + (i % 50) * 100,
        ['monthly', 'quarterly', 'annual'][i % 3],
        day,
      );
    }
  })();

  // The same book, copied before the run: the floor that writes every row the run writes.
  raw.exec(`VACUUM INTO '${path.join(dir, 'floor.sqlite')}'`);
  const seqBefore = raw.prepare('SELECT coalesce(max(seq), 0) FROM change_log').pluck().get() as number;
  const activityBefore = raw.prepare('SELECT coalesce(max(rowid), 0) FROM activity').pluck().get() as number;
  const run = await measure(() =>
    runRenewals(kontor.ctx(), { date: DATE }, { draftsOnly: process.env.BENCH_DRAFTS === '1' }),
  );
  if (run.result.failed.length)
    console.error(`not billed: ${run.result.failed.length}`, JSON.stringify(run.result.failed[0]));
  const invoices = run.result.invoices.length;
  const lines = run.result.invoices.reduce((n, i) => n + i.lines, 0);

  // Floor 1 (the issue's): the same number of invoices and lines, written raw in one
  // transaction into bare tables.
  const rawDb = new Database(path.join(dir, 'raw.sqlite'));
  rawDb.pragma('journal_mode = WAL');
  rawDb.exec(`CREATE TABLE invoices (id TEXT PRIMARY KEY, organization_id TEXT, number TEXT, status TEXT, issued_on TEXT, due_on TEXT, net_minor INTEGER, vat_minor INTEGER, gross_minor INTEGER, payment_reference TEXT);
    CREATE TABLE invoice_lines (id TEXT PRIMARY KEY, invoice_id TEXT, position INTEGER, product_id TEXT, description TEXT, quantity_milli INTEGER, unit_price_minor INTEGER, vat_rate_bp INTEGER, net_minor INTEGER, vat_minor INTEGER, gross_minor INTEGER);
    CREATE TABLE renewals (id TEXT PRIMARY KEY, period_key TEXT, invoice_id TEXT, product_id TEXT, period_start TEXT, period_end TEXT, net_minor INTEGER);`);
  const insInvoice = rawDb.prepare('INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insLine = rawDb.prepare('INSERT INTO invoice_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insClaim = rawDb.prepare('INSERT INTO renewals VALUES (?, ?, ?, ?, ?, ?, ?)');
  const floor = await measure(() =>
    rawDb.transaction(() => {
      let l = 0;
      for (let i = 0; i < invoices; i++) {
        insInvoice.run(`i${i}`, `org-${i}`, `INV-${i}`, 'unpaid', DATE, DATE, 1000, 81, 1081, `RF${i}`);
        const per = Math.max(1, Math.round(lines / Math.max(1, invoices)));
        for (let j = 0; j < per && l < lines; j++, l++) {
          insLine.run(
            `l${l}`,
            `i${i}`,
            j,
            `prod-${l}`,
            `Hébergement ${l} · ${DATE}`,
            1000,
            1000,
            810,
            1000,
            81,
            1081,
          );
          insClaim.run(`r${l}`, `prod-${l}:${DATE}`, `i${i}`, `prod-${l}`, DATE, DATE, 1000);
        }
      }
    })(),
  );
  rawDb.close();

  // Floor 2: every row the run wrote — invoices, lines, claims, products moved on, series,
  // change log (the sync outbox), activity — inserted raw into the same book before the run,
  // same schema (indexes, search-index triggers), one transaction: what SQLite alone costs for
  // the same work, so the ratio is what Kontor's own logic adds.
  const written = {
    invoices: raw.prepare('SELECT * FROM invoices').all() as Record<string, unknown>[],
    invoice_lines: raw.prepare('SELECT * FROM invoice_lines').all() as Record<string, unknown>[],
    renewals: raw.prepare('SELECT * FROM renewals').all() as Record<string, unknown>[],
    invoice_series: raw.prepare('SELECT * FROM invoice_series').all() as Record<string, unknown>[],
    change_log: raw.prepare('SELECT * FROM change_log WHERE seq > ?').all(seqBefore) as Record<
      string,
      unknown
    >[],
    activity: raw.prepare('SELECT * FROM activity WHERE rowid > ?').all(activityBefore) as Record<
      string,
      unknown
    >[],
  };
  const moved = raw
    .prepare(
      'SELECT DISTINCT product_id AS id, p.next_renewal_on AS next FROM renewals r JOIN products p ON p.id = r.product_id',
    )
    .all() as { id: string; next: string }[];
  // Twice, each on its own copy of the book: with the connection settings the run writes under
  // (#db/bulk-settings: temporary journals in memory, a larger cache, a later checkpoint) — the
  // ratio's baseline, so that it measures Kontor's own work and not a setting — and with the
  // library's defaults, the baseline as it was measured before the run had those settings.
  fs.copyFileSync(path.join(dir, 'floor.sqlite'), path.join(dir, 'floor-default.sqlite'));
  const sameRows = async (file: string, settings: 'bulk' | 'default') => {
    const floorDb = new Database(path.join(dir, file));
    floorDb.pragma('journal_mode = WAL');
    const write = () =>
      floorDb.transaction(() => {
        // Lines go in while their invoice is still a draft (the store refuses lines on an issued
        // one), as Kontor writes them.
        const insert = (
          table: string,
          rows: Record<string, unknown>[],
          override: Record<string, unknown> = {},
        ) => {
          if (rows.length === 0) return;
          const columns = Object.keys(rows[0] as object);
          const st = floorDb.prepare(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          );
          for (const r of rows) st.run(...columns.map((c) => (c in override ? override[c] : r[c])));
        };
        insert('invoices', written.invoices, { status: 'draft' });
        insert('invoice_lines', written.invoice_lines);
        insert('renewals', written.renewals);
        insert('invoice_series', written.invoice_series);
        insert('change_log', written.change_log);
        insert('activity', written.activity);
        const status = floorDb.prepare('UPDATE invoices SET status = ? WHERE id = ?');
        for (const i of written.invoices) status.run(i.status, i.id);
        const next = floorDb.prepare('UPDATE products SET next_renewal_on = ?, updated_at = ? WHERE id = ?');
        for (const p of moved) next.run(p.next, stamp, p.id);
      })();
    const copy =
      settings === 'bulk' ? await withBulkSettings(floorDb, () => measure(write)) : await measure(write);
    floorDb.close();
    return copy;
  };
  const copy = await sameRows('floor.sqlite', 'bulk');
  const copyDefault = await sameRows('floor-default.sqlite', 'default');

  kontor.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const result = {
    billingRun: {
      products,
      invoices,
      lines,
      seconds: run.seconds,
      cpuSeconds: run.cpuSeconds,
      peakRssMb: run.peakRssMb,
      maxBlockMs: run.maxBlockMs,
      rawInsertSeconds: floor.seconds,
      ratioToRaw: Math.round((run.seconds / Math.max(floor.seconds, 0.001)) * 10) / 10,
      sameRowsRaw: {
        rows: Object.values(written).reduce((n, rows) => n + rows.length, 0) + moved.length,
        changeLogRows: written.change_log.length,
        seconds: copy.seconds,
        cpuSeconds: copy.cpuSeconds,
      },
      ratioToSameRowsRaw: Math.round((run.seconds / Math.max(copy.seconds, 0.001)) * 10) / 10,
      cpuRatioToSameRowsRaw: Math.round((run.cpuSeconds / Math.max(copy.cpuSeconds, 0.001)) * 10) / 10,
      sameRowsRawDefaultJournals: {
        seconds: copyDefault.seconds,
        cpuSeconds: copyDefault.cpuSeconds,
        ratio: Math.round((run.seconds / Math.max(copyDefault.seconds, 0.001)) * 10) / 10,
        cpuRatio: Math.round((run.cpuSeconds / Math.max(copyDefault.cpuSeconds, 0.001)) * 10) / 10,
      },
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
