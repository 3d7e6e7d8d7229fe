import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { z } from 'zod';
import type { ErrorParams } from '#common/errors';
import { type FieldIssue, translateError, translateIssue } from '#common/i18n/errors';
import { type Locale, resolveLocale } from '#common/i18n/locale';
import type { Ctx } from '../services/context';
import { Jobs, type JobView } from '../services/jobs.service';
import { type Api, type ApiError, type ApiResult, api, type StreamOutcome } from './contract';

export type { StreamOutcome };

import { classify } from './failure';
import { Gate } from './gate';
import { ALL_DOORS, type Door, type MethodDef, type MethodKind, type StreamMethod } from './method';

export interface InvokeOptions {
  locale?: string;
  /** Who calls (method.ts Door); in-process callers are 'local'. */
  door?: Door;
}

export interface MethodInfo {
  name: string;
  summary: string;
  kind: MethodKind;
  mutates: boolean;
  exclusive: boolean;
  doors: readonly Door[];
  inputSchema: unknown;
}

/** Where a stream method's bytes go, given by the door. */
export interface StreamSink {
  /** The destination of this file, or null when the person cancelled (a save dialog). */
  open(file: { fileName: string; mime: string }): Promise<Writable | null> | Writable | null;
  /** Every byte is written and flushed: put the file in place. */
  commit?(): Promise<void> | void;
  /** Something failed: remove what was written. */
  abort?(): Promise<void> | void;
}

export type ChangeListener = (event: { method: string }) => void;

export interface Router {
  /** Queries, mutations and job starts. */
  invoke(method: string, input: unknown, options?: InvokeOptions): Promise<ApiResult<unknown>>;
  /** Stream methods: their bytes go into the sink the door gives. Never throws. */
  stream(
    method: string,
    input: unknown,
    options: InvokeOptions,
    sink: StreamSink,
  ): Promise<ApiResult<StreamOutcome>>;
  /** The methods a door may call (all of them without a door). */
  methods(door?: Door): MethodInfo[];
  onChange(listener: ChangeListener): () => void;
  /** The background jobs of this store. */
  readonly jobs: Jobs;
  /** Shared by calls, jobs, streams and sync rounds; taken alone by exclusive methods. */
  readonly gate: Gate;
}

export interface RouterOptions {
  log?: (message: string) => void;
  /** The contract (tests plant methods; everything else uses the one in contract.ts). */
  contract?: Record<string, MethodDef>;
  gate?: Gate;
  jobs?: Jobs;
}

/**
 * The one door behind every door. It looks the method up, checks that this door may call
 * it and how (kind), parses the input with its schema, runs it under the store's gate, and
 * turns every failure into `{ code, message, params }` in the caller's language — the only
 * place where input is parsed and errors are classified. Stacks go to the log.
 */
export function createRouter(getCtx: () => Ctx, options: RouterOptions = {}): Router {
  const log = options.log ?? console.error;
  const methods = options.contract ?? (api as unknown as Record<string, MethodDef>);
  const gate = options.gate ?? new Gate();
  const jobs = options.jobs ?? new Jobs();
  const listeners = new Set<ChangeListener>();

  const announce = (method: string) => {
    for (const listener of listeners) listener({ method });
  };

  /** Looks up and parses; a failure is the envelope to answer. */
  function prepare(
    name: string,
    input: unknown,
    opts: InvokeOptions,
    kinds: readonly MethodKind[],
  ): { ok: true; def: MethodDef; data: unknown } | { ok: false; error: ApiError } {
    const def = Object.hasOwn(methods, name) ? methods[name] : undefined;
    // A method this door may not call is as unknown as one that does not exist: a page
    // cannot even learn that a path-taking method is there.
    if (!def?.doors.includes(opts.door ?? 'local'))
      return failure('unknown_method', { method: name }, opts.locale);
    if (!kinds.includes(def.kind)) return failure('method_kind', { method: name, kind: def.kind }, opts.locale);
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success)
      return failure('invalid_input', { issues: issuesOf(parsed.error, input, resolveLocale(opts.locale)) }, opts.locale);
    return { ok: true, def, data: parsed.data };
  }

  function hold<T>(def: MethodDef, fn: () => Promise<T>): Promise<T> {
    return def.exclusive ? gate.runExclusive(fn) : gate.runShared(fn);
  }

  return {
    jobs,
    gate,
    async invoke(name, input, opts = {}) {
      const prepared = prepare(name, input, opts, ['query', 'mutation', 'job']);
      if (!prepared.ok) return prepared;
      const { def, data } = prepared;
      try {
        if (def.kind === 'job') {
          const ctx = getCtx();
          const started: JobView = jobs.start({
            id: ctx.ids.next(),
            kind: def.jobKind(data),
            now: ctx.clock.now(),
            // The job holds the gate until it ends: a restore waits for it.
            run: (job) => gate.runShared(() => def.run(getCtx(), data, job)),
            onFailure: (error) => {
              const [code, params] = classify(error, name, log);
              return { code, params: { ...params } };
            },
          });
          return { ok: true, value: started };
        }
        if (def.kind === 'stream') throw new Error('unreachable: streams go through router.stream');
        // The kind is enforced, not only declared: a query runs with a context that cannot
        // write (a query that writes would skip the change notification and the restore's
        // wait for writers). The context is taken once the gate is passed: a call that waited
        // for a restore runs on the restored store.
        const value = await hold(def, async () =>
          def.run(def.kind === 'query' ? readOnly(getCtx(), name) : getCtx(), data),
        );
        if (def.mutates) announce(name);
        return { ok: true, value: value === undefined ? null : value };
      } catch (error) {
        return failure(...classify(error, name, log), opts.locale);
      }
    },

    async stream(name, input, opts, sink) {
      const prepared = prepare(name, input, opts, ['stream']);
      if (!prepared.ok) return prepared;
      const def = prepared.def as StreamMethod;
      const controller = new AbortController();
      let opened = false;
      try {
        return await hold(def, async () => {
          // Checked in full before the first byte: a bad request is an error, not a broken file.
          const file = await def.run(getCtx(), prepared.data);
          const out = await sink.open({ fileName: file.fileName, mime: file.mime });
          if (!out) return { ok: true as const, value: { saved: false as const, fileName: file.fileName } };
          opened = true;
          const bytes = await pump(file, out, controller);
          await sink.commit?.();
          return { ok: true as const, value: { saved: true as const, fileName: file.fileName, bytes } };
        });
      } catch (error) {
        if (!controller.signal.aborted) controller.abort(error);
        if (opened) {
          try {
            await sink.abort?.();
          } catch (cleanup) {
            log(`[kontor] ${name}: cleaning up after a failed stream failed too: ${String(cleanup)}`);
          }
        }
        return failure(...classify(error, name, log), opts.locale);
      }
    },

    methods(door) {
      return Object.entries(methods)
        .filter(([, def]) => door === undefined || def.doors.includes(door))
        .map(([name, def]) => ({
          name,
          summary: def.summary,
          kind: def.kind,
          mutates: def.mutates,
          exclusive: def.exclusive,
          doors: def.doors,
          inputSchema: safeJsonSchema(def.input),
        }));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Runs the writer into `out` and waits until the destination has every byte. A destination
 * that fails (disk full, a closed descriptor, a browser gone) fails the writer too instead of
 * leaving it waiting for a 'drain' that never comes.
 */
async function pump(
  file: { write: (out: Writable, signal: AbortSignal) => Promise<unknown> },
  out: Writable,
  controller: AbortController,
): Promise<number> {
  let bytes = 0;
  const count = (chunk: Buffer | string) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  };
  const write = out.write.bind(out);
  out.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
    count(chunk);
    return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof out.write;
  const broken = new Promise<never>((_, reject) => {
    out.once('error', (error) => {
      controller.abort(error);
      reject(error);
    });
  });
  broken.catch(() => {});
  await Promise.race([file.write(out, controller.signal), broken]);
  if (!out.writableEnded) out.end();
  await Promise.race([finished(out), broken]);
  return bytes;
}

function readOnly(ctx: Ctx, method: string): Ctx {
  return {
    ...ctx,
    write: () => {
      throw new Error(`${method} is declared a query but tried to write`);
    },
  };
}

/** `tag`: the caller's language tag, whose region writes the message's amounts. */
function failure(code: string, params: ErrorParams, tag = 'en'): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message: translateError(code, params, tag), params: { ...params } } };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function issuesOf(error: z.ZodError, input: unknown, locale: Locale): FieldIssue[] {
  return error.issues.map((issue) => {
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    const kind = missing
      ? 'required'
      : issue.code === 'too_small' || issue.code === 'too_big'
        ? issue.code
        : 'invalid';
    return { path: issue.path.join('.'), message: translateIssue(locale, kind) };
  });
}

function safeJsonSchema(schema: z.ZodType): unknown {
  try {
    return (schema as unknown as { toJSONSchema?: () => unknown }).toJSONSchema?.() ?? null;
  } catch {
    return null;
  }
}

export type { Api };
export { ALL_DOORS };
