import type { Writable } from 'node:stream';
import type { z } from 'zod';
import type { Ctx } from '../services/context';

/**
 * What a method is, which decides how each door carries it:
 * - query: reads, answers a value;
 * - mutation: writes, answers a value, announces a change to open screens;
 * - stream: produces a file as bytes — the web host streams it to the browser, the desktop
 *   shell writes it to the path the person chose in a native save dialog, the CLI to --out;
 * - job: background work started by the call (which answers the job at once), with progress
 *   and cancel through jobs.get / jobs.cancel.
 */
export type MethodKind = 'query' | 'mutation' | 'stream' | 'job';

/**
 * Who calls: 'ipc' (the desktop window) and 'web' (a browser through the web host) are
 * remote doors, callers that may be a hostile page; 'local' is code running in the process
 * that owns the machine (the CLI, the desktop shell's own menus, tests).
 */
export type Door = 'ipc' | 'web' | 'local';
export const REMOTE_DOORS: readonly Door[] = ['ipc', 'web'];
export const ALL_DOORS: readonly Door[] = ['ipc', 'web', 'local'];

export interface Capabilities {
  /** The doors that may call it (all by default). A method taking a file-system path is 'local' only. */
  doors?: readonly Door[];
  /**
   * Runs alone (a restore): waits for running mutations, jobs, streams and sync rounds to
   * finish and holds new ones until it is done.
   */
  exclusive?: boolean;
}

/** A file a stream method produces: its name, type, and the writer of its bytes. */
export interface StreamFile {
  fileName: string;
  mime: string;
  /** Writes every byte into `out` (ending it is optional), stopping when `signal` aborts. */
  write(out: Writable, signal: AbortSignal): Promise<unknown>;
}

export interface JobRun {
  signal: AbortSignal;
  progress(done: number, total: number | null): void;
  /** A folder of this job's own, removed with the job's instance (where its output file goes). */
  workDir(): string;
}

interface Common<I extends z.ZodType> {
  input: I;
  summary: string;
  doors: readonly Door[];
  exclusive: boolean;
  /** Writes stored rows: the router announces a change after it (mutations and jobs). */
  mutates: boolean;
}
export interface ValueMethod<I extends z.ZodType = z.ZodType, R = unknown> extends Common<I> {
  kind: 'query' | 'mutation';
  run: (ctx: Ctx, input: z.output<I>) => R | Promise<R>;
}
export interface StreamMethod<I extends z.ZodType = z.ZodType> extends Common<I> {
  kind: 'stream';
  run: (ctx: Ctx, input: z.output<I>) => StreamFile | Promise<StreamFile>;
}
export interface JobMethod<I extends z.ZodType = z.ZodType, R = unknown> extends Common<I> {
  kind: 'job';
  /** What the job's name is in jobs.list (e.g. 'pack'). */
  jobKind: (input: z.output<I>) => string;
  run: (ctx: Ctx, input: z.output<I>, job: JobRun) => Promise<R>;
}
export type MethodDef<I extends z.ZodType = z.ZodType, R = unknown> =
  | ValueMethod<I, R>
  | StreamMethod<I>
  | JobMethod<I, R>;

function common<I extends z.ZodType>(input: I, summary: string, mutates: boolean, caps: Capabilities) {
  return { input, summary, mutates, doors: caps.doors ?? ALL_DOORS, exclusive: caps.exclusive ?? false };
}

export function query<I extends z.ZodType, R>(
  input: I,
  summary: string,
  run: (ctx: Ctx, input: z.output<I>) => R | Promise<R>,
  caps: Capabilities = {},
): ValueMethod<I, R> {
  return { kind: 'query', run, ...common(input, summary, false, caps) };
}

export function mutation<I extends z.ZodType, R>(
  input: I,
  summary: string,
  run: (ctx: Ctx, input: z.output<I>) => R | Promise<R>,
  caps: Capabilities = {},
): ValueMethod<I, R> {
  return { kind: 'mutation', run, ...common(input, summary, true, caps) };
}

export function stream<I extends z.ZodType>(
  input: I,
  summary: string,
  run: (ctx: Ctx, input: z.output<I>) => StreamFile | Promise<StreamFile>,
  caps: Capabilities = {},
): StreamMethod<I> {
  return { kind: 'stream', run, ...common(input, summary, false, caps) };
}

export function job<I extends z.ZodType, R>(
  input: I,
  summary: string,
  jobKind: (input: z.output<I>) => string,
  run: (ctx: Ctx, input: z.output<I>, job: JobRun) => Promise<R>,
  caps: Capabilities = {},
): JobMethod<I, R> {
  // A job writes (files at least): it holds restores off like a mutation does.
  return { kind: 'job', jobKind, run, ...common(input, summary, true, caps) };
}

export type ApiSection = Record<string, MethodDef>;

type Merged<T extends Record<string, ApiSection>> = UnionToIntersection<T[keyof T]>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/**
 * The contract from its sections, keyed by namespace: every method of section `tags` is
 * named `tags.…`, so a namespace lives in one file, and a name given twice fails when the
 * contract is built (at start), where an object spread let the later one silently win.
 */
export function mergeSections<T extends Record<string, ApiSection>>(sections: T): Merged<T> {
  const merged: Record<string, MethodDef> = {};
  for (const [namespace, section] of Object.entries(sections)) {
    for (const [name, def] of Object.entries(section)) {
      if (!name.startsWith(`${namespace}.`))
        throw new Error(`API method ${name} is in the section of namespace ${namespace}`);
      if (Object.hasOwn(merged, name)) throw new Error(`API method ${name} is declared twice`);
      merged[name] = def;
    }
  }
  return merged as Merged<T>;
}
