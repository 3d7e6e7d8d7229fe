// History import (issue 15): N issued invoices, each with a line and (when paid) a payment,
// imported from a Kontor CSV export through imports.run — parsing, checking every amount and
// rate, the bulk write with its change log — beside the raw floor: the same invoice, line and
// payment rows — the same columns and values the import stores, the payer's and issuer's
// snapshots included — through bare prepared statements into the same schema, in the same run.
// Goal: import ≤ 2× raw. Usage: node bin/tsx.js test/bench/import-history.bench.ts [N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import { openKontor } from '#core/kontor';
import { defaultAddress } from '#core/services/addresses.service';
import { snapshotOf } from '#core/services/invoices.service';
import { organizations } from '#db/schema/index';
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
  // The payers in the file's order, each with its billing address and snapshot as the import
  // stores them (the snapshot JSON is most of an issued invoice's row).
  const db = kontor.ctx().db;
  const snapshot = (id: string) => {
    const org = db
      .select()
      .from(organizations)
      .all()
      .find((o) => o.id === id);
    if (!org) throw new Error(`no organization ${id}`);
    const address = defaultAddress(db, id);
    return { address: address?.id ?? null, json: JSON.stringify(snapshotOf(org, address)) };
  };
  const issuerJson = snapshot(issuer.id).json;
  const byName = new Map(
    db
      .select()
      .from(organizations)
      .all()
      .map((o) => [o.name, o.id]),
  );
  const payerRows = payers.map((name) => {
    const id = byName.get(name) as string;
    return { id, ...snapshot(id) };
  });
  const insInv = raw.prepare(
    `INSERT INTO invoices (id, created_at, updated_at, kind, status, organization_id, products_organization_id, issuer_organization_id,
      billing_address_id, currency, locale, series, number, issued_on, due_on, bill_to, issuer, reverse_charge,
      net_minor, vat_minor, gross_minor, paid_minor, import_ref)
      VALUES (?, ?, ?, 'invoice', ?, ?, ?, ?, ?, 'CHF', 'fr', 'import:BENCH', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
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
  // The rows' ids as the import makes them (UUIDv7: 36 characters in every key and index),
  // drawn before the clock starts: the floor is the cost of storing the rows, not of naming them.
  const rawIds = Array.from({ length: count }, () => [uuidv7(), uuidv7(), uuidv7()] as const);
  const rawRun = await measure(() => {
    for (let start = 0; start < count; start += 5_000) {
      raw.transaction(() => {
        raw.pragma('defer_foreign_keys = ON');
        for (let i = start; i < Math.min(count, start + 5_000); i++) {
          const r = rows[i] as (typeof rows)[number];
          const [id, lineId, paymentId] = rawIds[i] as readonly [string, string, string];
          const payer = payerRows[i % payerRows.length] as (typeof payerRows)[number];
          const org = payer.id;
          const status = r.paid === 0 ? 'unpaid' : r.paid === r.net + r.vat ? 'paid' : 'partially_paid';
          insLine.run(lineId, id, `H-${i}`, r.net, r.net, r.vat, r.net + r.vat);
          insInv.run(
            id,
            now,
            now,
            status,
            org,
            org,
            issuer.id,
            payer.address,
            `H-${i}`,
            r.day,
            r.day,
            payer.json,
            issuerJson,
            r.net,
            r.vat,
            r.net + r.vat,
            r.paid,
            `H-${i}`,
          );
          if (r.paid > 0) insPay.run(paymentId, now, now, org, id, r.paid, r.day);
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
      rawCpuSeconds: rawRun.cpuSeconds,
      importCpuSeconds: importRun.cpuSeconds,
      cpuRatio: round(importRun.cpuSeconds / rawRun.cpuSeconds, 2),
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
