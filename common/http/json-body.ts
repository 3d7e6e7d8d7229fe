// Reading a JSON request body with a size limit, for the two HTTP servers (the loopback web
// host and the sync hub): the limit is checked against the declared length before anything
// is read and against what arrives while reading, so an oversized body is refused without
// being buffered. Pure (any async iterable of bytes), so core/ and server/ share it.

export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'too_large' | 'empty' | 'invalid_json' };

export async function readJsonBody(
  source: AsyncIterable<Uint8Array>,
  declaredLength: number,
  limit: number,
): Promise<JsonBody> {
  if (declaredLength > limit) return { ok: false, problem: 'too_large' };
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) return { ok: false, problem: 'too_large' };
    parts.push(chunk);
  }
  if (size === 0) return { ok: false, problem: 'empty' };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false, problem: 'invalid_json' };
  }
}
