import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The house rules on imports, checked on every file: only electron/main.ts and
// electron/preload.ts may import 'electron' (everything else runs and is tested in plain
// Node); the renderer reaches the rest of the code through types only, except the pure
// modules it shares for inline validation (electron/domain, db/schema/enums).
const root = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(entry.name)) out.push(full);
  }
  return out;
}

interface ImportLine {
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): ImportLine[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: ImportLine[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec) found.push({ spec, typeOnly: Boolean(m[2]) });
  }
  return found;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

describe('layers', () => {
  it("only electron/main.ts and electron/preload.ts import 'electron'", () => {
    const offenders = ['electron', 'db', 'cli', 'server', 'renderer/src', 'test']
      .flatMap((d) => sourceFiles(path.join(root, d)))
      .filter((f) => !['electron/main.ts', 'electron/preload.ts'].includes(rel(f)))
      .filter((f) => importsOf(f).some((i) => i.spec === 'electron' || i.spec.startsWith('electron/')));
    expect(offenders.map(rel)).toEqual([]);
  });

  it('the renderer imports electron/ and db/ code as types only, except the shared pure modules', () => {
    const allowedRuntime = [/\/electron\/domain\//, /\/db\/schema\/enums$/];
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(root, 'renderer', 'src'))) {
      for (const imp of importsOf(file)) {
        if (!imp.spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), imp.spec);
        const inside = rel(target);
        if (!inside.startsWith('electron/') && !inside.startsWith('db/')) continue;
        if (imp.typeOnly) continue;
        if (allowedRuntime.some((re) => re.test(`/${inside}`))) continue;
        offenders.push(`${rel(file)} → ${imp.spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the shared pure modules import nothing from Node, the database or the services', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(root, 'electron', 'domain'))) {
      for (const imp of importsOf(file)) {
        if (imp.typeOnly) continue;
        const bad =
          imp.spec.startsWith('node:') ||
          ['better-sqlite3', 'drizzle-orm', 'fs', 'path'].includes(imp.spec) ||
          (imp.spec.startsWith('.') && /\/(services|api|web|kontor)/.test(path.resolve(path.dirname(file), imp.spec))) ||
          (imp.spec.startsWith('.') &&
            /\/db\//.test(path.resolve(path.dirname(file), imp.spec)) &&
            !/db\/schema\/enums$/.test(path.resolve(path.dirname(file), imp.spec)));
        if (bad) offenders.push(`${rel(file)} → ${imp.spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('db/ never imports from electron/, cli/ or server/ (layers point one way)', () => {
    const offenders = sourceFiles(path.join(root, 'db')).filter((f) =>
      importsOf(f).some((i) => i.spec.startsWith('.') && /\/(electron|cli|server)\//.test(path.resolve(path.dirname(f), i.spec))),
    );
    expect(offenders.map(rel)).toEqual([]);
  });
});
