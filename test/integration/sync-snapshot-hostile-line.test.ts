// A snapshot page with a line that is no row (a hostile or broken hub, a proxy that rewrote the
// answer): the device refuses it (hub_bad_answer), keeps the whole valid rows before it, and
// never holds the refused line's row; once the hub answers properly, the next round resumes
// after the last row kept and converges. The device keeps its snapshot lines as text until the
// slice that applies them parses them (core/sync/snapshot-round.ts): the refusal happens there.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncEngine } from '#core/sync/engine';
import { HubFailure } from '#core/sync/hub-client';
import { SYNC_TABLES } from '#db/sync/tables';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-snapshot-hostile-');

/** The line that replaces the page's row at ROW_AT; its row id never reaches the device. */
const HOSTILE: Record<string, (rowId: string, line: string) => string> = {
  'not JSON': (rowId) => `{"table":"products","rowId":"${rowId}","fields":{`,
  'a field without a valid HLC': (rowId) =>
    JSON.stringify({ table: 'products', rowId, fields: { name: ['"evil.ch"', 'not-an-hlc'] } }),
  'a field that is no tuple': (rowId) =>
    JSON.stringify({ table: 'products', rowId, fields: { name: '"evil.ch"' } }),
  'an empty line': () => '',
  // JSON has no byte order mark; one inside the stream was never dropped.
  'a row behind a byte order mark': (_, line) => `\uFEFF${line}`,
  'a row cut short': (_, line) => line.slice(0, -5),
};
const ROW_AT = 7;

/**
 * An HTTP proxy in front of the hub: every call passes through, except that while `rewrite`
 * is set, a snapshot page's row line at ROW_AT is replaced by what it returns.
 */
async function rewritingProxy(target: string) {
  const state: {
    rewrite: ((rowId: string, line: string) => string) | null;
    replaced: string[];
    /** Snapshot answers written a few bytes at a time, each write on a turn of its own. */
    trickle: boolean;
  } = { rewrite: null, replaced: [], trickle: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v);
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      let body = await answer.text();
      const rewrite = state.rewrite;
      if (rewrite && req.url?.startsWith('/v1/sync/snapshot') && answer.ok) {
        const lines = body.split('\n');
        // lines[0] is the head; rows follow; the end line and a trailing '' close the page.
        const row = JSON.parse(lines[ROW_AT] as string) as { rowId: string };
        state.replaced.push(row.rowId);
        lines[ROW_AT] = rewrite(row.rowId, lines[ROW_AT] as string);
        body = lines.join('\n');
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
      if (state.trickle && req.url?.startsWith('/v1/sync/snapshot')) {
        // Network chunks that end anywhere: inside a line, inside a multi-byte character.
        const bytes = Buffer.from(body);
        for (let at = 0; at < bytes.length; at += 3) {
          res.write(bytes.subarray(at, at + 3));
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.end();
        return;
      }
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise((r) => server.close(r)) };
}

const rowsOf = (k: TestKontor) =>
  [...SYNC_TABLES.keys()].reduce(
    (n, t) => n + (k.raw.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number),
    0,
  );

describe('a snapshot line that is no row', () => {
  let hub: TestHub;
  let writer: TestKontor;
  beforeAll(async () => {
    hub = await startTestHub('sqlite');
    const admin = adminApi(hub.url);
    await admin.createUser('hostile-line');
    writer = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    await writer.ok('sync.configure', {
      hubUrl: hub.url,
      enrollCode: (await admin.enrollCode('hostile-line')).code,
    });
    writer.kontor.sync.stop();
    const org = await writer.ok('organizations.create', {
      kind: 'company',
      name: 'Lignée Zürich SA',
      country: 'CH',
      currency: 'CHF',
    });
    for (let i = 0; i < 20; i++)
      await writer.ok('products.create', {
        organizationId: org.id,
        kind: 'domain',
        name: `ligne-${i}-é€😀.ch`,
        publicPriceMinor: 1_000 + i,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
      });
    await writer.ok('sync.now', {});
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  /** A new device enrolled through the proxy, its own timer stopped: each test syncs it by hand. */
  async function deviceBehind(url: string) {
    const device = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    await device.ok('sync.configure', {
      hubUrl: url,
      enrollCode: (await adminApi(hub.url).enrollCode('hostile-line')).code,
    });
    device.kontor.sync.stop();
    return device;
  }

  it.each(Object.keys(HOSTILE))('%s: refused, the rows before it kept, then resumed', async (kind) => {
    const proxy = await rewritingProxy(hub.url);
    try {
      const device = await deviceBehind(proxy.url);
      proxy.state.rewrite = HOSTILE[kind] ?? null;
      const sync = new SyncEngine({ ctx: () => device.kontor.ctx() });
      const refused = await sync.syncNow().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(HubFailure);
      expect((refused as HubFailure).code).toBe('hub_bad_answer');
      // The rows before the refused line, whole and valid, stand; its row is not there.
      expect(rowsOf(device)).toBe(ROW_AT - 1);
      const replaced = proxy.state.replaced[0] as string;
      expect(device.raw.prepare('SELECT count(*) FROM products WHERE id = ?').pluck().get(replaced)).toBe(0);
      expect(
        device.raw.prepare('SELECT count(*) FROM change_log WHERE row_id = ?').pluck().get(replaced),
      ).toBe(0);

      proxy.state.rewrite = null;
      await sync.syncNow();
      expect(storeContent(device.raw)).toEqual(storeContent(writer.raw));
      device.close();
    } finally {
      await proxy.close();
    }
  });

  it('arriving a few bytes at a time, lines and characters cut across chunks, converges', async () => {
    const proxy = await rewritingProxy(hub.url);
    try {
      const device = await deviceBehind(proxy.url);
      proxy.state.trickle = true;
      await new SyncEngine({ ctx: () => device.kontor.ctx() }).syncNow();
      expect(storeContent(device.raw)).toEqual(storeContent(writer.raw));
      device.close();
    } finally {
      await proxy.close();
    }
  });
});
