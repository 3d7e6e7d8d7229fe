import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kontor, openKontor } from '#core/kontor';
import { startWebHost, type WebHost } from '#core/hosts/web/web-host';

// Raw http.request, not fetch: fetch refuses to set Host and Origin, which is exactly what an
// attacker's DNS-rebinding page or another origin would present.
function request(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe('web host', () => {
  let dir: string;
  let kontor: Kontor;
  let host: WebHost;
  const invoke = (headers: Record<string, string>) =>
    request(host.port, {
      method: 'POST',
      path: '/api/invoke',
      headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${host.port}`, ...headers },
      body: JSON.stringify({ method: 'organizations.list', input: {} }),
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-web-'));
    const staticDir = path.join(dir, 'renderer');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Kontor</title>');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the root');
    kontor = openKontor({ dbFile: path.join(dir, 'k.sqlite') });
    host = await startWebHost({ router: kontor.router, staticDir });
  });

  afterAll(async () => {
    await host.close();
    kontor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only and prints a URL carrying its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a call with the right token and Host', async () => {
    const res = await invoke({ 'X-Kontor-Token': host.token });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: [] });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a call without the token, or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'X-Kontor-Token': 'wrong' },
      { 'X-Kontor-Token': `${host.token}x` },
    ];
    for (const headers of attempts) {
      const res = await invoke(headers);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('forbidden_token');
    }
  });

  it('refuses a token passed as a cookie or query parameter', async () => {
    const res = await request(host.port, {
      method: 'POST',
      path: `/api/invoke?token=${host.token}`,
      headers: {
        'Content-Type': 'application/json',
        Host: `127.0.0.1:${host.port}`,
        Cookie: `token=${host.token}`,
      },
      body: '{"method":"organizations.list"}',
    });
    expect(res.status).toBe(401);
  });

  it('sets a session cookie from the token link only, bound to the token and the host', async () => {
    const wrong = await request(host.port, {
      path: '/?token=wrong',
      headers: { Host: `127.0.0.1:${host.port}` },
    });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const link = await request(host.port, {
      path: `/?token=${host.token}`,
      headers: { Host: `127.0.0.1:${host.port}` },
    });
    const setCookie = link.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(
      new RegExp(`^kontor_${host.port}=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    expect(setCookie).not.toContain(host.token);
    const cookie = setCookie.split(';')[0] as string;

    // A second tab: the cookie alone, no token header.
    expect((await invoke({ Cookie: cookie })).status).toBe(200);
    expect(
      (
        await invoke({
          Cookie: cookie,
          Origin: `http://127.0.0.1:${host.port}`,
          'Sec-Fetch-Site': 'same-origin',
        })
      ).status,
    ).toBe(200);
    const session = await request(host.port, {
      path: '/api/session',
      headers: { Host: `127.0.0.1:${host.port}`, Cookie: cookie },
    });
    expect(session.status).toBe(200);

    // Still refused: another origin, another port of 127.0.0.1 (same-site), cross-site, another host name.
    const foreign = await invoke({ Cookie: cookie, Origin: 'http://attacker.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('forbidden_origin');
    expect((await invoke({ Cookie: cookie, 'Sec-Fetch-Site': 'same-site' })).status).toBe(401);
    expect((await invoke({ Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await invoke({ Cookie: cookie, Host: `localhost:${host.port}` })).status).toBe(401);
    expect((await invoke({ Cookie: `kontor_${host.port}=${host.token}` })).status).toBe(401);
    // A wrong token header is not rescued by a good cookie.
    expect((await invoke({ Cookie: cookie, 'X-Kontor-Token': 'wrong' })).status).toBe(401);
    const noCookie = await request(host.port, {
      path: '/api/session',
      headers: { Host: `127.0.0.1:${host.port}` },
    });
    expect(noCookie.status).toBe(401);
  });

  it('refuses a wrong Host header (DNS rebinding), even with the token', async () => {
    const res = await invoke({ 'X-Kontor-Token': host.token, Host: `attacker.example:${host.port}` });
    expect(res.status).toBe(421);
    expect(JSON.parse(res.body).error.code).toBe('forbidden_host');
  });

  it('refuses another origin, even with the token, and sends no CORS headers', async () => {
    const res = await invoke({ 'X-Kontor-Token': host.token, Origin: 'http://attacker.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('forbidden_origin');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(host.port, {
      method: 'OPTIONS',
      path: '/api/invoke',
      headers: { Host: `127.0.0.1:${host.port}`, Origin: 'http://attacker.example' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses cross-site fetch metadata', async () => {
    const res = await invoke({ 'X-Kontor-Token': host.token, 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
  });

  it('translates refusals into the caller language', async () => {
    const res = await invoke({ 'X-Kontor-Locale': 'fr' });
    expect(JSON.parse(res.body).error.message).toContain('jeton');
  });

  it('serves the app shell with a CSP, and nothing outside its folder', async () => {
    const shell = await request(host.port, { headers: { Host: `localhost:${host.port}` } });
    expect(shell.status).toBe(200);
    expect(shell.headers['content-security-policy']).toContain("default-src 'self'");
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/secret.txt']) {
      const res = await request(host.port, { path: p, headers: { Host: `127.0.0.1:${host.port}` } });
      expect(res.body).not.toContain('outside the root');
    }
  });

  it('returns API errors as { code, message } without stack traces', async () => {
    const res = await request(host.port, {
      method: 'POST',
      path: '/api/invoke',
      headers: {
        'Content-Type': 'application/json',
        Host: `127.0.0.1:${host.port}`,
        'X-Kontor-Token': host.token,
      },
      body: JSON.stringify({ method: 'tags.rename', input: { tagId: 'nope', name: 'x' } }),
    });
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ ok: false, error: { code: 'tag_not_found' } });
    expect(res.body).not.toMatch(/at \w+ \(/);
  });
});
