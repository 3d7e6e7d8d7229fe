// Test doors into Kontor: a real store on a temporary SQLite file, a clock the test controls,
// and calls through the real router (schema parsing, error translation and all), so a test
// sees what a user of any door would see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import type {
  ApiError,
  ApiResult,
  CallName,
  MethodInput,
  MethodName,
  MethodOutput,
  StreamName,
} from '#core/api/contract';
import type { StreamSink } from '#core/api/router';
import { type Kontor, openKontor } from '#core/kontor';
import type { Clock, Ids } from '#core/services/context';
import type { SecretStore } from '#core/services/mail/secrets';
import type { RawDb } from '#db/open';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'db', 'migrations');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');

/** The default "today" of the tests: a fixed instant, so dates and HLC walls are reproducible. */
export const TEST_NOW = '2026-03-15T09:30:00.000Z';

/** A wall clock that only moves when the test says so (a stalled clock is the hard case for the HLC). */
export class FixedClock implements Clock {
  private ms: number;
  constructor(iso: string = TEST_NOW) {
    this.ms = Date.parse(iso);
    if (Number.isNaN(this.ms)) throw new Error(`not an instant: ${iso}`);
  }
  now(): Date {
    return new Date(this.ms);
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function makeTempDir(prefix = 'kontor-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestKontor {
  readonly kontor: Kontor;
  readonly file: string;
  readonly clock: FixedClock;
  /** The store's own connection (the one the router writes through). */
  readonly raw: RawDb;
  /** Calls a method through the router; throws with the translated message if it fails. */
  ok<M extends CallName>(
    method: M,
    input: MethodInput<M>,
    options?: { locale?: string },
  ): Promise<MethodOutput<M>>;
  /** Calls a method expecting the error `code`; returns the error as the door shows it. */
  fails<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
    code: string,
    options?: { locale?: string },
  ): Promise<ApiError>;
  /** Calls a stream method; its file in memory. */
  bytes<M extends StreamName>(
    method: M,
    input: MethodInput<M>,
    options?: { locale?: string },
  ): Promise<{ fileName: string; mime: string; bytes: Buffer }>;
  /** Untyped call, for inputs a typed caller could not even write. */
  call(method: string, input: unknown, options?: { locale?: string }): Promise<ApiResult<unknown>>;
  close(): void;
}

export interface OpenTestKontorOptions {
  file?: string;
  now?: string;
  clock?: FixedClock;
  ids?: Ids;
  migrationsDir?: string;
  /** Where the SMTP password is read (default: the process environment, as the CLI does). */
  secrets?: SecretStore;
}

/**
 * A workspace of temporary directories and open stores, removed after the file's tests.
 * Call at the top of a test file (or a describe block): it registers its own afterAll.
 */
export function useTempSpace(prefix = 'kontor-test-') {
  const dirs: string[] = [];
  const open: TestKontor[] = [];
  afterAll(() => {
    for (const k of open) k.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const space = {
    dir(): string {
      const dir = makeTempDir(prefix);
      dirs.push(dir);
      return dir;
    },
    file(name = 'kontor.sqlite'): string {
      return path.join(space.dir(), name);
    },
    kontor(options: OpenTestKontorOptions = {}): TestKontor {
      const k = openTestKontor({ ...options, file: options.file ?? space.file() });
      open.push(k);
      return k;
    },
  };
  return space;
}

export function openTestKontor(options: OpenTestKontorOptions & { file: string }): TestKontor {
  const clock = options.clock ?? new FixedClock(options.now ?? TEST_NOW);
  const kontor = openKontor({
    dbFile: options.file,
    clock,
    ids: options.ids,
    migrationsDir: options.migrationsDir,
    secrets: options.secrets,
    // A failing test should say why, not spray stacks of expected refusals.
    log: () => {},
  });
  return wrapKontor(kontor, clock);
}

/** A stream's bytes kept in memory (what a browser would receive). */
export function memorySink(): StreamSink & {
  file: { fileName: string; mime: string } | null;
  bytes(): Buffer;
} {
  const chunks: Buffer[] = [];
  const sink = {
    file: null as { fileName: string; mime: string } | null,
    open(file: { fileName: string; mime: string }) {
      sink.file = file;
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(Buffer.from(chunk));
          callback();
        },
      });
    },
    bytes: () => Buffer.concat(chunks),
  };
  return sink;
}

export function wrapKontor(kontor: Kontor, clock: FixedClock): TestKontor {
  // Which methods stream, asked once: methods() builds every input's JSON schema (~80 ms),
  // which every call paid before — and the benchmarks timed it as the call's own cost.
  let streams: Set<string> | null = null;
  // Stream methods answer through a sink; the tests' untyped door reads them into memory.
  const call = async (
    method: string,
    input: unknown,
    options: { locale?: string } = {},
  ): Promise<ApiResult<unknown>> => {
    streams ??= new Set(kontor.router.methods().flatMap((m) => (m.kind === 'stream' ? [m.name] : [])));
    const isStream = streams.has(method);
    if (!isStream) return kontor.router.invoke(method, input, options);
    const sink = memorySink();
    const result = await kontor.router.stream(method, input, options, sink);
    return result.ok ? { ok: true, value: { ...sink.file, bytes: sink.bytes() } } : result;
  };
  return {
    kontor,
    file: kontor.file,
    clock,
    get raw() {
      return kontor.ctx().raw;
    },
    async ok(method, input, options) {
      const result = await call(method, input, options);
      if (!result.ok) {
        throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
      }
      return result.value as MethodOutput<typeof method>;
    },
    async fails(method, input, code, options) {
      const result = await call(method, input, options);
      if (result.ok) throw new Error(`${method} succeeded; expected the error ${code}`);
      if (result.error.code !== code) {
        throw new Error(
          `${method} failed with ${result.error.code} (${result.error.message}); expected ${code}`,
        );
      }
      return result.error;
    },
    async bytes(method, input, options) {
      const result = await call(method, input, options);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as { fileName: string; mime: string; bytes: Buffer };
    },
    call,
    close() {
      kontor.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Looking at a store from outside, as SQLite sees it.

/** Opens a file with a plain connection (no Kontor code involved) for assertions. */
export function inspect<T>(file: string, fn: (db: RawDb) => T, options: { readonly?: boolean } = {}): T {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function userTables(db: RawDb): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

export function rowCounts(db: RawDb, tables = userTables(db)): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    counts[table] = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }
  return counts;
}

export function count(db: RawDb, table: string, where = '1 = 1', ...params: unknown[]): number {
  return (db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get(...params) as { n: number })
    .n;
}

export function integrity(db: RawDb): string {
  return String(db.pragma('integrity_check', { simple: true }));
}

export function foreignKeyViolations(db: RawDb): unknown[] {
  return db.pragma('foreign_key_check') as unknown[];
}

/** The counts every mutation test compares before and after. */
export function historyCounts(db: RawDb): { activity: number; changeLog: number } {
  return { activity: count(db, 'activity'), changeLog: count(db, 'change_log') };
}
