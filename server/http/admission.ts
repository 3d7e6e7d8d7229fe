import { HubFailure } from '#common/sync/hub-failure';

// Back-pressure at the hub's door. A push holds a database write transaction for as long as
// its batch takes; pushes beyond what the store can serve would only wait in memory (each with
// its parsed body) and every one of them would come back late. So a hub process lets at most
// `maxPushes` pushes in at once and answers the next one 429 with Retry-After at once, before
// reading its body: nothing of it is parsed or written, and the device retries later (its
// outbox keeps the batch). Fairness: a device has at most one push in flight, so a device
// sending a huge outbox (one batch after another) holds one place among the writers, never
// all of them, and twenty devices with small batches keep taking their turns beside it.

/** Default bound of concurrent pushes per hub process (`hub serve --max-pushes`, $KONTOR_HUB_MAX_PUSHES). */
export const DEFAULT_MAX_PUSHES = 32;
/** What a refused device is told to wait: about one push's time under load, not a minute. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

export class PushAdmission {
  private readonly devices = new Set<string>();

  constructor(readonly maxPushes: number = DEFAULT_MAX_PUSHES) {
    if (!Number.isInteger(maxPushes) || maxPushes < 1)
      throw new Error('the push bound must be a whole number ≥ 1');
  }

  get inFlight(): number {
    return this.devices.size;
  }

  /** Lets the device's push in, or throws the 429; the returned function lets it out (once). */
  enter(deviceId: string): () => void {
    const params = { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
    if (this.devices.has(deviceId))
      throw new HubFailure(
        'push_in_flight',
        429,
        'this device already has a push in flight: wait for its answer, then retry',
        params,
      );
    if (this.devices.size >= this.maxPushes)
      throw new HubFailure('hub_busy', 429, 'the hub is busy: retry after the time it gives', {
        ...params,
        maxPushes: this.maxPushes,
      });
    this.devices.add(deviceId);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.devices.delete(deviceId);
    };
  }
}

/** A bound as typed (flag or environment): a whole number ≥ 1, else null. */
export function parseMaxPushes(raw: string): number | null {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isInteger(n) && n >= 1 ? n : null;
}
