import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobResult } from '#core/api/contract';
import { call, type MethodInput } from '../../api/client';
import { errorMessage, useApiMutation } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { Switch } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import type { Plan } from './RenewalPlan';

type Report = JobResult<'renewals.run'>;

/** The run button, its progress with cancel while the job runs, and what it billed. */
export function RenewalRun({ input, plan }: { input: MethodInput<'renewals.preview'>; plan: Plan }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const client = useQueryClient();
  const [draftsOnly, setDraftsOnly] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const cancel = useApiMutation('jobs.cancel');
  // Polled while the run runs (as a period pack is: invoices/ExportControls.tsx).
  const job = useQuery({
    queryKey: ['jobs.get', { jobId }],
    queryFn: () => call('jobs.get', { jobId: jobId ?? '', locale: i18n.language }),
    enabled: jobId !== null,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.state === 'running' || !q.state.data ? 300 : false),
  });
  const state = job.data?.state;
  const running = jobId !== null && (state === undefined || state === 'running');
  // The run wrote invoices, payments and products: every screen reading them refreshes.
  useEffect(() => {
    if (state && state !== 'running') void client.invalidateQueries();
  }, [state, client]);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const started = await call('renewals.run', { ...input, draftsOnly, locale: i18n.language });
      setJobId(started.id);
      setConfirming(false);
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const report = state === 'done' ? (job.data?.result as Report) : null;
  const count = plan.groups.length;
  return (
    <Card
      title={t('billing.renewals.run')}
      actions={
        <div className="billing-run-actions">
          <Switch
            label={t('billing.renewals.draftsOnly')}
            checked={draftsOnly}
            onChange={(e) => setDraftsOnly(e.target.checked)}
            disabled={running}
            testId="renewals-drafts-only"
          />
          <Button
            variant="primary"
            onClick={() => setConfirming(true)}
            disabled={count === 0 || running}
            data-testid="renewals-run"
          >
            {t('billing.renewals.run')}
          </Button>
        </div>
      }
    >
      {running && (
        <div className="billing-progress" data-testid="renewals-progress">
          <progress
            max={job.data?.total ?? count}
            value={job.data?.done ?? 0}
            aria-label={t('billing.renewals.running', {
              done: job.data?.done ?? 0,
              total: job.data?.total ?? count,
            })}
          />
          <span>
            {t('billing.renewals.running', { done: job.data?.done ?? 0, total: job.data?.total ?? count })}
          </span>
          <Button
            size="sm"
            onClick={() => jobId && cancel.mutate({ jobId })}
            loading={cancel.isPending}
            data-testid="renewals-cancel"
          >
            {t('billing.renewals.cancel')}
          </Button>
        </div>
      )}
      {state === 'failed' && (
        <Alert tone="error" testId="renewals-failed">
          {t('billing.renewals.failedRun', { message: job.data?.error?.message ?? '' })}
        </Alert>
      )}
      {(state === 'cancelled' || report?.cancelled) && (
        <Alert tone="warning" testId="renewals-cancelled">
          {t('billing.renewals.cancelled')}
        </Alert>
      )}
      {count > 0 && !running && !report && state !== 'failed' && (
        <p className="muted">{t('billing.renewals.confirmBody', { count })}</p>
      )}
      {report && <RunResult report={report} />}
      <ConfirmDialog
        open={confirming}
        tone="primary"
        title={t('billing.renewals.confirmTitle', { date: fmt.date(input.date) })}
        body={t('billing.renewals.confirmBody', { count })}
        confirmLabel={t('billing.renewals.run')}
        busy={starting}
        error={startError}
        onConfirm={() => void start()}
        onClose={() => setConfirming(false)}
      />
    </Card>
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
        <div className="table-card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('billing.renewals.number')}</th>
                <th scope="col">{t('billing.renewals.payer')}</th>
                <th scope="col" className="num">
                  {t('billing.renewals.gross')}
                </th>
                <th scope="col">{t('billing.renewals.payment')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      )}
      {report.failed.length > 0 && (
        <Alert tone="warning" title={t('billing.renewals.failedTitle')} testId="renewals-not-billed">
          <ul>
            {report.failed.map((f) => (
              <li key={f.payerId}>
                {t('billing.renewals.failedRow', { payer: f.payerName, message: f.message })}
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
