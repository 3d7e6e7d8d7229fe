#!/usr/bin/env node
// Bundles the command line with esbuild: cli/main.ts and everything it reaches under core/,
// common/, db/ and server/ → build/cli/main.mjs plus one chunk per command (ESM splitting:
// main.ts imports each command on demand, so `kontor --help` loads one small file).
//
//   node scripts/build-cli.mjs              build now
//   node scripts/build-cli.mjs --if-stale   build only when a source changed since the last build
//
// Built by `npm install` (postinstall), `npm run build`, `npm test`, and by bin/kontor.js
// itself whenever a source it was built from has changed, so `npx kontor` always runs this
// checkout's code. That check (staleReason) must cost next to nothing on every start: it reads
// the manifest written here (every input file with its mtime and size, taken from esbuild's
// metafile) and stats those files, ~190 stats, 1–2 ms. This module imports nothing heavy at
// its top; esbuild is loaded only to build.
//
// Which packages are bundled and how our sources find their files from the bundle:
// scripts/bundling.mjs, shared with the Electron main bundle.
//
// Writing is safe while other processes run the CLI (tests start it in parallel, a web host
// may run for days): chunk names carry a content hash and every file is written to a temporary
// name and renamed into place, main.mjs and then the manifest last. Chunks of earlier builds
// are left for processes still running them and swept once they are a day old.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUTDIR = path.join(root, 'build', 'cli');
export const CLI_ENTRY = path.join(CLI_OUTDIR, 'main.mjs');
const MANIFEST = path.join(CLI_OUTDIR, 'manifest.json');
/** Files that shape the bundle without being part of it. */
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'scripts/build-cli.mjs', 'scripts/bundling.mjs'];
const SWEEP_AFTER_MS = 24 * 3600_000;

/**
 * Why the bundle must be rebuilt (no bundle, a source changed or vanished), or null
 * when it is current.
 */
export function staleReason() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'no bundle yet';
  }
  if (!fs.existsSync(CLI_ENTRY)) return 'no bundle yet';
  for (const [file, mtimeMs, size] of manifest.inputs) {
    // Plain concatenation: path.join on every start costs more than the stats (Windows takes '/').
    const stat = fs.statSync(`${root}/${file}`, { throwIfNoEntry: false });
    if (!stat) return `${file} is gone`;
    if (stat.mtimeMs !== mtimeMs || stat.size !== size) return `${file} changed`;
  }
  return null;
}

/** Builds build/cli; returns the output files' total size in bytes. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const { BUNDLED_PACKAGES, externalPackagesPlugin, sourcePathsBanner, sourcePathsPlugin, zodEnglishOnlyPlugin } =
    await import('./bundling.mjs');
  const started = Date.now();
  const result = await build({
    entryPoints: { main: path.join(root, 'cli', 'main.ts') },
    outdir: CLI_OUTDIR,
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Error stacks name the bundle's lines; `node --enable-source-maps build/cli/main.mjs`
    // maps them back (turned on by default it would parse the maps on every start).
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
    tsconfig: path.join(root, 'tsconfig.json'),
    banner: { js: sourcePathsBanner({ root, outdir: CLI_OUTDIR, format: 'esm' }) },
    plugins: [externalPackagesPlugin(), zodEnglishOnlyPlugin(), sourcePathsPlugin(root)],
    metafile: true,
    write: false,
  });
  fs.mkdirSync(CLI_OUTDIR, { recursive: true });
  const written = new Set([MANIFEST]);
  let bytes = 0;
  // The entry last: once it is in place, every chunk it names is too.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === CLI_ENTRY) - Number(b.path === CLI_ENTRY));
  for (const file of files) {
    writeAtomically(file.path, file.contents);
    written.add(file.path);
    bytes += file.contents.length;
  }
  const inputs = [
    ...BUILD_INPUTS,
    // The bundled packages' versions: a worktree's node_modules can be updated under it.
    ...BUNDLED_PACKAGES.map((name) => `node_modules/${name}/package.json`),
    ...Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/')),
  ].map((input) => {
    const stat = fs.statSync(path.join(root, input));
    // A file saved while esbuild was reading it may be in the bundle in its older form: an
    // impossible mtime makes the next start rebuild.
    return [input, stat.mtimeMs >= started - 1000 ? -1 : stat.mtimeMs, stat.size];
  });
  writeAtomically(MANIFEST, `${JSON.stringify({ builtAt: new Date().toISOString(), inputs })}\n`);
  for (const name of fs.readdirSync(CLI_OUTDIR)) {
    const file = path.join(CLI_OUTDIR, name);
    if (written.has(file)) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > SWEEP_AFTER_MS) fs.rmSync(file, { force: true });
    } catch {
      // Another build swept it first.
    }
  }
  return bytes;
}

function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const reason = staleReason();
  if (ifStale && reason === null) {
    console.log('[build-cli] build/cli is current');
  } else {
    const started = Date.now();
    buildCli().then(
      (bytes) =>
        console.log(
          `[build-cli] build/cli/main.mjs and its chunks, ${(bytes / 1024).toFixed(0)} KiB, in ${Date.now() - started} ms${reason ? ` (${reason})` : ''}`,
        ),
      (error) => {
        console.error(`[build-cli] ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  }
}
