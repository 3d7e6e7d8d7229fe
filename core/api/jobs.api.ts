import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { type ErrorParams, fail } from '#common/errors';
import { JobRef } from '#common/invoices.schema';
import { translateError } from '#common/i18n/errors';
import type { Ctx } from '../services/context';
import type { Jobs } from '../services/jobs.service';
import { MIME } from './exports.api';
import { mutation, query, stream } from './method';

function jobsOf(ctx: Ctx): Jobs {
  return ctx.host?.jobs ?? fail('internal', { reason: 'jobs need the hosting process' });
}

export const jobsApi = {
  'jobs.get': query(JobRef, 'Progress and result of a background job (its error translated)', (ctx, i) => {
    const job = jobsOf(ctx).get(i.jobId);
    if (!job?.error) return job;
    return {
      ...job,
      error: {
        ...job.error,
        message: translateError(job.error.code, job.error.params as ErrorParams, i.locale ?? 'en'),
      },
    };
  }),
  'jobs.cancel': mutation(JobRef, 'Cancel a background job (its partial files are removed)', (ctx, i) =>
    jobsOf(ctx).cancel(i.jobId),
  ),
  'jobs.list': query(z.object({}).default({}), 'Background jobs of this session', (ctx) =>
    jobsOf(ctx).list(),
  ),
  'jobs.file': stream(JobRef, 'The file a finished background job made (a pack)', (ctx, i) => {
    const jobs = jobsOf(ctx);
    const job = jobs.get(i.jobId) ?? fail('not_found');
    const dir = jobs.dirOf(i.jobId);
    const out = (job.result as { out?: unknown } | null)?.out;
    // Only what the job wrote into its own folder: a job that wrote to a caller's path (CLI)
    // has nothing to hand out here.
    if (job.state !== 'done' || !dir || typeof out !== 'string' || path.dirname(out) !== dir)
      fail('not_found');
    return {
      fileName: path.basename(out),
      mime: out.endsWith('.zip') ? MIME.zip : 'application/octet-stream',
      write: (target, signal) => pipeline(fs.createReadStream(out), target, { signal }),
    };
  }),
};
