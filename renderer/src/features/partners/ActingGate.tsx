import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Acting, useActing } from '../../app/acting';
import { IconUser } from '../../ui/icons';
import { EmptyState } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';

/** Partner screens need someone acting for an organization; until then they say how to choose. */
export function ActingGate({ children }: { children: (acting: Acting & { orgId: string }) => ReactNode }) {
  const { t } = useTranslation();
  const acting = useActing();
  if (acting.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (!acting.orgId) {
    // Inside the page's frame like any page's empty state, not flush in the corner.
    return (
      <div className="page">
        <div className="page-body">
          <EmptyState
            icon={<IconUser size={22} />}
            title={acting.personId ? t('partners.acting.chooseOrgTitle') : t('partners.acting.choosePersonTitle')}
            body={t('partners.acting.chooseBody')}
            testId="acting-required"
          />
        </div>
      </div>
    );
  }
  return <>{children({ ...acting, orgId: acting.orgId })}</>;
}
