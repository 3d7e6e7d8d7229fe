// parseValue reads every field of every pulled or snapshot row: its fast path for plain JSON
// strings must give exactly what JSON.parse gives, and refuse exactly what JSON.parse refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceOf, parseValue } from '#db/sync/apply-values';
import { formatHlc } from '#db/sync/hlc';

const parsed = (text: string) => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { throws: true };
  }
};
const ours = (text: string) => {
  try {
    return { value: parseValue(text) };
  } catch {
    return { throws: true };
  }
};

describe('parseValue', () => {
  it('reads any JSON value as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(ours(text)).toEqual(parsed(text));
      }),
    );
  });

  it('accepts and refuses any text as JSON.parse does (raw control characters, stray quotes)', () => {
    fc.assert(
      // The characters that decide: quotes, backslashes, control characters, beside plain ones.
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'é', '"', '\\', 'n', '\n', '\u0001', '\u001f', ' ') }),
        fc.boolean(),
        (s, quoted) => {
          const text = quoted ? `"${s}"` : s;
          expect(ours(text)).toEqual(parsed(text));
        },
      ),
      { numRuns: 500 },
    );
    expect(ours('"a\nb"')).toEqual({ throws: true });
    expect(ours('"a"b"')).toEqual({ throws: true });
  });
});

describe('deviceOf', () => {
  it('is the part of an HLC after its wall time and counter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 36 ** 6 - 1 }),
        fc.stringMatching(/^[0-9a-zA-Z_:-]{1,64}$/),
        (wallMs, counter, deviceId) => {
          expect(deviceOf(formatHlc({ wallMs, counter, deviceId }))).toBe(deviceId);
        },
      ),
    );
    expect(deviceOf('1:2:dev')).toBe('dev');
  });
});
