import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubFailure } from '#common/sync/hub-failure';
import { migrationCount } from '#db/open';
import { createAdmin, type HubAdmin } from './admin';
import { PushAdmission } from './http/admission';
import { KnownDevices } from './http/device-auth';
import { type RouteContext, route, routeLabel } from './http/routes';
import { HubMetrics } from './metrics';
import { stderrLine } from './log-lines';
import { migrate } from './store/migrate';
import { COMPACT_EVERY_MS, type CompactionResult, compactHub, DAY_MS, DEFAULT_RETENTION_DAYS } from './sync/compact';
import { startEpoch } from './sync/epoch';
import { openSqliteStore } from './store/sqlite.store';
import type { HubStore } from './store/types';

/** How long an idle kept-alive connection stays open (see the server's settings below). */
export const KEEP_ALIVE_MS = 120_000;
export interface HubOptions {
  port?: number;
  host?: string;
  /** Embedded store: a SQLite file in this folder. */
  dataDir?: string;
  /** PostgreSQL instead (takes precedence over dataDir). */
  postgresUrl?: string;
  adminToken?: string | null;
  /** The hub's wall clock (tests move it). */
  clock?: () => number;
  /** The newest device schema this hub understands (default: this checkout's migrations). */
  schemaVersion?: number;
  bodyLimit?: number;
  /** Pushes let in at once by this process; the next is answered 429 + Retry-After (http/admission.ts). */
  maxPushes?: number;
  /** History older than this folds into the current state (server/sync/compact.ts); default 90. */
  retentionDays?: number;
  /** Structured log sink, one JSON object per line; false for silence. Default: stderr. */
  log?: ((line: string) => void) | false;
}

export interface RunningHub {
  url: string;
  port: number;
  store: HubStore;
  admin: HubAdmin;
  /** Folds the history older than the retention window now (it also runs at start and hourly). */
  compact(): Promise<CompactionResult>;
  /** Stops accepting, finishes the requests in hand, closes the store. */
  close(): Promise<void>;
}

export async function openHubStore(options: { dataDir?: string; postgresUrl?: string }): Promise<HubStore> {
  // The PostgreSQL client (pg) is loaded only for a hub that uses it.
  const store = options.postgresUrl
    ? (await import('./store/postgres.store')).openPostgresStore(options.postgresUrl)
    : openSqliteStore(requireDir(options.dataDir));
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function requireDir(dir: string | undefined): string {
  if (!dir) throw new Error('the hub needs a data folder (--data DIR) or a PostgreSQL URL (--postgres URL)');
  return dir;
}

const PIECE = 1024 * 1024;
const bytesOf = (part: string | Buffer) => (typeof part === 'string' ? Buffer.from(part) : part);

/**
 * Writes a streamed body in ~1 MiB pieces, waiting while the client is slow (memory stays
 * bounded by one piece; a snapshot's rows are most of the hub's socket writes, and pieces of
 * 64 KiB took 16 times the system calls: 0.85 against 1.0–1.2 hub CPU seconds per 100k rows).
 * Parts come as texts (joined, encoded once per piece) or as bytes: PostgreSQL's snapshot
 * lines, a chunk's worth at a time, are written as they are (each copy of a few hundred KB is
 * also a large allocation: V8 collects its young generation for that external memory, and
 * those collections were 17 % of the hub's profile). A failure once the status went out can only cut
 * the body: the client sees it incomplete (a snapshot page without its end line) and resumes.
 */
async function writeStream(
  res: http.ServerResponse,
  body: AsyncIterable<string | Buffer>,
  onError: (error: unknown) => void,
): Promise<void> {
  let gone = false;
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      gone = true;
      resolve();
    }),
  );
  let parts: (string | Buffer)[] = [];
  let size = 0;
  let texts = true;
  const flush = async () => {
    const piece = parts.length === 1 ? parts[0]! : texts ? parts.join('') : Buffer.concat(parts.map(bytesOf));
    parts = [];
    size = 0;
    texts = true;
    if (!res.write(piece)) await Promise.race([new Promise((r) => res.once('drain', r)), closed]);
  };
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done) break;
      // Bytes a piece's size already (a chunk of copied lines) go as they are, not copied again.
      if (typeof step.value !== 'string' && step.value.length >= PIECE / 4) {
        if (parts.length > 0) await flush();
        parts.push(step.value);
        await flush();
      } else {
        parts.push(step.value);
        size += step.value.length;
        if (typeof step.value !== 'string') texts = false;
        if (size >= PIECE) await flush();
      }
      if (gone) {
        await iterator.return?.();
        return;
      }
    }
    if (parts.length > 0) await flush();
    res.end();
  } catch (error) {
    onError(error);
    res.destroy();
  }
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const store = await openHubStore(options);
  const clock = options.clock ?? Date.now;
  await startEpoch(store, clock());
  const admin = createAdmin(store, clock);
  const metrics = new HubMetrics();
  const sink =
    options.log === false ? null : (options.log ?? stderrLine);
  const log = (entry: Record<string, unknown>) =>
    sink?.(JSON.stringify({ time: new Date().toISOString(), ...entry }));
  const ctx: RouteContext = {
    store,
    admin,
    metrics,
    clock,
    adminToken: options.adminToken ?? null,
    schemaVersion: options.schemaVersion ?? migrationCount(),
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    log,
    admission: new PushAdmission(options.maxPushes),
    devices: new KnownDevices(),
  };
  metrics.pushesInFlight = () => ctx.admission.inFlight;
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
  let compacting: Promise<CompactionResult> | null = null;
  const compact = () =>
    (compacting ??= compactHub(store, clock(), retentionMs)
      .then((r) => {
        if (r.logRowsDropped || r.batchesDropped) log({ event: 'compacted', ...r });
        return r;
      })
      .finally(() => {
        compacting = null;
      }));
  const background = () =>
    void compact().catch((error) =>
      log({ event: 'error', path: 'compact', error: error instanceof Error ? error.stack : String(error) }),
    );
  // Hourly marks are what the window is counted with: a hub that runs writes them itself.
  const compactTimer = setInterval(background, COMPACT_EVERY_MS);
  compactTimer.unref();
  background();
  let inFlight = 0;
  const server = http.createServer(async (req, res) => {
    inFlight++;
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://hub');
    let status = 500;
    let device: string | undefined;
    try {
      const result = await route(ctx, req, url);
      status = result.status;
      device = result.device;
      if (result.stream) {
        res.writeHead(status, { 'content-type': result.contentType ?? 'application/json; charset=utf-8' });
        await writeStream(res, result.stream, (error) =>
          log({
            event: 'error',
            path: url.pathname,
            error: error instanceof Error ? error.stack : String(error),
          }),
        );
        return;
      }
      const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
      res.writeHead(status, { 'content-type': result.contentType ?? 'application/json; charset=utf-8' });
      res.end(text);
    } catch (error) {
      const failure =
        error instanceof HubFailure
          ? error
          : new HubFailure('internal', 500, 'the hub failed to handle this request; nothing was applied');
      if (!(error instanceof HubFailure))
        log({
          event: 'error',
          path: url.pathname,
          error: error instanceof Error ? error.stack : String(error),
        });
      status = failure.status;
      metrics.refusal(failure.code);
      // HTTP's own way to say when to come back (RFC 9110 §10.2.3), read by any client or proxy.
      const retryAfter = failure.params.retryAfterSeconds;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
      });
      res.end(
        JSON.stringify({
          code: failure.code,
          message: failure.message,
          params: failure.params,
          hubTime: clock(),
        }),
      );
    } finally {
      inFlight--;
      metrics.request(routeLabel(url.pathname), status);
      log({
        event: 'request',
        method: req.method,
        path: url.pathname,
        status,
        ms: Math.round(performance.now() - started),
        device,
      });
    }
  });
  // A device can spend a long time applying one page (16 MB of snapshot) before it asks for
  // the next: its kept-alive connection must still be open then. The hub tells the client
  // this timeout (Keep-Alive: timeout=…), so the client drops the socket first, never the
  // hub under a request in flight; headers must be allowed longer than that.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 5_000;
  server.requestTimeout = 10 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log({ event: 'started', url, engine: store.engine });
  let closing: Promise<void> | null = null;
  return {
    url,
    port: address.port,
    store,
    admin,
    compact,
    close() {
      closing ??= (async () => {
        clearInterval(compactTimer);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive connections would hold close() open; busy ones finish their request first.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => server.closeAllConnections(), 30_000);
        server.closeIdleConnections();
        await closed;
        clearInterval(sweep);
        clearTimeout(deadline);
        void inFlight;
        await compacting?.catch(() => undefined);
        await store.close();
        log({ event: 'stopped', url });
      })();
      return closing;
    },
  };
}
