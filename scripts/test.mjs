#!/usr/bin/env node
// `npm test`: type-check, lint, build the interface, then every vitest project (unit,
// integration, e2e in Chromium). Ends with one plain line `N passed, N failed` that CI reads;
// type-check and lint count as one check each.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
let passed = 0;
let failed = 0;

function step(label, command, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  process.stdout.write(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return ok;
}

if (only.length === 0) {
  for (const [label, command, args] of [
    ['type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
    ['lint', bin('biome'), ['lint', '.']],
  ]) {
    if (step(label, command, args)) passed++;
    else failed++;
  }
}

const projects = only.length ? only : ['unit', 'integration', 'e2e'];
// The tests start the command line (bin/kontor.js) many times, in parallel: its bundle is
// built once here rather than by the first few of them at the same time.
if (!step('bundle the command line', process.execPath, ['scripts/build-cli.mjs', '--if-stale'])) failed++;
if (projects.includes('e2e') && !step('build interface', bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'])) {
  failed++;
}
fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
const report = path.join(root, 'test-results', 'vitest.json');
fs.rmSync(report, { force: true });
step(`tests (${projects.join(', ')})`, bin('vitest'), [
  'run',
  ...projects.flatMap((p) => ['--project', p]),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);
if (fs.existsSync(report)) {
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += results.numPassedTests ?? 0;
  failed += results.numFailedTests ?? 0;
  // A file that fails to load runs no test but must still fail the run.
  const brokenFiles = (results.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0);
  failed += brokenFiles.length;
  if ((results.numTotalTests ?? 0) === 0) {
    process.stdout.write('no test ran\n');
    failed++;
  }
} else {
  process.stdout.write('vitest wrote no report\n');
  failed++;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
