import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../api/client';
import { useApi } from '../../api/queries';
import { Button } from '../../ui/Button';
import { DateField } from '../../ui/DateField';
import { SelectField } from '../../ui/Field';
import { Card, PageHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { today } from '../invoices/invoice-ui';
import { RenewalPlanView } from './RenewalPlan';
import { RenewalRun } from './RenewalRun';
import { RunStatus, useRunJob } from './RunStatus';
import './billing.css';

type Input = MethodInput<'renewals.preview'>;

/**
 * The billing run (issue 12): for a date, what falls due — one invoice per payer, billing
 * address and currency, with totals and why one is not paid from the prepaid account — then the
 * run itself as a background job with progress and cancel, and the invoices it billed.
 */
export function RenewalsPage() {
  const { t } = useTranslation();
  const [date, setDate] = useState(today);
  const [orgId, setOrgId] = useState('');
  // The preview asked for: typing a date does not re-plan the whole book at every keystroke.
  const [asked, setAsked] = useState<Input | null>(null);
  const orgs = useApi('organizations.list', {});
  const plan = useApi('renewals.preview', asked ?? { date }, { enabled: asked !== null, keepPrevious: true });
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);

  return (
    <div className="page">
      <PageHeader title={t('billing.renewals.title')} subtitle={t('billing.renewals.subtitle')} />
      <div className="page-body billing-page">
        <ResumedRun />
        <Card>
          <form
            className="billing-controls"
            onSubmit={(e) => {
              e.preventDefault();
              if (validDate) setAsked({ date, ...(orgId ? { organizationId: orgId } : {}) });
            }}
          >
            <DateField
              label={t('billing.renewals.date')}
              value={date}
              onChange={setDate}
              testId="renewals-date"
            />
            <SelectField
              label={t('billing.renewals.organization')}
              value={orgId}
              onChange={(e) => setOrgId(e.target.value)}
              options={[
                { value: '', label: t('billing.renewals.allOrganizations') },
                ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })),
              ]}
              testId="renewals-org"
            />
            <Button type="submit" variant="primary" disabled={!validDate} data-testid="renewals-preview">
              {t('billing.renewals.preview')}
            </Button>
          </form>
        </Card>
        {asked && (
          <QueryState query={plan} errorTestId="renewals-error">
            {(data) => (
              <>
                <RenewalPlanView plan={data} />
                <RenewalRun key={`${asked.date}:${asked.organizationId ?? ''}`} input={asked} plan={data} />
              </>
            )}
          </QueryState>
        )}
      </div>
    </div>
  );
}

/**
 * A run started before the page was (re)opened — the person left it while it ran — keeps its
 * progress and Cancel here. Looked up once, when the page opens: a run started from the
 * page itself is followed by its own card.
 */
function ResumedRun() {
  const jobs = useApi('jobs.list', {}, { staleTime: 0 });
  const [found, setFound] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (found === undefined && jobs.data)
      setFound(jobs.data.find((j) => j.kind === 'renewals' && j.state === 'running')?.id ?? null);
  }, [jobs.data, found]);
  return found ? <FollowedRun jobId={found} /> : null;
}

function FollowedRun({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const run = useRunJob(jobId);
  return (
    <Card title={t('billing.renewals.inProgress')}>
      <RunStatus run={run} count={0} />
    </Card>
  );
}
