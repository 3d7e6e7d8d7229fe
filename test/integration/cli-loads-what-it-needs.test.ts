// The command line loads only what a command needs (README, "Command line"): `kontor --help`
// opens no database and loads no drizzle, and a command that lists organizations loads none of
// the export, import or hub libraries. Checked on the real bundle (bin/kontor.js) through
// Node's module hooks, which see every ES module and every package imported from one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-cli-loads-');

/** Records the URL of every module Node loads (hooks run on their own thread in Node 20). */
const HOOKS = `
import fs from 'node:fs';
export async function load(url, context, nextLoad) {
  fs.appendFileSync(process.env.KONTOR_LOAD_LOG, url + '\\n');
  return nextLoad(url, context);
}
`;

function loadedBy(args: string[]): { urls: string[]; bundleText: string; status: number | null } {
  const dir = space.dir();
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(hooks, HOOKS);
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const log = path.join(dir, 'loaded.txt');
  fs.writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', register, path.join(REPO_ROOT, 'bin', 'kontor.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, KONTOR_LOAD_LOG: log, KONTOR_HOME: dir },
    encoding: 'utf8',
  });
  const urls = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  // esbuild names every module it bundles in a comment (`// node_modules/drizzle-orm/…`).
  const bundleText = urls
    .filter((url) => url.startsWith('file:') && url.includes('/build/cli/'))
    .map((url) => fs.readFileSync(new URL(url), 'utf8'))
    .join('\n');
  return { urls, bundleText, status: result.status };
}

const packageOf = (url: string) => url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];

describe('the command line loads what a command needs', () => {
  // A stale bundle would be rebuilt inside the measured start (esbuild loaded and all).
  beforeAll(() => {
    const built = spawnSync(process.execPath, ['scripts/build-cli.mjs', '--if-stale'], { cwd: REPO_ROOT });
    expect(built.status).toBe(0);
  });

  it('kontor --help: no database, no drizzle, no zod, no package at all', () => {
    const { urls, bundleText, status } = loadedBy(['--help']);
    expect(status).toBe(0);
    expect(urls.some((url) => url.endsWith('/build/cli/main.mjs'))).toBe(true);
    expect(urls.map(packageOf).filter(Boolean)).toEqual([]);
    expect(bundleText).not.toContain('node_modules/drizzle-orm/');
    expect(bundleText).not.toContain('node_modules/zod/');
    expect(bundleText).not.toContain('db/open.ts');
  });

  it('kontor orgs list: the database, but none of the export, import or hub libraries', () => {
    const { urls, bundleText, status } = loadedBy(['--db', path.join(space.dir(), 'k.sqlite'), 'orgs', 'list']);
    expect(status).toBe(0);
    const packages = new Set(urls.map(packageOf).filter(Boolean));
    expect(packages).toContain('better-sqlite3');
    for (const heavy of ['exceljs', 'pdfkit', 'fontkit', 'swissqrbill', 'yazl', 'papaparse', 'iconv-lite', 'pg', 'vite'])
      expect(packages, heavy).not.toContain(heavy);
    expect(bundleText).toContain('node_modules/drizzle-orm/');
    expect(bundleText).not.toContain('core/export/pdf/invoice-pdf.ts');
    expect(bundleText).not.toContain('server/store/postgres.store.ts');
  });
});
