import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobResult } from '#core/api/contract';
import { call, inRegion } from '../../api/client';
import { useApiMutation } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';

type Report = JobResult<'renewals.run'>;

/** A billing run's job, polled while it runs (as a period pack is: invoices/ExportControls.tsx). */
export function useRunJob(initial: string | null = null) {
  const { i18n } = useTranslation();
  const client = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(initial);
  const job = useQuery({
    queryKey: ['jobs.get', { jobId }],
    queryFn: () => call('jobs.get', { jobId: jobId ?? '', locale: i18n.language }),
    enabled: jobId !== null,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.state === 'running' || !q.state.data ? 300 : false),
  });
  const state = job.data?.state;
  // The run wrote invoices, payments and products: every screen reading them refreshes.
  useEffect(() => {
    if (state && state !== 'running') void client.invalidateQueries();
  }, [state, client]);
  return {
    jobId,
    job: job.data ?? null,
    running: jobId !== null && (state === undefined || state === 'running'),
    follow: setJobId,
  };
}

export type RunJob = ReturnType<typeof useRunJob>;

/** The run's progress with Cancel while it runs, then how it ended and what it billed. */
export function RunStatus({ run, count }: { run: RunJob; count: number }) {
  const { t } = useTranslation();
  const cancel = useApiMutation('jobs.cancel');
  const job = run.job;
  const state = job?.state;
  const report = state === 'done' ? (job?.result as Report) : null;
  const done = job?.done ?? 0;
  const total = job?.total ?? count;
  return (
    <>
      {run.running && (
        <div className="billing-progress" data-testid="renewals-progress">
          <progress max={total} value={done} aria-label={t('billing.renewals.running', { done, total })} />
          <span>{t('billing.renewals.running', { done, total })}</span>
          <Button
            size="sm"
            onClick={() => run.jobId && cancel.mutate({ jobId: run.jobId })}
            loading={cancel.isPending}
            data-testid="renewals-cancel"
          >
            {t('billing.renewals.cancel')}
          </Button>
        </div>
      )}
      {state === 'failed' && (
        <Alert tone="error" testId="renewals-failed">
          {t('billing.renewals.failedRun', {
            message: job?.error ? inRegion(job.error.code, job.error.message ?? '', job.error.params) : '',
          })}
        </Alert>
      )}
      {(state === 'cancelled' || report?.cancelled) && (
        <Alert tone="warning" testId="renewals-cancelled">
          {t('billing.renewals.cancelled')}
        </Alert>
      )}
      {report && <RunResult report={report} />}
    </>
  );
}

function RunResult({ report }: { report: Report }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const currency = report.invoices[0]?.currency ?? 'CHF';
  // Renewals two devices billed offline, settled before this run (billing/duplicates.ts).
  const d = report.duplicates;
  const settled = d.draftsTrimmed + d.draftsDeleted + d.creditNotes.length;
  return (
    <div className="billing-result" data-testid="renewals-result">
      <p>{t('billing.renewals.resultSummary', { count: report.invoices.length, expired: report.expired })}</p>
      {report.cashbackBookedMinor > 0 && (
        <p className="muted">
          {t('billing.renewals.cashbackCatchUp', { amount: fmt.money(report.cashbackBookedMinor, currency) })}
        </p>
      )}
      {report.invoices.length === 0 ? (
        <p className="muted">{t('billing.renewals.resultEmpty')}</p>
      ) : (
        <DataTable
          columns={[
            { label: t('billing.renewals.number') },
            { label: t('billing.renewals.payer') },
            { label: t('billing.renewals.gross'), num: true },
            { label: t('billing.renewals.payment') },
          ]}
        >
          {report.invoices.map((inv) => (
            <tr
              key={inv.invoiceId}
              data-testid="renewals-billed"
              data-paid={inv.paidFromPrepaid ? 'yes' : 'no'}
            >
              <td>
                <a href={href({ name: 'invoice', orgId: inv.payerId, invoiceId: inv.invoiceId })}>
                  {inv.number ?? t('billing.renewals.draft')}
                </a>
              </td>
              <td>{inv.payerName}</td>
              <td className="num">{fmt.money(inv.grossMinor, inv.currency)}</td>
              <td>
                {inv.paidFromPrepaid ? (
                  <Badge tone="green">{t('billing.renewals.paidFromPrepaid')}</Badge>
                ) : inv.unpaidReason ? (
                  <Badge tone="amber">
                    {t(`billing.renewals.reasons.${inv.unpaidReason}`, { balance: '' })}
                  </Badge>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {report.failed.length > 0 && (
        <Alert tone="warning" title={t('billing.renewals.failedTitle')} testId="renewals-not-billed">
          <ul>
            {report.failed.map((f) => (
              <li key={f.payerId}>
                {t('billing.renewals.failedRow', {
                  payer: f.payerName,
                  message: inRegion(f.code, f.message, f.params),
                })}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {settled > 0 && (
        <p className="muted" data-testid="renewals-duplicates">
          {t('billing.renewals.duplicates', { count: settled })}{' '}
          {report.duplicates.creditNotes.map((c) => c.creditNoteNumber ?? c.invoiceNumber).join(', ')}
        </p>
      )}
    </div>
  );
}
