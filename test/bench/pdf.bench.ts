// PDF benchmark (plain script): node bin/tsx.js test/bench/pdf.bench.ts [--quick]
// Prints one JSON object:
//   rawLibrary     bare pdfkit documents, one A4 page, Kontor Sans, one text line: the font given
//                  as bytes (pdfkit parses it again for every document: the "raw library"
//                  baseline) and pre-parsed, as fonts.ts does
//   invoiceFiles   500 separate invoice PDFs (3–15 lines) written by renderInvoicesToFiles:
//                  all with a Swiss QR-bill (CHF), none (EUR, German IBAN), half and half
//   invoiceBuffers the same in memory (invoicePdfBuffer), and with uncompressed page contents
//   singleDocument 1000 one-page invoices in one PDF (renderInvoicesToSinglePdf), and one
//                  invoice of about 1000 pages
//   einvoices      the same mixed documents as plain PDFs and as Factur-X PDFs (PDF/A-3b with the
//                  CII built from the EN 16931 model) in the same run, their ratio (goal ≥ 0.8),
//                  and UBL files (Peppol BIS 3.0) per second (goal ≥ 2,000)
// Every rate is given per wall-clock second and per second of this process's CPU time
// (perCpuSecond): the machines are shared, and the CPU figure is what an idle one reaches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '#core/export/invoice-document';
import { FONT_REGULAR, fontBytes, fontSubsetStats, newPdfDocument } from '#core/export/pdf/fonts';
import {
  invoicePdfBuffer,
  renderInvoicesToFiles,
  renderInvoicesToSinglePdf,
} from '#core/export/pdf/invoice-pdf';
import { qrrReference, scorReference } from '#common/payment-reference';
import { ciiXml } from '#core/export/einvoice/cii';
import { buildEinvoice, type EinvoiceSource } from '#core/export/einvoice/model';
import { ublXml } from '#core/export/einvoice/ubl';
import { einvoiceSourceOf as sourceOf } from '../helpers/einvoice-sources';
import { SAMPLE_ISSUER_CH, SAMPLE_ISSUER_CH_IBAN, sampleInvoice } from '../helpers/sample-documents';
import { measure, round } from './harness';

const quick = process.argv.includes('--quick');
const N = quick ? 100 : 500;
const LOCALES = ['en', 'fr', 'de'] as const;

function docs(count: number, variant: 'qr' | 'eur' | 'mixed'): InvoiceDocument[] {
  const out: InvoiceDocument[] = [];
  for (let i = 0; i < count; i++) {
    const seed = i + 1;
    const locale = LOCALES[seed % 3];
    const v = variant === 'mixed' ? (seed % 2 ? 'qr' : 'eur') : variant;
    if (v === 'qr') {
      const scor = seed % 4 === 0;
      out.push(
        sampleInvoice({
          seed,
          locale,
          currency: 'CHF',
          issuer: scor ? { ...SAMPLE_ISSUER_CH, iban: SAMPLE_ISSUER_CH_IBAN } : SAMPLE_ISSUER_CH,
          paymentReference: scor
            ? { type: 'SCOR', value: scorReference(`K${seed}`) }
            : { type: 'QRR', value: qrrReference(String(202600000 + seed)) },
        }),
      );
    } else {
      out.push(sampleInvoice({ seed, locale, currency: 'EUR' }));
    }
  }
  return out;
}

/** Bare pdfkit: one page, one line of text in Kontor Sans. */
function rawDocument(font: 'bytes' | 'parsed'): Promise<number> {
  return new Promise((resolve) => {
    const bytes = fontBytes().regular as unknown as string;
    const pdf =
      font === 'bytes' ? new PDFDocument({ size: 'A4', font: bytes }) : newPdfDocument({ size: 'A4' });
    let length = 0;
    pdf.on('data', (c: Buffer) => {
      length += c.length;
    });
    pdf.on('end', () => resolve(length));
    pdf.font(font === 'bytes' ? bytes : FONT_REGULAR).fontSize(12);
    pdf.text('Invoice INV-2026-000001 · Łukasz Żółć · CHF 1’234.50', 72, 72);
    pdf.end();
  });
}

interface Rate {
  perSecond: number;
  perCpuSecond: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  maxBlockMs: number;
}

async function timed<T>(count: number, fn: () => Promise<T>): Promise<{ rate: Rate; result: T }> {
  const cpu = process.cpuUsage();
  const m = await measure(fn);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    result: m.result,
    rate: {
      perSecond: round(count / m.seconds, 1),
      perCpuSecond: round(count / cpuSeconds, 1),
      seconds: m.seconds,
      cpuSeconds: round(cpuSeconds),
      peakRssMb: m.peakRssMb,
      maxBlockMs: m.maxBlockMs,
    },
  };
}

async function rate(count: number, fn: (i: number) => Promise<unknown>): Promise<Rate> {
  for (let i = 0; i < Math.min(20, count); i++) await fn(i);
  const { rate: r } = await timed(count, async () => {
    for (let i = 0; i < count; i++) await fn(i);
  });
  return r;
}

class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.bytes += chunk.length;
    cb();
  }
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = {
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
    documents: N,
  };

  result.rawLibrary = {
    fontAsBytes: await rate(N, () => rawDocument('bytes')),
    fontPreParsed: await rate(N, () => rawDocument('parsed')),
  };

  const sets = { withQrBill: docs(N, 'qr'), eurNoQrBill: docs(N, 'eur'), mixed: docs(N, 'mixed') };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-pdf-bench-'));
  try {
    const files: Record<string, unknown> = {
      averageLines: round(sets.mixed.reduce((s, d) => s + d.lines.length, 0) / N, 1),
    };
    for (const [name, set] of Object.entries(sets)) {
      await renderInvoicesToFiles(set.slice(0, 20), path.join(dir, `warm-${name}`), (_d, i) => `${i}.pdf`);
      const { rate: r, result: run } = await timed(N, () =>
        renderInvoicesToFiles(set, path.join(dir, name), (_d, i) => `invoice-${i}.pdf`),
      );
      files[name] = { ...r, averageKb: round(run.bytes / N / 1024, 1) };
    }
    result.invoiceFiles = files;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  result.invoiceBuffers = {
    withQrBill: await rate(N, (i) => invoicePdfBuffer(sets.withQrBill[i] as InvoiceDocument)),
    eurNoQrBill: await rate(N, (i) => invoicePdfBuffer(sets.eurNoQrBill[i] as InvoiceDocument)),
    mixedUncompressed: await rate(N, (i) =>
      invoicePdfBuffer(sets.mixed[i] as InvoiceDocument, { compress: false }),
    ),
  };

  const batchCount = quick ? 200 : 1000;
  const batch = Array.from({ length: batchCount }, (_, i) =>
    sampleInvoice({ seed: 10_000 + i, currency: 'EUR', locale: LOCALES[i % 3], lines: 3 + (i % 10) }),
  );
  const bigLines = quick ? 5_000 : 26_000;
  const big = sampleInvoice({ seed: 7, lines: bigLines, currency: 'EUR', locale: 'de' });
  const pagesOf = async (list: InvoiceDocument[]) => {
    const sink = new CountingSink();
    const { rate: r, result: run } = await timed(1, () => renderInvoicesToSinglePdf(list, sink));
    return {
      documents: run.documents,
      pages: run.pages,
      pagesPerSecond: round(run.pages / r.seconds, 1),
      pagesPerCpuSecond: round(run.pages / r.cpuSeconds, 1),
      seconds: r.seconds,
      mb: round(sink.bytes / 1e6, 1),
      peakRssMb: r.peakRssMb,
      maxBlockMs: r.maxBlockMs,
    };
  };
  result.singleDocument = {
    batchOfInvoices: await pagesOf(batch),
    oneLongInvoice: { lines: bigLines, ...(await pagesOf([big])) },
  };
  const sources = sets.mixed.map(sourceOf);
  // Plain and Factur-X alternate document by document, so both meet the same machine load.
  const plainCpu = { us: 0, wall: 0 };
  const facturXCpu = { us: 0, wall: 0 };
  const once = async (acc: { us: number; wall: number }, fn: () => Promise<unknown>) => {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    const u = process.cpuUsage(c);
    acc.us += u.user + u.system;
    acc.wall += performance.now() - t;
  };
  for (let round = 0; round < 2; round++) {
    plainCpu.us = plainCpu.wall = facturXCpu.us = facturXCpu.wall = 0; // the first round warms up
    for (let i = 0; i < N; i++) {
      const doc = sets.mixed[i] as InvoiceDocument;
      await once(plainCpu, () => invoicePdfBuffer(doc));
      await once(facturXCpu, () =>
        invoicePdfBuffer(doc, { facturX: { xml: ciiXml(buildEinvoice(sources[i] as EinvoiceSource)) } }),
      );
    }
  }
  const perSec = (acc: { us: number; wall: number }) => ({
    perSecond: round(N / (acc.wall / 1000), 1),
    perCpuSecond: round(N / (acc.us / 1e6), 1),
  });
  const plain = perSec(plainCpu);
  const facturX = perSec(facturXCpu);
  const ublCount = N * 10;
  const ubl = await rate(ublCount, async (i) => ublXml(buildEinvoice(sources[i % N] as EinvoiceSource)));
  result.einvoices = {
    plainPdf: plain,
    facturXPdf: facturX,
    facturXToPlainRatio: round(facturX.perSecond / plain.perSecond, 2),
    facturXToPlainRatioCpu: round(facturX.perCpuSecond / plain.perCpuSecond, 2),
    ublFiles: ubl,
  };
  result.fontSubsetCache = fontSubsetStats();
  console.log(JSON.stringify(result, null, 2));
}

await main();
