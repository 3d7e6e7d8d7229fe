// The Renewals screen's Cancel (issue 12): renewals.run is a job, and cancelling it between
// batches stops the run with whole invoices written and the rest left for the next run — never
// a half-billed invoice, never a period billed twice, none skipped. (The screen shows the
// report's `cancelled`; test/e2e/billing-cycle.test.ts drives the screen.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunReport, runSlicing } from '#core/services/billing/run';
import type { JobView } from '#core/services/jobs.service';
import { createPayer, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-renewals-cancel-');
const DATE = '2026-03-20';
// Each writing transaction of the run bills one invoice here (runSlicing), so the cancel lands
// between two invoices whatever the run's slice length and the machine's speed; the run's first
// transaction is written before renewals.run answers, the cancel is seen before the next.
const PAYERS = 8;
let k: TestKontor;
const sliceMs = runSlicing.ms;

async function settle(jobId: string): Promise<JobView> {
  for (;;) {
    const job = (await k.ok('jobs.get', { jobId })) as JobView;
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterAll(() => {
  runSlicing.ms = sliceMs;
});

beforeAll(async () => {
  runSlicing.ms = 0;
  k = space.kontor({ now: '2026-03-20T08:00:00.000Z' });
  await setUpProvider(k);
  for (let i = 0; i < PAYERS; i++) {
    const payer = await createPayer(k, { name: `Payeur ${String(i).padStart(3, '0')} SA` });
    await k.ok('products.create', {
      organizationId: payer.id,
      kind: 'web_hosting',
      name: `site-${i}.ch`,
      publicPriceMinor: 1_000 + i,
      billingFrequency: 'monthly',
      nextRenewalOn: '2026-04-01',
      autoRenew: false,
    });
  }
});

describe('cancelling a billing run', () => {
  it('stops between batches with whole invoices; the next run bills exactly the rest', async () => {
    const started = (await k.ok('renewals.run', { date: DATE })) as JobView;
    await k.ok('jobs.cancel', { jobId: started.id });
    const job = await settle(started.id);
    const first = job.result as RunReport;
    expect(first.cancelled).toBe(true);
    expect(first.invoices.length).toBeGreaterThanOrEqual(1);
    expect(first.invoices.length).toBeLessThan(PAYERS);
    // Every invoice written is whole: issued, numbered, its one line and its one claim.
    const whole = k.raw
      .prepare(
        `SELECT count(*) FROM invoices i
         WHERE i.kind = 'invoice' AND i.status = 'unpaid' AND i.number IS NOT NULL
           AND (SELECT count(*) FROM invoice_lines l WHERE l.invoice_id = i.id) = 1
           AND (SELECT count(*) FROM renewals r WHERE r.invoice_id = i.id) = 1`,
      )
      .pluck()
      .get();
    expect(whole).toBe(first.invoices.length);
    expect(k.raw.prepare("SELECT count(*) FROM invoices WHERE kind = 'invoice'").pluck().get()).toBe(
      first.invoices.length,
    );

    const rest = (await settle(((await k.ok('renewals.run', { date: DATE })) as JobView).id))
      .result as RunReport;
    expect(rest.cancelled).toBe(false);
    expect(first.invoices.length + rest.invoices.length).toBe(PAYERS);
    // One claim per product's period: nothing twice, nothing skipped.
    const perKey = k.raw
      .prepare('SELECT count(*) AS n, count(DISTINCT period_key) AS keys FROM renewals')
      .get() as { n: number; keys: number };
    expect(perKey).toEqual({ n: PAYERS, keys: PAYERS });
  });
});
