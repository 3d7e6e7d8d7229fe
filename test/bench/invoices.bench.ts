// Invoice benchmarks on N generated invoices (default 1,000,000): the bulk write path vs a raw
// better-sqlite3 prepared insert of the same rows, list pages at any depth (keyset vs OFFSET),
// counts by status and monthly totals. Each figure sits beside the raw library doing the
// same work in the same run.
// Run: node bin/tsx.js test/bench/invoices.bench.ts [count]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PartySnapshot } from '#db/schema/index';
import { addDays } from '#common/dates';
import { InvoiceFilters, ListInvoices } from '#common/invoices.schema';
import { lineAmounts } from '#common/invoice-math';
import { intBetween, pick, prng } from '#core/demo/prng';
import { openKontor } from '#core/kontor';
import { type BulkInvoice, insertInvoicesBulk } from '#core/services/invoices/bulk';
import { exportInvoices } from '#core/services/exports.service';
import { invoiceCountsByStatus, listInvoices, monthlyTotals } from '#core/services/invoices.service';
import { measure, round, timeMany } from './harness';

const NAMES = ['Müller & Söhne AG', 'Boulangerie Lefèvre', 'Łukasz Żółć', 'Caffè Nicolò Srl', 'Zoë Weiß', 'Brasserie Ël Cèrvoise'];

/** The generator: realistic invoices for `orgs` payers, issued in date order over two years. */
export function* benchInvoices(count: number, orgIds: string[], issuerId: string, seed = 7): Generator<BulkInvoice> {
  const random = prng(seed);
  const start = '2024-11-01';
  const step = 730 / count;
  const issuer: PartySnapshot = {
    name: 'Kontor Hébergement SA', recipient: 'Kontor Hébergement SA', street: 'Rue Eugène-Marziano 25', line2: null,
    postalCode: '1227', city: 'Les Acacias', country: 'CH', vatNumber: null, uid: 'CHE-116.281.710', email: null,
    iban: 'CH4431999123000889012',
  };
  const sequences = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const orgIndex = Math.floor(random() * orgIds.length);
    const issuedOn = addDays(start, Math.floor(i * step));
    const year = Number(issuedOn.slice(0, 4));
    const sequence = (sequences.get(year) ?? 0) + 1;
    sequences.set(year, sequence);
    const currency = orgIndex % 3 === 0 ? 'CHF' : 'EUR';
    const status = pick(random, ['paid', 'paid', 'paid', 'unpaid', 'partially_paid'] as const);
    const lines = Array.from({ length: intBetween(random, 1, 3) }, () => ({
      productId: null,
      description: pick(random, ['Hébergement Web — annuel', 'Messagerie Pro', 'Domaine .ch', 'kDrive 2 To', 'Cloud Server']),
      quantityMilli: pick(random, [1000, 1000, 12000, 2000]),
      unitPriceMinor: intBetween(random, 500, 30_000),
      discountBp: pick(random, [0, 0, 1000]),
      vatRateBp: currency === 'CHF' ? 810 : 0,
    }));
    const gross = lines.reduce((s, l) => s + lineAmounts(l).grossMinor, 0);
    const name = NAMES[orgIndex % NAMES.length] as string;
    yield {
      kind: 'invoice',
      status,
      organizationId: orgIds[orgIndex] as string,
      productsOrganizationId: orgIds[orgIndex] as string,
      issuerOrganizationId: issuerId,
      billingAddressId: null,
      currency,
      locale: 'fr',
      issuedOn,
      dueOn: addDays(issuedOn, 30),
      series: `INV-${year}-BENCH0`,
      sequence,
      number: `INV-${year}-BENCH0-${String(sequence).padStart(6, '0')}`,
      billTo: { ...issuer, name, recipient: name, country: currency === 'CHF' ? 'CH' : 'FR', uid: null, iban: null },
      issuer,
      reverseCharge: currency === 'EUR',
      paidMinor: status === 'paid' ? gross : status === 'partially_paid' ? Math.floor(gross / 2) : 0,
      referenceType: 'QRR',
      paymentReference: null,
      notes: null,
      importRef: null,
      lines,
    };
  }
}

export async function invoicesBench(count = 1_000_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-invbench-'));
  const file = path.join(dir, 'bench.sqlite');
  const kontor = openKontor({ dbFile: file });
  const call = async <T>(method: string, input: unknown) => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const issuer = await call<{ id: string }>('organizations.create', { kind: 'company', name: 'Kontor Hébergement SA', country: 'CH', currency: 'CHF' });
  const orgIds: string[] = [];
  for (let i = 0; i < 200; i++) {
    orgIds.push((await call<{ id: string }>('organizations.create', { kind: 'company', name: `${NAMES[i % NAMES.length]} ${i}`, country: i % 3 === 0 ? 'CH' : 'FR', currency: i % 3 === 0 ? 'CHF' : 'EUR' })).id);
  }

  // 1. Raw floor: the same invoices and lines through bare prepared statements, same schema
  //    (indexes and triggers included), one transaction per 5,000 like the bulk path.
  const rawFile = path.join(dir, 'raw.sqlite');
  const rawStore = openKontor({ dbFile: rawFile });
  for (const table of ['organizations']) {
    rawStore.ctx().raw.exec(`ATTACH '${file}' AS src; INSERT INTO main.${table} SELECT * FROM src.${table}; DETACH src;`);
  }
  rawStore.close();
  const raw = new Database(rawFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const insInv = raw.prepare(
    `INSERT INTO invoices (id, created_at, updated_at, kind, status, organization_id, products_organization_id, issuer_organization_id,
      currency, locale, series, sequence, number, issued_on, due_on, bill_to, issuer, reverse_charge, net_minor, vat_minor, gross_minor,
      paid_minor, reference_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLine = raw.prepare(
    `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor, discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rawRun = await measure(() => {
    let n = 0;
    const gen = benchInvoices(count, orgIds, issuer.id);
    const batch = raw.transaction((items: BulkInvoice[]) => {
      for (const inv of items) {
        const id = `raw-${n++}`;
        let net = 0;
        let vat = 0;
        inv.lines.forEach((l, i) => {
          const a = lineAmounts(l);
          net += a.netMinor;
          vat += a.vatMinor;
          insLine.run(`${id}-${i}`, id, i, null, l.description, l.quantityMilli, l.unitPriceMinor, l.discountBp, l.vatRateBp, a.netMinor, a.vatMinor, a.grossMinor);
        });
        insInv.run(id, 'now', 'now', inv.kind, inv.status, inv.organizationId, inv.productsOrganizationId, inv.issuerOrganizationId,
          inv.currency, inv.locale, inv.series, inv.sequence, inv.number, inv.issuedOn, inv.dueOn, JSON.stringify(inv.billTo),
          JSON.stringify(inv.issuer), inv.reverseCharge ? 1 : 0, net, vat, net + vat, inv.paidMinor, inv.referenceType);
      }
    });
    let items: BulkInvoice[] = [];
    for (const inv of gen) {
      items.push(inv);
      if (items.length === 5000) {
        raw.pragma('defer_foreign_keys = ON');
        batch(items);
        items = [];
      }
    }
    if (items.length) batch(items);
  });
  raw.close();

  // 2. Kontor's bulk path: same rows, plus a change-log row per invoice and activity per batch.
  const bulk = await measure(() => insertInvoicesBulk(kontor.ctx(), benchInvoices(count, orgIds, issuer.id), { action: 'bench.invoices' }));
  kontor.ctx().raw.exec('ANALYZE');

  // 3. Pages: first, and deep (cursors near the end), by keyset; OFFSET at the same depth.
  const ctx = kontor.ctx();
  const page = (input: Record<string, unknown>) => listInvoices(ctx, ListInvoices.parse(input));
  const firstPage = timeMany(300, () => page({ limit: 100 }));
  const deepCursors: string[] = [];
  let cursor: string | null = null;
  let walked = 0;
  const walk = await measure(() => {
    for (;;) {
      const p = page({ limit: 1000, cursor });
      walked += p.rows.length;
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
      if (walked > count - 20_000) deepCursors.push(cursor);
    }
  });
  const deepPage = timeMany(300, (i) => page({ limit: 100, cursor: deepCursors[i % deepCursors.length] }));
  const orgPage = timeMany(300, (i) => page({ limit: 100, organizationId: orgIds[i % orgIds.length] }));
  const statusPage = timeMany(300, () => page({ limit: 100, statuses: ['unpaid'] }));
  const offsetStmt = ctx.raw.prepare(
    `SELECT i.*, o.name FROM invoices i JOIN organizations o ON o.id = i.organization_id WHERE i.deleted_at IS NULL
     ORDER BY i.issued_on DESC, i.id DESC LIMIT 100 OFFSET ?`,
  );
  const offsetDeep = timeMany(30, () => offsetStmt.all(count - 1_000), 3);
  const filters = InvoiceFilters.parse({});
  const counts = timeMany(10, () => invoiceCountsByStatus(ctx, filters), 2);
  const monthly = timeMany(10, () => monthlyTotals(ctx, filters), 2);
  const rawCounts = timeMany(10, () => ctx.raw.prepare('SELECT status, currency, count(*), sum(gross_minor) FROM invoices GROUP BY 1, 2').all(), 2);

  // 4. A raw iterate() scan of the rows an export reads: the floor for CSV and XLSX.
  const scanStmt = ctx.raw.prepare(
    `SELECT i.number, i.status, i.issued_on, i.due_on, o.name, i.currency, i.net_minor, i.vat_minor, i.gross_minor, i.paid_minor
     FROM invoices i JOIN organizations o ON o.id = i.organization_id ORDER BY i.issued_on, i.id`,
  );
  const scan = await measure(() => {
    let n = 0;
    for (const _row of scanStmt.raw().iterate()) n++;
    return n;
  });

  // 5. The real exports of every invoice from the database, beside the raw scan above.
  const allFilters = InvoiceFilters.parse({});
  const csvOut = path.join(dir, 'all.csv');
  const csv = await measure(() => exportInvoices(ctx, { format: 'csv', profile: 'excel-ch', locale: 'fr', out: csvOut, filters: allFilters }));
  const xlsxOut = path.join(dir, 'all.xlsx');
  const xlsx = await measure(() => exportInvoices(ctx, { format: 'xlsx', profile: 'spreadsheet', locale: 'fr', out: xlsxOut, filters: allFilters }));

  kontor.close();
  const dbBytes = fs.statSync(file).size;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    invoices: count,
    databaseMb: Math.round(dbBytes / 1e6),
    insertRaw: { seconds: rawRun.seconds, rowsPerSecond: Math.round(count / rawRun.seconds), peakRssMb: rawRun.peakRssMb },
    insertBulkPath: { seconds: bulk.seconds, rowsPerSecond: Math.round(count / bulk.seconds), peakRssMb: bulk.peakRssMb },
    insertRatioBulkOverRaw: round(bulk.seconds / rawRun.seconds, 2),
    pageFirstMs: firstPage,
    pageDeepKeysetMs: deepPage,
    pageDeepOffsetRawMs: offsetDeep,
    pageByOrganizationMs: orgPage,
    pageByStatusMs: statusPage,
    walkAllPagesSeconds: walk.seconds,
    countsByStatusMs: counts,
    countsByStatusRawMs: rawCounts,
    monthlyTotalsMs: monthly,
    rawScan: { seconds: scan.seconds, rowsPerSecond: Math.round(count / scan.seconds), peakRssMb: scan.peakRssMb },
    csvExport: { seconds: csv.seconds, rowsPerSecond: Math.round(count / csv.seconds), peakRssMb: csv.peakRssMb, maxBlockMs: csv.maxBlockMs, ratioOverRawScan: round(csv.seconds / scan.seconds, 2) },
    xlsxExport: { seconds: xlsx.seconds, rowsPerSecond: Math.round(count / xlsx.seconds), peakRssMb: xlsx.peakRssMb, maxBlockMs: xlsx.maxBlockMs },
  };
}

if (process.argv[1]?.endsWith('invoices.bench.ts')) {
  const count = Number(process.argv[2] ?? 1_000_000);
  invoicesBench(count).then((r) => console.log(JSON.stringify(r, null, 2)));
}
