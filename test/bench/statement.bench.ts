// A camt.054 import of N credits at size (issue 12: ≤ 3 s for 10k entries, matching included),
// beside the raw libraries reading the same file alone in the same run: fast-xml-parser (the
// floor this bench was first measured against, kept) and saxes (what the reader parses with
// since, core/import/bank/camt-tree.ts) walking it with no handler.
// The book: N × 55 % unpaid invoices written by the bulk path (each with its SCOR reference);
// the file: one credit paying each exactly by its reference, the rest naming no invoice (they
// wait in the to-reconcile list), as a bank's day of QR-bill payments looks.
// Run: node bin/tsx.js test/bench/statement.bench.ts [entries]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { addDays } from '#common/dates';
import { lineAmounts } from '#common/invoice-math';
import { scorReference } from '#common/payment-reference';
import { openKontor } from '#core/kontor';
import { importStatement } from '#core/services/bank/statements';
import { type BulkInvoice, insertInvoicesBulk } from '#core/services/invoices/bulk';
import type { PartySnapshot } from '#db/schema/index';
import { camt } from '../helpers/camt';
import { measure } from './harness';

const entries = Number(process.argv[2] ?? 10_000);
const MATCHED_SHARE = 0.55;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-bench-statement-'));

const party: PartySnapshot = {
  name: 'Bench Hosting SA',
  recipient: 'Bench Hosting SA',
  street: 'Rue du Lac 1',
  line2: null,
  postalCode: '1000',
  city: 'Lausanne',
  country: 'CH',
  uid: null,
  vatNumber: null,
  email: null,
  iban: null,
};

function* unpaidInvoices(count: number, orgIds: string[], issuerId: string): Generator<BulkInvoice> {
  for (let i = 0; i < count; i++) {
    const line = {
      productId: null,
      description: 'Hébergement Web — annuel',
      quantityMilli: 1000,
      unitPriceMinor: 1_000 + (i % 500) * 7,
      discountBp: 0,
      vatRateBp: 810,
    };
    const sequence = i + 1;
    const number = `INV-2026-BENCH0-${String(sequence).padStart(6, '0')}`;
    const name = `Client ${i % orgIds.length}`;
    yield {
      kind: 'invoice',
      status: 'unpaid',
      organizationId: orgIds[i % orgIds.length] as string,
      productsOrganizationId: orgIds[i % orgIds.length] as string,
      issuerOrganizationId: issuerId,
      billingAddressId: null,
      currency: 'CHF',
      locale: 'fr',
      issuedOn: '2026-11-02',
      dueOn: addDays('2026-11-02', 30),
      series: 'INV-2026-BENCH0',
      sequence,
      number,
      billTo: { ...party, name, recipient: name },
      issuer: party,
      reverseCharge: false,
      paidMinor: 0,
      referenceType: 'SCOR',
      paymentReference: scorReference(`BENCH${sequence}`),
      notes: null,
      importRef: null,
      lines: [{ ...line, amounts: lineAmounts(line) }],
    };
  }
}

async function main() {
  const kontor = openKontor({
    dbFile: path.join(dir, 'bench.sqlite'),
    clock: { now: () => new Date('2026-12-07T08:00:00Z') },
  });
  const call = async <T>(method: string, input: unknown) => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const issuer = await call<{ id: string }>('organizations.create', {
    kind: 'company',
    name: 'Bench Hosting SA',
    country: 'CH',
    currency: 'CHF',
  });
  await call('settings.setProvider', { organizationId: issuer.id });
  const orgIds: string[] = [];
  for (let i = 0; i < 200; i++)
    orgIds.push(
      (
        await call<{ id: string }>('organizations.create', {
          kind: 'company',
          name: `Client ${i}`,
          country: 'CH',
          currency: 'CHF',
        })
      ).id,
    );
  const matched = Math.round(entries * MATCHED_SHARE);
  await insertInvoicesBulk(kontor.ctx(), unpaidInvoices(matched, orgIds, issuer.id), {
    action: 'bench.invoices',
  });
  const due = kontor
    .ctx()
    .raw.prepare(
      "SELECT payment_reference AS ref, gross_minor AS gross FROM invoices WHERE status = 'unpaid' ORDER BY sequence",
    )
    .all() as { ref: string; gross: number }[];
  const credits = Array.from({ length: entries }, (_, i) => {
    const inv = due[i];
    return inv
      ? { ref: `B${i}`, amount: (inv.gross / 100).toFixed(2), scor: inv.ref }
      : { ref: `B${i}`, amount: '12.30', text: `Virement ${i}` };
  });
  const xml = camt({ kind: '054', version: '08', credits });
  const parsed = await measure(() => new XMLParser({ ignoreAttributes: false }).parse(xml));
  const scanned = await measure(() => new SaxesParser({ xmlns: false }).write(xml).close());
  const imported = await measure(() =>
    importStatement(kontor.ctx(), {
      fileName: 'bench.xml',
      contentBase64: Buffer.from(xml).toString('base64'),
      dryRun: false,
    }),
  );
  kontor.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        statementImport: {
          entries,
          bytes: xml.length,
          seconds: imported.seconds,
          cpuSeconds: imported.cpuSeconds,
          maxBlockMs: imported.maxBlockMs,
          counts: imported.result.counts,
          rawParseSeconds: parsed.seconds,
          rawParseCpuSeconds: parsed.cpuSeconds,
          ratioToRawParse: Math.round((imported.seconds / Math.max(parsed.seconds, 0.001)) * 10) / 10,
          cpuRatioToRawParse:
            Math.round((imported.cpuSeconds / Math.max(parsed.cpuSeconds, 0.001)) * 10) / 10,
          rawSaxesSeconds: scanned.seconds,
          rawSaxesCpuSeconds: scanned.cpuSeconds,
          loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
        },
      },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
