// Hybrid logical clock (Kulkarni et al.): physical milliseconds, a counter for events in
// the same millisecond (or while the wall clock lags behind a timestamp already seen), and
// the device id as the final tie-break. Encoded as fixed-width text so that string order is
// causal order, which lets SQLite compare and index timestamps as plain text.

export interface HlcTimestamp {
  wallMs: number;
  counter: number;
  deviceId: string;
}

const WALL_WIDTH = 15;
const COUNTER_WIDTH = 6;
const MAX_COUNTER = 36 ** COUNTER_WIDTH - 1;

export function formatHlc({ wallMs, counter, deviceId }: HlcTimestamp): string {
  return `${wallMs.toString().padStart(WALL_WIDTH, '0')}:${counter.toString(36).padStart(COUNTER_WIDTH, '0')}:${deviceId}`;
}

export function parseHlc(text: string): HlcTimestamp {
  // The fixed-width form without splitting (the hub parses every pushed change's HLC): the
  // same answer as the general path below, which also reports what is malformed.
  if (text.length > 23 && text.indexOf(':') === WALL_WIDTH && text.indexOf(':', WALL_WIDTH + 1) === 22)
    return {
      wallMs: Number(text.slice(0, WALL_WIDTH)),
      counter: Number.parseInt(text.slice(WALL_WIDTH + 1, 22), 36),
      deviceId: text.slice(23),
    };
  const [wall, counter, ...rest] = text.split(':');
  const deviceId = rest.join(':');
  if (!wall || !counter || !deviceId || wall.length !== WALL_WIDTH || counter.length !== COUNTER_WIDTH) {
    throw new Error(`malformed HLC timestamp: ${text}`);
  }
  return { wallMs: Number(wall), counter: Number.parseInt(counter, 36), deviceId };
}

export class HlcClockSkewError extends Error {
  constructor(
    readonly remoteWallMs: number,
    readonly localWallMs: number,
  ) {
    super(`remote clock is ${remoteWallMs - localWallMs} ms ahead of ours`);
  }
}

export class Hlc {
  private last: HlcTimestamp;

  constructor(
    private readonly deviceId: string,
    private readonly wallClock: () => number,
    lastIssued?: string,
    // Remote timestamps further ahead than this are refused instead of dragging our clock
    // (and every later write) into the future.
    private readonly maxDriftMs = 5 * 60_000,
  ) {
    this.last = lastIssued ? { ...parseHlc(lastIssued), deviceId } : { wallMs: 0, counter: 0, deviceId };
  }

  /** A timestamp for a local event: strictly greater than every one issued or received. */
  now(): string {
    const wall = this.wallClock();
    if (wall > this.last.wallMs) this.last = { wallMs: wall, counter: 0, deviceId: this.deviceId };
    else
      this.last = {
        wallMs: this.last.wallMs,
        counter: this.bump(this.last.counter),
        deviceId: this.deviceId,
      };
    return formatHlc(this.last);
  }

  /** Merge a timestamp received from another device so later local events sort after it. */
  receive(remoteText: string): void {
    const remote = parseHlc(remoteText);
    const wall = this.wallClock();
    if (remote.wallMs - wall > this.maxDriftMs) throw new HlcClockSkewError(remote.wallMs, wall);
    const maxWall = Math.max(wall, this.last.wallMs, remote.wallMs);
    let counter: number;
    if (maxWall === this.last.wallMs && maxWall === remote.wallMs)
      counter = this.bump(Math.max(this.last.counter, remote.counter));
    else if (maxWall === this.last.wallMs) counter = this.bump(this.last.counter);
    else if (maxWall === remote.wallMs) counter = this.bump(remote.counter);
    else counter = 0;
    this.last = { wallMs: maxWall, counter, deviceId: this.deviceId };
  }

  /**
   * Catches up with a timestamp this device issued through another connection to the same
   * file (the CLI beside the app): no drift check, it is our own clock's reading.
   */
  observeOwn(text: string): void {
    const seen = parseHlc(text);
    if (
      seen.wallMs > this.last.wallMs ||
      (seen.wallMs === this.last.wallMs && seen.counter > this.last.counter)
    ) {
      this.last = { wallMs: seen.wallMs, counter: seen.counter, deviceId: this.deviceId };
    }
  }

  /**
   * Moves the clock back to `text` (never below it): only for re-stamping this device's own
   * unsent changes that a wrong wall clock put in the future (db/sync/restamp.ts).
   */
  rewindTo(text: string): void {
    const to = parseHlc(text);
    this.last = { wallMs: to.wallMs, counter: to.counter, deviceId: this.deviceId };
  }

  get lastIssued(): string {
    return formatHlc(this.last);
  }

  private bump(counter: number): number {
    if (counter >= MAX_COUNTER) throw new Error('HLC counter overflow: wall clock stalled');
    return counter + 1;
  }
}
