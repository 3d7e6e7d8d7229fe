import { describe, expect, it } from 'vitest';
import { HubFailure, parseRetryAfter } from '#common/sync/hub-failure';
import { describeFailure } from '#core/sync/engine';
import { honouringRetryAfter } from '#core/sync/retry-after';
import { parseMaxPushes } from '#server/http/admission';

describe('Retry-After and the push bound as typed', () => {
  it('reads delay-seconds and HTTP-dates, ignores the unreadable', () => {
    const now = Date.parse('2026-12-07T05:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 07 Dec 2026 05:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 04:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('takes a whole number ≥ 1 as the bound, refuses anything else', () => {
    expect(parseMaxPushes('8')).toBe(8);
    for (const bad of ['0', '-1', '2.5', '', ' ', 'many']) expect(parseMaxPushes(bad)).toBeNull();
  });

  it('a busy hub reads as the translated sync_hub_busy with the seconds to wait', () => {
    const busy = new HubFailure('hub_busy', 429, 'busy', { retryAfterSeconds: 3 }, undefined, 3_000);
    expect(busy.transient).toBe(true);
    expect(describeFailure(busy, 0)).toEqual({ code: 'sync_hub_busy', params: { seconds: 3 } });
    const own = new HubFailure('push_in_flight', 429, 'one at a time', {}, undefined, 1_000);
    expect(describeFailure(own, 0)).toEqual({ code: 'sync_hub_busy', params: { seconds: 1 } });
  });

  it('gives up at once on a wait longer than its bound, and on answers without Retry-After', async () => {
    let calls = 0;
    const long = () => {
      calls++;
      return Promise.reject(new HubFailure('hub_busy', 429, 'busy', {}, undefined, 120_000));
    };
    await expect(
      honouringRetryAfter(long, { maxWaitMs: 30_000, attempts: 6, random: () => 0 }),
    ).rejects.toThrow('busy');
    expect(calls).toBe(1);
    const plain = () => {
      calls++;
      return Promise.reject(new HubFailure('internal', 500, 'boom'));
    };
    await expect(
      honouringRetryAfter(plain, { maxWaitMs: 30_000, attempts: 6, random: () => 0 }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(2);
  });
});
