// The contract's kinds are enforced by the router, not only declared: a query cannot write
// (it would skip the change notification and a restore's wait for writers), a stream is only
// reachable as a stream and a value method only as a call, and a method a door may not call
// is unknown there.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api } from '#core/api/contract';
import { type ApiSection, query } from '#core/api/method';
import { createRouter } from '#core/api/router';
import { count, memorySink, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-kinds-');

describe('the router enforces method kinds', () => {
  it('a query that tries to write is an internal error and writes nothing', async () => {
    const k = space.kontor();
    const logs: string[] = [];
    const router = createRouter(() => k.kontor.ctx(), {
      log: (line) => logs.push(line),
      contract: {
        ...(api as unknown as ApiSection),
        'test.sneakyWrite': query(z.object({}), 'a query that writes', (ctx) =>
          ctx.write('tag.created', (tx) => tx.db.run('SELECT 1')),
        ),
      },
    });
    const before = count(k.raw, 'activity');
    expect(await router.invoke('test.sneakyWrite', {}, { locale: 'de' })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/^In Kontor ist ein interner Fehler/) },
    });
    expect(logs.join('\n')).toMatch(/test\.sneakyWrite is declared a query but tried to write/);
    expect(count(k.raw, 'activity')).toBe(before);
  });

  it('a stream is not a call, a call is not a stream, and a local method is unknown to a page', async () => {
    const k = space.kontor();
    const router = k.kontor.router;
    expect(await router.invoke('invoices.pdf', { id: '0190c5f2-0000-7000-8000-000000000000' })).toMatchObject(
      {
        ok: false,
        error: { code: 'method_kind' },
      },
    );
    expect(await router.stream('organizations.list', {}, {}, memorySink())).toMatchObject({
      ok: false,
      error: { code: 'method_kind' },
    });
    for (const door of ['ipc', 'web'] as const) {
      expect(await router.invoke('system.restore', { file: k.file }, { door })).toMatchObject({
        ok: false,
        error: { code: 'unknown_method' },
      });
    }
    expect(router.methods('web').some((m) => m.name === 'system.restore')).toBe(false);
    expect(router.methods('local').find((m) => m.name === 'system.restore')).toMatchObject({
      kind: 'mutation',
      exclusive: true,
      doors: ['local'],
    });
    expect(router.methods().find((m) => m.name === 'exports.start')).toMatchObject({
      kind: 'job',
      mutates: true,
    });
  });
});
