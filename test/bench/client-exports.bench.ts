// A partner's consolidated client export on N partner-paid invoices (default 200,000) spread
// over 200 managed clients: the export of one period to CSV and to XLSX (invoices sheet), with
// time, peak RSS and the longest event-loop block, beside a raw scan of the same query.
// Run: node bin/tsx.js test/bench/client-exports.bench.ts [count]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openKontor } from '#core/kontor';
import { exportClients } from '#core/services/client-exports.service';
import { insertInvoicesBulk } from '#core/services/invoices/bulk';
import { measure, round } from './harness';
import { benchInvoices } from './invoices.bench';

export async function clientExportsBench(count = 200_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-clientbench-'));
  const kontor = openKontor({ dbFile: path.join(dir, 'bench.sqlite') });
  const call = async <T>(method: string, input: unknown) => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const org = (name: string, i: number) =>
    call<{ id: string }>('organizations.create', {
      kind: 'company',
      name,
      country: i % 3 === 0 ? 'CH' : 'FR',
      currency: i % 3 === 0 ? 'CHF' : 'EUR',
    });
  const issuer = await org('Kontor Hébergement SA', 0);
  const partner = await org('Agence Alpha', 0);
  const clients: string[] = [];
  for (let i = 0; i < 200; i++) clients.push((await org(`Client ${i}`, i)).id);
  // Active partnerships written directly: the lifecycle is not what is measured here.
  const ctx = kontor.ctx();
  const now = new Date().toISOString();
  const insert = ctx.raw.prepare(
    `insert into partnerships (id, created_at, updated_at, partner_organization_id, client_organization_id,
       requested_access, access, payment, status, invited_by, invited_at, last_sent_at)
     values (?, ?, ?, ?, ?, 'complete', 'complete', 'partner', 'active', 'partner', ?, ?)`,
  );
  for (const client of clients) insert.run(`p-${client}`, now, now, partner.id, client, now, now);
  function* partnerPaid() {
    for (const invoice of benchInvoices(count, clients, issuer.id))
      yield { ...invoice, organizationId: partner.id };
  }
  insertInvoicesBulk(ctx, partnerPaid(), { action: 'bench.invoices' });

  const period = { from: '2024-11-01', to: '2026-12-31' };
  const rawScan = await measure(() => {
    let n = 0;
    for (const _ of ctx.raw
      .prepare(
        `select i.*, o.name from invoices i join organizations o on o.id = i.products_organization_id
          where i.organization_id = ? and i.issued_on between ? and ?`,
      )
      .iterate(partner.id, period.from, period.to))
      n++;
    return n;
  });
  const base = { partnerOrganizationId: partner.id, ...period, clientIds: [], locale: 'fr' as const };
  const csv = await measure(() =>
    exportClients(ctx, {
      ...base,
      format: 'csv',
      profile: 'excel-ch',
      history: ['invoices'],
      out: path.join(dir, 'c.csv'),
    }),
  );
  const xlsx = await measure(() =>
    exportClients(ctx, { ...base, format: 'xlsx', profile: 'spreadsheet', out: path.join(dir, 'c.xlsx') }),
  );
  kontor.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const line = (m: typeof csv) => ({
    rows: m.result.rows,
    seconds: m.seconds,
    rowsPerSecond: Math.round(m.result.rows / m.seconds),
    peakRssMb: m.peakRssMb,
    maxBlockMs: m.maxBlockMs,
  });
  return {
    invoices: count,
    rawScan: {
      rows: rawScan.result,
      seconds: rawScan.seconds,
      rowsPerSecond: round(rawScan.result / rawScan.seconds, 0),
    },
    csv: line(csv),
    xlsx: line(xlsx),
  };
}

if (process.argv[1]?.endsWith('client-exports.bench.ts')) {
  const count = Number(process.argv[2] ?? 200_000);
  clientExportsBench(count).then((r) => console.log(JSON.stringify(r, null, 2)));
}
