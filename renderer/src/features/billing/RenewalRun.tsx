import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type MethodInput } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { Switch } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import type { Plan } from './RenewalPlan';
import { RunStatus, useRunJob } from './RunStatus';

/** The run button, its progress with cancel while the job runs, and what it billed. */
export function RenewalRun({ input, plan }: { input: MethodInput<'renewals.preview'>; plan: Plan }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [draftsOnly, setDraftsOnly] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const run = useRunJob();
  const running = run.running;

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const started = await call('renewals.run', { ...input, draftsOnly, locale: i18n.language });
      run.follow(started.id);
      setConfirming(false);
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

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
      <RunStatus run={run} count={count} />
      {count > 0 && !run.jobId && <p className="muted">{t('billing.renewals.confirmBody', { count })}</p>}
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
