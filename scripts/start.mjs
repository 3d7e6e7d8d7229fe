#!/usr/bin/env node
// `npm start`: build, then run Kontor in Electron — or, where Electron cannot be had, in the
// browser through the local web host. Plain Node, no dependencies of its own.
//
//   npm start                 build, then Electron (or the browser fallback)
//   npm start -- --web        build, then the browser, even if Electron is available
//   npm start -- --no-build   skip `npm run build` (use what is in build/)
//
// Native module (better-sqlite3) and Electron: a .node file is built for one ABI. Node 20
// (the CLI, the web host, the tests) and Electron 41 (NODE_MODULE_VERSION 145) need two
// different builds. Rebuilding node_modules/better-sqlite3 in place for Electron (what
// `electron-builder install-app-deps` does) breaks every plain-Node command until
// `npm rebuild better-sqlite3`, which is the surprise this script avoids: it keeps a separate
// copy built for Electron in build/node_modules/better-sqlite3. The bundled main process
// (build/electron/main.cjs) finds that copy first by ordinary module resolution
// (build/electron → build/node_modules → node_modules), while everything run from the project
// root keeps the Node build in node_modules. The copy is rebuilt only when a marker file in it
// says it was built for another Electron or better-sqlite3 version, platform or arch, and it
// only replaces the previous copy after it has been loaded successfully by Electron itself.
// Packaged apps never see this copy: electron-builder.yml excludes build/node_modules and
// rebuilds the shipped dependencies itself (npmRebuild).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const nativeCopy = path.join(root, 'build', 'node_modules', 'better-sqlite3');
const nativeStaging = path.join(root, 'build', 'native-staging');
const MARKER = '.kontor-electron-build.json';
const DOWNLOAD_TIMEOUT_MS = 120_000;
const REBUILD_TIMEOUT_MS = 15 * 60_000;

const args = process.argv.slice(2);
const forceWeb = args.includes('--web');
const skipBuild = args.includes('--no-build');
const passThrough = args.filter((arg) => arg !== '--web' && arg !== '--no-build');

const say = (line) => console.log(`[kontor] ${line}`);

/** Runs a command with inherited output; resolves { code, signal, timedOut, stderrTail }. */
function run(command, commandArgs, options = {}) {
  const { timeoutMs, captureStderr = false, ...spawnOptions } = options;
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(command, commandArgs, {
        cwd: root,
        stdio: ['ignore', 'inherit', captureStderr ? 'pipe' : 'inherit'],
        ...spawnOptions,
      });
    } catch (error) {
      resolve({
        code: null,
        signal: null,
        timedOut,
        stderrTail: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (captureStderr && child.stderr) {
      child.stderr.on('data', (chunk) => {
        stderr = (stderr + chunk.toString()).slice(-8000);
      });
    }
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        }, timeoutMs)
      : null;
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, timedOut, stderrTail: stderr });
    });
  });
}

/**
 * The line of an error report that says what went wrong: the last "…Error: …" line, else the
 * first line that is not a stack frame, a warning or a source excerpt.
 */
function firstReason(text, fallback) {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== '' &&
        !l.startsWith('at ') &&
        !/^\(node:\d+\)|^npm warn|^gyp (info|warn)|^\^|^Node\.js v/i.test(l),
    );
  const errors = lines.filter((l) =>
    /^(\w+)?Error\b|^gyp ERR!|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(l),
  );
  const line = (errors.at(-1) ?? lines[0] ?? fallback).replace(/^gyp ERR! /, '').slice(0, 240);
  const offline = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(text);
  return offline && !/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(line)
    ? `${line}; the network seems unreachable`
    : line;
}

/** An environment for child processes without settings that would mislead them. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  // Set when this script itself runs under Electron-as-Node; Electron would then not start.
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** `npm run build`, through the npm that started us when there is one. */
async function buildAll() {
  say('building renderer and Electron main process (npm run build)…');
  const npmCli = process.env.npm_execpath;
  const result =
    npmCli && /\.[cm]?js$/.test(npmCli)
      ? await run(process.execPath, [npmCli, 'run', 'build'], { env: cleanEnv() })
      : await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
          env: cleanEnv(),
          shell: process.platform === 'win32',
        });
  return result.code === 0;
}

/** The Electron executable if it is installed (what node_modules/electron/index.js computes). */
function electronBinary() {
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = path.join(
      override,
      relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'),
    );
    return fs.existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = path.join(electronDir, 'dist', relative);
  return fs.existsSync(candidate) ? candidate : null;
}

/** Tries Electron's own installer once; returns null on success or a reason. */
async function downloadElectron() {
  const installer = path.join(electronDir, 'install.js');
  if (!fs.existsSync(installer)) return 'the electron package is not installed (run npm install)';
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  say('the Electron binary is missing; downloading it (node node_modules/electron/install.js)…');
  const result = await run(process.execPath, [installer], {
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
    captureStderr: true,
    env: cleanEnv(),
  });
  if (result.timedOut) return `no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`;
  if (result.code !== 0)
    return firstReason(result.stderrTail, `installer exited with ${result.code ?? result.signal}`);
  return electronBinary() ? null : 'the installer finished but no binary is there';
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function wantedNativeBuild() {
  return {
    electron: readJson(path.join(electronDir, 'package.json'))?.version ?? null,
    betterSqlite3:
      readJson(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'))?.version ?? null,
    platform: process.platform,
    arch: process.arch,
  };
}

function sameBuild(a, b) {
  return !!a && !!b && ['electron', 'betterSqlite3', 'platform', 'arch'].every((key) => a[key] === b[key]);
}

/** Loads the copy with Electron running as Node: proves the ABI really matches. */
async function verifyNativeCopy(binary, packageDir) {
  const probe = path.join(nativeStaging, 'probe.cjs');
  fs.mkdirSync(nativeStaging, { recursive: true });
  fs.writeFileSync(
    probe,
    "if (!process.versions.electron) { console.error('Error: this binary is not Electron'); process.exit(3); }\n" +
      `const Database = require(${JSON.stringify(packageDir)});\n` +
      `const db = new Database(':memory:');\n` +
      `const row = db.prepare('select sqlite_version() as v').get();\n` +
      'db.close();\n' +
      'console.log("[kontor] better-sqlite3 loads in Electron " + process.versions.electron + " (SQLite " + row.v + ")");\n',
  );
  const result = await run(binary, [probe], {
    timeoutMs: 60_000,
    captureStderr: true,
    env: { ...cleanEnv(), ELECTRON_RUN_AS_NODE: '1' },
  });
  if (result.code === 0) return null;
  return firstReason(result.stderrTail, `the probe exited with ${result.code ?? result.signal}`);
}

/**
 * Makes sure build/node_modules/better-sqlite3 is built for this Electron; returns null when
 * it is, or the reason it could not be.
 */
async function ensureNativeCopy(binary) {
  const wanted = wantedNativeBuild();
  if (!wanted.electron || !wanted.betterSqlite3) return 'electron or better-sqlite3 is not installed';
  if (sameBuild(readJson(path.join(nativeCopy, MARKER)), wanted)) return null;

  say(
    `building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} into build/node_modules (node_modules keeps the Node build)…`,
  );
  fs.rmSync(nativeStaging, { recursive: true, force: true });
  const stagedPackage = path.join(nativeStaging, 'node_modules', 'better-sqlite3');
  fs.mkdirSync(path.dirname(stagedPackage), { recursive: true });
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  // Everything but the Node build output: the sources are needed if no prebuilt binary exists.
  fs.cpSync(source, stagedPackage, {
    recursive: true,
    filter: (from) => path.relative(source, from).split(path.sep)[0] !== 'build',
  });
  fs.writeFileSync(
    path.join(nativeStaging, 'package.json'),
    `${JSON.stringify({ name: 'kontor-electron-native', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } }, null, 2)}\n`,
  );

  // @electron/rebuild is what electron-builder's install-app-deps runs; it comes with
  // electron-builder. It tries a prebuilt Electron binary first (prebuild-install), then
  // compiles with node-gyp against Electron's headers. npm exports `nodedir` from .npmrc
  // as npm_config_nodedir, which would make node-gyp compile against the local Node headers
  // and still report success: the child gets an environment without it.
  const rebuildScript = path.join(nativeStaging, 'rebuild.mjs');
  const rebuildUrl = pathToFileURL(
    path.join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'main.js'),
  ).href;
  fs.writeFileSync(
    rebuildScript,
    `import { rebuild } from ${JSON.stringify(rebuildUrl)};\n` +
      `await rebuild({ buildPath: ${JSON.stringify(nativeStaging)}, electronVersion: ${JSON.stringify(wanted.electron)},\n` +
      `  arch: ${JSON.stringify(process.arch)}, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });\n`,
  );
  const env = cleanEnv();
  for (const key of Object.keys(env)) {
    if (
      /^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|target_arch|build_from_source)$/i.test(key)
    )
      delete env[key];
  }
  const result = await run(process.execPath, [rebuildScript], {
    timeoutMs: REBUILD_TIMEOUT_MS,
    captureStderr: true,
    env,
  });
  if (result.timedOut) return `the rebuild took longer than ${REBUILD_TIMEOUT_MS / 60_000} min`;
  if (result.code !== 0)
    return firstReason(result.stderrTail, `the rebuild exited with ${result.code ?? result.signal}`);

  const problem = await verifyNativeCopy(binary, stagedPackage);
  if (problem) return `the rebuilt module does not load in Electron: ${problem}`;

  fs.rmSync(nativeCopy, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(nativeCopy), { recursive: true });
  fs.renameSync(stagedPackage, nativeCopy);
  fs.writeFileSync(
    path.join(nativeCopy, MARKER),
    `${JSON.stringify({ ...wanted, builtAt: new Date().toISOString() }, null, 2)}\n`,
  );
  fs.rmSync(nativeStaging, { recursive: true, force: true });
  return null;
}

/** Runs a child in the foreground: signals go to it, its exit code becomes ours. */
function foreground(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => {
    if (!child.killed) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', (error) => {
    console.error(`[kontor] could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

function startWeb() {
  const cli = path.join(root, 'bin', 'kontor.js');
  if (!fs.existsSync(cli)) {
    console.error('[kontor] bin/kontor.js is missing: cannot start the web host either.');
    process.exit(1);
  }
  foreground(process.execPath, [cli, 'web', ...passThrough], cleanEnv());
}

async function main() {
  if (!skipBuild && !(await buildAll())) {
    console.error('[kontor] the build failed; see the output above.');
    process.exit(1);
  }
  if (forceWeb) {
    say('starting Kontor in your browser (--web)…');
    startWeb();
    return;
  }
  let binary = electronBinary();
  if (!binary) {
    const reason = await downloadElectron();
    binary = electronBinary();
    if (!binary) {
      say(
        `Electron could not be downloaded (${reason ?? 'unknown reason'}); starting Kontor in your browser instead.`,
      );
      startWeb();
      return;
    }
  }
  const nativeProblem = await ensureNativeCopy(binary);
  if (nativeProblem) {
    fs.rmSync(nativeStaging, { recursive: true, force: true });
    say(
      `better-sqlite3 could not be built for Electron (${nativeProblem}); starting Kontor in your browser instead.`,
    );
    startWeb();
    return;
  }
  say('starting Electron…');
  foreground(binary, [root, ...passThrough], cleanEnv());
}

main().catch((error) => {
  console.error(`[kontor] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
