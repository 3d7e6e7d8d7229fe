// Back-pressure at a real hub (embedded store, real HTTP): past its bound of concurrent pushes
// the hub answers 429 with Retry-After before reading the body, writes nothing of that push,
// and a device with a push in flight cannot start a second one; the device's sync engine
// waits what the hub asked and completes its round.
import crypto from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openHubStore, type RunningHub, startHub } from '#server/main';
import { createPayer } from '../helpers/invoices';
import { ADMIN_TOKEN, adminApi, enrolledDevice, hubPlace, type TestDevice } from '../helpers/hub';
import { organization } from '../helpers/hub-fixtures';
import { FixedClock, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-back-pressure-');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface LogLine {
  event: string;
  time: string;
  status?: number;
  path?: string;
  device?: string;
  ms?: number;
}

async function hubWithBound(maxPushes: number) {
  const place = await hubPlace('sqlite');
  const lines: LogLine[] = [];
  const hub = await startHub({
    ...place,
    adminToken: ADMIN_TOKEN,
    maxPushes,
    log: (line) => lines.push(JSON.parse(line) as LogLine),
  });
  cleanups.push(async () => {
    await hub.close();
    await place.cleanup();
  });
  return { hub, place, lines };
}

async function metric(hub: RunningHub, name: string): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never met');
}

/**
 * A push whose body arrives only when released: the hub has let it in (auth done, waiting for
 * the body), so it holds a place in flight for as long as the test wants.
 */
function heldPush(hub: RunningHub, device: TestDevice, changes: unknown[]) {
  const body = JSON.stringify({
    deviceId: device.id,
    batchId: crypto.randomUUID(),
    schemaVersion: 1,
    changes,
  });
  const req = http.request(`${hub.url}/v1/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  req.flushHeaders();
  return {
    answered,
    release() {
      req.end(body.slice(10));
      return answered;
    },
  };
}

async function rawPush(
  hub: RunningHub,
  device: TestDevice,
  changes: unknown[],
  batchId = crypto.randomUUID(),
) {
  const res = await fetch(`${hub.url}/v1/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
    body: JSON.stringify({ deviceId: device.id, batchId, schemaVersion: 1, changes }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { code?: string },
  };
}

async function hubCounts(place: { dataDir?: string }, batchId: string) {
  const store = await openHubStore(place);
  try {
    return await store.read(async (sql) => ({
      log: Number((await sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM hub_log'))[0]!.n),
      batch: Number(
        (
          await sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM hub_batches WHERE batch_id = ?', [batchId])
        )[0]!.n,
      ),
    }));
  } finally {
    await store.close();
  }
}

describe('hub back-pressure', () => {
  it('answers the push past its bound 429 with Retry-After and writes nothing of it', async () => {
    const { hub, place } = await hubWithBound(2);
    const [a, b, c] = await Promise.all(['bp-a', 'bp-b', 'bp-c'].map((u) => enrolledDevice(hub.url, u)));
    const holdA = heldPush(hub, a!, organization(a!, 'org-a'));
    const holdB = heldPush(hub, b!, organization(b!, 'org-b'));
    await until(async () => (await metric(hub, 'kontor_hub_pushes_in_flight')) === 2);

    const batchId = crypto.randomUUID();
    const before = await hubCounts(place, batchId);
    const refused = await rawPush(hub, c!, organization(c!, 'org-c'), batchId);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('1');
    expect(refused.body.code).toBe('hub_busy');
    expect(await hubCounts(place, batchId)).toEqual(before);
    expect(await metric(hub, 'kontor_hub_refusals_total{reason="hub_busy"}')).toBe(1);

    expect((await holdA.release()).status).toBe(200);
    expect((await holdB.release()).status).toBe(200);
    expect(await metric(hub, 'kontor_hub_pushes_in_flight')).toBe(0);
    // The same batch, retried once there is room, goes in whole.
    const retried = await rawPush(hub, c!, organization(c!, 'org-c'), batchId);
    expect(retried.status).toBe(200);
    const after = await hubCounts(place, batchId);
    expect(after.batch).toBe(1);
    expect(after.log).toBeGreaterThan(before.log);
  });

  it('refuses a second concurrent push of one device, not the pushes of others', async () => {
    const { hub, place } = await hubWithBound(4);
    const [a, b] = await Promise.all(['bp-d', 'bp-e'].map((u) => enrolledDevice(hub.url, u)));
    const holdA = heldPush(hub, a!, organization(a!, 'org-d'));
    await until(async () => (await metric(hub, 'kontor_hub_pushes_in_flight')) === 1);

    const batchId = crypto.randomUUID();
    const second = await rawPush(hub, a!, organization(a!, 'org-d2'), batchId);
    expect(second.status).toBe(429);
    expect(second.retryAfter).toBe('1');
    expect(second.body.code).toBe('push_in_flight');
    expect((await hubCounts(place, batchId)).batch).toBe(0);
    expect((await rawPush(hub, b!, organization(b!, 'org-e'))).status).toBe(200);

    expect((await holdA.release()).status).toBe(200);
    expect((await rawPush(hub, a!, organization(a!, 'org-d2'))).status).toBe(200);
  });

  it('a device told to wait waits at least Retry-After, then completes its round', async () => {
    const { hub, lines } = await hubWithBound(1);
    const blocker = await enrolledDevice(hub.url, 'bp-blocker');
    const admin = adminApi(hub.url);
    await admin.createUser('bp-owner');
    const k = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    const { code } = await admin.enrollCode('bp-owner');
    await k.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
    await createPayer(k, { name: 'Patient SA' });

    const hold = heldPush(hub, blocker, organization(blocker, 'org-blocker'));
    await until(async () => (await metric(hub, 'kontor_hub_pushes_in_flight')) === 1);
    const round = k.ok('sync.now', {});
    await until(async () => (await metric(hub, 'kontor_hub_refusals_total{reason="hub_busy"}')) >= 1);
    expect((await hold.release()).status).toBe(200);

    const result = await round;
    expect(result.pushed).toBeGreaterThan(0);
    const pushes = lines.filter(
      (l) => l.event === 'request' && l.path === '/v1/sync/push' && l.device !== blocker.id,
    );
    const refusal = pushes.find((l) => l.status === 429);
    const accepted = pushes.find((l) => l.status === 200);
    expect(refusal).toBeDefined();
    expect(accepted).toBeDefined();
    // The accepted push began (its log time less its duration) a full Retry-After after the refusal.
    const began = Date.parse(accepted!.time) - (accepted!.ms ?? 0);
    expect(began - Date.parse(refusal!.time)).toBeGreaterThanOrEqual(1_000 - 5);
  });
});
