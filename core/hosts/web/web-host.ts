import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Router } from '../../api/router';
import { translateError } from '#common/i18n/errors';
import { readJsonBody } from '#common/http/json-body';
import { resolveLocale } from '#common/i18n/locale';
import { lookup } from '#common/i18n/translate';
import { webHostRefusals } from '#common/i18n/web-host';
import { mimeType, resolveStaticFile } from './static-files';

export interface WebHostOptions {
  router: Router;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  /** When `port` is taken, listen on a free one instead of failing (a remembered port). */
  fallbackToFreePort?: boolean;
  token?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  /** The port asked for when it was taken and another one was chosen. */
  portTaken?: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * The same router as the desktop app, over HTTP on 127.0.0.1 only. A random token per start,
 * a Host-header check against DNS rebinding, an Origin check, and no CORS headers at all.
 *
 * The token travels as a header. So that a second tab of the same browser is let in, opening
 * the token link also sets a session cookie (HttpOnly, SameSite=Strict) whose value is an HMAC
 * of the token and the Host: it is worth nothing after a restart or on another host name, and
 * it is accepted only from the app's own pages (no foreign Origin, no same-site or cross-site
 * fetch metadata: another port on 127.0.0.1 is "same-site" and would otherwise get it).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const tokenBuffer = Buffer.from(token);
  const log = options.log ?? (() => {});
  const eventClients = new Set<http.ServerResponse>();
  let port = 0;

  const unsubscribe = options.router.onChange((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of eventClients) client.write(line);
  });

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // Cookies are not port-scoped: the name carries the port so that two hosts do not clobber.
  const cookieName = () => `kontor_${port}`;
  const cookieValue = (host: string) =>
    crypto.createHmac('sha256', tokenBuffer).update(`kontor-web-cookie\n${host}`).digest('base64url');
  const sameSecret = (given: string, expected: string) => {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  };
  const authorized = (req: http.IncomingMessage): boolean => {
    const header = req.headers['x-kontor-token'];
    if (typeof header === 'string' && header !== '') return sameSecret(header, token);
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
    const cookie = readCookie(req.headers.cookie, cookieName());
    return cookie !== undefined && sameSecret(cookie, cookieValue(String(req.headers.host)));
  };

  const server = http.createServer((req, res) => {
    const refuse = (status: number, code: string) => {
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      const locale = resolveLocale(localeOf(req));
      res.end(JSON.stringify({ ok: false, error: { code, message: refusalMessage(code, locale) } }));
    };
    const remote = req.socket.remoteAddress ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)) return refuse(403, 'forbidden_remote');
    if (!allowedHosts().has(String(req.headers.host ?? ''))) return refuse(421, 'forbidden_host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
      return refuse(403, 'forbidden_origin');
    if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(403, 'forbidden_origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');

    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) {
      if (!authorized(req)) return refuse(401, 'forbidden_token');
      if (url.pathname === '/api/session' && req.method === 'GET') {
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        return res.end('{"ok":true,"value":null}');
      }
      if (url.pathname === '/api/invoke' && req.method === 'POST') return handleInvoke(req, res, refuse);
      if (url.pathname === '/api/events' && req.method === 'GET') return handleEvents(req, res);
      if (url.pathname === '/api/stream' && req.method === 'POST') return handleStream(req, res, refuse);
      return refuse(404, 'not_found');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'not_found');
    const file = resolveStaticFile(options.staticDir, url.pathname);
    if (!file || !fs.existsSync(file)) return refuse(404, 'not_found');
    const linkToken = url.searchParams.get('token');
    if (linkToken !== null && sameSecret(linkToken, token)) {
      res.setHeader(
        'Set-Cookie',
        `${cookieName()}=${cookieValue(String(req.headers.host))}; HttpOnly; SameSite=Strict; Path=/`,
      );
    }
    res.writeHead(200, {
      'Content-Type': mimeType(file),
      'Content-Security-Policy': CSP,
      'Cache-Control': path.basename(file) === 'index.html' ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });

  function handleInvoke(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    refuse: (status: number, code: string) => void,
  ): void {
    readCall(req, res, refuse, async ({ method, input, locale }) => {
      const started = performance.now();
      const result = await options.router.invoke(method, input, { locale, door: 'web' });
      log(`${method} ${result.ok ? 'ok' : result.error.code} ${(performance.now() - started).toFixed(1)}ms`);
      answerJson(res, 200, result);
    });
  }

  function answerJson(res: http.ServerResponse, status: number, result: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(result));
  }

  /** Both doors' body: `{ method, input }` as JSON, with the caller's locale; anything else refused. */
  function readCall(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    refuse: (status: number, code: string) => void,
    then: (call: { method: string; input: unknown; locale: string | undefined }) => Promise<void>,
  ): void {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      refuse(415, 'invalid_input');
      return;
    }
    readJsonBody(req, Number(req.headers['content-length'] ?? 0), MAX_BODY)
      .then(async (body) => {
        if (!body.ok) {
          refuse(body.problem === 'too_large' ? 413 : 400, 'invalid_input');
          if (body.problem === 'too_large') req.destroy();
          return;
        }
        if (res.headersSent) return;
        const call = body.value as { method?: unknown; input?: unknown } | null;
        if (typeof call?.method !== 'string') return refuse(400, 'invalid_input');
        await then({ method: call.method, input: call.input, locale: localeOf(req) });
      })
      // The router answers every failure itself; this guard keeps a bug in a handler (or a
      // client gone mid-body) from becoming an unhandled rejection, which would end the host.
      .catch((error: unknown) => {
        log(`request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) refuse(500, 'internal');
        else res.destroy();
      });
  }

  /**
   * A stream method's file, for the browser to save: streamed, never held whole in memory.
   * The headers go out with the first byte, so a failure before it (a closed store, a bad
   * filter, a writer that throws at once) answers the same JSON envelope as /api/invoke; one
   * after it can only cut the connection, and the browser sees a failed download.
   */
  function handleStream(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    refuse: (status: number, code: string) => void,
  ): void {
    readCall(req, res, refuse, async ({ method, input, locale }) => {
      const result = await options.router.stream(
        method,
        input,
        { locale, door: 'web' },
        {
          open: (file) => {
            const headers = {
              'Content-Type': file.mime,
              'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
              'Cache-Control': 'no-store',
            };
            const sink = new Writable({
              write(chunk: Buffer, _encoding, callback) {
                if (!res.headersSent) res.writeHead(200, headers);
                if (res.destroyed) return callback(new Error('the browser went away'));
                res.write(chunk, (error) => callback(error ?? null));
              },
              final(callback) {
                if (!res.headersSent) res.writeHead(200, headers);
                res.end(() => callback());
              },
            });
            res.on('close', () => {
              if (!res.writableFinished) sink.destroy(new Error('the browser went away'));
            });
            return sink;
          },
        },
      );
      log(`${method} ${result.ok ? 'ok' : result.error.code}`);
      if (result.ok) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      answerJson(res, result.error.code === 'internal' ? 500 : 400, result);
    });
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    eventClients.add(res);
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      eventClients.delete(res);
    });
  }

  const listen = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  let portTaken: number | undefined;
  try {
    try {
      await listen(options.port ?? 0);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!options.fallbackToFreePort || !options.port || (code !== 'EADDRINUSE' && code !== 'EACCES'))
        throw error;
      portTaken = options.port;
      await listen(0);
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    portTaken,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const client of eventClients) client.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function refusalMessage(code: string, locale: ReturnType<typeof resolveLocale>): string {
  return lookup(webHostRefusals, locale, code) ?? translateError(code, {}, locale);
}

/** The caller's language: the app's own header, else the browser's. */
function localeOf(req: http.IncomingMessage): string {
  return String(req.headers['x-kontor-locale'] ?? req.headers['accept-language'] ?? 'en');
}
