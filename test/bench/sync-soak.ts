// The sync property, long: `node bin/tsx.js test/bench/sync-soak.ts [--runs N] [--minutes M]`
// (or `npm run bench -- sync-soak`). 300 random seeds by default, one scenario each, bigger than
// CI's; every other seed is the multi-user variant (firm staff beside a limited and a complete
// partner). `--seeds 1-40` runs those seeds instead of random ones, `--partners` or `--firm`
// only that variant, `--all` goes on past a failure (each failure printed, exit 1 at the end).
// A failure prints its seed, variant and counterexample; rerun it alone with
// `node bin/tsx.js test/bench/sync-soak.ts --seeds <seed> --partners` (or `--firm`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startTestHub } from '../helpers/hub';
import { openTestKontor } from '../helpers/kontor';
import { runScenario, scenarioArb } from '../helpers/sync-property';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const maxRuns = arg('--runs', quick ? 20 : 300);
const minutes = arg('--minutes', quick ? 2 : 180);
const variant = process.argv.includes('--partners') ? true : process.argv.includes('--firm') ? false : null;
const goOn = process.argv.includes('--all');
// Given seeds, e.g. `--seeds 1-40` or `--seeds 11,17,29`: a failure found once is replayed exactly.
const given = (() => {
  const i = process.argv.indexOf('--seeds');
  if (i < 0) return null;
  return String(process.argv[i + 1])
    .split(',')
    .flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number) as [number, number?];
      return Array.from({ length: Number(to) - from + 1 }, (_, j) => from + j);
    });
})();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-sync-soak-'));
const hub = await startTestHub('sqlite');
let files = 0;
const started = performance.now();
let runs = 0;
const seeds: number[] = [];
const failures: string[] = [];
try {
  while (
    (given ? seeds.length < given.length : runs < maxRuns) &&
    performance.now() - started < minutes * 60_000
  ) {
    const seed = given ? given[seeds.length]! : Math.floor(Math.random() * 2 ** 31);
    seeds.push(seed);
    // One scenario per seed: 300 runs are 300 seeds.
    const n = 1;
    // Every other seed runs the multi-user variant (firm staff, a limited and a complete partner).
    const partners = variant ?? seeds.length % 2 === 0;
    const details = await fc.check(
      fc.asyncProperty(scenarioArb(80, 'max', partners), (s) =>
        runScenario(hub, (clock) => openTestKontor({ file: path.join(dir, `d${++files}.sqlite`), clock }), s),
      ),
      { seed, numRuns: n, endOnFailure: true },
    );
    runs += details.numRuns;
    if (details.failed) {
      const failure = `seed ${seed}${partners ? ' (with partners)' : ''}: ${fc.defaultReportMessage(details) ?? 'failed'}\ncause: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`;
      console.error(failure);
      failures.push(failure);
      if (!goOn) break;
    }
    console.error(`${runs} runs, ${Math.round((performance.now() - started) / 1000)} s, last seed ${seed}`);
  }
} finally {
  await hub.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(
  JSON.stringify(
    {
      runs,
      seconds: Math.round((performance.now() - started) / 1000),
      seeds,
      partnerSeeds: variant === null ? seeds.filter((_, i) => i % 2 === 1) : variant ? seeds : [],
      failed: failures.length > 0,
      failures,
    },
    null,
    2,
  ),
);
if (failures.length) process.exit(1);
