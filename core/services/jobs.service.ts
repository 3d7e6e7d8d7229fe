import type { Ctx } from './context';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number | null;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
  error: { code: string; params: Record<string, unknown>; message?: string } | null;
}

interface Job extends JobView {
  controller: AbortController;
}

// Long exports run beside the API: the call that starts one returns at once with a job id,
// the screen polls its progress and may cancel it. Jobs live in memory: a restart forgets
// them, and their partial files were never renamed into place.
const jobs = new Map<string, Job>();

export function startJob(
  ctx: Ctx,
  kind: string,
  run: (signal: AbortSignal, progress: (done: number, total: number | null) => void) => Promise<unknown>,
  onFailure: (error: unknown) => { code: string; params: Record<string, unknown> },
): JobView {
  const job: Job = {
    id: ctx.ids.next(),
    kind,
    state: 'running',
    done: 0,
    total: null,
    startedAt: ctx.clock.now().toISOString(),
    finishedAt: null,
    result: null,
    error: null,
    controller: new AbortController(),
  };
  jobs.set(job.id, job);
  run(job.controller.signal, (done, total) => {
    job.done = done;
    job.total = total;
  }).then(
    (result) => {
      job.state = 'done';
      job.result = result;
      job.finishedAt = new Date().toISOString();
    },
    (error: unknown) => {
      job.state = job.controller.signal.aborted ? 'cancelled' : 'failed';
      job.error = job.state === 'failed' ? onFailure(error) : null;
      job.finishedAt = new Date().toISOString();
    },
  );
  return view(job);
}

function view(job: Job): JobView {
  const { controller: _c, ...rest } = job;
  return { ...rest };
}

export function getJob(id: string): JobView | null {
  const job = jobs.get(id);
  return job ? view(job) : null;
}

export function cancelJob(id: string): JobView | null {
  const job = jobs.get(id);
  if (!job) return null;
  if (job.state === 'running') job.controller.abort(new Error('cancelled'));
  return view(job);
}

export function listJobs(): JobView[] {
  return [...jobs.values()].map(view).reverse();
}
