import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '#common/sync/hub-failure';
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
});
