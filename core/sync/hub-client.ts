import { z } from 'zod';
import { HubFailure, parseRetryAfter } from '#common/sync/hub-failure';
import { splitHubUrls } from '#common/sync/hub-urls';
import { parseLine } from '#common/sync/snapshot-line';
import {
  EnrollResponse,
  HubEpoch,
  HubError,
  type PullResponse,
  PullResponse as PullResponseSchema,
  type PushRequest,
  PushResponse,
  SnapshotEnd,
  SnapshotHead,
  SnapshotResponse,
} from '#common/sync/protocol';

export { HubFailure };

// The device's side of the wire: typed requests, every answer validated against the shared
// protocol, every failure turned into a HubFailure with a stable code the status can show.

const HubHealth = z.object({ seq: z.number().int().nonnegative(), epoch: HubEpoch.optional() });

export interface HubClientOptions {
  /** One address, or several of one hub (common/sync/hub-urls.ts): tried in order. */
  url: string;
  token?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Tries of one call when the connection fails before an answer (default 3). */
  attempts?: number;
}

export class HubClient {
  private readonly bases: string[];
  /** The address that answered last: the next call starts there. */
  private at = 0;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HubClientOptions) {
    this.bases = splitHubUrls(options.url).map((u) => u.replace(/\/+$/, ''));
    if (this.bases.length === 0) this.bases.push(options.url);
    this.fetchImpl = options.fetch ?? fetch;
  }

  private get base(): string {
    return this.bases[this.at]!;
  }

  /**
   * Fail-over: a call whose address cannot be reached (after its own retries) goes to the
   * next one, until each was tried once. Any hub process of one database serves any call
   * (they keep nothing between requests), and a repeated push is answered from hub_batches.
   */
  private async failover<T>(call: () => Promise<T>): Promise<T> {
    for (let tried = 1; ; tried++) {
      try {
        return await call();
      } catch (error) {
        // No answer, or a gateway's "the process behind me is gone" (502, 504 without a
        // hub envelope): another address may answer. Anything the hub itself said stands.
        const unreachable =
          error instanceof HubFailure &&
          error.code === 'hub_unreachable' &&
          (error.status === 0 || error.status === 502 || error.status === 504);
        if (!unreachable || tried >= this.bases.length) {
          if (unreachable && this.bases.length > 1)
            throw new HubFailure('hub_unreachable', 0, error.message, { url: this.bases.join(', ') });
          throw error;
        }
        this.at = (this.at + 1) % this.bases.length;
      }
    }
  }

  enroll(body: { code: string; deviceId: string; deviceName?: string }): Promise<EnrollResponse> {
    return this.request('POST', '/v1/enroll', EnrollResponse, body, false);
  }

  push(body: PushRequest): Promise<PushResponse> {
    return this.request('POST', '/v1/sync/push', PushResponse, body);
  }

  /** The hub's last committed sequence number: below our cursor, its log went backwards. */
  async head(): Promise<number> {
    return (await this.health()).seq;
  }

  /** The head and, from hubs that have one, the epoch (a new one each time the hub starts). */
  health(): Promise<z.output<typeof HubHealth>> {
    return this.request('GET', '/healthz', HubHealth, undefined, false);
  }

  pull(since: number, limit: number): Promise<PullResponse> {
    return this.request('GET', `/v1/sync/pull?since=${since}&limit=${limit}`, PullResponseSchema);
  }

  snapshot(after: string | null, limit: number): Promise<SnapshotResponse> {
    const query = after === null ? `limit=${limit}` : `after=${encodeURIComponent(after)}&limit=${limit}`;
    return this.request('GET', `/v1/sync/snapshot?${query}`, SnapshotResponse);
  }

  /**
   * One snapshot page, streamed: the head, then the page's lines as they arrive (by network
   * chunk), each left as its bytes (#common/sync/snapshot-line). The lines are rows
   * (common/sync/snapshot-row.ts) and the last one is the page's end (`readSnapshotEnd`); the
   * consumer decodes and parses each right before it applies it, so nothing of a waiting line
   * but a small view lives in V8's heap, and a parsed row dies in its young generation. `lines`
   * ends early when the connection is cut (or fails): every line handed out is whole (the bytes
   * after the last newline are never handed out), and a page without its end line was cut —
   * the caller keeps what it applied and asks again from after it.
   */
  async snapshotStream(
    after: string | null,
    options: { maxBytes: number; count: boolean; signal?: AbortSignal; limit?: number },
  ): Promise<{ head: SnapshotHead; lines: AsyncGenerator<Uint8Array[]> }> {
    const query = new URLSearchParams({
      limit: String(options.limit ?? 1_000_000),
      maxBytes: String(options.maxBytes),
    });
    if (after !== null) query.set('after', after);
    if (options.count) query.set('count', '1');
    const response = await this.send('GET', `/v1/sync/snapshot?${query}`, undefined, true, {
      accept: 'application/x-ndjson',
      signal: options.signal,
    });
    if (!response.ok || !response.body) {
      await this.fail(response, await response.text().catch(() => ''));
    }
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    // Lines by network chunk, each batch the whole lines it completed: one await per chunk
    // of rows, not two per row (a million rows made millions of promises). A line is a view
    // of its chunk's bytes (outside V8's heap), decoded by the slice that applies it.
    const chunks = async function* (): AsyncGenerator<Uint8Array[]> {
      // The bytes of a line begun in earlier chunks, joined once its end arrives (joined at
      // every chunk, a long line would be copied again and again).
      let carry: Uint8Array[] = [];
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const out: Uint8Array[] = [];
          let start = 0;
          let nl = value.indexOf(NEWLINE);
          if (carry.length > 0) {
            if (nl < 0) {
              carry.push(value);
              continue;
            }
            carry.push(value.subarray(0, nl));
            out.push(joinBytes(carry));
            carry = [];
            start = nl + 1;
            nl = value.indexOf(NEWLINE, start);
          }
          while (nl >= 0) {
            out.push(value.subarray(start, nl));
            start = nl + 1;
            nl = value.indexOf(NEWLINE, start);
          }
          if (start < value.length) carry.push(value.subarray(start));
          if (out.length > 0) yield out;
        }
      } catch {
        // Cut: what came whole stands.
      } finally {
        reader.releaseLock();
      }
    };
    const source = chunks();
    const first = await source.next();
    const head = first.done
      ? null
      : SnapshotHead.safeParse(parseLine(new TextDecoder().decode(first.value[0] as Uint8Array)));
    if (!head?.success) {
      await source.return(undefined);
      throw new HubFailure('hub_unreachable', response.status, 'the snapshot page was cut before it began', {
        url: this.base,
      });
    }
    const rest = first.done ? [] : first.value.slice(1);
    const lines = async function* (): AsyncGenerator<Uint8Array[]> {
      try {
        if (rest.length > 0) yield rest;
        yield* source;
      } finally {
        await source.return(undefined);
      }
    };
    return { head: head.data, lines: lines() };
  }

  /**
   * A snapshot line that is no row: the page's end, or an answer this device refuses
   * (hub_bad_answer; the rows before it stand, as they were whole and valid).
   */
  readSnapshotEnd(line: Uint8Array): SnapshotEnd {
    const end = SnapshotEnd.safeParse(parseLine(line));
    if (end.success) return end.data;
    throw new HubFailure('hub_bad_answer', 200, 'a snapshot line is not a row', { url: this.base });
  }

  private send(
    method: 'GET' | 'POST',
    path: string,
    payload: string | undefined,
    auth: boolean,
    extra: { accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    return this.failover(() => this.sendOnce(method, path, payload, auth, extra));
  }

  private async sendOnce(
    method: 'GET' | 'POST',
    path: string,
    payload: string | undefined,
    auth: boolean,
    extra: { accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: extra.accept ?? 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    const attempts = path === '/v1/enroll' ? 1 : (this.options.attempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 120_000);
        return await this.fetchImpl(`${this.base}${path}`, {
          method,
          headers,
          body: payload,
          signal: extra.signal ? AbortSignal.any([timeout, extra.signal]) : timeout,
        });
      } catch (error) {
        if (extra.signal?.aborted) throw new HubFailure('sync_cancelled', 0, 'cancelled');
        if (attempt >= attempts)
          throw new HubFailure('hub_unreachable', 0, error instanceof Error ? error.message : String(error), {
            url: this.base,
          });
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /** Throws the hub's error answer as a HubFailure. */
  private fail(response: Response, text: string): never {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HubFailure(
        'hub_unreachable',
        response.status,
        `not JSON (${response.status})`,
        { url: this.base },
        undefined,
        retryAfter(response),
      );
    }
    throw this.errorAnswer(response, json);
  }

  /** The hub's error envelope as a HubFailure (an answer that is not one: hub_bad_answer). */
  private errorAnswer(response: Response, json: unknown): HubFailure {
    const error = HubError.safeParse(json);
    if (!error.success)
      return new HubFailure('hub_bad_answer', response.status, `HTTP ${response.status}`, { url: this.base });
    return new HubFailure(
      error.data.code,
      response.status,
      error.data.message,
      error.data.params,
      error.data.hubTime,
      retryAfter(response),
    );
  }

  private request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    auth = true,
  ): Promise<z.output<S>> {
    return this.failover(() => this.requestOnce(method, path, schema, body, auth));
  }

  private async requestOnce<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    auth = true,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    let response: Response | null = null;
    let text = '';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // A connection the hub (or a proxy) closed while this device was busy applying the last
    // page fails the next request before it is answered: try again on a fresh connection,
    // within the same sync round. Every call may be repeated (a push is named by its batch
    // id, the hub answers a repeat from memory); enrollment spends a one-time code, so not it.
    const attempts = path === '/v1/enroll' ? 1 : (this.options.attempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        response = await this.fetchImpl(`${this.base}${path}`, {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
        });
        // Read whole before parsing: a connection cut mid-answer is a network failure, and
        // nothing of a half-read page is applied.
        text = await response.text();
        break;
      } catch (error) {
        if (attempt >= attempts)
          throw new HubFailure('hub_unreachable', 0, error instanceof Error ? error.message : String(error), {
            url: this.base,
          });
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HubFailure(
        response.ok ? 'hub_bad_answer' : 'hub_unreachable',
        response.status,
        `not JSON (${response.status})`,
        { url: this.base },
        undefined,
        retryAfter(response),
      );
    }
    if (!response.ok) throw this.errorAnswer(response, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new HubFailure('hub_bad_answer', response.status, parsed.error.message, { url: this.base });
    return parsed.data;
  }
}

/** A busy hub's (or proxy's) Retry-After, in ms. */
function retryAfter(response: Response): number | undefined {
  return parseRetryAfter(response.headers.get('retry-after'), Date.now());
}

const NEWLINE = 0x0a;

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
