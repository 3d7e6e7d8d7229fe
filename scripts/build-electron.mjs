#!/usr/bin/env node
// Bundles the Electron main process and the preload with esbuild:
//   electron/main.ts    → build/electron/main.cjs     (Node, CommonJS)
//   electron/preload.ts → build/electron/preload.cjs  (sandboxed preload: only 'electron')
//
// Main bundles our own TypeScript and the few pure-JavaScript packages every start needs
// (zod, drizzle-orm, uuidv7: scripts/bundling.mjs says why, shared with the CLI's bundle);
// every other npm package stays an external require() loaded from node_modules at run time.
// electron-builder ships the production dependencies in any case, and packages that read
// their own data files next to __dirname (fonts, AFM metrics, native .node binaries such as
// better-sqlite3) keep working, which they would not inside a bundle.
//
// The preload is different: a sandboxed preload can require nothing but 'electron' (and a
// few polyfilled modules), so everything it imports is bundled into it.
//
// `import.meta.url` does not exist in CommonJS: our sources that use it (db/open.ts finds its
// migrations by it) get the path of their original source file instead (scripts/bundling.mjs),
// so the same code resolves the same paths in the bundle, both in
// the project and inside app.asar. main.ts still passes migrationsDir explicitly.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { externalPackagesPlugin, sourcePathsBanner, sourcePathsPlugin, zodEnglishOnlyPlugin } from './bundling.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdirArg = process.argv.find((arg) => arg.startsWith('--outdir='));
// --outdir= is for tests that bundle into a scratch folder.
const outdir = outdirArg
  ? path.resolve(root, outdirArg.slice('--outdir='.length))
  : path.join(root, 'build', 'electron');
const watch = process.argv.includes('--watch');

const mainBanner = [
  'process.setSourceMapsEnabled?.(true);',
  sourcePathsBanner({ root, outdir, format: 'cjs' }),
].join('\n');

const common = {
  bundle: true,
  format: 'cjs',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  tsconfig: path.join(root, 'tsconfig.json'),
};

/** @type {import('esbuild').BuildOptions} */
const mainOptions = {
  ...common,
  entryPoints: { main: path.join(root, 'electron', 'main.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  // 'electron' and better-sqlite3 among them: externals by the plugin's rule.
  banner: { js: mainBanner },
  plugins: [externalPackagesPlugin(), zodEnglishOnlyPlugin(), sourcePathsPlugin(root)],
};

/** @type {import('esbuild').BuildOptions} */
const preloadOptions = {
  ...common,
  entryPoints: { preload: path.join(root, 'electron', 'preload.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
  // The preload runs in the renderer (Chromium of Electron 41) with a minimal require.
  platform: 'browser',
  target: ['chrome130'],
  external: ['electron'],
};

async function main() {
  fs.mkdirSync(outdir, { recursive: true });
  if (watch) {
    const { context } = await import('esbuild');
    const contexts = await Promise.all([context(mainOptions), context(preloadOptions)]);
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[build-electron] watching electron/ for changes…');
    return;
  }
  const results = await Promise.all([
    build({ ...mainOptions, metafile: true }),
    build({ ...preloadOptions, metafile: true }),
  ]);
  checkPreloadImports(results[1].metafile);
  for (const name of ['main.cjs', 'preload.cjs']) {
    const size = fs.statSync(path.join(outdir, name)).size;
    console.log(
      `[build-electron] ${path.relative(root, path.join(outdir, name))} ${(size / 1024).toFixed(1)} KiB`,
    );
  }
}

/** The sandboxed preload must not reach for anything but 'electron' at run time. */
function checkPreloadImports(metafile) {
  const externals = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports ?? []) if (imported.external) externals.add(imported.path);
  }
  const unexpected = [...externals].filter((name) => name !== 'electron');
  if (unexpected.length > 0) {
    throw new Error(
      `preload.cjs would require ${unexpected.join(', ')} at run time; a sandboxed preload can only require 'electron'`,
    );
  }
}

main().catch((error) => {
  console.error(`[build-electron] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
