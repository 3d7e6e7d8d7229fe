import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useToastedMutation } from '../../api/queries';
import type { Acting } from '../../app/acting';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Select } from '../../ui/Field';
import { IconPlus, IconUsers } from '../../ui/icons';
import { EmptyState, PageHeader } from '../../ui/Layout';
import { FilterBar } from '../../ui/FilterBar';
import { LoadingBlock } from '../../ui/Spinner';
import { IconDownload } from '../invoices/icons';
import { ActingGate } from './ActingGate';
import { ClientExportDialog } from './ClientExportDialog';
import { InviteClientDialog } from './InviteClientDialog';
import { NoticeList } from './NoticeList';
import { AccessBadge, PaymentBadge, StatusBadge } from './PartnerBadges';
import { ACCESS, PAYMENT, type Partnership, STATUSES } from './partner-ui';
import './partners.css';

interface Filters {
  search: string;
  access: '' | (typeof ACCESS)[number];
  payment: '' | (typeof PAYMENT)[number];
  status: '' | (typeof STATUSES)[number];
}

/** The partner's managed clients, its pending invitations and what its clients changed. */
export function PartnerArea() {
  return <ActingGate>{(acting) => <PartnerAreaFor acting={acting} />}</ActingGate>;
}

function PartnerAreaFor({ acting }: { acting: Acting & { orgId: string } }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const orgId = acting.orgId;
  const list = useApi('partners.list', { organizationId: orgId, role: 'partner' });
  const dashboard = useApi('partners.dashboard', { partnerOrganizationId: orgId });
  const orgs = useApi('organizations.list', {});
  // A client's products are priced in its own currency.
  const currencies = useMemo(() => new Map((orgs.data ?? []).map((o) => [o.id, o.currency])), [orgs.data]);
  const [filters, setFilters] = useState<Filters>({ search: '', access: '', payment: '', status: 'active' });
  const [inviteOpen, setInviteOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const resend = useToastedMutation('partners.resend', (p) =>
    t('partners.area.resent', { client: p.clientName }),
  );
  const withdraw = useToastedMutation('partners.withdraw', (p) =>
    t('partners.area.withdrawn', { client: p.clientName }),
  );
  const accept = useToastedMutation('partners.accept', (p) =>
    t('partners.area.accepted', { client: p.clientName }),
  );
  const refuse = useToastedMutation('partners.refuse', (p) =>
    t('partners.area.refused', { client: p.clientName }),
  );

  const all = list.data ?? [];
  const pending = all.filter((p) => p.status === 'invited');
  const productsOf = useMemo(
    () => new Map((dashboard.data?.clients ?? []).map((c) => [c.partnershipId, c])),
    [dashboard.data],
  );
  const rows = useMemo(() => {
    const q = filters.search.trim().toLocaleLowerCase();
    return (list.data ?? []).filter(
      (p) =>
        (!q || p.clientName.toLocaleLowerCase().includes(q)) &&
        (!filters.access || p.access === filters.access) &&
        (!filters.payment || p.payment === filters.payment) &&
        (!filters.status || p.status === filters.status),
    );
  }, [list.data, filters]);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters({ ...filters, [key]: value });
  // One filter that narrows to a code or lets any through ("" is any), typed by its codes.
  const anyOf = <K extends 'access' | 'payment' | 'status'>(
    key: K,
    codes: readonly Exclude<Filters[K], ''>[],
    label: string,
    anyLabel: string,
    labelOf: (code: Exclude<Filters[K], ''>) => string,
  ) => (
    <Select
      aria-label={label}
      value={filters[key]}
      onChange={(e) => set(key, codes.find((c) => c === e.target.value) ?? ('' as Filters[K]))}
      options={[{ value: '', label: anyLabel }, ...codes.map((c) => ({ value: c, label: labelOf(c) }))]}
      data-testid={`partner-clients-filter-${key}`}
    />
  );
  const activeCount = all.filter((p) => p.status === 'active').length;
  // The default view (active clients, no search) is "no clients yet" when empty, not "no match".
  const filtered = Boolean(
    filters.search || filters.access || filters.payment || filters.status !== 'active',
  );

  return (
    <div className="page">
      <PageHeader
        title={t('partners.area.title')}
        subtitle={
          <span data-testid="partner-area-subtitle">
            {t('partners.area.subtitle', {
              organization: acting.membership?.organizationName ?? '',
              count: activeCount,
              formatted: fmt.number(activeCount),
            })}
          </span>
        }
        actions={
          <>
            <Button
              icon={<IconDownload size={14} />}
              onClick={() => setExportOpen(true)}
              disabled={activeCount === 0}
              data-testid="partner-export-open"
            >
              {t('partners.export.open')}
            </Button>
            <Button
              variant="primary"
              icon={<IconPlus />}
              onClick={() => setInviteOpen(true)}
              disabled={!acting.isLegal}
              title={acting.isLegal ? undefined : t('partners.legalOnly')}
              data-testid="partner-invite-open"
            >
              {t('partners.invite.open')}
            </Button>
          </>
        }
      >
        <FilterBar
          search={{
            value: filters.search,
            onChange: (v) => set('search', v),
            label: t('partners.area.search'),
            testId: 'partner-clients-search',
          }}
        >
          {anyOf('access', ACCESS, t('partners.area.filterAccess'), t('partners.area.anyAccess'), (a) =>
            t(`partners.access.${a}`),
          )}
          {anyOf('payment', PAYMENT, t('partners.area.filterPayment'), t('partners.area.anyPayment'), (p) =>
            t(`partners.payment.${p}`),
          )}
          {anyOf('status', STATUSES, t('partners.area.filterStatus'), t('partners.area.anyStatus'), (s) =>
            t(`partners.status.${s}`),
          )}
        </FilterBar>
      </PageHeader>
      <div className="page-body partner-page">
        {!acting.isLegal && (
          <Alert tone="info" testId="partner-not-legal">
            {t('partners.area.notLegal')}
          </Alert>
        )}
        <NoticeList orgId={orgId} notices={dashboard.data?.notices ?? []} partnerships={all} />
        {list.isError ? (
          <Alert tone="error">{list.error.message}</Alert>
        ) : list.isLoading ? (
          <LoadingBlock label={t('common.loading')} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<IconUsers size={22} />}
            title={filtered ? t('partners.area.noMatch') : t('partners.area.emptyTitle')}
            body={filtered ? undefined : t('partners.area.emptyBody')}
            testId="partner-clients-empty"
          />
        ) : (
          <div className="table-card">
            <table className="table" data-testid="partner-clients">
              <caption className="visually-hidden">{t('partners.area.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('partners.columns.client')}</th>
                  <th scope="col">{t('partners.columns.access')}</th>
                  <th scope="col">{t('partners.columns.status')}</th>
                  <th scope="col" className="num">
                    {t('partners.columns.products')}
                  </th>
                  <th scope="col" className="num">
                    {t('partners.columns.yearly')}
                  </th>
                  <th scope="col">{t('partners.columns.since')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => {
                  const stats = productsOf.get(p.id);
                  return (
                    <tr key={p.id} data-testid="partner-client-row" data-client-name={p.clientName}>
                      <td>
                        <a
                          href={href({ name: 'partnerClient', clientId: p.clientOrganizationId })}
                          className="partner-client-link"
                          data-testid="partner-client-link"
                        >
                          {p.clientName}
                        </a>
                      </td>
                      <td>
                        <span className="partner-badges">
                          <AccessBadge access={p.access} />
                          <PaymentBadge payment={p.payment} />
                        </span>
                      </td>
                      <td>
                        <StatusBadge status={p.status} />
                      </td>
                      <td className="num">{stats ? fmt.number(stats.products) : '—'}</td>
                      <td className="num nowrap">
                        {stats && dashboard.data
                          ? fmt.money(
                              stats.yearlyVolumeMinor,
                              currencies.get(p.clientOrganizationId) ?? 'CHF',
                            )
                          : '—'}
                      </td>
                      <td className="nowrap muted">{fmt.date(p.respondedAt ?? p.invitedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}

        <PendingInvitations
          pending={pending}
          canAct={acting.isLegal}
          onResend={(id) => resend.mutate({ partnershipId: id })}
          onWithdraw={(id) => withdraw.mutate({ partnershipId: id })}
          onAccept={(id) => accept.mutate({ partnershipId: id })}
          onRefuse={(id) => refuse.mutate({ partnershipId: id })}
          busy={resend.isPending || withdraw.isPending || accept.isPending || refuse.isPending}
        />
      </div>
      <InviteClientDialog
        open={inviteOpen}
        partnerOrganizationId={orgId}
        onClose={() => setInviteOpen(false)}
      />
      <ClientExportDialog
        open={exportOpen}
        partnerOrganizationId={orgId}
        clients={all.filter((p) => p.status === 'active')}
        onClose={() => setExportOpen(false)}
      />
    </div>
  );
}

export function PendingInvitations({
  pending,
  canAct,
  onResend,
  onWithdraw,
  onAccept,
  onRefuse,
  busy,
}: {
  pending: Partnership[];
  canAct: boolean;
  onResend: (id: string) => void;
  onWithdraw: (id: string) => void;
  onAccept: (id: string) => void;
  onRefuse: (id: string) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section className="partner-section" aria-labelledby="pending-title">
      <h2 id="pending-title" className="partner-section-title">
        {t('partners.area.pending')} <span className="tab-count">{pending.length}</span>
      </h2>
      {pending.length === 0 ? (
        <p className="muted" data-testid="partner-pending-empty">
          {t('partners.area.noPending')}
        </p>
      ) : (
        <ul className="partner-pending" data-testid="partner-pending">
          {pending.map((p) => (
            <li
              key={p.id}
              className="partner-pending-row"
              data-testid="partner-pending-row"
              data-client-name={p.clientName}
            >
              <div className="partner-pending-text">
                <span className="partner-pending-name">{p.invitedEmail ?? p.clientName}</span>
                <span className="muted">
                  {p.invitedBy === 'partner'
                    ? t('partners.area.sentOn', { date: fmt.dateTime(p.lastSentAt), count: p.sendCount })
                    : t('partners.area.askedBy', { client: p.clientName })}
                </span>
              </div>
              <AccessBadge access={p.requestedAccess} />
              <PaymentBadge payment={p.requestedPayment} />
              {p.invitedBy === 'client' ? (
                <span className="partner-pending-actions">
                  <Button
                    size="sm"
                    variant="primary"
                    disabled={!canAct || busy}
                    onClick={() => onAccept(p.id)}
                    data-testid="partner-accept"
                  >
                    {t('partners.area.accept')}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={!canAct || busy}
                    onClick={() => onRefuse(p.id)}
                    data-testid="partner-refuse"
                  >
                    {t('partners.area.refuse')}
                  </Button>
                </span>
              ) : (
                <span className="partner-pending-actions">
                  <Button
                    size="sm"
                    disabled={!canAct || busy}
                    onClick={() => onResend(p.id)}
                    data-testid="partner-resend"
                  >
                    {t('partners.area.resend')}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={!canAct || busy}
                    onClick={() => onWithdraw(p.id)}
                    data-testid="partner-withdraw"
                  >
                    {t('partners.area.withdraw')}
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
