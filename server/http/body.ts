import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { readJsonBody } from '#common/http/json-body';
import { HubFailure } from '#common/sync/hub-failure';

/** Reads a JSON body, refusing more than `limit` bytes before buffering them; no body is `{}`. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readJsonBody(req, Number(req.headers['content-length'] ?? 0), limit);
  if (body.ok) return body.value;
  if (body.problem === 'empty') return {};
  if (body.problem === 'too_large')
    throw new HubFailure('payload_too_large', 413, `request body over ${limit} bytes`, { limit });
  throw new HubFailure('invalid_json', 400, 'the request body is not JSON');
}

/** A body by its schema, or the protocol's 400 with its first issues. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new HubFailure('invalid_request', 400, 'the request does not match the protocol', {
      issues: r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}
