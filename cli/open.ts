import path from 'node:path';
import type { CallName, MethodInput, MethodOutput, StreamName } from '#core/api/contract';
import { fileSink } from '#core/hosts/file-sink';
import { type Kontor, openKontor } from '#core/kontor';
import type { JobView } from '#core/services/jobs.service';
import type { CliContext } from './main';
import { progressBar } from './progress';
import { CliApiError } from './usage';

export function openForCli(ctx: CliContext): Kontor {
  return openKontor({ dbFile: ctx.dbFile, appVersion: process.env.npm_package_version ?? 'dev' });
}

/**
 * A command's work on the store, closed whatever happens. A refusal (CliApiError) goes up to
 * main, which prints it translated and exits 1: one place for that, not one per command.
 */
export async function withKontor<T>(ctx: CliContext, work: (kontor: Kontor) => Promise<T>): Promise<T> {
  const kontor = openForCli(ctx);
  try {
    return await work(kontor);
  } finally {
    kontor.close();
  }
}

/** One typed call of the contract through the router (which parses the input and translates failures). */
export async function callOrThrow<M extends CallName>(
  kontor: Kontor,
  ctx: CliContext,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  return invokeOrThrow(kontor, ctx, method, input);
}

/**
 * For a command that passes flags through as typed (orgs set): the method's schema in the
 * router parses them, the answer is typed.
 */
export async function callWithFlags<M extends CallName>(
  kontor: Kontor,
  ctx: CliContext,
  method: M,
  input: Record<string, unknown>,
): Promise<MethodOutput<M>> {
  return invokeOrThrow(kontor, ctx, method, input);
}

/** The router parses `input` against the method's schema either way; its answer is the method's output. */
async function invokeOrThrow<M extends CallName>(
  kontor: Kontor,
  ctx: CliContext,
  method: M,
  input: unknown,
): Promise<MethodOutput<M>> {
  const result = await kontor.router.invoke(method, input, { locale: ctx.locale, door: 'local' });
  if (!result.ok) throw new CliApiError(result.error.code, result.error.message);
  return result.value as MethodOutput<M>;
}

/** A stream method's file written to --out (through `<out>.part`, renamed when complete). */
export async function saveTo<M extends StreamName>(
  kontor: Kontor,
  ctx: CliContext,
  method: M,
  input: MethodInput<M>,
  out: string,
): Promise<{ file: string; bytes: number }> {
  const file = path.resolve(out);
  const result = await kontor.router.stream(
    method,
    input,
    { locale: ctx.locale, door: 'local' },
    fileSink(file),
  );
  if (!result.ok) throw new CliApiError(result.error.code, result.error.message);
  return { file, bytes: result.value.saved ? result.value.bytes : 0 };
}

/**
 * Starts a job method and waits for its end, its progress a bar of `unit`s on stderr once the
 * job knows its total; Ctrl-C cancels it (its partial files are removed). A failure is the
 * job's translated error.
 */
export async function runJob<M extends CallName>(
  kontor: Kontor,
  ctx: CliContext,
  method: M,
  input: MethodInput<M>,
  unit: string,
): Promise<unknown> {
  let bar: ReturnType<typeof progressBar> | null = null;
  const result = await waitForJob(kontor, ctx, method, input, (done, total) => {
    bar ??= total ? progressBar(ctx, total, unit) : null;
    bar?.update(done);
  });
  (bar as ReturnType<typeof progressBar> | null)?.done();
  return result;
}

async function waitForJob<M extends CallName>(
  kontor: Kontor,
  ctx: CliContext,
  method: M,
  input: MethodInput<M>,
  onProgress: (done: number, total: number | null) => void,
): Promise<unknown> {
  const started = (await callOrThrow(kontor, ctx, method, input)) as JobView;
  const cancel = () => void callOrThrow(kontor, ctx, 'jobs.cancel', { jobId: started.id });
  process.once('SIGINT', cancel);
  try {
    for (;;) {
      const job = await callOrThrow(kontor, ctx, 'jobs.get', { jobId: started.id, locale: ctx.locale });
      if (!job) throw new CliApiError('not_found', `job ${started.id} is gone`);
      onProgress(job.done, job.total);
      if (job.state === 'done') return job.result;
      if (job.state === 'failed' && job.error)
        throw new CliApiError(job.error.code, job.error.message ?? job.error.code);
      if (job.state !== 'running') throw new CliApiError('cancelled', job.state);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    process.removeListener('SIGINT', cancel);
  }
}

export { CliApiError };
