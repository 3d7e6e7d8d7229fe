import type { IncomingMessage } from 'node:http';
import { HubFailure } from '#common/sync/hub-failure';

/** Reads a JSON body, refusing more than `limit` bytes before buffering them. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit)
    throw new HubFailure('payload_too_large', 413, `request body over ${limit} bytes`, { limit });
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new HubFailure('payload_too_large', 413, `request body over ${limit} bytes`, { limit });
    parts.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw new HubFailure('invalid_json', 400, 'the request body is not JSON');
  }
}
