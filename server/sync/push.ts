import { parseHlc } from '#db/sync/hlc';
import type { PushRequest, PushResponse } from '#common/sync/protocol';
import type { Opened, Positions, Sql } from '../store/types';
import { settleDefaultAddresses } from './default-address';
import { applyGroup } from './push-group';
import { depositOverpayments, movedBalances } from './push-money';
import type { pushOpening } from './push-opening';
import { PushBatch, type PushingDevice, reject } from './push-state';
import { oversizedValue } from './validate';

// The push, in stages that each live in their own module: the batch state and its flush
// (./push-state.ts, ./push-store.ts), one group of changes at a time (./push-group.ts: the
// judges in ./push-judge.ts, the issue race, last writer wins in ./push-fields.ts, numbers at
// sync in ./push-number.ts), money and the hub's own deposits (./push-money.ts).

export { HUB_SERIES_CODE } from './push-number';
export { pushOpening } from './push-opening';

const YIELD_EVERY_MS = 10;
export type { PushingDevice } from './push-state';

/**
 * A push whose device, locked, no longer holds the request's token or is revoked: nothing was
 * written, and the request is answered as its token's own lookup answers it (401, 403:
 * server/http/known-devices.ts).
 */
export class DeviceUnverified extends Error {
  constructor() {
    super("the device's token was not found on its row, or the device is revoked");
  }
}

/**
 * The push's first statements, unless the store ran them in its opening round trip (`opened`,
 * PostgreSQL): the device's row locked — only while it holds the request's token and is not
 * revoked, when the push came with one (`tokenHash`) — then (a statement of its own, after the
 * lock was granted) its earlier answer to this batch.
 */
async function lockAndFindAnswer(
  sql: Sql,
  forUpdate: string,
  deviceId: string,
  batchId: string,
  tokenHash: string | undefined,
) {
  const held =
    tokenHash === undefined
      ? await sql.all(`SELECT id FROM hub_devices WHERE id = ?${forUpdate}`, [deviceId])
      : await sql.all(
          `SELECT id FROM hub_devices WHERE id = ? AND token_hash = ? AND revoked_at IS NULL${forUpdate}`,
          [deviceId, tokenHash],
        );
  if (held.length === 0) throw new DeviceUnverified();
  const stored = await sql.all<{ response: string }>(
    'SELECT response FROM hub_batches WHERE device_id = ? AND batch_id = ?',
    [deviceId, batchId],
  );
  return stored[0]?.response ?? null;
}

/**
 * Applies one batch inside the store's push transaction (`HubStore.push`), its positions from
 * `positions`: no global lock, pushes to disjoint organizations commit concurrently and pulls
 * stop at the settled head (HUB.md "No global lock"). The first statement locks the device's
 * own row: two pushes of one device (through two hub processes after a fail-over) take turns,
 * and the second finds the first's answer in hub_batches. Everything is decided in memory
 * against the state loaded for the batch's rows, then written in multi-row statements (one on
 * PostgreSQL: ./push-store.ts).
 */
export async function applyPush(
  sql: Sql,
  forUpdate: string,
  positions: Positions,
  device: PushingDevice,
  request: PushRequest,
  now: number,
  opened: Opened | null = null,
  opening: ReturnType<typeof pushOpening> | null = null,
): Promise<{ response: PushResponse; replayed: boolean }> {
  const ours = opened && opened.deviceId === device.id && opened.batchId === request.batchId;
  if (ours && !opened.deviceHeld) throw new DeviceUnverified();
  const stored = ours
    ? opened.stored
    : await lockAndFindAnswer(sql, forUpdate, device.id, request.batchId, opening?.tokenHash);
  if (stored !== null) return { response: JSON.parse(stored) as PushResponse, replayed: true };

  // The batch's first reads, when the store's opening ran them (./push-opening.ts).
  const preread = ours && opened.reads && opening ? opening.collect(opened.reads) : null;
  const batch = await PushBatch.load(sql, forUpdate, device, request, now, positions, preread);
  const { changes, results } = batch;

  // A change is stamped by the device that pushes it: another device's HLC is a forgery
  // (it would win or lose against that device's own writes in its name).
  changes.forEach((c, i) => {
    if (parseHlc(c.hlc).deviceId !== device.id)
      results[i] = reject('hlc_foreign_device', { hlc: c.hlc, deviceId: device.id });
    else if (oversizedValue(c.value))
      results[i] = reject('value_invalid', { table: c.table, column: c.column, problem: 'too large' });
  });

  // Groups: the changes one device write made to one row (same HLC), in HLC order; changes
  // sharing an HLC keep the device's order, so an organization precedes its memberships.
  const groups = new Map<string, number[]>();
  changes.forEach((c, i) => {
    const g = `${c.hlc}\u0000${c.table}\u0000${c.rowId}`;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  });
  const ordered = [...groups.values()].sort((a, b) => {
    const ha = changes[a[0]!]!.hlc;
    const hb = changes[b[0]!]!.hlc;
    return ha < hb ? -1 : ha > hb ? 1 : a[0]! - b[0]!;
  });

  // A big batch (10,000 changes) decides for a few hundred ms of CPU between its reads: it
  // yields the event loop every 10 ms, so the small pushes beside it in this hub process keep
  // moving (their p99 beside a big pusher is in the hub bench; HUB.md "Back-pressure").
  let slice = performance.now();
  for (const group of ordered) {
    await applyGroup(batch, group);
    if (performance.now() - slice > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  // One default billing address per organization: the older choice yields (./default-address.ts).
  await settleDefaultAddresses(batch);

  // Over-payments are read from the stored payments: written first, when the batch paid anything.
  if (batch.paidInvoices.size > 0 || batch.feeInvoices.size > 0) {
    await batch.flush();
    await depositOverpayments(batch);
  }
  const response: PushResponse = {
    batchId: request.batchId,
    results: results.map((r) => r ?? reject('internal')),
    hubTime: now,
  };
  // The rest, the balances and the answer in one last write (one statement on PostgreSQL).
  await batch.flush({
    balances: movedBalances(batch),
    answer: {
      deviceId: device.id,
      batchId: request.batchId,
      response: JSON.stringify(response),
      createdAt: new Date(now).toISOString(),
    },
  });
  return { response, replayed: false };
}
