import fs from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The house rules on imports, read from the real import graph: esbuild resolves every import
// (relative paths and the package.json `#…` aliases alike) and drops type-only ones, so its
// metafile holds exactly the run-time edges between files. Layers point one way:
//   renderer → common · core → common, db · server → common, db · db → common
//   electron (the desktop shell) → core, common, db · cli → core, common, db, server
// and common is pure: no Node built-ins, no database, no services.
const root = path.resolve(__dirname, '..', '..');

const LAYERS = ['common', 'db', 'core', 'server', 'electron', 'cli', 'renderer'] as const;
type Layer = (typeof LAYERS)[number];

const ALLOWED: Record<Layer, readonly Layer[]> = {
  common: ['common'],
  db: ['db', 'common'],
  core: ['core', 'db', 'common'],
  server: ['server', 'db', 'common'],
  electron: ['electron', 'core', 'db', 'common'],
  cli: ['cli', 'core', 'db', 'server', 'common'],
  renderer: ['renderer', 'common'],
};

/** Packages that only the Node side may load; `electron` only the shell's main and preload. */
const NODE_ONLY = /^(node:|fs$|path$|better-sqlite3|drizzle-orm|pg$|pdfkit|exceljs|electron)/;

function layerOf(file: string): Layer | null {
  file = file.replace(/^planted:/, '');
  const rel = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  const top = rel.startsWith('renderer/') ? 'renderer' : rel.split('/')[0];
  return (LAYERS as readonly string[]).includes(top ?? '') ? (top as Layer) : null;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'migrations'].includes(entry.name) || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const common = {
  bundle: true,
  write: false,
  metafile: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'silent',
  jsx: 'automatic',
  absWorkingDir: root,
  loader: { '.css': 'empty', '.svg': 'empty', '.png': 'empty' },
} as const;

interface Violation {
  from: string;
  to: string;
}

function violations(meta: Metafile): Violation[] {
  const found: Violation[] = [];
  for (const [file, input] of Object.entries(meta.inputs)) {
    const from = layerOf(file);
    if (!from) continue;
    for (const imp of input.imports) {
      if (imp.external) {
        const bad = (from === 'common' || from === 'renderer') && NODE_ONLY.test(imp.path);
        const electronOutsideShell =
          imp.path === 'electron' && !['electron/main.ts', 'electron/preload.ts'].includes(file);
        if (bad || electronOutsideShell) found.push({ from: file, to: imp.path });
        continue;
      }
      const to = layerOf(imp.path);
      if (to && !ALLOWED[from].includes(to)) found.push({ from: file, to: imp.path });
    }
  }
  return found;
}

async function graphOf(dirs: string[]): Promise<Metafile> {
  const entryPoints = dirs.flatMap((d) => sourceFiles(path.join(root, d)));
  const result = await build({ ...common, entryPoints, outdir: path.join(root, 'build', 'layers-check') });
  return result.metafile;
}

describe('layers', () => {
  it('every layer imports only the layers below it, and only main/preload import electron', async () => {
    const meta = await graphOf(['common', 'db', 'core', 'server', 'electron', 'cli', 'renderer/src']);
    // The graph really was read: the core reaches the database and the shared code.
    const edges = Object.entries(meta.inputs).flatMap(([f, i]) => i.imports.map((x) => `${layerOf(f)}→${layerOf(x.path)}`));
    expect(edges).toContain('core→db');
    expect(edges).toContain('renderer→common');
    expect(violations(meta)).toEqual([]);
  }, 60_000);

  it.each([
    ['common', "import { openKontor } from '#core/kontor'; export const x = openKontor;"],
    ['common', "import fs from 'node:fs'; export const x = fs;"],
    ['db', "import { createRouter } from '#core/api/router'; export const x = createRouter;"],
    ['server', "import { openKontor } from '#core/kontor'; export const x = openKontor;"],
    ['renderer/src', "import { openStore } from '#db/open'; export const x = openStore;"],
    ['core', "import { runHub } from '../cli/commands/hub'; export const x = runHub;"],
  ])('a planted wrong-direction import in %s is caught: %s', async (dir, contents) => {
    // A virtual file placed in that layer's folder (never written to disk).
    const planted = path.join(root, dir, '__planted__.ts');
    const result = await build({
      ...common,
      entryPoints: ['planted'],
      outdir: path.join(root, 'build', 'layers-check'),
      plugins: [
        {
          name: 'planted',
          setup(b) {
            b.onResolve({ filter: /^planted$/ }, () => ({ path: planted, namespace: 'planted' }));
            b.onLoad({ filter: /.*/, namespace: 'planted' }, () => ({ contents, loader: 'ts', resolveDir: path.dirname(planted) }));
          },
        },
      ],
    });
    const found = violations(result.metafile);
    expect(found.some((v) => v.from.endsWith('__planted__.ts'))).toBe(true);
  });
});
