// Receiving benchmark (plain script): node bin/tsx.js test/bench/einvoice-receive.bench.ts [--quick]
// Prints one JSON object: received e-invoices read per second (read, namespaces resolved,
// EN 16931 rules checked: core/import/einvoice/read.ts) beside the raw libraries doing only
// their part on the same files in the same run:
//   ubl / cii        Kontor's own UBL and CII files (3–15 lines) — raw: fast-xml-parser's parse
//   facturX          Factur-X PDFs — raw: PDF.js opening the PDF and listing its attachments
// Rates per wall-clock second and per CPU second of this process (the machines are shared).
import os from 'node:os';
import { XMLParser } from 'fast-xml-parser';
import { ciiXml } from '#core/export/einvoice/cii';
import { buildEinvoice } from '#core/export/einvoice/model';
import { ublXml } from '#core/export/einvoice/ubl';
import type { InvoiceDocument } from '#core/export/invoice-document';
import { invoicePdfBuffer } from '#core/export/pdf/invoice-pdf';
import { readReceived } from '#core/import/einvoice/read';
import { einvoiceSourceOf } from '../helpers/einvoice-sources';
import { sampleInvoice } from '../helpers/sample-documents';
import { round } from './harness';

const quick = process.argv.includes('--quick');
const N = quick ? 200 : 2_000;
const PDFS = quick ? 20 : 200;

interface Rate {
  perSecond: number;
  perCpuSecond: number;
}

async function rate(count: number, fn: (i: number) => Promise<unknown> | unknown): Promise<Rate> {
  for (let i = 0; i < Math.min(20, count); i++) await fn(i);
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  const used = process.cpuUsage(cpu);
  return {
    perSecond: round(count / ((performance.now() - t) / 1000), 1),
    perCpuSecond: round(count / ((used.user + used.system) / 1e6), 1),
  };
}

async function main(): Promise<void> {
  const docs = Array.from({ length: 100 }, (_, i) =>
    sampleInvoice({ seed: i + 1, locale: 'fr', currency: 'EUR' }),
  );
  const models = docs.map((d, i) => buildEinvoice(einvoiceSourceOf(d, i)));
  const ubl = models.map((m) => Buffer.from(ublXml(m)));
  const cii = models.map((m) => Buffer.from(ciiXml(m)));
  const pdfs: Buffer[] = [];
  for (let i = 0; i < Math.min(PDFS, docs.length); i++)
    pdfs.push(
      await invoicePdfBuffer(docs[i] as InvoiceDocument, {
        facturX: { xml: (cii[i] as Buffer).toString('utf8') },
      }),
    );
  const raw = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const rawPdf = async (bytes: Buffer) => {
    const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 });
    const pdf = await task.promise;
    await pdf.getAttachments();
    await task.destroy();
  };
  const pick = <T>(list: T[], i: number) => list[i % list.length] as T;
  const result = {
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
    files: { xml: N, pdf: PDFS },
    ubl: {
      kontor: await rate(N, (i) => readReceived(pick(ubl, i), 'f.xml')),
      rawParse: await rate(N, (i) => raw.parse(pick(ubl, i).toString('utf8'))),
    },
    cii: {
      kontor: await rate(N, (i) => readReceived(pick(cii, i), 'f.xml')),
      rawParse: await rate(N, (i) => raw.parse(pick(cii, i).toString('utf8'))),
    },
    facturX: {
      kontor: await rate(PDFS, (i) => readReceived(pick(pdfs, i), 'f.pdf')),
      rawAttachments: await rate(PDFS, (i) => rawPdf(pick(pdfs, i))),
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();
