import { HLC_PATTERN, isPlainText, type PushRequest, type WireChange } from './protocol';

// Reading a push's body: the hub parses every push, and zod's safeParse of a batch (an object
// per change, five checked fields each) was a few percent of a loaded hub's CPU. As for
// snapshot rows (./snapshot-row.ts), the zod schema (./protocol.ts PushRequest) stays the one
// statement of what a push is: the plain check below only ACCEPTS bodies it can see are valid
// by exactly that schema's rules (types, lengths, the HLC pattern, the batch's bounds), and
// sends anything it is not sure of to zod, whose verdict (and error) is final
// (test/unit/push-request-check.test.ts feeds hostile bodies to both).

/** The request when the body is plainly valid; undefined when zod must decide. */
export function plainPushRequest(json: unknown): PushRequest | undefined {
  if (!plainObject(json)) return undefined;
  const { deviceId, batchId, schemaVersion, changes } = json as Record<string, unknown>;
  if (!id(deviceId, 1, 64) || !id(batchId, 8, 128)) return undefined;
  if (typeof schemaVersion !== 'number' || !Number.isSafeInteger(schemaVersion) || schemaVersion < 0)
    return undefined;
  if (!Array.isArray(changes) || changes.length > 10_000) return undefined;
  const out: WireChange[] = new Array(changes.length);
  // A write's changes share one HLC: the pattern runs once per distinct text.
  let checked: string | undefined;
  for (let i = 0; i < changes.length; i++) {
    const c: unknown = changes[i];
    if (!plainObject(c)) return undefined;
    const { table, rowId, column, value, hlc } = c as Record<string, unknown>;
    if (!id(table, 1, 64) || !id(rowId, 1, 128) || !id(column, 1, 64)) return undefined;
    if (value !== null && !text(value, 0, 4_000_000)) return undefined;
    if (typeof hlc !== 'string') return undefined;
    if (hlc !== checked) {
      if (!HLC_PATTERN.test(hlc)) return undefined;
      checked = hlc;
    }
    // Zod's object keeps only the keys it knows, in its shape's order; so does this one.
    out[i] = { table, rowId, column, value, hlc };
  }
  return { deviceId, batchId, schemaVersion, changes: out };
}

/** JSON.parse's plain objects only: a prototype of its own or hidden keys go to zod. */
function plainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Reflect.ownKeys(v).length === Object.keys(v).length && !Object.hasOwn(v, '__proto__');
}

const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;

const id = (v: unknown, min: number, max: number): v is string => text(v, min, max) && isPlainText(v);
