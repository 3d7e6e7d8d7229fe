import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_REMINDER_LEVELS } from '#common/reminders.schema';
import type { MethodInput } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { DateField } from '../../ui/DateField';
import { ConfirmDialog } from '../../ui/Dialog';
import { SelectField } from '../../ui/Field';
import { Card, PageHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { useToast } from '../../ui/Toast';
import { today } from '../invoices/invoice-ui';
import { LevelTotals, PlanTable } from './ReminderTables';
import { SentReminders } from './SentReminders';
import '../billing/billing.css';

type Input = MethodInput<'reminders.preview'>;

/**
 * Payment reminders (issue 12, dunning): for a date, which unpaid invoices are due for which
 * level — what they still owe, the fees, totals per level — then the run that records them
 * (once per invoice and level), and the reminders recorded, each with its PDF.
 */
export function DunningPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [date, setDate] = useState(today);
  const [orgId, setOrgId] = useState('');
  const [level, setLevel] = useState('');
  const [asked, setAsked] = useState<Input | null>(null);
  const [confirming, setConfirming] = useState(false);
  const orgs = useApi('organizations.list', {});
  const plan = useApi('reminders.preview', asked ?? { date }, {
    enabled: asked !== null,
    keepPrevious: true,
  });
  const run = useApiMutation('reminders.run', {
    onSuccess: (report) => {
      setConfirming(false);
      toast.success(t('dunning.ran', { count: report.reminders.length }));
      void plan.refetch();
    },
  });
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const filters = {
    ...(orgId ? { organizationId: orgId } : {}),
    ...(level ? { level: Number(level) } : {}),
  };
  const count = plan.data?.reminders.length ?? 0;

  return (
    <div className="page">
      <PageHeader title={t('dunning.title')} subtitle={t('dunning.subtitle')} />
      <div className="page-body billing-page">
        <Card>
          <form
            className="billing-controls"
            onSubmit={(e) => {
              e.preventDefault();
              if (validDate) setAsked({ date, ...filters });
            }}
          >
            <DateField label={t('dunning.date')} value={date} onChange={setDate} testId="dunning-date" />
            <SelectField
              label={t('dunning.organization')}
              value={orgId}
              onChange={(e) => setOrgId(e.target.value)}
              options={[
                { value: '', label: t('dunning.allOrganizations') },
                ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })),
              ]}
              testId="dunning-org"
            />
            <SelectField
              label={t('dunning.level')}
              value={level}
              onChange={(e) => setLevel(e.target.value)}
              options={[
                { value: '', label: t('dunning.allLevels') },
                ...Array.from({ length: MAX_REMINDER_LEVELS }, (_, i) => ({
                  value: String(i + 1),
                  label: t('dunning.levelN', { level: i + 1 }),
                })),
              ]}
              testId="dunning-level"
            />
            <Button type="submit" variant="primary" disabled={!validDate} data-testid="dunning-preview">
              {t('dunning.preview')}
            </Button>
          </form>
        </Card>
        {asked && (
          <QueryState query={plan} errorTestId="dunning-error">
            {(data) => (
              <Card
                title={t('dunning.previewTitle', { date: fmt.date(data.date) })}
                actions={
                  <Button
                    variant="primary"
                    disabled={count === 0}
                    onClick={() => setConfirming(true)}
                    data-testid="dunning-run"
                  >
                    {t('dunning.run')}
                  </Button>
                }
              >
                {count === 0 ? (
                  <p className="muted" data-testid="dunning-nothing">
                    {t('dunning.nothingDue')}
                  </p>
                ) : (
                  <>
                    <LevelTotals totals={data.totals} testId="dunning-totals" />
                    <PlanTable plan={data} />
                  </>
                )}
                {data.held.map((h) => (
                  <Alert key={h.invoiceId} tone="warning" testId="dunning-held">
                    {t('dunning.held', { number: h.invoiceNumber ?? '', payer: h.payerName })}
                  </Alert>
                ))}
              </Card>
            )}
          </QueryState>
        )}
        <SentReminders {...filters} />
        <ConfirmDialog
          open={confirming}
          tone="primary"
          title={t('dunning.runConfirmTitle', { count })}
          body={t('dunning.runConfirmBody')}
          confirmLabel={t('dunning.run')}
          busy={run.isPending}
          error={run.error ? errorMessage(run.error) : null}
          onConfirm={() => asked && run.mutate(asked)}
          onClose={() => setConfirming(false)}
        />
      </div>
    </div>
  );
}
