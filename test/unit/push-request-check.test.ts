import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PushRequest } from '#common/sync/protocol';
import { plainPushRequest } from '#common/sync/push-request';

// The plain check of a push body may only skip zod for bodies zod accepts, and must give zod's
// data exactly (server/http/routes.ts uses it before zod). Every case goes through both.

const HLC = '000001765432100:000001:dev-a';

/** Same data as zod when the plain check accepts; never accepting what zod refuses. */
function agree(json: unknown): void {
  const plain = plainPushRequest(json);
  const zod = PushRequest.safeParse(json);
  if (plain === undefined) return;
  expect(zod.success).toBe(true);
  expect(JSON.stringify(plain)).toBe(JSON.stringify(zod.data));
  expect(Object.keys(plain)).toEqual(Object.keys(zod.data!));
  for (const [i, c] of plain.changes.entries())
    expect(Object.keys(c)).toEqual(Object.keys(zod.data!.changes[i]!));
}

/** Both readings of the body as given and as the wire carries it (JSON text). */
function agreeOnWire(json: unknown): void {
  agree(json);
  const text = JSON.stringify(json);
  if (text !== undefined) agree(JSON.parse(text));
}

const change = (over: Record<string, unknown> = {}) => ({
  table: 'products',
  rowId: 'p-1',
  column: 'name',
  value: '"Hosting"',
  hlc: HLC,
  ...over,
});
const body = (over: Record<string, unknown> = {}) => ({
  deviceId: 'dev-a',
  batchId: 'batch-0001',
  schemaVersion: 3,
  changes: [change(), change({ column: 'note', value: null })],
  ...over,
});

describe('plainPushRequest accepts only what zod accepts, with zod’s data', () => {
  it('accepts a plain valid body (and drops unknown keys, as zod does)', () => {
    expect(plainPushRequest(body())).toEqual(PushRequest.parse(body()));
    const extra = body({ changes: [change({ extra: 1 })], more: true });
    expect(plainPushRequest(extra)).toEqual(PushRequest.parse(extra));
    agreeOnWire(body({ changes: [] }));
  });

  it('leaves every doubtful body to zod', () => {
    const doubtful: unknown[] = [
      null,
      [],
      'x',
      body({ deviceId: '' }),
      body({ deviceId: 'd'.repeat(65) }),
      body({ batchId: 'short' }),
      body({ batchId: 'b'.repeat(129) }),
      body({ schemaVersion: -1 }),
      body({ schemaVersion: 1.5 }),
      body({ schemaVersion: '3' }),
      body({ schemaVersion: 2 ** 60 }),
      body({ changes: {} }),
      body({ changes: Array.from({ length: 10_001 }, () => change()) }),
      body({ changes: [null] }),
      body({ changes: [change({ table: '' })] }),
      body({ changes: [change({ table: 't'.repeat(65) })] }),
      body({ changes: [change({ rowId: 'r'.repeat(129) })] }),
      body({ changes: [change({ column: 7 })] }),
      body({ changes: [change({ value: undefined })] }),
      body({ changes: [change({ value: 5 })] }),
      body({ changes: [change({ value: 'v'.repeat(4_000_001) })] }),
      body({ changes: [change({ hlc: 'not an hlc' })] }),
      // A control character in a name or id (a NUL: PostgreSQL's text cannot hold one).
      body({ deviceId: 'dev-\u0000' }),
      body({ batchId: 'batch-0001\u007f' }),
      body({ changes: [change({ table: 'prod\u0000ucts' })] }),
      body({ changes: [change({ rowId: 'p-1\n' })] }),
      body({ changes: [change({ column: '\u001fname' })] }),
      body({ changes: [change(), change({ hlc: `${HLC}\n` })] }),
      body({ changes: [Object.assign(Object.create({ inherited: 1 }), change())] }),
      JSON.parse(
        '{"deviceId":"dev-a","batchId":"batch-0001","schemaVersion":1,"changes":[],"__proto__":{"x":1}}',
      ),
      JSON.parse(`{"table":"t","rowId":"r","column":"c","value":null,"hlc":"${HLC}","__proto__":{}}`),
    ];
    for (const json of doubtful) {
      agreeOnWire(json);
      // Each of these is refused by zod or carries what the plain check will not reason about.
      expect(plainPushRequest(json)).toBeUndefined();
    }
  });

  it('agrees with zod on random bodies, most of them valid', () => {
    const id = (min: number, max: number) => fc.string({ minLength: min, maxLength: max });
    const validChange = fc.record({
      table: id(1, 64),
      rowId: id(1, 128),
      column: id(1, 64),
      value: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 })),
      hlc: fc.oneof(fc.constant(HLC), fc.constant('000001765432101:00000a:Dev_b-2')),
    });
    const validBody = fc.record({
      deviceId: id(1, 64),
      batchId: id(8, 128),
      schemaVersion: fc.nat(50),
      changes: fc.array(validChange, { maxLength: 6 }),
    });
    // One field of the body or of one change set to something else, half of the time.
    const odd = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.constant(''),
      fc.string({ minLength: 60, maxLength: 140 }),
      fc.integer({ min: -3, max: 3 }),
      fc.double(),
      fc.constant('000001765432100:000001:dev a'),
    );
    const mutation = fc.option(
      fc.record({
        where: fc.nat(6),
        key: fc.constantFrom(
          'deviceId',
          'batchId',
          'schemaVersion',
          'changes',
          'table',
          'rowId',
          'column',
          'value',
          'hlc',
        ),
        to: odd,
      }),
      { freq: 1 },
    );
    let accepted = 0;
    fc.assert(
      fc.property(validBody, mutation, (json, m) => {
        const target: Record<string, unknown> =
          m && ['table', 'rowId', 'column', 'value', 'hlc'].includes(m.key)
            ? (json.changes[m.where % Math.max(1, json.changes.length)] ?? {})
            : json;
        if (m) target[m.key] = m.to;
        agreeOnWire(json);
        // As the hub reads it (JSON.parse's plain objects: fast-check's records are not).
        const text = JSON.stringify(json);
        if (text !== undefined && plainPushRequest(JSON.parse(text))) accepted++;
      }),
      { numRuns: 3_000 },
    );
    // The comparison is not vacuous: many bodies took the plain path (and matched zod's data).
    expect(accepted).toBeGreaterThan(1_000);
  });
});
