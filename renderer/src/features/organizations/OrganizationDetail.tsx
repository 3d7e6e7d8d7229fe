import { useState } from 'react';
import { useMay } from '../../app/acting';
import { useTranslation } from 'react-i18next';
import { useApi, useApiMutation } from '../../api/queries';
import { href, navigate, type OrgTab } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { OrgAvatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { IconPencil, IconTrash } from '../../ui/icons';
import { PageHeader, TabNav } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { ActivityPanel } from '../activity/ActivityPanel';
import { AddressesPanel } from '../addresses/AddressesPanel';
import { MembersPanel } from '../people/MembersPanel';
import { TeamsPanel } from '../teams/TeamsPanel';
import { OverviewPanel } from './OverviewPanel';
import { useOrganizationDialogs } from './OrganizationDialogs';
import { MoneyAtAGlance } from '../dashboard/MoneyAtAGlance';
import { IconMail } from '../invoices/icons';
import { SendMailDialog } from '../mail/SendMailDialog';

export function OrganizationDetail({ orgId, tab }: { orgId: string; tab: OrgTab }) {
  const { t } = useTranslation();
  // What the acting person may not do is not offered (common/authority, as the write path judges).
  const may = useMay(orgId);
  const fmt = useFormat();
  const toast = useToast();
  const dialogs = useOrganizationDialogs();
  const org = useApi('organizations.get', { id: orgId });
  const [statementOpen, setStatementOpen] = useState(false);
  const stats = useApi('organizations.stats', { id: orgId });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useApiMutation('organizations.delete', {
    onSuccess: (deleted) => {
      setConfirmDelete(false);
      toast.success(t('org.deleted', { name: deleted.name }));
      navigate({ name: 'organizations' });
    },
  });

  if (org.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (org.isError || !org.data) return <Alert tone="error">{org.error?.message}</Alert>;
  const o = org.data;

  const tabs = [
    { id: 'overview', label: t('org.tabs.overview') },
    { id: 'members', label: t('org.tabs.members'), count: stats.data?.members },
    { id: 'addresses', label: t('org.tabs.addresses'), count: stats.data?.addresses },
    { id: 'teams', label: t('org.tabs.teams') },
    { id: 'activity', label: t('org.tabs.activity') },
  ].map((item) => ({ ...item, href: href({ name: 'org', orgId, tab: item.id as OrgTab }) }));

  return (
    <div className="page">
      <PageHeader
        leading={<OrgAvatar name={o.name} color={o.color} logo={o.logo} size={44} />}
        title={<span data-testid="org-detail-name">{o.name}</span>}
        subtitle={[t(`kinds.${o.kind}`), fmt.country(o.country), o.currency, o.uid ?? o.vatNumber]
          .filter(Boolean)
          .join(' · ')}
        actions={
          <>
            <Button
              icon={<IconMail size={14} />}
              onClick={() => setStatementOpen(true)}
              data-testid="org-send-statement"
            >
              {t('mail.sendStatement')}
            </Button>
            {may('organizations', 'update') && (
              <Button
                icon={<IconPencil size={14} />}
                onClick={() => dialogs.openEdit(o)}
                data-testid="org-edit"
              >
                {t('common.edit')}
              </Button>
            )}
            {may('organizations', 'tombstone') && (
              <Button
                variant="ghost"
                icon={<IconTrash size={14} />}
                onClick={() => {
                  remove.reset();
                  setConfirmDelete(true);
                }}
                data-testid="org-delete"
              >
                {t('common.delete')}
              </Button>
            )}
          </>
        }
      >
        <TabNav items={tabs} current={tab} label={t('org.tabs.label')} />
      </PageHeader>
      <div className="page-body">
        {tab === 'overview' && <MoneyAtAGlance organizationId={orgId} />}
        {tab === 'overview' && <OverviewPanel org={o} stats={stats.data} />}
        {tab === 'members' && <MembersPanel orgId={orgId} />}
        {tab === 'addresses' && <AddressesPanel orgId={orgId} orgCountry={o.country} />}
        {tab === 'teams' && <TeamsPanel orgId={orgId} />}
        {tab === 'activity' && <ActivityPanel orgId={orgId} currency={o.currency} />}
      </div>
      <SendMailDialog
        target={{ statementFor: orgId }}
        number={t('mail.statementOf', { name: o.name })}
        open={statementOpen}
        onClose={() => setStatementOpen(false)}
      />
      <ConfirmDialog
        open={confirmDelete}
        title={t('org.deleteTitle', { name: o.name })}
        body={t('org.deleteBody')}
        confirmLabel={t('common.delete')}
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate({ id: orgId })}
        onClose={() => setConfirmDelete(false)}
      />
    </div>
  );
}
