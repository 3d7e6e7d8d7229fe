// A first sync completes in one go (issue 11, point 7): a connection closed while the device
// was busy applying a page (the hub's keep-alive ran out, a proxy dropped it) fails the next
// request before it is answered; the device retries on a fresh connection within the same
// round instead of giving up with "the hub cannot be reached" and moving one page per attempt.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_MS } from '#server/main';
import { createPayer } from '../helpers/invoices';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import { FixedClock, useTempSpace } from '../helpers/kontor';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-one-go-');
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite');
});
afterAll(async () => {
  await hub?.cleanup();
});

/**
 * A proxy that serves one request per connection and then, like an idle timeout that fired,
 * closes the connection the moment the client sends the next request on it.
 */
async function oneRequestPerConnection(
  target: string,
): Promise<{ url: string; dropped: () => number; close(): void }> {
  let dropped = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(new URL(target).port), '127.0.0.1');
    let answered = false;
    client.on('data', (chunk: Buffer) => {
      if (answered) {
        dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      answered = true;
      client.write(chunk);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    dropped: () => dropped,
    close: () => server.close(),
  };
}

describe('first sync in one go', () => {
  it('keeps idle connections open long enough for a slow page', () => {
    // Minutes, not the 5 s that cut a 16 MB snapshot page's successor.
    expect(KEEP_ALIVE_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('a connection closed between pages is retried within the same round', async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('one-go');
    const a = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
    await a.ok('sync.configure', { hubUrl: hub.url, enrollCode: (await admin.enrollCode('one-go')).code });
    for (let i = 0; i < 30; i++) await createPayer(a, { name: `Client ${i} SA` });
    await a.ok('sync.now', {});

    const proxy = await oneRequestPerConnection(hub.url);
    try {
      const b = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      await b.ok('sync.configure', {
        hubUrl: proxy.url,
        enrollCode: (await admin.enrollCode('one-go')).code,
      });
      // Small pages: many requests, each after the previous connection was reused and dropped.
      const round = await b.ok('sync.now', {});
      expect(round.status.lastError).toBeNull();
      expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
      expect(proxy.dropped()).toBeGreaterThan(0);
    } finally {
      proxy.close();
    }
  });
});
