// A fault in a stream method (the store closed under it, a full disk, a writer that throws)
// answers the one envelope { ok:false, error:{ code, message } } through every door, and the
// process keeps serving: each case sends the next call and gets its answer. Before, the web
// host awaited the download inside a request's 'end' listener, so a rethrown error was an
// unhandled rejection that ended the process (POST /api/download with the store closed: exit 1).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Empty } from '#common/system.schema';
import { api } from '#core/api/contract';
import { type ApiSection, stream } from '#core/api/method';
import { createRouter, type Router } from '#core/api/router';
import { startWebHost, type WebHost } from '#core/hosts/web/web-host';
import { createInvokeHandler, createSaveHandler, type InvokeEventLike } from '../../electron/app/ipc';
import { type FullDisk, mountFullDisk } from '../helpers/full-disk';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-stream-faults-');

/** The contract plus two planted writers that fail: one before its first byte, one after some. */
const planted: ApiSection = {
  ...(api as unknown as ApiSection),
  'test.throwsAtOnce': stream(Empty, 'a writer that throws', () => ({
    fileName: 'x.csv',
    mime: 'text/csv',
    write: async () => {
      throw new Error('the writer broke');
    },
  })),
  'test.throwsLater': stream(Empty, 'a writer that throws after some bytes', () => ({
    fileName: 'y.csv',
    mime: 'text/csv',
    write: async (out) => {
      out.write('a,b\n'.repeat(20_000));
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('the writer broke later');
    },
  })),
};

let k: TestKontor;
let router: Router;
const logs: string[] = [];

beforeAll(async () => {
  k = space.kontor();
  await setUpProvider(k);
  const org = await createPayer(k);
  for (let i = 0; i < 3; i++) await issueInvoice(k, org.id, [line(10_000 + i)]);
  router = createRouter(() => k.kontor.ctx(), { contract: planted, log: (line) => logs.push(line) });
});

/** A second store whose connection is closed under the router (a restore gone wrong, a bug). */
function closedStoreRouter(): Router {
  const broken = space.kontor();
  broken.kontor.ctx().raw.close();
  return createRouter(() => broken.kontor.ctx(), { contract: planted, log: (line) => logs.push(line) });
}

function post(host: WebHost, pathName: string, body: unknown, locale = 'fr') {
  return new Promise<{ status: number; body: string; aborted: boolean }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: pathName,
        headers: {
          host: `127.0.0.1:${host.port}`,
          'content-type': 'application/json',
          'x-kontor-token': host.token,
          'x-kontor-locale': locale,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, aborted: false }));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, body: text, aborted: true }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text, aborted: true }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('through the web host', () => {
  let host: WebHost;
  let brokenHost: WebHost;
  const staticDir = () => space.dir();
  beforeAll(async () => {
    host = await startWebHost({ router, staticDir: staticDir() });
    brokenHost = await startWebHost({ router: closedStoreRouter(), staticDir: staticDir() });
  });
  afterAll(async () => {
    await host.close();
    await brokenHost.close();
  });

  it('streams a file, and answers a writer that throws at once with the envelope, then serves the next call', async () => {
    const file = await post(host, '/api/stream', {
      method: 'exports.invoicesFile',
      input: { format: 'csv' },
    });
    expect(file.status).toBe(200);
    expect(file.body.split('\n').filter(Boolean)).toHaveLength(4);

    const failed = await post(host, '/api/stream', { method: 'test.throwsAtOnce', input: {} });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/^Une erreur interne/), params: {} },
    });
    expect(logs.join('\n')).toMatch(/the writer broke\n\s+at /);

    const next = await post(host, '/api/invoke', { method: 'organizations.list', input: {} });
    expect(JSON.parse(next.body)).toMatchObject({ ok: true });
  });

  it('cuts a download whose writer fails after its first bytes, and serves the next call', async () => {
    const cut = await post(host, '/api/stream', { method: 'test.throwsLater', input: {} });
    expect(cut.status).toBe(200);
    expect(cut.aborted).toBe(true);
    const next = await post(host, '/api/invoke', { method: 'organizations.list', input: {} });
    expect(JSON.parse(next.body)).toMatchObject({ ok: true });
  });

  it('answers a stream with the store closed with the envelope, and serves the next call', async () => {
    const failed = await post(brokenHost, '/api/stream', {
      method: 'exports.clientsFile',
      input: {
        partnerOrganizationId: '0190c5f2-0000-7000-8000-000000000000',
        from: '2026-01-01',
        to: '2026-01-31',
        format: 'csv',
      },
    });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.any(String) },
    });
    const next = await post(brokenHost, '/api/invoke', { method: 'system.info', input: {} });
    expect(JSON.parse(next.body)).toHaveProperty('ok');
    const again = await post(host, '/api/invoke', { method: 'organizations.list', input: {} });
    expect(JSON.parse(again.body)).toMatchObject({ ok: true });
  });

  it('takes no path: path-taking methods are unknown here, and imports read no file', async () => {
    for (const [method, input] of [
      ['exports.invoices', { format: 'csv', out: '/tmp/stolen.csv' }],
      ['system.backup', { out: '/tmp/stolen.sqlite' }],
      ['system.restore', { file: '/etc/passwd' }],
    ] as const) {
      const answer = JSON.parse((await post(host, '/api/invoke', { method, input })).body);
      expect(answer, method).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
    const probe = JSON.parse(
      (
        await post(host, '/api/invoke', {
          method: 'imports.preview',
          input: { kind: 'organizations', file: '/etc/passwd' },
        })
      ).body,
    );
    expect(probe).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(probe)).not.toContain('root:');
    const old = await post(host, '/api/download', { kind: 'clients', input: {} });
    expect(old.status).toBe(404);
  });
});

describe('through IPC (the desktop shell’s save dialog)', () => {
  const WINDOW = 3;
  const trusted: InvokeEventLike = {
    sender: { id: WINDOW },
    senderFrame: { url: 'app://kontor/index.html', parent: null },
  };
  let full: FullDisk | null = null;
  let chosen: string | null = null;
  const ipcLogs: string[] = [];
  const options = (r: Router) => ({
    router: r,
    trustedWebContentsId: () => WINDOW,
    fallbackLocale: () => 'fr',
    log: (line: string) => ipcLogs.push(line),
    chooseFile: async () => chosen,
  });
  beforeAll(() => {
    full = mountFullDisk(space.dir());
  });
  afterAll(() => full?.release());

  it('writes where the person chose, and nothing when they cancel', async () => {
    const save = createSaveHandler(options(router));
    chosen = path.join(space.dir(), 'invoices.csv');
    const saved = await save(trusted, { method: 'exports.invoicesFile', input: { format: 'csv' } });
    expect(saved).toMatchObject({
      ok: true,
      value: { saved: true, fileName: expect.stringMatching(/\.csv$/) },
    });
    expect(fs.readFileSync(chosen, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
    chosen = null;
    expect(await save(trusted, { method: 'exports.invoicesFile', input: { format: 'csv' } })).toMatchObject({
      ok: true,
      value: { saved: false },
    });
  });

  it('a full disk answers disk_full in the person’s language, leaves no part file, and the next call is answered', async () => {
    const save = createSaveHandler(options(router));
    const invoke = createInvokeHandler(options(router));
    if (full) {
      chosen = path.join(full.dir, 'invoices.xlsx');
      const failed = await save(trusted, {
        method: 'exports.invoicesFile',
        input: { format: 'xlsx' },
        locale: 'fr',
      });
      expect(failed).toMatchObject({ ok: false, error: { code: 'disk_full' } });
      if (!failed.ok) expect(failed.error.message).toMatch(/^Le disque est plein/);
      expect(fs.readdirSync(full.dir)).toEqual(['filler']);
    } else {
      // Not root: the other real write failure, a descriptor closed under the writer.
      const fd = fs.openSync(path.join(space.dir(), 'closed.csv'), 'w');
      fs.closeSync(fd);
      const failed = await router.stream(
        'exports.invoicesFile',
        { format: 'csv' },
        { locale: 'fr' },
        {
          open: () => fs.createWriteStream('', { fd }),
        },
      );
      expect(failed).toMatchObject({ ok: false, error: { code: 'export_path_invalid' } });
    }
    expect(await invoke(trusted, { method: 'organizations.list', input: {} })).toMatchObject({ ok: true });
  });

  it('a throwing writer and a closed store answer the envelope, and the next call is answered', async () => {
    const save = createSaveHandler(options(router));
    chosen = path.join(space.dir(), 'x.csv');
    const thrown = await save(trusted, { method: 'test.throwsLater', input: {} });
    expect(thrown).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/^Une erreur/) },
    });
    expect(fs.existsSync(chosen)).toBe(false);
    expect(fs.existsSync(`${chosen}.part`)).toBe(false);

    const closed = createSaveHandler(options(closedStoreRouter()));
    const failed = await closed(trusted, { method: 'exports.invoicesFile', input: { format: 'csv' } });
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(
      await createInvokeHandler(options(router))(trusted, { method: 'system.info', input: {} }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('a page cannot call a path-taking method over IPC', async () => {
    const invoke = createInvokeHandler(options(router));
    const refused = await invoke(trusted, {
      method: 'exports.invoices',
      input: { format: 'csv', out: '/tmp/x.csv' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const save = createSaveHandler(options(router));
    expect(await save(trusted, { method: 'organizations.list', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'method_kind' },
    });
  });
});
