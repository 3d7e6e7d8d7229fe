import { invalidValue } from '#common/authority/table';
import { boundedJson, MAX_VALUE_CHARS } from '#common/authority/values';
import type { ChangeResult } from '#common/sync/protocol';

// Values from a device are checked as the API checks a caller's input (common/authority's
// value schemas): a value every other device would receive must be one the API could have
// written. Unknown columns pass only when the device declares a schema newer than this hub's
// code, and then only as bounded JSON (they wait on older devices until they upgrade).

const reject = (reason: string, detail: Record<string, unknown>): ChangeResult => ({
  outcome: 'rejected',
  hubSeq: null,
  reason,
  detail,
});

const anyJson = boundedJson(3);

export function checkValue(
  table: string,
  column: string,
  value: unknown,
  newerSchema: boolean,
): ChangeResult | null {
  const problem = invalidValue(table, column, value);
  if (problem === null) return null;
  if (problem === 'unknown_column') {
    if (newerSchema && anyJson.safeParse(value).success) return null;
    return reject('unknown_column', { table, column });
  }
  return reject('value_invalid', { table, column, problem });
}

/** Characters of one value and of a whole batch: what a device may make every other device carry. */
export function oversizedValue(value: string | null): boolean {
  return value !== null && value.length > MAX_VALUE_CHARS;
}

/**
 * Whether JSON text nests at most `max` levels, counted without recursion: a hostile value of
 * thousands of nested arrays parses, then overflows the stack of whatever walks it.
 */
export function shallowJson(text: string, max = 16): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return false;
    } else if (c === 93 || c === 125) depth--;
  }
  return true;
}
