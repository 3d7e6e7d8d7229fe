import { describe, expect, it } from 'vitest';
import { CopiedLinesReader } from '#server/store/postgres-copy';
import { inlined } from '#server/store/postgres-inline';

// The binary COPY format as PostgreSQL's COPY reference describes it ("Binary Format"): an
// 11-byte signature, 32-bit flags, a 32-bit header extension length and the extension; each
// row a 16-bit column count, then per column a 32-bit length (-1: NULL) and the bytes; a
// 16-bit -1 at the end. The real stream is read in hub-snapshot-copy.test.ts (PostgreSQL).

/** The reader fed `bytes` in the pieces `cuts` makes (PostgreSQL sends a message per row; the protocol does not promise it). */
function parseCopiedLines(bytes: Buffer, cuts: number[] = []) {
  const reader = new CopiedLinesReader(16);
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, at));
    from = at;
  }
  return reader.result();
}

const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
function int32(n: number) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
const value = (v: string | null) =>
  v === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v)]);

function copyOf(rows: [string | null, string | null][], extension = Buffer.alloc(0), columns = 2): Buffer {
  return Buffer.concat([
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    int32(0),
    int32(extension.length),
    extension,
    ...rows.flatMap(([key, line]) => [int16(columns), value(key), value(line)]),
    int16(-1),
  ]);
}

describe('CopiedLinesReader', () => {
  it('lines one after the other with their newlines, keys decoded, a NULL line taking no bytes', () => {
    const got = parseCopiedLines(
      copyOf(
        [
          ['p-1', '{"a":1}'],
          ['p-"2"', null],
          ['p-é日本😀', '{"b":"\\"é日本😀\\u2028"}'],
          ['p-4', ''],
        ],
        Buffer.from('ext'),
      ),
    );
    expect(got.lines.toString()).toBe('{"a":1}\n{"b":"\\"é日本😀\\u2028"}\n\n');
    expect(got.keys).toEqual(['p-1', 'p-"2"', 'p-é日本😀', 'p-4']);
    const first = Buffer.byteLength('{"a":1}\n');
    expect([...got.ends]).toEqual([
      first,
      first,
      first + Buffer.byteLength('{"b":"\\"é日本😀\\u2028"}\n'),
      got.lines.length,
    ]);
  });

  it('reads the same whatever the pieces the bytes come in', () => {
    const bytes = copyOf(
      [
        ['p-1', '{"a":1}'],
        ['p-"2"', null],
        ['p-é日本😀', '{"b":"é日本😀"}'],
      ],
      Buffer.from('ext'),
    );
    const whole = parseCopiedLines(bytes);
    for (let at = 1; at < bytes.length; at++) {
      const got = parseCopiedLines(bytes, [at]);
      expect(got.lines.equals(whole.lines)).toBe(true);
      expect(got.keys).toEqual(whole.keys);
      expect([...got.ends]).toEqual([...whole.ends]);
    }
    // A byte at a time.
    const bytewise = parseCopiedLines(
      bytes,
      Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
    );
    expect(bytewise.lines.equals(whole.lines)).toBe(true);
  });

  it('no rows: no lines', () => {
    const got = parseCopiedLines(copyOf([]));
    expect(got.lines.length).toBe(0);
    expect(got.keys).toEqual([]);
  });

  it('refuses what the hub did not ask for', () => {
    const good = copyOf([['p-1', '{"a":1}']]);
    expect(() => parseCopiedLines(Buffer.concat([good, Buffer.from('x')]))).toThrow(/after its trailer/);
    // Cut at every byte: never a partial answer.
    for (let at = 0; at < good.length; at++)
      expect(() => parseCopiedLines(good.subarray(0, at))).toThrow(/COPY/);
    expect(() => parseCopiedLines(copyOf([[null, '{}']]))).toThrow(/NULL key/);
    expect(() => parseCopiedLines(copyOf([['p-1', '{}']], Buffer.alloc(0), 3))).toThrow(/3 columns/);
    const text = Buffer.from(good);
    text[0] = 0x51;
    expect(() => parseCopiedLines(text)).toThrow(/signature/);
  });
});

describe('inlined', () => {
  it('writes each value in as a literal, escaping quotes and backslashes', () => {
    // pg.escapeLiteral writes a backslash doubled, in an E'' string after a space.
    expect(inlined({ text: 'SELECT ? || ?, ?', params: ["it's \\ ? here", '{"a":"b"}', 500] })).toBe(
      `SELECT  E'it''s \\\\ ? here' || '{"a":"b"}', 500`,
    );
  });

  it('gives up on a value a statement cannot carry (NUL) or a count that does not match', () => {
    expect(inlined({ text: 'SELECT ?', params: ['a\u0000b'] })).toBeNull();
    expect(inlined({ text: 'SELECT ?, ?', params: ['a'] })).toBeNull();
    expect(inlined({ text: 'SELECT ?', params: ['a', 'b'] })).toBeNull();
  });
});
