import type { IncomingMessage } from 'node:http';
import { MAX_BATCH_CHARS } from '#common/authority/values';
import { HubFailure } from '#common/sync/hub-failure';
import { type HubEpoch, PushRequest } from '#common/sync/protocol';
import { plainPushRequest } from '#common/sync/push-request';
import { parseHlc } from '#db/sync/hlc';
import { CURRENT_EPOCH, currentEpoch, epochOf } from '../sync/epoch';
import { applyPush, DeviceUnverified, pushOpening } from '../sync/push';
import { parse, readJson } from './body';
import { authDevice, type PushDevice, tokenHashOf } from './device-auth';
import type { RouteContext, RouteResult } from './routes';

/** Timestamps further ahead of the hub's clock are refused (SYNC.md "Clock"). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * `POST /v1/sync/push`. A device this process has seen pushes without its token's lookup (one
 * round trip fewer, ./device-auth.ts): the push's first locked statement checks the token. A
 * push refused there, or by any rule before it, is answered as the lookup answers first (401 for
 * a token gone, 403 for a revoked device), then by its own refusal, as when every push looked
 * its token up before anything else.
 */
export async function pushRoute(ctx: RouteContext, req: IncomingMessage, now: number): Promise<RouteResult> {
  const tokenHash = tokenHashOf(req);
  let input: PushRequest | undefined;
  const attempt = async (device: PushDevice, hash: string) => {
    // Admitted before the body is read: a refused push costs the hub nothing (admission.ts).
    const leave = ctx.admission.enter(device.id);
    try {
      input ??= await readPush(ctx, req, device, now);
      return await push(ctx, device, hash, input, now);
    } finally {
      leave();
    }
  };
  const known = ctx.devices.get(tokenHash);
  let device: PushDevice | undefined;
  if (known && tokenHash) {
    try {
      return await attempt(known, tokenHash);
    } catch (error) {
      if (!(error instanceof HubFailure || error instanceof DeviceUnverified)) throw error;
      ctx.devices.forget(tokenHash);
      device = await authDevice(ctx.store, tokenHash);
      ctx.devices.remember(tokenHash, device);
      if (error instanceof HubFailure) throw error;
      // The token is good again (on its row, not revoked): the push once more, as looked up.
    }
  }
  if (!device) {
    device = await authDevice(ctx.store, tokenHash);
    ctx.devices.remember(tokenHash!, device);
  }
  try {
    return await attempt(device, tokenHash!);
  } catch (error) {
    if (!(error instanceof DeviceUnverified)) throw error;
    // Revoked, or enrolled again, between the lookup and the lock: answered as the lookup would.
    ctx.devices.forget(tokenHash!);
    await authDevice(ctx.store, tokenHash);
    throw error;
  }
}

/** The batch, checked against what needs no database: the protocol, size, schema, clock. */
async function readPush(
  ctx: RouteContext,
  req: IncomingMessage,
  device: PushDevice,
  now: number,
): Promise<PushRequest> {
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
  return input;
}

async function push(
  ctx: RouteContext,
  device: PushDevice,
  tokenHash: string,
  input: PushRequest,
  now: number,
): Promise<RouteResult> {
  const started = performance.now();
  const opening = pushOpening(ctx.store.engine, device.id, device.userId, tokenHash, input);
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
