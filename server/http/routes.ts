import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { HubFailure } from '#common/sync/hub-failure';
import { EnrollRequest, type HubEpoch, PushRequest } from '#common/sync/protocol';
import { parseHlc } from '#db/sync/hlc';
import { deviceByToken, type HubAdmin, type HubDevice } from '../admin';
import type { HubMetrics } from '../metrics';
import type { HubStore } from '../store/types';
import { CURRENT_EPOCH, currentEpoch, epochOf } from '../sync/epoch';
import { pull } from '../sync/pull';
import { checksum, openSnapshot, type SnapshotStream } from '../sync/snapshot';
import { jsonLines, ndjsonLines } from '../sync/snapshot-lines';
import { MAX_BATCH_CHARS } from '#common/authority/values';
import { applyPush, pushOpening } from '../sync/push';
import { plainPushRequest } from '#common/sync/push-request';
import { readJson } from './body';
import type { PushAdmission } from './admission';
import { recordFailure, refuseWhenThrottled } from './throttle';

/** Timestamps further ahead of the hub's clock are refused (SYNC.md "Clock"). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

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

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new HubFailure('invalid_request', 400, 'the request does not match the protocol', {
      issues: r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}

async function authDevice(ctx: RouteContext, req: IncomingMessage): Promise<HubDevice> {
  const token = bearer(req);
  const device = token ? await deviceByToken(ctx.store, token) : null;
  if (!device)
    throw new HubFailure(
      'unauthorized',
      401,
      'this device is not enrolled with the hub (unknown or missing token)',
    );
  if (device.revokedAt) {
    throw new HubFailure(
      'device_revoked',
      403,
      'the hub administrator revoked this device: it keeps its data read-only and no longer syncs',
      {
        revokedAt: device.revokedAt,
      },
    );
  }
  return device;
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
    const device = await authDevice(ctx, req);
    const puller = { id: device.id, userId: device.userId, scopeJson: device.scopeJson };
    if (method === 'POST' && path === '/v1/sync/push') {
      // Admitted before the body is read: a refused push costs the hub nothing (admission.ts).
      const leave = ctx.admission.enter(device.id);
      try {
        return await push(ctx, req, device, now);
      } finally {
        leave();
      }
    }
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

async function push(
  ctx: RouteContext,
  req: IncomingMessage,
  device: HubDevice,
  now: number,
): Promise<RouteResult> {
  // Plainly valid bodies skip zod; anything else gets zod's verdict (common/sync/push-request.ts).
  const body = await readJson(req, ctx.bodyLimit);
  const input = plainPushRequest(body) ?? parse(PushRequest, body);
  if (input.deviceId !== device.id) {
    throw new HubFailure('device_mismatch', 403, 'the batch names another device than the token', {
      deviceId: device.id,
    });
  }
  // What one batch may make every other device carry (the body limit counts JSON escapes too).
  const chars = input.changes.reduce((n, c) => n + (c.value?.length ?? 0), 0);
  if (chars > MAX_BATCH_CHARS)
    throw new HubFailure('payload_too_large', 413, 'this batch carries too much data: send smaller batches', {
      chars,
      maxChars: MAX_BATCH_CHARS,
    });
  if (input.schemaVersion > ctx.schemaVersion) {
    throw new HubFailure(
      'schema_newer',
      409,
      'this device runs a newer Kontor than the hub: update the hub first; nothing was applied',
      {
        deviceSchema: input.schemaVersion,
        hubSchema: ctx.schemaVersion,
      },
    );
  }
  let aheadMs = 0;
  for (const c of input.changes) aheadMs = Math.max(aheadMs, parseHlc(c.hlc).wallMs - now);
  if (aheadMs > MAX_CLOCK_AHEAD_MS) {
    throw new HubFailure(
      'clock_ahead',
      409,
      "this device's clock is ahead of the hub's: correct the system time; nothing was applied",
      {
        aheadMs,
        maxAheadMs: MAX_CLOCK_AHEAD_MS,
      },
    );
  }
  const started = performance.now();
  const opening = pushOpening(ctx.store.engine, device.id, device.userId, input);
  // The epoch read after the commit: in its round trip where the store can (PostgreSQL).
  let hubEpoch: HubEpoch | null | undefined;
  opening.afterCommit = { statement: CURRENT_EPOCH, take: (rows) => (hubEpoch = epochOf(rows)) };
  const { response, replayed } = await ctx.store.push(async (sql, positions, opened) => {
    ctx.log({
      event: 'push.applying',
      device: device.id,
      batch: input.batchId,
      changes: input.changes.length,
    });
    return applyPush(
      sql,
      ctx.store.forUpdate,
      positions,
      { id: device.id, userId: device.userId, seriesCode: device.seriesCode },
      input,
      now,
      opened,
      opening,
    );
  }, opening);
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.push(seconds);
  if (!replayed)
    for (const r of response.results) {
      ctx.metrics.change(r.outcome, r.reason);
      if (r.outcome === 'rejected') ctx.metrics.refusal(r.reason ?? 'rejected');
    }
  if (hubEpoch === undefined) hubEpoch = await ctx.store.read(currentEpoch);
  return { status: 200, body: { ...response, ...(hubEpoch ? { hubEpoch } : {}) }, device: device.id };
}
