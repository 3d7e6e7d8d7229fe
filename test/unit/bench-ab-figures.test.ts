import { describe, expect, it } from 'vitest';
import { closingJson, figures, median } from '../bench/ab-figures';

describe('bench:ab reads a bench script’s figures', () => {
  it('takes the closing JSON object even when the log before it has braces', () => {
    const out =
      'progress {1/3}\n{ not json\n{\n  "a": { "seconds": 1.5, "n": [3, "x", null] },\n  "ok": true\n}\n';
    expect(closingJson(out)).toEqual({ a: { seconds: 1.5, n: [3, 'x', null] }, ok: true });
  });

  it('lists every finite number by its dotted path, and nothing else', () => {
    const got = figures({ a: { seconds: 1.5, n: [3, 'x', null, Number.NaN] }, ok: true, top: 0 });
    expect([...got]).toEqual([
      ['a.seconds', 1.5],
      ['a.n.0', 3],
      ['top', 0],
    ]);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
