import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotRow } from '#common/sync/protocol';
import { readSnapshotRow } from '#common/sync/snapshot-row';

// The fast reading of a snapshot row must give zod's verdict and zod's data, exactly: it may
// only skip zod for rows zod would accept unchanged. Every case goes through both.

const HLC = '000001765432100:000001:dev-a';

function zodVerdict(json: unknown): SnapshotRow | null {
  const parsed = SnapshotRow.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * The same verdict and the same data: keys in the same order, the same prototypes. (Not
 * toStrictEqual: it compares `constructor` properties, which a column may be named.)
 */
function same(json: unknown): void {
  const fast = readSnapshotRow(json);
  const zod = zodVerdict(json);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
  if (fast === null || zod === null) return;
  expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(zod));
  expect(Object.getPrototypeOf(fast.fields)).toBe(Object.getPrototypeOf(zod.fields));
  expect(Reflect.ownKeys(fast.fields)).toEqual(Reflect.ownKeys(zod.fields));
  for (const key of Object.keys(zod.fields)) expect(Array.isArray(fast.fields[key])).toBe(true);
}

/** Both readings of the line as the wire carries it (JSON text) and of the value as given. */
function agree(json: unknown): void {
  same(json);
  let text: string | undefined;
  try {
    text = JSON.stringify(json);
  } catch {
    text = undefined;
  }
  if (text === undefined) return;
  const wire = JSON.parse(text) as unknown;
  same(wire);
}

const valid = () => ({
  table: 'products',
  rowId: 'p-1',
  fields: {
    name: ['"Hosting"', HLC] as [string | null, string],
    note: [null, HLC] as [string | null, string],
  },
});

describe('readSnapshotRow refuses exactly what zod refuses', () => {
  it('accepts a valid row with the same data as zod', () => {
    const row = valid();
    expect(readSnapshotRow(row)).toStrictEqual(row);
    agree(row);
    agree({ ...row, fields: {} });
  });

  it('gives zod verdict on hostile and malformed rows', () => {
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      'products',
      [],
      [valid()],
      { end: true, next: null },
      // Wrong types.
      { ...valid(), table: 7 },
      { ...valid(), rowId: null },
      { ...valid(), rowId: { id: 'p-1' } },
      { ...valid(), fields: null },
      { ...valid(), fields: [] },
      { ...valid(), fields: 'name' },
      { ...valid(), fields: { name: '"Hosting"' } },
      { ...valid(), fields: { name: [1, HLC] } },
      { ...valid(), fields: { name: [true, HLC] } },
      { ...valid(), fields: { name: [{}, HLC] } },
      { ...valid(), fields: { name: ['"x"', 12] } },
      { ...valid(), fields: { name: ['"x"', null] } },
      // Extra or missing columns and tuple items.
      { ...valid(), extra: 'dropped by zod' },
      { ...valid(), __proto__: { polluted: true } },
      { table: 'products', fields: valid().fields },
      { rowId: 'p-1', fields: valid().fields },
      { table: 'products', rowId: 'p-1' },
      { ...valid(), fields: { name: ['"x"'] } },
      { ...valid(), fields: { name: ['"x"', HLC, 'third'] } },
      { ...valid(), fields: { name: [] } },
      // Bad clocks and ids.
      { ...valid(), fields: { name: ['"x"', 'not-an-hlc'] } },
      { ...valid(), fields: { name: ['"x"', `${HLC}\n`] } },
      { ...valid(), fields: { name: ['"x"', `00000176543210:000001:dev`] } },
      { ...valid(), fields: { name: ['"x"', `000001765432100:00000A:dev`] } },
      { ...valid(), fields: { name: ['"x"', `000001765432100:000001:${'d'.repeat(65)}`] } },
      { ...valid(), fields: { name: ['"x"', `000001765432100:000001:dév`] } },
      // The pattern runs once per distinct HLC of a row: an empty one, a bad one after a good one.
      { ...valid(), fields: { name: ['"x"', ''] } },
      { ...valid(), fields: { name: ['"x"', HLC], note: [null, ''] } },
      { ...valid(), fields: { name: ['"x"', HLC], note: [null, 'not-an-hlc'], kind: ['"y"', HLC] } },
      { ...valid(), rowId: '' },
      { ...valid(), rowId: '../../etc/passwd' },
      { ...valid(), table: 'sqlite_master' },
      // Oversized values.
      { ...valid(), fields: { name: ['x'.repeat(5_000_000), HLC] } },
      { ...valid(), rowId: 'r'.repeat(100_000) },
      // Keys that are not plain columns.
      { ...valid(), fields: JSON.parse(`{"__proto__": ["\\"x\\"", "${HLC}"], "name": [null, "${HLC}"]}`) },
      { ...valid(), fields: { constructor: ['"x"', HLC], toString: [null, HLC] } },
      { ...valid(), fields: Object.create({ inherited: ['"x"', HLC] }) },
      { ...valid(), fields: Object.assign(Object.create(null), { name: ['"x"', HLC] }) },
      { ...valid(), fields: Object.defineProperty({}, 'hidden', { value: [5, HLC], enumerable: false }) },
      { ...valid(), fields: { [Symbol('s')]: [5, HLC], name: ['"x"', HLC] } },
      { ...valid(), fields: new Map([['name', ['"x"', HLC]]]) },
      Object.assign(Object.create({ fields: valid().fields }), { table: 'products', rowId: 'p-1' }),
    ];
    for (const [i, json] of hostile.entries()) {
      try {
        agree(json);
      } catch (e) {
        throw new Error(`case ${i}: ${String(e)}`);
      }
    }
  });

  it('gives zod verdict on rows mutated at random', () => {
    const anything = fc.oneof(
      fc.constant(HLC),
      fc.string(),
      fc.constant(null),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.oneof(fc.string(), fc.constant(HLC), fc.constant(null)), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    );
    const field = fc.oneof(
      fc.tuple(fc.oneof(fc.string(), fc.constant(null)), fc.constant(HLC)),
      fc.tuple(fc.oneof(fc.string(), fc.constant(null)), fc.string()),
      anything,
    );
    const row = fc.record(
      {
        table: fc.oneof(fc.string(), anything),
        rowId: fc.oneof(fc.string(), anything),
        fields: fc.oneof(fc.dictionary(fc.string(), field, { maxKeys: 5 }), anything),
        extra: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(row, (json) => {
        agree(json);
      }),
      { numRuns: 2_000 },
    );
  });
});
