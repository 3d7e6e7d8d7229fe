import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSnapshotPosition, SCAN_ORDER, type WireChange } from '#common/sync/protocol';
import { enrolledDevice, type HubEngine, HubHttpError, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { hubDigest } from '../helpers/hostile';

// A name or id holding a control character (a NUL above all: PostgreSQL's text cannot hold
// one) is a hostile request, refused as malformed on both stores with nothing changed. A hub
// on PostgreSQL answered a NUL in a row id or a table name with a 500 (found in session 8's
// review); a hub on SQLite refused the same push change by change. A NUL inside a value's JSON
// (escaped) stays the value rules' business: refused as a control character in a name.

async function refusal(attempt: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await attempt;
  } catch (e) {
    if (e instanceof HubHttpError) return { status: e.status, code: e.body.code };
    throw e;
  }
  return { status: 200, code: 'accepted' };
}

describe.each<HubEngine>(['sqlite', 'postgres'])('control characters in names and ids on %s', (engine) => {
  let hub: TestHub;
  let ana: TestDevice;
  beforeAll(async () => {
    hub = await startTestHub(engine);
    ana = await enrolledDevice(hub.url, 'ana');
    await ana.push(organization(ana, 'org-a'));
    await ana.push(product(ana, 'p-1', 'org-a'));
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  const rename = (d: TestDevice, over: Partial<WireChange>): WireChange[] => [
    { table: 'products', rowId: 'p-1', column: 'name', value: '"renamed"', hlc: d.hlc(), ...over },
  ];
  const pushes: [string, (d: TestDevice) => Promise<unknown>][] = [
    ['a NUL in a new row id', (d) => d.push(product(d, 'p-\u0000x', 'org-a'))],
    ['a NUL in a table name', (d) => d.push(rename(d, { table: 'prod\u0000ucts' }))],
    ['a NUL in a column name', (d) => d.push(rename(d, { column: 'na\u0000me' }))],
    ['a line feed in a row id', (d) => d.push(rename(d, { rowId: 'p-1\n' }))],
    ['a NUL in the batch id', (d) => d.push(rename(d, {}), `batch-\u0000-${crypto.randomUUID()}`)],
  ];
  for (const [name, attempt] of pushes)
    it(`refuses a push with ${name}, nothing changed`, async () => {
      const before = await hubDigest(hub.store);
      expect(await refusal(attempt(ana))).toEqual({ status: 400, code: 'invalid_request' });
      expect(await hubDigest(hub.store)).toBe(before);
      // The same device's next honest push lands.
      expect((await ana.push(rename(ana, {}))).results.map((r) => r.outcome)).toEqual(['applied']);
    });

  it('refuses a snapshot position naming a row id with a NUL', async () => {
    const after = encodeSnapshotPosition({ asOf: 1, table: 'products', rowId: 'p-\u0000', order: SCAN_ORDER });
    expect(await refusal(ana.snapshotPage(after))).toEqual({ status: 400, code: 'invalid_request' });
  });

  it('refuses an enrolment whose device id or name holds a NUL', async () => {
    const before = await hubDigest(hub.store);
    const device = (id: string, name: string) =>
      fetch(`${hub.url}/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'ABCDEFGH', deviceId: id, deviceName: name }),
      }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code: string }).code }));
    expect(await device('dev-\u0000', 'laptop')).toEqual({ status: 400, code: 'invalid_request' });
    expect(await device('dev-1', 'lap\u0000top')).toEqual({ status: 400, code: 'invalid_request' });
    expect(await hubDigest(hub.store)).toBe(before);
  });

  it('judges an escaped NUL inside a value by the value rules, a 200 with the change refused', async () => {
    const before = await hubDigest(hub.store);
    const answer = await ana.push(rename(ana, { value: '"a\\u0000b"' }));
    expect(answer.results.map((r) => [r.outcome, r.reason])).toEqual([['rejected', 'value_invalid']]);
    expect(await hubDigest(hub.store)).toBe(before);
  });
});
