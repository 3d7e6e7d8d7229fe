// `npm run bench`: every benchmark with its own data generator, each figure beside the raw
// library doing the same work. Results go to test-results/bench.json and a table on stdout.
// Sizes can be cut for a quick look: KONTOR_BENCH_SCALE=0.1 npm run bench
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { foundationBench } from './foundation.bench';
import { invoicesBench } from './invoices.bench';
import { startupBench } from './startup.bench';

/** Runs a benchmark script in its own process (clean heap, own RSS) and reads its JSON. */
function script(file: string, args: string[]): unknown {
  const result = spawnSync(process.execPath, [path.join('bin', 'tsx.js'), file, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const start = result.stdout.indexOf('{');
  if (result.status !== 0 || start < 0) throw new Error(`${file} failed (exit ${result.status})`);
  return JSON.parse(result.stdout.slice(start));
}

const scale = Number(process.env.KONTOR_BENCH_SCALE ?? 1);
/** `npm run bench -- sync hub`: only the named benches; sync-soak runs only when named. */
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = (name: string, byDefault = true) => (only.length ? only.includes(name) : byDefault);

async function main() {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 1e9)} GB, Node ${process.version}, ${os.platform()}`,
    scale,
  };
  if (wanted('startup')) {
    console.error('startup (kontor --help, orgs list, web host and desktop main to their first answer)…');
    results.startup = await startupBench(scale);
  }
  if (wanted('foundation')) {
    console.error('foundation (products, pages)…');
    results.foundation = await foundationBench(Math.round(100_000 * scale));
  }
  if (wanted('invoices')) {
    console.error('invoices (bulk write, pages, counts, raw scan)…');
    results.invoices = await invoicesBench(Math.round(1_000_000 * scale));
  }
  if (wanted('search')) {
    console.error(
      'search (as you type over invoices and 10k organizations; index upkeep on the bulk write)…',
    );
    results.search = script('test/bench/search.bench.ts', [String(Math.round(1_000_000 * scale)), '10000']);
  }
  if (wanted('spreadsheets')) {
    console.error('spreadsheets (CSV profiles, XLSX)…');
    results.spreadsheets = script('test/bench/spreadsheet.bench.ts', [String(Math.round(1_000_000 * scale))]);
  }
  if (wanted('pdf')) {
    console.error('invoice PDFs…');
    results.pdf = script('test/bench/pdf.bench.ts', scale < 1 ? ['--quick'] : []);
  }
  if (wanted('einvoice-receive')) {
    console.error('received e-invoices read and checked (UBL, CII, Factur-X), beside the raw parsers…');
    results.einvoiceReceive = script('test/bench/einvoice-receive.bench.ts', scale < 1 ? ['--quick'] : []);
  }
  if (wanted('client-exports')) {
    console.error('partner client exports (200k partner-paid invoices, CSV and XLSX)…');
    results.clientExports = script('test/bench/client-exports.bench.ts', [
      String(Math.round(200_000 * scale)),
    ]);
  }
  if (wanted('import-history')) {
    console.error('history import (issued invoices with lines and payments, beside the raw insert)…');
    results.importHistory = script('test/bench/import-history.bench.ts', [
      String(Math.round(1_000_000 * scale)),
    ]);
  }
  if (wanted('billing')) {
    console.error('billing run over active products (≈ 8 % due) beside a raw insert…');
    results.billing = script('test/bench/billing.bench.ts', [String(Math.round(100_000 * scale))]);
  }
  if (wanted('statement')) {
    console.error('camt.054 import, matching included, beside the raw parsers…');
    results.statement = script('test/bench/statement.bench.ts', [String(Math.round(10_000 * scale))]);
  }
  if (wanted('sync')) {
    console.error('sync (initial sync to a new device, 10k changes round trip)…');
    results.sync = script('test/bench/sync.bench.ts', [String(Math.round(1_000_000 * scale))]);
  }
  if (wanted('hub')) {
    console.error(
      'hub throughput (SQLite and PostgreSQL, 1/8/20 devices at once; 100 devices to disjoint organizations through 1 and 2 hub processes)…',
    );
    results.hub = script('test/bench/hub.bench.ts', scale < 1 ? ['--quick'] : []);
  }
  if (wanted('sync-soak', false)) {
    console.error('sync soak (the sync property, random seeds)…');
    results.syncSoak = script('test/bench/sync-soak.ts', scale < 1 ? ['--quick'] : []);
  }
  fs.mkdirSync('test-results', { recursive: true });
  const out = path.join('test-results', 'bench.json');
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results, null, 2));
  console.error(`written to ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
