import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc, Hlc, HlcClockSkewError, parseHlc } from '#db/sync/hlc';

const T0 = Date.parse('2026-03-15T09:30:00.000Z');

/** A wall clock the test moves by hand. */
function manualClock(start = T0) {
  let ms = start;
  return {
    read: () => ms,
    set: (v: number) => {
      ms = v;
    },
  };
}

function strictlyIncreasing(values: string[]): boolean {
  return values.every((v, i) => i === 0 || values[i - 1]! < v);
}

describe('HLC timestamps are strictly increasing whatever the wall clock does', () => {
  it('keeps counting while the wall clock is stalled', () => {
    const clock = manualClock();
    const hlc = new Hlc('dev-a', clock.read);
    const stamps = Array.from({ length: 1_000 }, () => hlc.now());
    expect(strictlyIncreasing(stamps)).toBe(true);
    expect(parseHlc(stamps[0]!)).toEqual({ wallMs: T0, counter: 0, deviceId: 'dev-a' });
    expect(parseHlc(stamps.at(-1)!)).toEqual({ wallMs: T0, counter: 999, deviceId: 'dev-a' });
  });

  it('never goes back when the wall clock is set backwards, and rejoins it once it catches up', () => {
    const clock = manualClock();
    const hlc = new Hlc('dev-a', clock.read);
    const before = hlc.now();
    clock.set(T0 - 3_600_000); // someone set the clock back an hour
    const during = [hlc.now(), hlc.now()];
    expect(strictlyIncreasing([before, ...during])).toBe(true);
    expect(parseHlc(during[1]!).wallMs).toBe(T0);
    clock.set(T0 + 10);
    const after = hlc.now();
    expect(after > during[1]!).toBe(true);
    expect(parseHlc(after)).toEqual({ wallMs: T0 + 10, counter: 0, deviceId: 'dev-a' });
  });

  it('continues after the last timestamp it issued before a restart, even with the clock behind', () => {
    const clock = manualClock();
    const first = new Hlc('dev-a', clock.read);
    for (let i = 0; i < 5; i++) first.now();
    const saved = first.lastIssued;
    clock.set(T0 - 60_000);
    const restarted = new Hlc('dev-a', clock.read, saved);
    expect(restarted.now() > saved).toBe(true);
  });
});

describe('HLC observeOwn(): another connection wrote under this device id', () => {
  it('continues after the other connection’s timestamp, without a drift check', () => {
    const clock = manualClock();
    const app = new Hlc('dev-a', clock.read);
    const cli = new Hlc('dev-a', clock.read);
    const fromApp = [app.now(), app.now()];
    cli.observeOwn(app.lastIssued);
    const fromCli = cli.now();
    expect(fromCli > fromApp[1]!).toBe(true);
    // Far ahead (our own clock was ahead when it wrote, then set back): still followed.
    const ahead = formatHlc({ wallMs: T0 + 3_600_000, counter: 4, deviceId: 'dev-a' });
    cli.observeOwn(ahead);
    expect(cli.now() > ahead).toBe(true);
  });

  it('never moves the clock back', () => {
    const clock = manualClock();
    const hlc = new Hlc('dev-a', clock.read);
    for (let i = 0; i < 10; i++) hlc.now();
    const last = hlc.lastIssued;
    hlc.observeOwn(formatHlc({ wallMs: T0 - 1, counter: 99, deviceId: 'dev-a' }));
    hlc.observeOwn(formatHlc({ wallMs: T0, counter: 2, deviceId: 'dev-a' }));
    expect(hlc.lastIssued).toBe(last);
    expect(hlc.now() > last).toBe(true);
  });
});

describe('HLC receive()', () => {
  it('orders every later local event after the remote timestamp', () => {
    const clock = manualClock();
    const local = new Hlc('dev-a', clock.read);
    local.now();
    // The remote device's clock runs 2 minutes ahead (within the tolerated drift).
    const remote = formatHlc({ wallMs: T0 + 120_000, counter: 7, deviceId: 'dev-b' });
    local.receive(remote);
    const next = local.now();
    expect(next > remote).toBe(true);
    expect(parseHlc(next)).toEqual({ wallMs: T0 + 120_000, counter: 9, deviceId: 'dev-a' });
  });

  it('keeps its own order when the remote timestamp is older', () => {
    const clock = manualClock();
    const local = new Hlc('dev-a', clock.read);
    const mine = [local.now(), local.now(), local.now()];
    local.receive(formatHlc({ wallMs: T0 - 5_000, counter: 3, deviceId: 'dev-b' }));
    const next = local.now();
    expect(next > mine[2]!).toBe(true);
    expect(parseHlc(next).wallMs).toBe(T0);
  });

  it('merges counters when local, remote and wall clock agree on the millisecond', () => {
    const clock = manualClock();
    const local = new Hlc('dev-a', clock.read);
    local.now(); // (T0, 0)
    const remote = formatHlc({ wallMs: T0, counter: 41, deviceId: 'dev-b' });
    local.receive(remote);
    const next = local.now();
    expect(next > remote).toBe(true);
    expect(parseHlc(next).counter).toBe(43);
  });

  it('refuses a remote timestamp more than 5 minutes ahead of the wall clock, and is not dragged forward', () => {
    const clock = manualClock();
    const local = new Hlc('dev-a', clock.read);
    const before = local.now();
    const tooFar = formatHlc({ wallMs: T0 + 5 * 60_000 + 1, counter: 0, deviceId: 'dev-b' });
    expect(() => local.receive(tooFar)).toThrow(HlcClockSkewError);
    try {
      local.receive(tooFar);
    } catch (error) {
      expect(error).toBeInstanceOf(HlcClockSkewError);
      expect((error as HlcClockSkewError).remoteWallMs - (error as HlcClockSkewError).localWallMs).toBe(
        300_001,
      );
    }
    expect(parseHlc(local.now())).toEqual({ wallMs: T0, counter: 1, deviceId: 'dev-a' });
    expect(local.lastIssued > before).toBe(true);
    // Exactly at the limit is still accepted.
    local.receive(formatHlc({ wallMs: T0 + 5 * 60_000, counter: 0, deviceId: 'dev-b' }));
    expect(parseHlc(local.now()).wallMs).toBe(T0 + 5 * 60_000);
  });

  it('rejects malformed timestamps', () => {
    const local = new Hlc('dev-a', () => T0);
    for (const bad of [
      '',
      'garbage',
      '1:2:x',
      `${T0}:000000:dev`,
      '000000000000001:00000:dev',
      '000000000000001:000000:',
    ]) {
      expect(() => local.receive(bad), bad).toThrow(/malformed HLC/);
    }
  });
});

describe('HLC text encoding', () => {
  it('round-trips through format and parse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999_999_999 }),
        fc.integer({ min: 0, max: 36 ** 6 - 1 }),
        fc.stringMatching(/^[0-9a-f]{1,16}(:[0-9a-f]{1,4})?$/),
        (wallMs, counter, deviceId) => {
          const text = formatHlc({ wallMs, counter, deviceId });
          expect(parseHlc(text)).toEqual({ wallMs, counter, deviceId });
          expect(formatHlc(parseHlc(text))).toBe(text);
        },
      ),
      { seed: 20261123, numRuns: 500 },
    );
  });

  it('sorts as text exactly as (wall, counter, device) sort as numbers', () => {
    const stamp = fc.record({
      wallMs: fc.integer({ min: 0, max: 999_999_999_999_999 }),
      counter: fc.integer({ min: 0, max: 36 ** 6 - 1 }),
      deviceId: fc.stringMatching(/^[0-9a-f]{16}$/),
    });
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        const numeric =
          a.wallMs !== b.wallMs
            ? Math.sign(a.wallMs - b.wallMs)
            : a.counter !== b.counter
              ? Math.sign(a.counter - b.counter)
              : a.deviceId === b.deviceId
                ? 0
                : a.deviceId < b.deviceId
                  ? -1
                  : 1;
        const ta = formatHlc(a);
        const tb = formatHlc(b);
        const textual = ta === tb ? 0 : ta < tb ? -1 : 1;
        expect(textual).toBe(numeric);
      }),
      { seed: 20261123, numRuns: 2_000 },
    );
    // The boundaries the fixed widths exist for: a 10-digit counter vs a 9, base-36 letters vs digits.
    expect(
      formatHlc({ wallMs: 9, counter: 0, deviceId: 'a' }) <
        formatHlc({ wallMs: 10, counter: 0, deviceId: 'a' }),
    ).toBe(true);
    expect(
      formatHlc({ wallMs: 1, counter: 35, deviceId: 'a' }) >
        formatHlc({ wallMs: 1, counter: 9, deviceId: 'a' }),
    ).toBe(true);
    expect(
      formatHlc({ wallMs: 1, counter: 36, deviceId: 'a' }) >
        formatHlc({ wallMs: 1, counter: 35, deviceId: 'a' }),
    ).toBe(true);
  });
});

describe('HLC property: any interleaving of events on three devices', () => {
  type Step =
    | { kind: 'tick'; clock: number; deltaMs: number }
    | { kind: 'now'; clock: number }
    | { kind: 'send'; from: number; to: number };

  const step: fc.Arbitrary<Step> = fc.oneof(
    // Wall clocks jump forward, stall, or are set back (never beyond the 5-minute tolerance
    // between devices, which receive() rightly refuses).
    fc.record({
      kind: fc.constant('tick' as const),
      clock: fc.integer({ min: 0, max: 2 }),
      deltaMs: fc.integer({ min: -60_000, max: 60_000 }),
    }),
    fc.record({ kind: fc.constant('now' as const), clock: fc.integer({ min: 0, max: 2 }) }),
    fc.record({
      kind: fc.constant('send' as const),
      from: fc.integer({ min: 0, max: 2 }),
      to: fc.integer({ min: 0, max: 2 }),
    }),
  );

  it('issues strictly increasing timestamps per device and respects happened-before', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), (steps) => {
        const walls = [T0, T0, T0];
        const devices = ['dev-a', 'dev-b', 'dev-c'].map((id, i) => new Hlc(id, () => walls[i]!));
        const issued: string[][] = [[], [], []];
        // Lamport's happened-before, tracked explicitly: every event a device has seen (its
        // own, and through messages, others') must sort before its next event.
        const seen: string[] = ['', '', ''];
        const event = (i: number): string => {
          const stamp = devices[i]!.now();
          expect(stamp > seen[i]!).toBe(true);
          expect(issued[i]!.length === 0 || stamp > issued[i]!.at(-1)!).toBe(true);
          issued[i]!.push(stamp);
          seen[i] = stamp;
          return stamp;
        };
        for (const s of steps) {
          if (s.kind === 'tick') {
            // Keep the three clocks within ±2.5 min of T0, so no device is ever more than the
            // tolerated 5 minutes ahead of another and every message is acceptable.
            walls[s.clock] = Math.min(T0 + 150_000, Math.max(T0 - 150_000, walls[s.clock]! + s.deltaMs));
          } else if (s.kind === 'now') {
            event(s.clock);
          } else {
            const sent = event(s.from);
            devices[s.to]!.receive(sent);
            const reply = event(s.to);
            expect(reply > sent).toBe(true);
          }
        }
        for (const list of issued) expect(strictlyIncreasing(list)).toBe(true);
        // No two events anywhere share a timestamp (the device id breaks ties).
        const all = issued.flat();
        expect(new Set(all).size).toBe(all.length);
      }),
      { seed: 424242, numRuns: 300 },
    );
  });
});
