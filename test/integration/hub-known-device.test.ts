import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '#db/sync/hlc';
import { type RunningHub, startHub } from '#server/main';
import {
  ADMIN_TOKEN,
  adminApi,
  enrolledDevice,
  type HubEngine,
  HubHttpError,
  hubPlace,
  type TestDevice,
} from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// A hub process remembers the devices whose tokens it has looked up, so their next pushes skip
// the lookup's round trip (server/http/device-auth.ts); the push's first locked statement checks
// the token instead. A device revoked, or enrolled again, after its token was remembered — on
// PostgreSQL through another hub process — is refused by its next push exactly as before (403,
// 401, before any other refusal), and nothing of that push is written or takes a position.

describe.each<HubEngine>(['sqlite', 'postgres'])('a device known to a hub on %s', (engine) => {
  let place: Awaited<ReturnType<typeof hubPlace>>;
  let hub: RunningHub;
  /** Where the administrator acts: another process's hub on PostgreSQL. */
  let other: RunningHub;
  beforeAll(async () => {
    place = await hubPlace(engine);
    hub = await startHub({ ...place, adminToken: ADMIN_TOKEN, log: false });
    other = engine === 'postgres' ? await startHub({ ...place, adminToken: ADMIN_TOKEN, log: false }) : hub;
  });
  afterAll(async () => {
    if (other !== hub) await other?.close();
    await hub?.close();
    await place?.cleanup();
  });

  /** What a refused push must leave as it was: the log and the head. */
  const state = async () => ({
    log: await hub.store.read(
      async (sql) => Number((await sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM hub_log'))[0]!.n),
    ),
    head: (await fetch(`${hub.url}/healthz`).then((r) => r.json())).seq as number,
  });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => (e instanceof HubHttpError ? { status: e.status, code: e.body.code } : e),
    );

  /** A device that has pushed through `hub`: its token is remembered there. */
  async function known(user: string): Promise<TestDevice> {
    const d = await enrolledDevice(hub.url, user);
    await d.push(organization(d, `org-${d.id}`));
    await d.push(product(d, `p-${d.id}-1`, `org-${d.id}`));
    return d;
  }

  it('refuses a push of a device revoked since its last push: 403 first, nothing written', async () => {
    const d = await known('revoked-later');
    await adminApi(other.url).revoke(d.id);
    const before = await state();
    expect(await refusal(d.push(product(d, `p-${d.id}-2`, `org-${d.id}`)))).toEqual({
      status: 403,
      code: 'device_revoked',
    });
    // A refusal of its own (a clock far ahead) still comes after the revocation, as before.
    const ahead = formatHlc({ wallMs: Date.now() + 3_600_000, counter: 0, deviceId: d.id });
    const early = product(d, `p-${d.id}-3`, `org-${d.id}`).map((c) => ({ ...c, hlc: ahead }));
    expect(await refusal(d.push(early))).toEqual({ status: 403, code: 'device_revoked' });
    expect(await state()).toEqual(before);
  });

  it('refuses the old token of a device enrolled again: 401, nothing written; the new one pushes', async () => {
    const d = await known('enrolled-again');
    const oldToken = d.token;
    await d.enroll((await adminApi(other.url).enrollCode('enrolled-again')).code);
    const newToken = d.token;
    const before = await state();
    d.token = oldToken;
    expect(await refusal(d.push(product(d, `p-${d.id}-2`, `org-${d.id}`)))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
    expect(await state()).toEqual(before);
    d.token = newToken;
    const answer = await d.push(product(d, `p-${d.id}-3`, `org-${d.id}`));
    expect(answer.results.every((r) => r.outcome === 'applied')).toBe(true);
  });

  it('answers a known device refused before its opening as before (its own refusal)', async () => {
    const d = await known('clock-ahead');
    const ahead = formatHlc({ wallMs: Date.now() + 3_600_000, counter: 0, deviceId: d.id });
    const early = product(d, `p-${d.id}-2`, `org-${d.id}`).map((c) => ({ ...c, hlc: ahead }));
    expect(await refusal(d.push(early))).toEqual({ status: 409, code: 'clock_ahead' });
    const answer = await d.push(product(d, `p-${d.id}-3`, `org-${d.id}`));
    expect(answer.results.every((r) => r.outcome === 'applied')).toBe(true);
  });
});
