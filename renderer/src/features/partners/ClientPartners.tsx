import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useToastedMutation } from '../../api/queries';
import type { Acting } from '../../app/acting';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { IconPlus, IconUsers } from '../../ui/icons';
import { EmptyState, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { ActingGate } from './ActingGate';
import { AddPartnerDialog, ArrangementDialog } from './ArrangementDialogs';
import { EndPartnershipDialog } from './EndPartnershipDialog';
import { AccessBadge, PaymentBadge, StatusBadge } from './PartnerBadges';
import type { Partnership } from './partner-ui';
import './partners.css';

/** The client's side: its partners, invitations to answer, arrangements to change or end. */
export function ClientPartners() {
  return <ActingGate>{(acting) => <ClientPartnersFor acting={acting} />}</ActingGate>;
}

function ClientPartnersFor({ acting }: { acting: Acting & { orgId: string } }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useApi('partners.list', { organizationId: acting.orgId, role: 'client' });
  const [adding, setAdding] = useState(false);
  const [arrangement, setArrangement] = useState<{ mode: 'accept' | 'change'; p: Partnership } | null>(null);
  const [ending, setEnding] = useState<Partnership | null>(null);
  const refuse = useToastedMutation('partners.refuse', (p) =>
    t('partners.mine.refused', { partner: p.partnerName }),
  );
  const withdraw = useToastedMutation('partners.withdraw', (p) =>
    t('partners.mine.withdrawn', { partner: p.partnerName }),
  );

  const all = list.data ?? [];
  const incoming = all.filter((p) => p.status === 'invited' && p.invitedBy === 'partner');
  const outgoing = all.filter((p) => p.status === 'invited' && p.invitedBy === 'client');
  const active = all.filter((p) => p.status === 'active');
  const past = all.filter((p) => p.status !== 'active' && p.status !== 'invited');
  const legal = acting.isLegal;
  const canChange = legal || acting.membership?.role === 'administrator';

  return (
    <div className="page">
      <PageHeader
        title={t('partners.mine.title')}
        subtitle={acting.membership?.organizationName}
        actions={
          <Button
            variant="primary"
            icon={<IconPlus />}
            onClick={() => setAdding(true)}
            disabled={!legal}
            title={legal ? undefined : t('partners.legalOnly')}
            data-testid="partner-add-open"
          >
            {t('partners.add.open')}
          </Button>
        }
      />
      <div className="page-body partner-page">
        {list.isError && <Alert tone="error">{list.error.message}</Alert>}
        {list.isLoading && <LoadingBlock label={t('common.loading')} />}

        {incoming.map((p) => (
          <div
            key={p.id}
            className="partner-invitation"
            data-testid="partner-incoming"
            data-partner-name={p.partnerName}
          >
            <div className="partner-invitation-text">
              <p className="partner-invitation-title">
                {t('partners.mine.invitedYou', { partner: p.partnerName })}
              </p>
              <p className="muted">
                {t('partners.mine.requested')} <AccessBadge access={p.requestedAccess} />{' '}
                <PaymentBadge payment={p.requestedPayment} /> · {fmt.dateTime(p.lastSentAt)}
              </p>
            </div>
            <div className="partner-invitation-actions">
              <Button
                variant="ghost"
                disabled={!legal || refuse.isPending}
                onClick={() => refuse.mutate({ partnershipId: p.id })}
                data-testid="partner-incoming-refuse"
              >
                {t('partners.mine.refuse')}
              </Button>
              <Button
                variant="primary"
                disabled={!legal}
                title={legal ? undefined : t('partners.legalOnly')}
                onClick={() => setArrangement({ mode: 'accept', p })}
                data-testid="partner-incoming-accept"
              >
                {t('partners.mine.accept')}
              </Button>
            </div>
          </div>
        ))}

        {!list.isLoading && all.length === 0 ? (
          <EmptyState
            icon={<IconUsers size={22} />}
            title={t('partners.mine.emptyTitle')}
            body={t('partners.mine.emptyBody')}
            testId="partner-mine-empty"
          />
        ) : (
          active.length > 0 && (
            <div className="table-card">
              <table className="table" data-testid="partner-mine">
                <caption className="visually-hidden">{t('partners.mine.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('partners.columns.partner')}</th>
                    <th scope="col">{t('partners.columns.access')}</th>
                    <th scope="col">{t('partners.columns.products')}</th>
                    <th scope="col">{t('partners.columns.since')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {active.map((p) => (
                    <tr key={p.id} data-testid="partner-mine-row" data-partner-name={p.partnerName}>
                      <td className="partner-strong">{p.partnerName}</td>
                      <td>
                        <span className="partner-badges">
                          <AccessBadge access={p.access} />
                          <PaymentBadge payment={p.payment} />
                        </span>
                      </td>
                      <td className="muted">
                        {p.access === 'complete'
                          ? t('partners.mine.allProducts')
                          : t('partners.mine.someProducts', { count: p.productIds.length })}
                      </td>
                      <td className="muted nowrap">{fmt.date(p.respondedAt ?? p.invitedAt)}</td>
                      <td className="num nowrap">
                        <span className="partner-row-actions">
                          <Button
                            size="sm"
                            disabled={!canChange}
                            onClick={() => setArrangement({ mode: 'change', p })}
                            data-testid="partner-change-open"
                          >
                            {t('partners.change.open')}
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            disabled={!legal}
                            onClick={() => setEnding(p)}
                            data-testid="partner-mine-end"
                          >
                            {t('partners.end.open')}
                          </Button>
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        )}

        {outgoing.length > 0 && (
          <section className="partner-section">
            <h2 className="partner-section-title">{t('partners.mine.outgoing')}</h2>
            <ul className="partner-pending">
              {outgoing.map((p) => (
                <li key={p.id} className="partner-pending-row" data-testid="partner-outgoing">
                  <span className="partner-pending-text">
                    <span className="partner-pending-name">{p.partnerName}</span>
                    <span className="muted">{fmt.dateTime(p.lastSentAt)}</span>
                  </span>
                  <AccessBadge access={p.requestedAccess} />
                  <PaymentBadge payment={p.requestedPayment} />
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={!legal || withdraw.isPending}
                    onClick={() => withdraw.mutate({ partnershipId: p.id })}
                  >
                    {t('partners.area.withdraw')}
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        )}

        {past.length > 0 && (
          <details className="partner-section">
            <summary className="partner-section-title">
              {t('partners.mine.past')} <span className="tab-count">{past.length}</span>
            </summary>
            <ul className="partner-pending">
              {past.map((p) => (
                <li key={p.id} className="partner-pending-row">
                  <span className="partner-pending-text">
                    <span className="partner-pending-name">{p.partnerName}</span>
                    <span className="muted">{fmt.date(p.endedAt ?? p.respondedAt ?? p.invitedAt)}</span>
                  </span>
                  <StatusBadge status={p.status} />
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <AddPartnerDialog open={adding} clientOrganizationId={acting.orgId} onClose={() => setAdding(false)} />
      <ArrangementDialog
        mode={arrangement?.mode ?? null}
        partnership={arrangement?.p ?? null}
        onClose={() => setArrangement(null)}
      />
      {ending && (
        <EndPartnershipDialog open partnership={ending} side="client" onClose={() => setEnding(null)} />
      )}
    </div>
  );
}
