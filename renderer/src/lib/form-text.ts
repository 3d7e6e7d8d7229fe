/**
 * Stored optional texts as a form's fields. A form's input holds a string, never null, so a
 * missing value (null, absent, or no record yet) reads as ''. Written once because every form
 * that edits a stored record began with a column of `x: stored?.x ?? ''`.
 */
export function textFields<K extends string>(
  stored: Partial<Record<K, string | null>> | null | undefined,
  keys: readonly K[],
): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, stored?.[key] ?? ''])) as Record<K, string>;
}

/** A form's texts as they are stored: trimmed, and an empty field means none (null), not ''. */
export function storedTexts<K extends string>(
  state: Record<K, string>,
  keys: readonly K[],
): Record<K, string | null> {
  return Object.fromEntries(keys.map((key) => [key, state[key].trim() || null])) as Record<K, string | null>;
}
