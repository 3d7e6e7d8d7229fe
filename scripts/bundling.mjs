// What the esbuild bundles of this project share: the Electron main process
// (scripts/build-electron.mjs) and the command line (scripts/build-cli.mjs).
//
// 1. Which packages are bundled in. The pure-JavaScript ones every start needs (zod,
//    drizzle-orm, uuidv7) are, because loading them from node_modules costs a file read and a
//    compile per module: zod alone is ~100 files, ~300 ms of Node's ESM loading here against
//    ~80 ms bundled. Every other package stays external and is loaded from node_modules at run
//    time, exactly as the sources load it: native ones (better-sqlite3), large ones that few
//    paths need and load on demand (pg, exceljs, pdfkit, fontkit, swissqrbill, vite), and those
//    reading data files next to themselves (pdfkit's AFM metrics). A new dependency is external
//    until it is added to BUNDLED_PACKAGES, which is the safe default.
//
// 2. Where our sources find their files. Some of our sources locate files next to themselves through import.meta.url: db/open.ts its
// migrations, core/export/pdf/fonts.ts the fonts in assets/, server/store/migrate.ts the hub's
// migrations, cli/commands/web.ts the repository root. In a bundle, import.meta.url is the
// bundle's own file (or does not exist at all in CommonJS). The plugin below rewrites
// import.meta.{url,dirname,filename} in our own .ts files into calls that return the path of
// the ORIGINAL source file, computed at run time from where the bundle sits: the bundle knows
// the relative path from its output folder to the project root (recorded at build time), so
// the same code resolves the same files in the project, in a moved checkout and inside
// app.asar. node_modules are left alone (packages find their own files by their own means).
import fs from 'node:fs';
import path from 'node:path';

/** Packages bundled in (see 1. above), subpaths included (drizzle-orm/sqlite-core…). */
export const BUNDLED_PACKAGES = ['zod', 'drizzle-orm', 'uuidv7'];

/** Every bare import is external unless its package is in BUNDLED_PACKAGES. */
export function externalPackagesPlugin() {
  return {
    name: 'kontor-external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./#]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = args.path.startsWith('@')
          ? args.path.split('/').slice(0, 2).join('/')
          : args.path.split('/')[0];
        return BUNDLED_PACKAGES.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/**
 * zod ships error messages in ~60 languages (360 KB, over a third of the code every start
 * compiles) and exposes them as `z.locales`; its `z` namespace object keeps them all in a
 * bundle. Kontor never selects a zod locale (the router translates failures itself), so only
 * English, zod's default, is bundled: `z.locales` holds `en` alone.
 */
export function zodEnglishOnlyPlugin() {
  return {
    name: 'kontor-zod-english-only',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
        if (!args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)) return undefined;
        const english = path.join(path.dirname(args.importer), '..', 'locales', 'en.js');
        return { path: english, namespace: 'zod-locales', pluginData: english };
      });
      b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(args.pluginData)};`,
        resolveDir: path.dirname(args.pluginData),
        loader: 'js',
      }));
    },
  };
}

/** An esbuild plugin replacing import.meta.{url,dirname,filename} in our .ts files under `root`. */
export function sourcePathsPlugin(root) {
  return {
    name: 'kontor-source-paths',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        let contents = await fs.promises.readFile(args.path, 'utf8');
        if (contents.includes('import.meta')) {
          const relative = JSON.stringify(path.relative(root, args.path).split(path.sep).join('/'));
          contents = contents
            .replaceAll('import.meta.url', `__kontorSourceUrl(${relative})`)
            .replaceAll('import.meta.dirname', `__kontorSourceDir(${relative})`)
            .replaceAll('import.meta.filename', `__kontorSourceFile(${relative})`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * The banner defining the helpers the plugin's rewrites call. `format` is esbuild's ('cjs' or
 * 'esm'); `outdir` is where the bundle's files are written (every chunk of a split ESM build
 * sits in that one folder, so every chunk computes the same root).
 */
export function sourcePathsBanner({ root, outdir, format }) {
  const up = JSON.stringify(path.relative(outdir, root).split(path.sep).join('/') || '.');
  const lines =
    format === 'esm'
      ? [
          'import __kontorPath from "node:path";',
          'import { fileURLToPath as __kontorToPath, pathToFileURL as __kontorToUrl } from "node:url";',
          `const __kontorAppRoot = __kontorPath.join(__kontorPath.dirname(__kontorToPath(import.meta.url)), ${up});`,
        ]
      : [
          'const __kontorPath = require("node:path");',
          'const { pathToFileURL: __kontorToUrl } = require("node:url");',
          `const __kontorAppRoot = __kontorPath.join(__dirname, ${up});`,
        ];
  return [
    ...lines,
    'const __kontorSourceFile = (p) => __kontorPath.join(__kontorAppRoot, ...p.split("/"));',
    'const __kontorSourceDir = (p) => __kontorPath.dirname(__kontorSourceFile(p));',
    'const __kontorSourceUrl = (p) => __kontorToUrl(__kontorSourceFile(p)).href;',
  ].join('\n');
}
