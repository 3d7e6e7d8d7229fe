import http from 'node:http';
import type { PushResponse, WireChange } from '#common/sync/protocol';
import { HubHttpError, type TestDevice } from '../helpers/hub';

// The simulated devices' push, on node:http with kept-alive connections: the load generator
// shares the hub's 2 cores, and fetch (undici) spent about twice node:http's CPU per request.
// What it sends and how it reads the answer are TestDevice.push's (test/helpers/hub.ts).

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export function pushOverHttp(
  d: TestDevice,
  changes: WireChange[],
  batchId: string,
  schemaVersion = 1,
): Promise<PushResponse> {
  const body = JSON.stringify({ deviceId: d.id, batchId, schemaVersion, changes });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${d.hubUrl}/v1/sync/push`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${d.token}`,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          try {
            const text = Buffer.concat(parts).toString('utf8');
            const json = text ? JSON.parse(text) : null;
            if ((res.statusCode ?? 500) >= 300) reject(new HubHttpError(res.statusCode ?? 500, json));
            else resolve(json as PushResponse);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Closes the kept-alive connections (the bench ends with its hubs). */
export const closeHubConnections = () => agent.destroy();
