/**
 * A JSON value as the hub stores and receives it: null when absent, undefined when the text is
 * not JSON. The two answers differ on purpose: the push refuses a malformed value (undefined)
 * while the readers of stored rows treat it as empty (`parseJson(v) ?? null`).
 */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
