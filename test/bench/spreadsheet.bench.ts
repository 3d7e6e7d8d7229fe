// Spreadsheet export benchmark: node bin/tsx.js test/bench/spreadsheet.bench.ts [rows]
// (default 1,000,000). Rows are realistic invoice lines generated lazily (a generator, never
// an array). Each writer runs in its own child process so peak RSS is its own:
// - csv-raw: the floor — the same values joined with ';', no quoting, no neutralising;
// - csv-fast: writeCsv with the hand-written quoter (the default);
// - csv-papaparse: writeCsv with Papa.unparse per 2,000-row chunk;
// - xlsx: writeXlsx (exceljs streaming).
// Prints one JSON object: rows/s, peak RSS, longest event-loop block, file size per writer.
import { spawnSync } from 'node:child_process';
import { prng } from '#core/demo/prng';
import { createWriteStream, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Column } from '#core/export/csv/columns';
import { hundredthsToDecimal } from '#core/export/csv/columns';
import { writeCsv } from '#core/export/csv/csv-writer';
import { writeWithBackpressure, yieldToEventLoop } from '#core/export/csv/row-stream';
import { writeXlsx } from '#core/export/xlsx/xlsx-writer';

interface InvoiceRow {
  number: string;
  organization: string;
  kind: string;
  status: string;
  issuedOn: string;
  dueOn: string;
  currency: 'CHF' | 'EUR';
  netMinor: number;
  vatRateBp: number;
  vatMinor: number;
  grossMinor: number;
  paidMinor: number;
  reference: string;
}

const NAMES = [
  'Zoë Müller',
  'Łukasz Żółć',
  'Acme SA',
  'Boulangerie du Léman Sàrl',
  'Gebrüder Keller AG',
  'Café "Zum Hirschen"',
  'Dupont; Fils & Cie',
  'Studio Ørsted GmbH',
  'Émilie Favre',
  'Treuhand Bärtschi + Partner',
  '=HYPERLINK("http://x")',
  'Nord-Süd Logistik',
];
const STATUSES = ['paid', 'unpaid', 'partially_paid', 'draft', 'cancelled'];
const KINDS = ['invoice', 'invoice', 'invoice', 'credit_note', 'pro_forma'];

function isoDay(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/** Deterministic (seeded) so every writer sees the same rows. */
export function* invoiceRows(count: number): Generator<InvoiceRow> {
  const next = prng(0x2545f491);
  const start = 19_723; // 2024-01-01
  for (let i = 0; i < count; i++) {
    const currency = next() < 0.6 ? 'CHF' : 'EUR';
    const vatRateBp = currency === 'CHF' ? 810 : 2000;
    const kind = KINDS[Math.floor(next() * KINDS.length)] as string;
    const sign = kind === 'credit_note' ? -1 : 1;
    const netMinor = sign * Math.floor(next() * 500_000);
    const vatMinor = Math.round((netMinor * vatRateBp) / 10_000);
    const day = start + Math.floor(next() * 730);
    const status = STATUSES[Math.floor(next() * STATUSES.length)] as string;
    yield {
      number: `F-${2024 + Math.floor((day - start) / 365)}-${String(i + 1).padStart(7, '0')}`,
      organization: `${NAMES[i % NAMES.length]}${i % 7 === 0 ? '\nService comptable' : ''}`,
      kind,
      status,
      issuedOn: isoDay(day),
      dueOn: isoDay(day + 30),
      currency,
      netMinor,
      vatRateBp,
      vatMinor,
      grossMinor: netMinor + vatMinor,
      paidMinor: status === 'paid' ? netMinor + vatMinor : 0,
      reference: `RF${String(1_000_000 + i)}`,
    };
  }
}

const h = (en: string, fr: string, de: string) => ({ en, fr, de });
export const INVOICE_COLUMNS: Column<InvoiceRow>[] = [
  { key: 'number', header: h('Number', 'Numéro', 'Nummer'), type: 'text', value: (r) => r.number },
  {
    key: 'organization',
    header: h('Organization', 'Organisation', 'Organisation'),
    type: 'text',
    value: (r) => r.organization,
    width: 32,
  },
  { key: 'kind', header: h('Kind', 'Type', 'Art'), type: 'text', value: (r) => r.kind },
  { key: 'status', header: h('Status', 'Statut', 'Status'), type: 'text', value: (r) => r.status },
  { key: 'issuedOn', header: h('Date', 'Date', 'Datum'), type: 'date', value: (r) => r.issuedOn },
  { key: 'dueOn', header: h('Due', 'Échéance', 'Fällig'), type: 'date', value: (r) => r.dueOn },
  { key: 'currency', header: h('Currency', 'Devise', 'Währung'), type: 'text', value: (r) => r.currency },
  {
    key: 'net',
    header: h('Net', 'HT', 'Netto'),
    type: 'money',
    value: (r) => r.netMinor,
    currency: (r) => r.currency,
  },
  { key: 'vatRate', header: h('VAT %', 'TVA %', 'MWST %'), type: 'percent_bp', value: (r) => r.vatRateBp },
  {
    key: 'vat',
    header: h('VAT', 'TVA', 'MWST'),
    type: 'money',
    value: (r) => r.vatMinor,
    currency: (r) => r.currency,
  },
  {
    key: 'gross',
    header: h('Total', 'TTC', 'Brutto'),
    type: 'money',
    value: (r) => r.grossMinor,
    currency: (r) => r.currency,
  },
  {
    key: 'paid',
    header: h('Paid', 'Payé', 'Bezahlt'),
    type: 'money',
    value: (r) => r.paidMinor,
    currency: (r) => r.currency,
  },
  {
    key: 'reference',
    header: h('Reference', 'Référence', 'Referenz'),
    type: 'text',
    value: (r) => r.reference,
  },
];

/** The floor: the same values joined with ';' — no quoting, no neutralising, no checks. */
async function writeRaw(rows: Iterable<InvoiceRow>, out: NodeJS.WritableStream): Promise<number> {
  let n = 0;
  let text = '';
  for (const r of rows) {
    text += `${[
      r.number,
      r.organization,
      r.kind,
      r.status,
      r.issuedOn,
      r.dueOn,
      r.currency,
      hundredthsToDecimal(r.netMinor, ','),
      hundredthsToDecimal(r.vatRateBp, ','),
      hundredthsToDecimal(r.vatMinor, ','),
      hundredthsToDecimal(r.grossMinor, ','),
      hundredthsToDecimal(r.paidMinor, ','),
      r.reference,
    ].join(';')}\r\n`;
    if (++n % 2000 === 0) {
      await writeWithBackpressure(out, text);
      text = '';
      await yieldToEventLoop();
    }
  }
  if (text) await writeWithBackpressure(out, text);
  return n;
}

type Mode = 'csv-raw' | 'csv-fast' | 'csv-papaparse' | 'xlsx';
const MODES: Mode[] = ['csv-raw', 'csv-fast', 'csv-papaparse', 'xlsx'];

async function runOne(mode: Mode, count: number) {
  const file = path.join(
    os.tmpdir(),
    `kontor-bench-${process.pid}.${mode.startsWith('csv') ? 'csv' : 'xlsx'}`,
  );
  const out = createWriteStream(file);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const onProgress = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let rows = 0;
  if (mode === 'csv-raw') rows = await writeRaw(invoiceRows(count), out);
  else if (mode === 'csv-fast' || mode === 'csv-papaparse') {
    const engine = mode === 'csv-fast' ? 'fast' : 'papaparse';
    rows = (await writeCsv(invoiceRows(count), INVOICE_COLUMNS, 'excel-fr', out, { engine, onProgress }))
      .rows;
  } else {
    rows = (
      await writeXlsx(
        [{ name: 'Invoices', columns: INVOICE_COLUMNS, rows: invoiceRows(count), totals: true }],
        out,
        {
          locale: 'fr',
          onProgress,
        },
      )
    ).rows;
  }
  if (!out.writableFinished) await new Promise<void>((resolve) => out.end(resolve));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  loop.disable();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const bytes = statSync(file).size;
  await rm(file, { force: true });
  return {
    rows,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(rows / seconds),
    // CPU time of this process (all its threads: zlib and fs work included). On a shared,
    // loaded machine wall-clock figures swing; this one much less.
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    rowsPerCpuSecond: Math.round(rows / cpuSeconds),
    peakRssMB: Math.round(peakRss / 1_048_576),
    longestBlockMs: Number((loop.max / 1e6).toFixed(1)),
    p99BlockMs: Number((loop.percentile(99) / 1e6).toFixed(1)),
    fileMB: Number((bytes / 1_048_576).toFixed(1)),
  };
}

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) as Mode | undefined;
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (!isMain) {
  // Imported for its row generator and columns: run nothing.
} else if (only) {
  process.stdout.write(`${JSON.stringify(await runOne(only, count))}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const tsx = path.resolve(path.dirname(self), '../../bin/tsx.js');
  const results: Record<string, unknown> = {};
  const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
  for (const mode of MODES) {
    const child = spawnSync(process.execPath, [tsx, self, String(count), `--only=${mode}`], {
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      results[mode] = { error: child.stderr.trim().split('\n').slice(-5).join('\n') };
      continue;
    }
    results[mode] = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
  }
  const loadAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
  const summary = {
    benchmark: 'spreadsheet export',
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAtEnd,
    rows: count,
    results,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
