import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrolledDevice, hubPlace } from '../helpers/hub';
import { organization } from '../helpers/hub-fixtures';
import { spawnHub } from '../helpers/hub-process';

// The hub writes its log lines of one turn of the event loop in one write (server/log-lines.ts):
// every line still reaches stderr — a push's lines while the hub runs, and the last line of a
// hub that stops, written as the process exits in the turn that logged it.

let place: Awaited<ReturnType<typeof hubPlace>>;
beforeAll(async () => {
  place = await hubPlace('sqlite');
});
afterAll(async () => {
  await place?.cleanup();
});

it('writes every line: a push announced and answered, and the stop as the process exits', async () => {
  const hub = await spawnHub(place);
  const device = await enrolledDevice(hub.url, 'logger');
  const applying = hub.waitForEvent('push.applying', (e) => e.device === device.id);
  const answered = hub.waitForEvent('request', (e) => e.path === '/v1/sync/push' && e.device === device.id);
  await device.push(organization(device, 'org-log'));
  expect(await applying).toMatchObject({ changes: expect.any(Number) });
  expect(await answered).toMatchObject({ status: 200, method: 'POST' });
  const stopped = hub.waitForEvent('stopped');
  hub.child.kill('SIGTERM');
  expect(await hub.exited).toBe(0);
  expect(await stopped).toMatchObject({ url: hub.url });
});
