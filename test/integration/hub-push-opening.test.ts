import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, type HubEngine, startTestHub, TestDevice, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// A push's opening on PostgreSQL inlines the device and batch ids into one simple query
// (server/HUB.md "Round trips of a push"): ids a device chose itself — quotes, backslashes,
// a statement's worth of SQL — must take the parameterized path and behave exactly as plain
// ones: applied once, replayed from the first answer, the head unmoved by the replay.

/** A device whose id carries what would break an inlined literal. */
class OddDevice extends TestDevice {
  override readonly id = `o'dd\\dev'); DELETE FROM hub_log; --${crypto.randomBytes(3).toString('hex')}`;
}

describe.each<HubEngine>(['sqlite', 'postgres'])('a push opening on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const head = async () => (await fetch(`${hub.url}/healthz`).then((r) => r.json())).seq as number;

  async function enrolled(device: TestDevice, user: string): Promise<TestDevice> {
    const admin = adminApi(hub.url);
    await admin.createUser(user).catch(() => undefined);
    await device.enroll((await admin.enrollCode(user)).code);
    return device;
  }
  /** What another device of the first one's user pulls (a device is not sent its own changes). */
  const pulledBySibling = async () =>
    (await (await enrolled(new TestDevice(hub.url), 'plain')).pullAll(0)).changes;

  async function pushTwice(d: TestDevice, changes: Parameters<TestDevice['push']>[0], batch: string) {
    const first = await d.push(changes, batch);
    const seq = await head();
    expect(await d.push(changes, batch)).toEqual(first);
    expect(await head()).toBe(seq);
    return first;
  }

  it('applies a batch whose id breaks a literal once, and answers its replay from the first answer', async () => {
    const d = await enrolled(new TestDevice(hub.url), 'plain');
    const changes = [...organization(d, 'org-plain'), ...product(d, 'p-plain', 'org-plain')];
    const first = await pushTwice(d, changes, `b'atch\\${crypto.randomUUID()}'; COMMIT; --`);
    expect(first.results.map((r) => r.outcome)).toEqual(changes.map(() => 'applied'));
    expect(
      (await pulledBySibling()).filter((c) => c.rowId === 'org-plain' || c.rowId === 'p-plain'),
    ).toHaveLength(changes.length);
  });

  it('answers a device whose id breaks a literal, and runs nothing of it', async () => {
    // Its HLCs cannot name it (the protocol's HLC takes no quote), so its batches are empty:
    // what is checked is the opening with its id, answered and replayed, and the log intact.
    const odd = await enrolled(new OddDevice(hub.url), 'odd');
    const before = (await pulledBySibling()).length;
    expect(before).toBeGreaterThan(0);
    const first = await pushTwice(odd, [], crypto.randomUUID());
    expect(first.results).toEqual([]);
    expect(await pulledBySibling()).toHaveLength(before);
  });

  // The batch's own reads travel in the opening too (its rows locked and read, who is writing),
  // their parameters inlined as escaped literals: row ids and an organization id that break a
  // literal are read back exactly — a later write of the same field is judged against the
  // stored one (an older stamp is superseded, a replay of the stored one a duplicate).
  it('reads rows whose ids break a literal in the opening, exactly as stored', async () => {
    const d = await enrolled(new TestDevice(hub.url), 'plain');
    const odd = `org'q\\"); DELETE FROM hub_rows; --${crypto.randomBytes(3).toString('hex')}`;
    const older = d.hlc();
    const created = organization(d, odd);
    const first = await pushTwice(d, created, crypto.randomUUID());
    expect(first.results.map((r) => r.outcome)).toEqual(created.map(() => 'applied'));
    const rename = (hlc: string) => [{ table: 'organizations', rowId: odd, column: 'name', value: '"renamed"', hlc }];
    const newer = rename(d.hlc());
    expect((await d.push(newer)).results.map((r) => r.outcome)).toEqual(['applied']);
    expect((await d.push(rename(older))).results.map((r) => r.outcome)).toEqual(['superseded']);
    expect((await d.push(newer)).results.map((r) => r.outcome)).toEqual(['duplicate']);
    const pulled = (await pulledBySibling()).filter((c) => c.rowId === odd && c.column === 'name');
    expect(pulled.map((c) => c.value)).toEqual([JSON.stringify(odd), '"renamed"']);
  });
});
