// The contract's shape: a name declared twice, or in another namespace's file, fails when the
// contract is built (an object spread used to let the later one win silently); and no method
// a page can reach (the desktop window over IPC, a browser through the web host) takes a
// file-system path — those are the 'local' door's alone (the CLI, the shell's own menus).

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api } from '#core/api/contract';
import { type ApiSection, mergeSections, query, REMOTE_DOORS } from '#core/api/method';

describe('the contract is built from one section per namespace', () => {
  const section = (names: string[]): ApiSection =>
    Object.fromEntries(names.map((n) => [n, query(z.object({}), n, () => null)]));

  it('fails at start on a duplicate method name', () => {
    expect(() =>
      mergeSections({ tags: section(['tags.list', 'tags.rename']), other: section(['tags.list']) }),
    ).toThrow(/tags\.list/);
    expect(() => mergeSections({ tags: section(['tags.list', 'tags.rename']) })).not.toThrow();
  });

  it('fails at start on a method outside its file’s namespace', () => {
    expect(() => mergeSections({ exports: section(['invoices.pdf']) })).toThrow(/invoices\.pdf/);
  });

  it('the real contract was built (every method once, each in its namespace)', () => {
    const names = Object.keys(api);
    expect(names.length).toBeGreaterThan(100);
    expect(new Set(names).size).toBe(names.length);
  });
});

/** Input fields that name a place on this computer. */
const PATH_KEY =
  /^(out|file|files|path|paths|dir|directory|folder|target|dest|destination|outDir|outFile)$|.(Path|File|Dir|Folder)$/;

/** Every object key of a JSON Schema (zod's own export of the input side), with where it is. */
function keysOf(schema: unknown, at = '$', found: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) keysOf(s, `${at}[${i}]`, found);
    return found;
  }
  if (schema === null || typeof schema !== 'object') return found;
  const node = schema as Record<string, unknown>;
  if (node.properties && typeof node.properties === 'object') {
    for (const [key, value] of Object.entries(node.properties as Record<string, unknown>)) {
      found.push(`${at}.${key}`);
      keysOf(value, `${at}.${key}`, found);
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'properties') keysOf(value, `${at}/${key}`, found);
  }
  return found;
}

function pathFields(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return keysOf(json).filter((where) => PATH_KEY.test(where.slice(where.lastIndexOf('.') + 1)));
}

describe('no path from a page', () => {
  const entries = Object.entries(api as unknown as ApiSection);

  it('finds a path field wherever it hides (the walk itself can fail)', () => {
    expect(pathFields(z.object({ out: z.string() }))).toEqual(['$.out']);
    expect(
      pathFields(z.object({ a: z.array(z.object({ b: z.object({ saveFolder: z.string() }) })) })),
    ).toHaveLength(1);
    expect(
      pathFields(
        z.discriminatedUnion('k', [z.object({ k: z.literal('x'), input: z.object({ file: z.string() }) })]),
      ),
    ).toHaveLength(1);
    expect(pathFields(z.object({ contentBase64: z.string(), fileName: z.string() }))).toEqual([]);
  });

  it('no input schema a remote door can call has a path field', () => {
    const remote = entries.filter(([, def]) => def.doors.some((door) => REMOTE_DOORS.includes(door)));
    expect(remote.length).toBeGreaterThan(100);
    const offenders = remote.flatMap(([name, def]) =>
      pathFields(def.input).map((where) => `${name} ${where}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the path-taking methods exist, for the local door only', () => {
    const local = entries
      .filter(([, def]) => pathFields(def.input).length > 0)
      .map(([name, def]) => [name, def.doors]);
    expect(local.map(([name]) => name).sort()).toEqual(
      [
        'exports.clients',
        'exports.invoices',
        'exports.pack',
        'exports.start',
        'system.backup',
        'system.restore',
      ].sort(),
    );
    for (const [, doors] of local) expect(doors).toEqual(['local']);
  });
});
