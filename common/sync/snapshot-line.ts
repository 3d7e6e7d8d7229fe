// A snapshot page's line as the device holds it until it applies it: a view of the bytes its
// network chunk brought (outside V8's heap), without the newline. Decoded only by the slice
// that applies it (db/sync/apply-snapshot.ts): text cut from a chunk's decoded string kept the
// whole chunk's string alive while its lines waited, long enough for V8 to copy it into its old
// space — measured at 200k rows, twice the bytes promoted of rows parsed on arrival.
// A byte order mark is kept: it was never the start of the stream (the head line's is), and a
// row behind one is no JSON (the decoder of the whole stream kept it there too).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A line as bytes (from the network), or as text (built in tests, or by a caller that has it). */
export type SnapshotLine = Uint8Array | string;

/** The line's text (UTF-8; a malformed byte becomes U+FFFD, and the line then fails its check). */
export function lineText(line: SnapshotLine): string {
  return typeof line === 'string' ? line : decoder.decode(line);
}

/** The line's JSON value; undefined when it is no JSON (the check that reads it refuses it). */
export function parseLine(line: SnapshotLine): unknown {
  try {
    return JSON.parse(lineText(line));
  } catch {
    return undefined;
  }
}
