import { z } from 'zod';

// Value schemas of synced fields: the pieces the API's zod inputs are made of, plus what
// text arriving from another device must never carry. A device's values reach every other
// device that sees the row, so the hub checks them as the API checks a caller's input.

/** Bidi overrides and isolates, zero-width characters, the byte-order mark. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/**
 * C0/C1 control characters (tab and newline allowed only in free text), bidi overrides and
 * isolates, zero-width characters: what makes a name display as something it is not.
 */
export function hasForbiddenCharacters(s: string, multiline = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (multiline && (c === 9 || c === 10 || c === 13)) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return INVISIBLE.test(s);
}

/** One line of text (a name, a label): no control, bidi or zero-width characters. */
export const Line = (max = 200) =>
  z
    .string()
    .max(max)
    .refine((s) => !hasForbiddenCharacters(s), { message: 'control, bidi or zero-width character' });
/** Free text (notes): newlines and tabs allowed, nothing else invisible. */
export const Text = (max = 4000) =>
  z
    .string()
    .max(max)
    .refine((s) => !hasForbiddenCharacters(s, true), { message: 'control, bidi or zero-width character' });

export const RowId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z:_-]+$/, 'not an id');
export const Timestamp = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/);
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const Int = (min: number, max: number) => z.number().int().min(min).max(max);
/** Money in minor units: at most a hundred million in a currency, either sign where said. */
export const MAX_MINOR = 100_000_000_00;
export const Minor = Int(0, MAX_MINOR);
export const SignedMinor = Int(-MAX_MINOR, MAX_MINOR);
export const Bool = z.boolean();
export const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/);
export const Email = z.string().max(320).email();
export const Hlc = z.string().regex(/^\d{15}:[0-9a-z]{6}:[0-9a-zA-Z_-]{1,64}$/);

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
/**
 * Structured values (an invoice's party snapshots and lines): bounded depth and size, text
 * checked like every other string — a hostile device's deeply nested value is refused, it
 * does not reach a recursive reader.
 */
export function boundedJson(maxDepth = 3): z.ZodType<Json> {
  const at = (depth: number): z.ZodType<Json> =>
    z.union([
      Text(2000),
      z.number().finite(),
      z.boolean(),
      z.null(),
      ...(depth < maxDepth
        ? [
            z.array(z.lazy(() => at(depth + 1))).max(1000),
            z
              .record(
                Line(64),
                z.lazy(() => at(depth + 1)),
              )
              .refine((o) => Object.keys(o).length <= 100),
          ]
        : []),
    ]) as z.ZodType<Json>;
  return at(0);
}

/** Caps on what one push may carry (common/sync/protocol.ts checks the envelope). */
export const MAX_VALUE_CHARS = 256_000;
export const MAX_BATCH_CHARS = 16_000_000;
