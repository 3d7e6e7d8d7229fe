// History import (issue 15): N issued invoices, each with a line and (when paid) a payment,
// imported from a Kontor CSV export through imports.run — parsing, checking every amount and
// rate, the bulk write with its change log — beside the raw floor: the same invoice, line and
// payment rows through bare prepared statements into the same schema, in the same run.
// Goal: import ≤ 2× raw. Usage: node bin/tsx.js test/bench/import-history.bench.ts [N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openKontor } from '#core/kontor';
import { measure, round } from './harness';

const count = Number(process.argv[2] ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-importbench-'));

async function main() {
  const file = path.join(dir, 'import.sqlite');
  const kontor = openKontor({ dbFile: file, log: () => {} });
  const call = async <T>(method: string, input: unknown) => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const issuer = await call<{ id: string }>('organizations.create', {
    kind: 'company',
    name: 'Kontor Hébergement SA',
    country: 'CH',
    currency: 'CHF',
    iban: 'CH93 0076 2011 6238 5295 7',
  });
  await call('addresses.create', {
    organizationId: issuer.id,
    label: 'Siège',
    recipient: 'Kontor Hébergement SA',
    line1: 'Rue 1',
    postalCode: '1003',
    city: 'Lausanne',
    country: 'CH',
  });
  await call('settings.setProvider', { organizationId: issuer.id });
  const payers: string[] = [];
  for (let i = 0; i < 200; i++) {
    const name = `Client Historique ${i}`;
    const org = await call<{ id: string }>('organizations.create', {
      kind: 'company',
      name,
      country: 'CH',
      currency: 'CHF',
    });
    await call('addresses.create', {
      organizationId: org.id,
      label: 'F',
      recipient: name,
      line1: 'Rue 2',
      postalCode: '1201',
      city: 'Genève',
      country: 'CH',
    });
    payers.push(name);
  }
  // The file: what Kontor's export writes (spreadsheet profile).
  const lines = [
    'Number,Kind,Status,Issued on,Due on,Organization,Currency,Net,VAT,Total,Paid,Payment reference',
  ];
  const rows: { net: number; vat: number; paid: number; day: string }[] = [];
  for (let i = 0; i < count; i++) {
    const net = 1_000 + ((i * 7919) % 500_000);
    const vat = Math.round((net * 810) / 10_000);
    const paid = i % 3 === 0 ? net + vat : i % 3 === 1 ? Math.floor((net + vat) / 2) : 0;
    const day = `20${24 + Math.floor((i / count) * 3)}-${String((i % 12) + 1).padStart(2, '0')}-15`;
    rows.push({ net, vat, paid, day });
    const status = paid === 0 ? 'unpaid' : paid === net + vat ? 'paid' : 'partially_paid';
    const d = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
    lines.push(
      `H-${i},invoice,${status},${day},${day},${payers[i % payers.length]},CHF,${d(net)},${d(vat)},${d(net + vat)},${d(paid)},`,
    );
  }
  const csv = Buffer.from(`${lines.join('\r\n')}\r\n`);
  lines.length = 0;

  // The raw floor, first, into a copy of the same schema with the organizations.
  const rawFile = path.join(dir, 'raw.sqlite');
  kontor.ctx().raw.exec(`VACUUM INTO '${rawFile}'`);
  const raw = new Database(rawFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const orgIds = raw
    .prepare('SELECT id FROM organizations WHERE id <> ? ORDER BY name')
    .pluck()
    .all(issuer.id) as string[];
  const insInv = raw.prepare(
    `INSERT INTO invoices (id, created_at, updated_at, kind, status, organization_id, products_organization_id, issuer_organization_id,
      currency, locale, series, number, issued_on, due_on, net_minor, vat_minor, gross_minor, paid_minor, import_ref)
      VALUES (?, ?, ?, 'invoice', ?, ?, ?, ?, 'CHF', 'fr', 'import', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLine = raw.prepare(
    `INSERT INTO invoice_lines (id, invoice_id, position, description, quantity_milli, unit_price_minor, discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor)
      VALUES (?, ?, 0, ?, 1000, ?, 0, 810, ?, ?, ?)`,
  );
  const insPay = raw.prepare(
    `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency, received_on, reference, outcome)
      VALUES (?, ?, ?, ?, ?, 'bank_transfer', ?, 'CHF', ?, NULL, 'applied')`,
  );
  const now = new Date().toISOString();
  const rawRun = await measure(() => {
    for (let start = 0; start < count; start += 5_000) {
      raw.transaction(() => {
        raw.pragma('defer_foreign_keys = ON');
        for (let i = start; i < Math.min(count, start + 5_000); i++) {
          const r = rows[i] as (typeof rows)[number];
          const id = `inv-${i}`;
          const org = orgIds[i % orgIds.length] as string;
          const status = r.paid === 0 ? 'unpaid' : r.paid === r.net + r.vat ? 'paid' : 'partially_paid';
          insLine.run(`line-${i}`, id, `H-${i}`, r.net, r.net, r.vat, r.net + r.vat);
          insInv.run(
            id,
            now,
            now,
            status,
            org,
            org,
            issuer.id,
            `H-${i}`,
            r.day,
            r.day,
            r.net,
            r.vat,
            r.net + r.vat,
            r.paid,
            `H-${i}`,
          );
          if (r.paid > 0) insPay.run(`pay-${i}`, now, now, org, id, r.paid, r.day);
        }
      })();
    }
  });
  raw.close();

  const importRun = await measure(() =>
    call<{ imported: number; errors: unknown[] }>('imports.run', {
      kind: 'invoices',
      contentBase64: csv.toString('base64'),
    }),
  );
  if (importRun.result.imported !== count)
    throw new Error(
      `imported ${importRun.result.imported} of ${count}: ${JSON.stringify(importRun.result.errors.slice(0, 3))}`,
    );
  kontor.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      invoices: count,
      payments: rows.filter((r) => r.paid > 0).length,
      rawSeconds: rawRun.seconds,
      importSeconds: importRun.seconds,
      ratio: round(importRun.seconds / rawRun.seconds, 2),
      importPeakRssMb: importRun.peakRssMb,
      importMaxBlockMs: importRun.maxBlockMs,
      goal: 'import ≤ 2 × raw',
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
