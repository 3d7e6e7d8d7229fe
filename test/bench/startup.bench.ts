// `npm run bench -- startup`: how long Kontor takes from a process start to an answer, each
// figure beside a raw baseline measured in the same run, interleaved with it run by run so
// both see the same machine load:
//   - `kontor --help` beside `node -e 0` (goal: ≤ 150 ms and ≤ 3× node);
//   - `kontor orgs list --json` on 1,000 organizations (goal ≤ 300 ms) beside plain Node +
//     better-sqlite3 printing the same table as JSON;
//   - the web host (`kontor web`) from its start to its first answered call (goal ≤ 300 ms,
//     100k-invoice database) beside a plain Node HTTP server answering from better-sqlite3;
//   - the desktop main process, likewise. Electron cannot run here, so the real bundle
//     (build/electron/main.cjs, scripts/build-electron.mjs) runs in plain Node with the
//     'electron' module replaced by the stand-in of test/helpers/fake-electron.ts: the same
//     code main.ts runs before it answers (fonts, database open and migrations check, router,
//     sync engine, settings store, session hardening, menu, window) without Electron's own
//     start-up, which comes on top on a real desktop.
// Plus what bin/kontor.js's freshness check costs on every start.
//
// Databases are generated once with `kontor demo` and kept in test-results/bench-cache/; one
// unmeasured start first (it migrates a cached file made by an older Kontor and warms the
// page cache, as any database in daily use is). KONTOR_BENCH_SCALE scales the invoices and
// the number of runs.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FAKE_ELECTRON, FAKE_ELECTRON_HOOK } from '../helpers/fake-electron';
import { round } from './harness';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = path.join(REPO, 'test-results', 'bench-cache');
const KONTOR = path.join(REPO, 'bin', 'kontor.js');

interface Series {
  medianMs: number;
  minMs: number;
  /** CPU time (user + system) of the started process, mean per start: far less load-bound than wall. */
  cpuMs?: number;
  runs: number;
}

function summary(samples: number[], cpuMs?: number): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: round(sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN, 1),
    minMs: round(sorted[0] ?? Number.NaN, 1),
    ...(cpuMs === undefined ? {} : { cpuMs: round(cpuMs, 1) }),
    runs: sorted.length,
  };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU time of this process's finished children so far (Linux: cutime + cstime), or null. */
function childrenCpuMs(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Runs every case once per round, in turn, for `runs` rounds. */
async function interleaved(runs: number, cases: Record<string, () => Promise<number> | number>) {
  const samples: Record<string, number[]> = {};
  const cpu: Record<string, number | null> = {};
  for (const name of Object.keys(cases)) {
    samples[name] = [];
    cpu[name] = 0;
  }
  for (let r = 0; r < runs; r++) {
    for (const [name, run] of Object.entries(cases)) {
      const before = childrenCpuMs();
      samples[name]!.push(await run());
      const after = childrenCpuMs();
      cpu[name] = before === null || after === null || cpu[name] === null ? null : cpu[name]! + after - before;
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, summary(s, cpu[name] === null ? undefined : cpu[name]! / runs)]),
  );
}

/** Wall time of a process from spawn to exit; fails loudly on a non-zero exit. */
function timed(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Generates a database with `kontor demo` once; later runs reuse the cached file. */
function cachedDatabase(name: string, demoArgs: string[]): string {
  const file = path.join(CACHE, `${name}.sqlite`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE, { recursive: true });
  const partial = path.join(CACHE, `${name}.partial-${process.pid}.sqlite`);
  console.error(`  generating ${path.relative(REPO, file)} (kontor demo ${demoArgs.join(' ')}), once…`);
  const result = spawnSync(process.execPath, [KONTOR, '--db', partial, 'demo', ...demoArgs], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`kontor demo ${demoArgs.join(' ')} failed`);
  // One file: fold the write-ahead log in before the rename.
  spawnSync(process.execPath, ['-e', `new (require('better-sqlite3'))(${JSON.stringify(partial)}).pragma('wal_checkpoint(TRUNCATE)')`], { cwd: REPO });
  for (const suffix of ['-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
  fs.renameSync(partial, file);
  return file;
}

/** Starts `args`, waits for stdout to match, runs `then` with the match, kills the child. */
async function untilAnswered(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  then: (match: RegExpMatchArray) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const m = out.match(ready);
        if (m) resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before answering: ${stderr}`)));
    });
    await then(match);
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function invoke(url: string, token: string, method: string, input: unknown): Promise<void> {
  const response = await fetch(new URL('/api/invoke', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kontor-token': token },
    body: JSON.stringify({ method, input }),
  });
  const body = (await response.json()) as { ok: boolean; error?: unknown };
  if (!body.ok) throw new Error(`${method} failed: ${JSON.stringify(body.error)}`);
}

/** Plain Node: better-sqlite3 opens the file and answers the first HTTP call with one query. */
const RAW_HTTP_SERVER = `
const http = require('node:http');
const db = new (require('better-sqlite3'))(process.argv[1]);
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end(JSON.stringify({ ok: true, value: db.prepare('SELECT * FROM app_settings').all() })));
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port + '/?token=raw'));
`;

/** Plain Node: better-sqlite3 opens the file and runs one query (the desktop's raw floor). */
const RAW_OPEN_QUERY = `
const db = new (require('better-sqlite3'))(process.argv[1]);
console.log('ANSWERED ' + db.prepare('SELECT count(*) FROM app_settings').pluck().get());
`;

const RAW_ORGS_JSON = `
const db = new (require('better-sqlite3'))(process.argv[1], { readonly: true });
process.stdout.write(JSON.stringify(db.prepare('SELECT * FROM organizations WHERE deleted_at IS NULL ORDER BY name').all(), null, 2));
`;

/** Loads the Electron main bundle with the stand-in and answers one IPC call like the window's first. */
const DESKTOP_DRIVER = `
require(process.env.FAKE_HOOK);
require(process.env.FAKE_MAIN);
const s = globalThis.__fake;
s.fireReady();
const mainFrame = { url: 'app://kontor/index.html', parent: null };
(async function firstCall() {
  while (!s.handlers['kontor:invoke'] || s.windows.length === 0) {
    if (s.exitCode !== null) throw new Error('main exited ' + s.exitCode + ': ' + JSON.stringify(s.dialogs));
    await new Promise((r) => setImmediate(r));
  }
  const trusted = { sender: { id: s.windows[0].webContents.id }, senderFrame: mainFrame };
  const answer = await s.handlers['kontor:invoke'](trusted, { method: 'settings.get', input: {}, locale: 'en' });
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  console.log('ANSWERED');
})().catch((error) => { console.error(error); process.exit(1); });
`;

export async function startupBench(scale = 1) {
  const runs = Math.max(5, Math.round(15 * Math.min(scale, 1)));
  const invoiceCount = Math.max(1000, Math.round(100_000 * scale));
  const scratch = fs.mkdtempSync(path.join(REPO, 'build', 'test-electron-bench-'));
  try {
    // The bundle is current before anything is timed (a stale one would be rebuilt in run 1).
    const buildCli = await import(pathToFileURL(path.join(REPO, 'scripts', 'build-cli.mjs')).href);
    if (buildCli.staleReason() !== null) await buildCli.buildCli();

    // What every `kontor` start pays to know its bundle is current.
    buildCli.staleReason();
    const checks: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      buildCli.staleReason();
      checks.push(performance.now() - t);
    }
    const inputs = (JSON.parse(fs.readFileSync(path.join(buildCli.CLI_OUTDIR, 'manifest.json'), 'utf8')) as {
      inputs: unknown[];
    }).inputs.length;

    console.error('  kontor --help …');
    const help = await interleaved(runs, {
      node: () => timed(['-e', '0']),
      help: () => timed([KONTOR, '--help']),
    });

    const orgsDb = cachedDatabase('orgs-1000', ['--orgs', '1000', '--seed', '1']);
    timed([KONTOR, '--db', orgsDb, 'orgs', 'list', '--json']);
    console.error('  kontor orgs list --json (1,000 organizations)…');
    const orgs = await interleaved(runs, {
      raw: () => timed(['-e', RAW_ORGS_JSON, orgsDb]),
      kontor: () => timed([KONTOR, '--db', orgsDb, 'orgs', 'list', '--json']),
    });

    const invoicesDb = cachedDatabase(`invoices-${invoiceCount}`, [
      '--orgs',
      '12',
      '--invoices',
      String(invoiceCount),
      '--seed',
      '1',
    ]);
    const url = /^(http:\/\/\S+)\/\?token=(\S+)$/m;
    const webStart = (args: string[]) => () =>
      untilAnswered(args, {}, url, async (m) => invoke(m[1]!, m[2]!, 'settings.get', {}));
    const kontorWeb = webStart([KONTOR, '--db', invoicesDb, 'web', '--port', '0']);
    await kontorWeb(); // may build the interface and migrate the cached file
    console.error(`  web host, start to first answered call (${invoiceCount} invoices)…`);
    const web = await interleaved(runs, {
      raw: webStart(['-e', RAW_HTTP_SERVER, invoicesDb]),
      kontor: kontorWeb,
    });
    // The invoice list's first page right after start (what a person opening it waits for).
    const pageMs: number[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      await untilAnswered([KONTOR, '--db', invoicesDb, 'web', '--port', '0'], {}, url, async (m) => {
        await invoke(m[1]!, m[2]!, 'settings.get', {});
        const t = performance.now();
        await invoke(m[1]!, m[2]!, 'invoices.list', {});
        pageMs.push(performance.now() - t);
      });
    }

    const built = spawnSync(process.execPath, ['scripts/build-electron.mjs', `--outdir=${path.relative(REPO, scratch)}`], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0) throw new Error('scripts/build-electron.mjs failed');
    fs.writeFileSync(path.join(scratch, 'fake-electron.cjs'), FAKE_ELECTRON);
    fs.writeFileSync(path.join(scratch, 'hook.cjs'), FAKE_ELECTRON_HOOK);
    fs.writeFileSync(path.join(scratch, 'driver.cjs'), DESKTOP_DRIVER);
    const home = fs.mkdtempSync(path.join(scratch, 'home-'));
    const desktopEnv = {
      KONTOR_HOME: home,
      KONTOR_DB: invoicesDb,
      FAKE_HOOK: path.join(scratch, 'hook.cjs'),
      FAKE_MAIN: path.join(scratch, 'main.cjs'),
      FAKE_APP_PATH: REPO,
    };
    const desktopStart = () => untilAnswered([path.join(scratch, 'driver.cjs')], desktopEnv, /^ANSWERED/m, async () => {});
    await desktopStart();
    console.error('  desktop main (bundle in plain Node, Electron stand-in), start to first answered call…');
    const desktop = await interleaved(runs, {
      raw: () => untilAnswered(['-e', RAW_OPEN_QUERY, invoicesDb], {}, /^ANSWERED/m, async () => {}),
      kontor: desktopStart,
    });

    const ratio = (a: Series, b: Series) => round(a.medianMs / b.medianMs, 2);
    const result = {
      freshnessCheck: { inputs, p50Ms: round([...checks].sort((a, b) => a - b)[100]!, 3) },
      help: { ...help.help!, node: help.node!, ratioToNode: ratio(help.help!, help.node!), goal: '≤ 150 ms, ≤ 3× node -e 0' },
      orgsList: { organizations: 1000, ...orgs.kontor!, raw: orgs.raw!, ratioToRaw: ratio(orgs.kontor!, orgs.raw!), goal: '≤ 300 ms' },
      webHost: {
        invoices: invoiceCount,
        firstCall: 'settings.get',
        ...web.kontor!,
        raw: web.raw!,
        ratioToRaw: ratio(web.kontor!, web.raw!),
        invoicesListFirstPage: summary(pageMs),
        goal: '≤ 300 ms',
      },
      desktopMain: {
        invoices: invoiceCount,
        firstCall: 'settings.get',
        how: 'build/electron/main.cjs in plain Node, electron replaced by test/helpers/fake-electron.ts',
        ...desktop.kontor!,
        raw: desktop.raw!,
        ratioToRaw: ratio(desktop.kontor!, desktop.raw!),
        goal: '≤ 300 ms',
      },
    };
    console.error(
      `  --help ${result.help.medianMs} ms (node -e 0 ${result.help.node.medianMs} ms, ×${result.help.ratioToNode}); ` +
        `orgs list ${result.orgsList.medianMs} ms (raw ${result.orgsList.raw.medianMs}); ` +
        `web host ${result.webHost.medianMs} ms (raw ${result.webHost.raw.medianMs}); ` +
        `desktop main ${result.desktopMain.medianMs} ms (raw ${result.desktopMain.raw.medianMs}); ` +
        `freshness check ${result.freshnessCheck.p50Ms} ms for ${inputs} files`,
    );
    return result;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
