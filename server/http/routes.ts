import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { HubFailure } from '#common/sync/hub-failure';
import { EnrollRequest } from '#common/sync/protocol';
import type { HubAdmin } from '../admin';
import type { HubMetrics } from '../metrics';
import type { HubStore } from '../store/types';
import { currentEpoch } from '../sync/epoch';
import { pull } from '../sync/pull';
import { checksum, openSnapshot, type SnapshotStream } from '../sync/snapshot';
import { jsonLines, ndjsonLines } from '../sync/snapshot-lines';
import { parse, readJson } from './body';
import type { PushAdmission } from './admission';
import { authDevice, bearer, type KnownDevices, tokenHashOf } from './device-auth';
import { pushRoute } from './push-route';
import { recordFailure, refuseWhenThrottled } from './throttle';

export interface RouteContext {
  store: HubStore;
  admin: HubAdmin;
  metrics: HubMetrics;
  clock: () => number;
  adminToken: string | null;
  schemaVersion: number;
  bodyLimit: number;
  log: (entry: Record<string, unknown>) => void;
  admission: PushAdmission;
  /** Devices seen by this process, for pushes (./device-auth.ts). */
  devices: KnownDevices;
}

export interface RouteResult {
  status: number;
  body: unknown;
  contentType?: string;
  /** A body written as it is produced (server/main.ts streams it), instead of `body`. */
  stream?: AsyncIterable<string | Buffer>;
  /** The authenticated device, for the request log line. */
  device?: string;
}

function authAdmin(ctx: RouteContext, req: IncomingMessage): void {
  if (!ctx.adminToken)
    throw new HubFailure('admin_disabled', 403, 'this hub was started without an admin token');
  // Hashes of equal length compared in constant time: the answer's timing tells nothing.
  const digest = (t: string) => crypto.createHash('sha256').update(t).digest();
  if (!crypto.timingSafeEqual(digest(bearer(req) ?? ''), digest(ctx.adminToken)))
    throw new HubFailure('unauthorized', 401, 'wrong admin token');
}

const intParam = (url: URL, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new HubFailure('invalid_request', 400, `${name} must be a non-negative integer`);
  return Math.min(n, max);
};

const UserBody = z.object({
  name: z.string(),
  firmRole: z.enum(['administrator', 'accountant']).optional(),
  personId: z.string().min(1).max(64).optional(),
});
const LinkBody = z.object({ user: z.string().min(1), organizationId: z.string().min(1) });
const CodeBody = z.object({
  user: z.string().min(1),
  ttlMinutes: z
    .number()
    .int()
    .positive()
    .max(60 * 24 * 90)
    .optional(),
});
const NumberingBody = z.object({ numbering: z.enum(['device', 'at_sync']) });

export async function route(ctx: RouteContext, req: IncomingMessage, url: URL): Promise<RouteResult> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const now = ctx.clock();

  if (method === 'GET' && path === '/healthz') {
    const [head, epoch] = await ctx.store.read(
      async (sql) => [await sql.settledHead(), await currentEpoch(sql)] as const,
    );
    return {
      status: 200,
      body: { ok: true, engine: ctx.store.engine, seq: head, hubTime: now, ...(epoch ? { epoch } : {}) },
    };
  }
  if (method === 'GET' && path === '/metrics') {
    return { status: 200, body: ctx.metrics.render(), contentType: 'text/plain; version=0.0.4' };
  }
  if (method === 'POST' && path === '/v1/enroll') {
    const input = parse(EnrollRequest, await readJson(req, ctx.bodyLimit));
    const keys = [`address:${req.socket.remoteAddress ?? ''}`, `device:${input.deviceId}`];
    await refuseWhenThrottled(ctx.store, keys, now);
    try {
      return { status: 200, body: await ctx.admin.enroll(input), device: input.deviceId };
    } catch (error) {
      if (error instanceof HubFailure && error.code.startsWith('enroll_code_')) {
        const userId = (error as { userId?: unknown }).userId;
        const user = typeof userId === 'string' ? [`user:${userId}`] : [];
        await recordFailure(ctx.store, [...keys, ...user], now);
      }
      throw error;
    }
  }

  if (path.startsWith('/v1/sync/')) {
    if (method === 'POST' && path === '/v1/sync/push') return pushRoute(ctx, req, now);
    const device = await authDevice(ctx.store, tokenHashOf(req));
    const puller = { id: device.id, userId: device.userId, scopeJson: device.scopeJson };
    if (method === 'GET' && path === '/v1/sync/pull') {
      const since = intParam(url, 'since', 0);
      const limit = Math.max(1, intParam(url, 'limit', 1000, 10_000));
      return {
        status: 200,
        body: await ctx.store.read(async (sql) => {
          // Read first: an epoch that starts after the page was read cannot be missed.
          const hubEpoch = await currentEpoch(sql);
          const page = await pull(sql, puller, since, limit, now);
          return { ...page, ...(hubEpoch ? { hubEpoch } : {}) };
        }),
        device: device.id,
      };
    }
    if (method === 'GET' && path === '/v1/sync/snapshot') {
      // Devices ask for the streamed form (one row per line, applied as it arrives); the JSON
      // page stays for older devices and tools. Both stream from the same scan.
      const ndjson = (req.headers.accept ?? '').includes('application/x-ndjson');
      const limit = Math.max(1, intParam(url, 'limit', 500, ndjson ? 1_000_000 : 5_000));
      const maxBytes = Math.max(1, intParam(url, 'maxBytes', 4 * MIB, 64 * MIB));
      const s = await openSnapshot(
        ctx.store,
        puller,
        url.searchParams.get('after'),
        { maxRows: limit, maxBytes, count: url.searchParams.get('count') === '1' },
        now,
      );
      if ('error' in s)
        throw new HubFailure('invalid_request', 400, 'after is not a position this hub handed out');
      return ndjson
        ? { status: 200, body: null, stream: ndjsonPage(s), contentType: NDJSON, device: device.id }
        : { status: 200, body: null, stream: jsonPage(s), device: device.id };
    }
    if (method === 'GET' && path === '/v1/sync/checksum') {
      const upTo = url.searchParams.has('upTo') ? intParam(url, 'upTo', 0) : null;
      return {
        status: 200,
        body: await checksum(ctx.store, puller, upTo),
        device: device.id,
      };
    }
  }

  if (path.startsWith('/v1/admin/')) {
    authAdmin(ctx, req);
    const admin = ctx.admin;
    if (method === 'GET' && path === '/v1/admin/users')
      return { status: 200, body: { users: await admin.listUsers() } };
    if (method === 'POST' && path === '/v1/admin/users') {
      return {
        status: 201,
        body: await (async () => {
          const b = parse(UserBody, await readJson(req, ctx.bodyLimit));
          return admin.createUser(b.name, { firmRole: b.firmRole, personId: b.personId });
        })(),
      };
    }
    if (method === 'POST' && (path === '/v1/admin/links' || path === '/v1/admin/unlinks')) {
      const b = parse(LinkBody, await readJson(req, ctx.bodyLimit));
      if (path === '/v1/admin/links') await admin.link(b.user, b.organizationId);
      else await admin.unlink(b.user, b.organizationId);
      return { status: 200, body: { ok: true } };
    }
    if (method === 'POST' && path === '/v1/admin/enroll-codes') {
      const b = parse(CodeBody, await readJson(req, ctx.bodyLimit));
      return { status: 201, body: await admin.createEnrollCode(b.user, b.ttlMinutes) };
    }
    if (method === 'GET' && path === '/v1/admin/devices') {
      return {
        status: 200,
        body: { devices: (await admin.listDevices()).map(({ scopeJson: _, ...d }) => d) },
      };
    }
    const revoke = /^\/v1\/admin\/devices\/([^/]+)\/revoke$/.exec(path);
    if (method === 'POST' && revoke) {
      await admin.revokeDevice(decodeURIComponent(revoke[1]!));
      return { status: 200, body: { ok: true } };
    }
    const numbering = /^\/v1\/admin\/organizations\/([^/]+)\/numbering$/.exec(path);
    if (method === 'POST' && numbering) {
      const b = parse(NumberingBody, await readJson(req, ctx.bodyLimit));
      await admin.setNumbering(decodeURIComponent(numbering[1]!), b.numbering);
      return { status: 200, body: { ok: true } };
    }
  }
  throw new HubFailure('not_found', 404, `no route ${method} ${path}`);
}

const MIB = 1024 * 1024;
const NDJSON = 'application/x-ndjson; charset=utf-8';

/** The page as one JSON object (SnapshotResponse), its rows written as they are read. */
async function* jsonPage(s: SnapshotStream): AsyncGenerator<string | Buffer> {
  yield `{"asOf":${s.head.asOf},"hubTime":${s.head.hubTime},"rows":[`;
  let first = true;
  for await (const rows of s.rows) {
    if (!first) yield ',';
    yield jsonLines(rows);
    first = false;
  }
  yield `],"next":${JSON.stringify(s.next())}}`;
}

/** The page as lines: head, rows, end (common/sync/protocol.ts SnapshotHead/SnapshotEnd). */
async function* ndjsonPage(s: SnapshotStream): AsyncGenerator<string | Buffer> {
  yield `${JSON.stringify(s.head)}\n`;
  for await (const rows of s.rows) yield ndjsonLines(rows);
  yield `${JSON.stringify({ end: true, next: s.next() })}\n`;
}

/** The route label for metrics: fixed paths, ids replaced. */
export function routeLabel(path: string): string {
  if (path.startsWith('/v1/admin/devices/')) return '/v1/admin/devices/:id/revoke';
  if (path.startsWith('/v1/admin/organizations/')) return '/v1/admin/organizations/:id/numbering';
  return /^\/(healthz|metrics|v1\/enroll|v1\/sync\/(push|pull|snapshot|checksum)|v1\/admin\/[a-z-]+)$/.test(
    path,
  )
    ? path
    : 'other';
}
