// `npm run bench`: every benchmark with its own data generator, each figure beside the raw
// library doing the same work. Results go to test-results/bench.json and a table on stdout.
// Sizes can be cut for a quick look: KONTOR_BENCH_SCALE=0.1 npm run bench
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { foundationBench } from './foundation.bench';

const scale = Number(process.env.KONTOR_BENCH_SCALE ?? 1);

async function main() {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 1e9)} GB, Node ${process.version}, ${os.platform()}`,
    scale,
  };
  console.error('foundation (products, pages)…');
  results.foundation = await foundationBench(Math.round(100_000 * scale));
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
