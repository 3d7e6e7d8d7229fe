// `npm run bench:ab -- --base <rev> [--runs N] [--keys REGEX] -- <bench file> [its args…]`
//
// One benchmark script run alternately on two versions of the code: the working tree (`head`)
// and <rev> checked out in a temporary git worktree (`base`). On a machine others share, two
// runs of the same code a minute apart differ by up to 30 %: a figure alone proves nothing, and
// a change is shown only where runs alternated in the same minutes separate. The order flips
// every round (head, base, base, head, …) so a load that rises or falls over the rounds does not
// favour one side. Every numeric figure of the script's closing JSON is compared: its values on
// both sides, their medians and the ratio head/base. Results also go to test-results/ab.json.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closingJson, figures, median } from './ab-figures';

interface Options {
  base: string;
  runs: number;
  keys: RegExp | undefined;
  script: string[];
}

function options(argv: string[]): Options {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const script = split < 0 ? [] : argv.slice(split + 1);
  const value = (name: string) => {
    const at = own.indexOf(name);
    return at < 0 ? undefined : own[at + 1];
  };
  const base = value('--base');
  const runs = Number(value('--runs') ?? 4);
  const keys = value('--keys');
  if (!base || script.length === 0 || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: bench:ab --base <git rev> [--runs N] [--keys REGEX] -- <bench file> [args…]');
    process.exit(2);
  }
  return { base, runs, keys: keys ? new RegExp(keys) : undefined, script };
}

function run(tree: string, script: string[]): unknown {
  const result = spawnSync(process.execPath, [path.join(tree, 'bin', 'tsx.js'), ...script], {
    cwd: tree,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`${script.join(' ')} failed in ${tree} (exit ${result.status})`);
  return closingJson(result.stdout);
}

function main() {
  const o = options(process.argv.slice(2));
  const head = process.cwd();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: head, encoding: 'utf8' }).trim();
  const rev = git('rev-parse', '--verify', `${o.base}^{commit}`);
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-ab-'));
  git('worktree', 'add', '--detach', tree, rev);
  try {
    fs.symlinkSync(path.join(head, 'node_modules'), path.join(tree, 'node_modules'));
    const sides = { head: [] as Map<string, number>[], base: [] as Map<string, number>[] };
    // Every run's whole output is kept: a figure only one side reports (added or renamed by the
    // change) is still read, and the report can be checked against what the script printed.
    const runs: { side: 'head' | 'base'; round: number; load: number; output: unknown }[] = [];
    for (let r = 0; r < o.runs; r++) {
      const order = r % 2 === 0 ? (['head', 'base'] as const) : (['base', 'head'] as const);
      for (const side of order) {
        const load = Number(os.loadavg()[0]?.toFixed(2));
        console.error(`[ab] ${side} ${r + 1}: load ${load}`);
        const output = run(side === 'head' ? head : tree, o.script);
        runs.push({ side, round: r + 1, load, output });
        sides[side].push(figures(output));
      }
    }
    const keys = [...new Set([...sides.head, ...sides.base].flatMap((m) => [...m.keys()]))].filter(
      (k) => !o.keys || o.keys.test(k),
    );
    const rows = keys.flatMap((key) => {
      const h = sides.head.map((m) => m.get(key)).filter((v): v is number => v !== undefined);
      const b = sides.base.map((m) => m.get(key)).filter((v): v is number => v !== undefined);
      const all = [...h, ...b];
      if (all.every((v) => v === all[0])) return []; // a constant (a goal, a size): nothing to compare
      const ratio = h.length === 0 || b.length === 0 || median(b) === 0 ? null : median(h) / median(b);
      // Separated: every run of one side beats every run of the other (in either direction),
      // over three runs a side at least: one or two alternations separate by chance.
      const separated =
        h.length >= 3 &&
        b.length >= 3 &&
        (Math.max(...h) < Math.min(...b) || Math.min(...h) > Math.max(...b));
      return [{ key, head: h, base: b, ratio, separated }];
    });
    const report = { base: rev, script: o.script, figures: rows, runs };
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync(path.join('test-results', 'ab.json'), `${JSON.stringify(report, null, 2)}\n`);
    for (const row of rows) {
      const mark = row.separated ? ' separated' : '';
      const ratio = row.ratio === null ? '–' : `${row.ratio.toFixed(3)}×`;
      console.log(
        `${row.key}: head ${row.head.join(', ') || '–'} | base ${row.base.join(', ') || '–'} | median ${ratio}${mark}`,
      );
    }
  } finally {
    git('worktree', 'remove', '--force', tree);
  }
}

main();
