// `npx kontor` runs from its bundle (build/cli) yet always runs the checkout's code: a source
// edited after the last build is rebuilt before the command runs; a source that does not build
// stops the command with esbuild's message instead of running stale code. Done on a copy of the
// checkout (the sources the bundle is made from, node_modules linked), never on the checkout
// itself, which other tests run at the same time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-cli-bundle-');

function copyOfCheckout(): string {
  const copy = space.dir();
  // The folders behind package.json's import aliases (#core/…, #db/…) and the CLI's own.
  const aliased = Object.values(
    (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { imports: Record<string, string> })
      .imports,
  ).map((target) => target.split('/')[1] as string);
  for (const entry of new Set([...aliased, 'bin', 'cli', 'scripts', 'package.json', 'tsconfig.json'])) {
    fs.cpSync(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

function kontor(copy: string, args: string[]) {
  return spawnSync(process.execPath, [path.join(copy, 'bin', 'kontor.js'), ...args], {
    cwd: copy,
    encoding: 'utf8',
  });
}

/** Rewrites a file with a new modification time, as an editor saving it does. */
function edit(file: string, change: (text: string) => string): void {
  const before = fs.statSync(file).mtimeMs;
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  const seconds = Math.max(Date.now(), before + 2000) / 1000;
  fs.utimesSync(file, seconds, seconds);
}

describe('the CLI bundle follows the sources', () => {
  it('is built on the first start, rebuilt after an edit, and refuses to run a source that does not build', () => {
    const copy = copyOfCheckout();
    const usage = path.join(copy, 'cli', 'usage.ts');

    const first = kontor(copy, ['--help']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^usage: kontor \[--db FILE\]/);
    expect(fs.existsSync(path.join(copy, 'build', 'cli', 'main.mjs'))).toBe(true);

    edit(usage, (text) => text.replace('usage: kontor [--db FILE]', 'usage: kontor-edited [--db FILE]'));
    const edited = kontor(copy, ['--help']);
    expect(edited.status).toBe(0);
    expect(edited.stdout).toMatch(/^usage: kontor-edited \[--db FILE\]/);

    edit(usage, (text) => `${text}\nexport const broken = ;\n`);
    const broken = kontor(copy, ['--help']);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('usage.ts');
    expect(broken.stderr).toContain('kontor: the command line could not be built');

    edit(usage, (text) => text.replace('\nexport const broken = ;\n', ''));
    const mended = kontor(copy, ['--help']);
    expect(mended.status).toBe(0);
    expect(mended.stdout).toMatch(/^usage: kontor-edited \[--db FILE\]/);
  });
});
