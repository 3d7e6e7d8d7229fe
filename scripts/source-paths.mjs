// What the esbuild bundles of this project (the Electron main process, the CLI) share so that
// code finding files by its own location still finds them from inside a bundle.
//
// Some of our sources locate files next to themselves through import.meta.url: db/open.ts its
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
