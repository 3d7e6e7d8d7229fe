// The empty first screen: set up the firm first (nothing can be issued without it), or load
// demo data to look around; and, on a book that has organizations but no firm, the banner that
// says so before an issue is refused for it.
import { useTranslation } from 'react-i18next';
import { useApi, useToastedMutation } from '../../api/queries';
import { href } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { IconBuilding, IconPlus } from '../../ui/icons';
import { EmptyState } from '../../ui/Layout';

export function FirstRun({ onCreateOrganization }: { onCreateOrganization: () => void }) {
  const { t } = useTranslation();
  const firm = useApi('firm.get', {});
  const demo = useToastedMutation('firm.loadDemo', (r) => t('firm.demoLoaded', { ...r }));
  const hasFirm = firm.data ? firm.data.organization !== null : true;
  return (
    <EmptyState
      icon={<IconBuilding size={22} />}
      title={hasFirm ? t('org.emptyTitle') : t('firm.welcomeTitle')}
      body={hasFirm ? t('org.emptyBody') : t('firm.welcomeBody')}
      action={
        <div className="first-run-actions">
          {hasFirm ? (
            <Button variant="primary" icon={<IconPlus />} onClick={onCreateOrganization}>
              {t('org.create')}
            </Button>
          ) : (
            <a className="btn btn-primary" href={href({ name: 'firm' })} data-testid="first-run-firm">
              {t('firm.create')}
            </a>
          )}
          <Button loading={demo.isPending} onClick={() => demo.mutate({})} data-testid="first-run-demo">
            {t('firm.demo')}
          </Button>
        </div>
      }
      testId="org-empty"
    />
  );
}

/** Shown above the organizations while the firm lacks what issuing needs. */
export function FirmBanner() {
  const { t } = useTranslation();
  const firm = useApi('firm.get', {});
  if (!firm.data || firm.data.gaps.length === 0) return null;
  return (
    <Alert
      tone="warning"
      testId="firm-banner"
      action={
        <a className="btn btn-secondary btn-sm" href={href({ name: 'firm' })}>
          {firm.data.organization ? t('firm.cardEdit') : t('firm.cardSetUp')}
        </a>
      }
    >
      {t('firm.gapsIntro')} {firm.data.gaps.map((g) => t(`firm.gaps.${g}`)).join(', ')}
    </Alert>
  );
}
