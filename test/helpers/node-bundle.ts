// One of our TypeScript entry points bundled for plain node, as the desktop app's main process
// and the CLI are bundled (scripts/bundling.mjs: zod and drizzle inside, every other package
// loaded from node_modules), for a test or a bench to run without tsx's loader (a start through
// it costs 1.3–2.3 s here, and its loader and compiled sources hold ~40 MB of the process).
// ESM with splitting: the export libraries (exceljs, pdfkit…) stay loaded on first use, as in
// the sources (in a single ESM file esbuild hoists every external import to the top). The
// bundle lives under node_modules/.cache so Node resolves the external packages from the project.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './kontor';

/** Bundles `source` as `<name>.mjs` in a new folder; the caller removes the folder. */
export async function bundleForNode(source: string, name: string): Promise<{ file: string; folder: string }> {
  const { build } = await import('esbuild');
  const outDir = path.join(REPO_ROOT, 'node_modules', '.cache', 'kontor-tests');
  fs.mkdirSync(outDir, { recursive: true });
  // Test workers can be stopped without an exit event: sweep bundles left by earlier runs.
  for (const entry of fs.readdirSync(outDir)) {
    const stale = path.join(outDir, entry);
    if (Date.now() - fs.statSync(stale).mtimeMs > 3_600_000) fs.rmSync(stale, { recursive: true, force: true });
  }
  const folder = path.join(outDir, `${name}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  const bundling = await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'bundling.mjs')).href);
  await build({
    entryPoints: { [name]: source },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: folder,
    outExtension: { '.js': '.mjs' },
    absWorkingDir: REPO_ROOT,
    banner: { js: bundling.sourcePathsBanner({ root: REPO_ROOT, outdir: folder, format: 'esm' }) },
    logLevel: 'error',
    plugins: [
      bundling.externalPackagesPlugin(),
      bundling.zodEnglishOnlyPlugin(),
      bundling.sourcePathsPlugin(REPO_ROOT),
    ],
  });
  return { file: path.join(folder, `${name}.mjs`), folder };
}
