import { setTimeout as sleep } from 'node:timers/promises';
import { HubFailure } from '#common/sync/hub-failure';

// A hub under load answers 429 (or a proxy 503) with Retry-After (server/http/admission.ts).
// The device waits at least that long and asks again within the same round, so a busy
// moment costs a second, not a whole sync interval; a wait longer than the bound, or too
// many refusals in a row, ends the round and the engine's back-off (which also honours
// Retry-After) takes over. A little jitter on top keeps refused devices from coming back in
// one wave.

export interface RetryAfterOptions {
  /** Longest Retry-After waited out within a round. */
  maxWaitMs: number;
  /** Calls in all, the first included. */
  attempts: number;
  random: () => number;
  signal?: AbortSignal;
}

/** True for an answer that asks the device to come back later. */
export function asksToWait(error: unknown): error is HubFailure & { retryAfterMs: number } {
  return (
    error instanceof HubFailure &&
    (error.status === 429 || error.status === 503) &&
    typeof error.retryAfterMs === 'number'
  );
}

export async function honouringRetryAfter<T>(call: () => Promise<T>, options: RetryAfterOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!asksToWait(error) || attempt >= options.attempts || error.retryAfterMs > options.maxWaitMs)
        throw error;
      const wait = error.retryAfterMs + Math.round(250 * options.random());
      try {
        await sleep(wait, undefined, { signal: options.signal });
      } catch {
        throw new HubFailure('sync_cancelled', 0, 'cancelled');
      }
    }
  }
}
