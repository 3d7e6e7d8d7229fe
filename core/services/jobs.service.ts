import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ErrorParams } from '#common/errors';

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
  error: { code: string; params: ErrorParams; message?: string } | null;
}

interface Job extends JobView {
  controller: AbortController;
  finished: Promise<void>;
  dir: string | null;
}

export interface JobStart {
  id: string;
  kind: string;
  now: Date;
  run: (job: {
    signal: AbortSignal;
    progress: (done: number, total: number | null) => void;
    workDir: () => string;
  }) => Promise<unknown>;
  onFailure: (error: unknown) => { code: string; params: ErrorParams };
}

/**
 * Long work beside the API (an export pack): the call that starts one returns at once with a
 * job id, the screen polls its progress and may cancel it. Jobs belong to one open store (the
 * Kontor instance), not to the process: two stores in one process (tests, a restore) never see
 * each other's, and closing the store waits for them. A restart forgets them; their partial
 * files were never renamed into place, and their own folders go with the instance.
 */
export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private root: string | null = null;

  start(spec: JobStart): JobView {
    const job: Job = {
      id: spec.id,
      kind: spec.kind,
      state: 'running',
      done: 0,
      total: null,
      startedAt: spec.now.toISOString(),
      finishedAt: null,
      result: null,
      error: null,
      controller: new AbortController(),
      finished: Promise.resolve(),
      dir: null,
    };
    this.jobs.set(job.id, job);
    const workDir = () => {
      if (!job.dir) {
        this.root ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-jobs-'));
        job.dir = path.join(this.root, job.id);
        fs.mkdirSync(job.dir, { recursive: true });
      }
      return job.dir;
    };
    job.finished = spec
      .run({
        signal: job.controller.signal,
        progress: (done, total) => {
          job.done = done;
          job.total = total;
        },
        workDir,
      })
      .then(
        (result) => {
          job.state = 'done';
          job.result = result;
        },
        (error: unknown) => {
          job.state = job.controller.signal.aborted ? 'cancelled' : 'failed';
          job.error = job.state === 'failed' ? spec.onFailure(error) : null;
        },
      )
      .finally(() => {
        job.finishedAt = new Date().toISOString();
      });
    return view(job);
  }

  get(id: string): JobView | null {
    const job = this.jobs.get(id);
    return job ? view(job) : null;
  }

  /** The folder of a finished job's output (jobs.file streams from it). */
  dirOf(id: string): string | null {
    return this.jobs.get(id)?.dir ?? null;
  }

  cancel(id: string): JobView | null {
    const job = this.jobs.get(id);
    if (!job) return null;
    if (job.state === 'running') job.controller.abort(new Error('cancelled'));
    return view(job);
  }

  list(): JobView[] {
    return [...this.jobs.values()].map(view).reverse();
  }

  /** Waits for running jobs (cancelling them first when asked), then removes their folders. */
  async close(options: { cancel?: boolean } = {}): Promise<void> {
    if (options.cancel) for (const job of this.jobs.values()) this.cancel(job.id);
    await Promise.all([...this.jobs.values()].map((job) => job.finished));
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
    this.root = null;
  }
}

function view(job: Job): JobView {
  const { controller: _c, finished: _f, dir: _d, ...rest } = job;
  return { ...rest };
}
