// Shared plumbing for the streaming writers: rows in chunks, cooperative yielding, abort,
// and backpressure. An export of a million rows must not freeze the Electron main process
// (TOOLCHAIN.md) nor hold the rows in memory.
import type { RowSource } from './columns';

/** Rows in arrays of at most `size`, pulled lazily from a sync or async source. */
export async function* chunksOf<Row>(rows: RowSource<Row>, size: number): AsyncGenerator<Row[]> {
  if (Symbol.asyncIterator in rows) {
    let chunk: Row[] = [];
    for await (const row of rows as AsyncIterable<Row>) {
      chunk.push(row);
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
    return;
  }
  // A sync source is pulled without an await per row (for-await would add a microtask each).
  const iterator = (rows as Iterable<Row>)[Symbol.iterator]();
  try {
    for (;;) {
      const chunk: Row[] = [];
      let next = iterator.next();
      while (!next.done) {
        chunk.push(next.value);
        if (chunk.length >= size) break;
        next = iterator.next();
      }
      if (chunk.length) yield chunk;
      if (next.done) return;
    }
  } finally {
    // Closes a generator source when the export stops early (abort, error).
    iterator.return?.();
  }
}

/** Lets timers, I/O and IPC run between chunks. setImmediate, not a microtask: those starve the loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Writes and, when the stream asks for it, waits for 'drain' (rejects on 'error' or abort). */
export async function writeWithBackpressure(
  out: NodeJS.WritableStream,
  data: string | Buffer,
  signal?: AbortSignal,
): Promise<void> {
  if (!out.write(data)) await drained(out, signal);
}

/** 'drain', or a rejection on 'error', on 'close' before draining (a destroyed stream never drains), or on abort. */
export function drained(out: NodeJS.WritableStream, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('output stream closed before the export finished'));
    };
    const onAbort = () => {
      cleanup();
      reject(abortReason(signal));
    };
    if (signal?.aborted) return onAbort();
    const state = out as { destroyed?: boolean; errored?: unknown };
    if (state.destroyed) {
      reject(state.errored ?? new Error('output stream closed before the export finished'));
      return;
    }
    out.once('drain', onDrain);
    out.once('error', onError);
    out.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The export was aborted', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * Cooperative time slicing: work runs until `budgetMs` have passed since the last yield,
 * then the writer yields. A fixed row count would block longer on a slow or busy machine
 * (and an XLSX row costs ten CSV rows); a time budget keeps every block short everywhere.
 */
export class TimeSlice {
  private started = performance.now();
  constructor(private readonly budgetMs = 10) {}

  get expired(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.started = performance.now();
  }
}
