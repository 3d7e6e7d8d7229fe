/**
 * The one failure of the sync wire, on both sides: the hub throws it and answers its envelope
 * `{ code, message, params }` (the same shape as every Kontor door's error, plus the hub's
 * clock), the device's client rebuilds it from that answer (or from a network failure) and the
 * engine turns its code into a translated status. Arguments in one order everywhere: what
 * happened (code), then how HTTP says it (status).
 */
export class HubFailure extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly params: Record<string, unknown> = {},
    readonly hubTime?: number,
    /** The answer's Retry-After (429/503), in ms: the device waits at least this long before retrying. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HubFailure';
  }

  /** Worth retrying later with back-off (network, hub overloaded or restarting). */
  get transient(): boolean {
    return this.code === 'hub_unreachable' || this.status >= 500 || this.status === 429;
  }
}

/**
 * An HTTP Retry-After value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in ms from now;
 * undefined when absent or unreadable (the device then falls back to its own back-off).
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
