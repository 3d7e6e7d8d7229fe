import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../api/client';
import { useApi } from '../../api/queries';
import type { Acting } from '../../app/acting';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { OrgAvatar } from '../../ui/Avatar';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { IconArrowRight, IconBox } from '../../ui/icons';
import { Card, EmptyState, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { ActivityPanel } from '../activity/ActivityPanel';
import { formatAmount, INVOICE_STATUS_TONES, statusText } from '../invoices/invoice-ui';
import { ActingGate } from './ActingGate';
import { EndPartnershipDialog } from './EndPartnershipDialog';
import { AccessBadge, PaymentBadge, StatusBadge } from './PartnerBadges';
import type { Partnership } from './partner-ui';
import '../invoices/invoices.css';
import './partners.css';

/** One managed client as its partner sees it: what it manages, what it may see, what happened. */
export function ClientDetail({ clientId }: { clientId: string }) {
  return <ActingGate>{(acting) => <ClientDetailFor acting={acting} clientId={clientId} />}</ActingGate>;
}

function ClientDetailFor({ acting, clientId }: { acting: Acting & { orgId: string }; clientId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useApi('partners.list', { organizationId: acting.orgId, role: 'partner' });
  const client = useApi('organizations.get', { id: clientId });
  const [ending, setEnding] = useState(false);

  if (list.isLoading || client.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (list.isError) return <Alert tone="error">{list.error.message}</Alert>;
  if (client.isError || !client.data) return <Alert tone="error">{client.error?.message}</Alert>;
  // The live partnership with this client, else the latest one (ended, refused…).
  const mine = (list.data ?? []).filter((p) => p.clientOrganizationId === clientId);
  const partnership =
    mine.find((p) => p.status === 'active') ?? mine.find((p) => p.status === 'invited') ?? mine.at(-1);
  const c = client.data;

  if (!partnership) {
    return (
      <EmptyState
        title={t('partners.detail.notManaged', { client: c.name })}
        action={<a href={href({ name: 'partnerClients' })}>{t('partners.detail.back')}</a>}
        testId="partner-client-not-managed"
      />
    );
  }
  const active = partnership.status === 'active';

  return (
    <div className="page">
      <PageHeader
        leading={<OrgAvatar name={c.name} color={c.color} logo={c.logo} size={44} />}
        title={<span data-testid="partner-client-name">{c.name}</span>}
        subtitle={
          <span className="partner-badges">
            <StatusBadge status={partnership.status} />
            <AccessBadge access={partnership.access} />
            <PaymentBadge payment={partnership.payment} />
            <span className="muted">
              {t('partners.detail.since', {
                date: fmt.date(partnership.respondedAt ?? partnership.invitedAt),
              })}
            </span>
          </span>
        }
        actions={
          <>
            <a className="btn btn-ghost" href={href({ name: 'partnerClients' })}>
              <span>{t('partners.detail.back')}</span>
            </a>
            {active && (
              <Button
                variant="danger"
                onClick={() => setEnding(true)}
                disabled={!acting.isLegal}
                title={acting.isLegal ? undefined : t('partners.legalOnly')}
                data-testid="partner-end-open"
              >
                {t('partners.end.open')}
              </Button>
            )}
          </>
        }
      />
      <div className="page-body partner-page">
        {active ? (
          <>
            <ManagedProducts partnership={partnership} actingOrgId={acting.orgId} />
            <VisibleInvoices partnership={partnership} actingOrgId={acting.orgId} />
            <ActivityPanel orgId={clientId} currency={c.currency} />
          </>
        ) : (
          <Alert tone="info" testId="partner-client-inactive">
            {t('partners.detail.inactive', { status: t(`partners.status.${partnership.status}`) })}
          </Alert>
        )}
      </div>
      <EndPartnershipDialog
        open={ending}
        partnership={partnership}
        side="partner"
        onClose={() => setEnding(false)}
      />
    </div>
  );
}

/** The products the partner manages: all of them with complete access, the allocated ones with limited. */
function ManagedProducts({ partnership, actingOrgId }: { partnership: Partnership; actingOrgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // Only what the partner may see: complete access, every product; limited, the allocated ones.
  const products = useApi('products.list', {
    organizationId: partnership.clientOrganizationId,
    actingOrganizationId: actingOrgId,
    limit: 500,
  });
  const rows = products.data?.rows ?? [];
  return (
    <Card
      title={
        <>
          {t('partners.detail.products')}{' '}
          <span className="tab-count" data-testid="partner-products-count">
            {rows.length}
          </span>
        </>
      }
    >
      {products.isError ? (
        <Alert tone="error">{products.error.message}</Alert>
      ) : products.isLoading ? (
        <LoadingBlock label={t('common.loading')} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconBox size={22} />}
          title={t('partners.detail.noProducts')}
          testId="partner-products-empty"
        />
      ) : (
        <table className="table" data-testid="partner-products">
          <thead>
            <tr>
              <th scope="col">{t('partners.columns.product')}</th>
              <th scope="col">{t('partners.columns.kind')}</th>
              <th scope="col">{t('partners.columns.status')}</th>
              <th scope="col" className="num">
                {t('partners.columns.price')}
              </th>
              <th scope="col">{t('partners.columns.renewal')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-testid="partner-product-row" data-product-name={p.name}>
                <td>{p.name}</td>
                <td className="muted">{t(`productKinds.${p.kind}`)}</td>
                <td>
                  <Badge tone={p.status === 'active' ? 'green' : 'neutral'}>
                    {t(`statuses.${p.status}`)}
                  </Badge>
                </td>
                <td className="num nowrap">
                  {fmt.money(p.publicPriceMinor, p.currency)}{' '}
                  <span className="muted">{t(`frequencyShort.${p.billingFrequency}`)}</span>
                </td>
                <td className="nowrap muted">{fmt.date(p.nextRenewalOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

const INVOICE_PAGE = 100;

/**
 * The invoices of this client's products that the partner may see: those it pays (complete
 * access paid by the partner). With the client paying, they live with the client only.
 */
function VisibleInvoices({ partnership, actingOrgId }: { partnership: Partnership; actingOrgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const input: MethodInput<'invoices.list'> = {
    actingOrganizationId: actingOrgId,
    productsOrganizationId: partnership.clientOrganizationId,
    limit: INVOICE_PAGE,
  };
  const invoices = useApi('invoices.list', input);
  const rows = invoices.data?.rows ?? [];
  return (
    <Card
      title={
        <>
          {t('partners.detail.invoices')} <span className="tab-count">{rows.length}</span>
        </>
      }
    >
      <p className="field-hint">
        {partnership.access === 'complete' && partnership.payment === 'partner'
          ? t('partners.detail.invoicesPartnerPays')
          : t('partners.detail.invoicesClientPays')}
      </p>
      {invoices.isError ? (
        <Alert tone="error">{invoices.error.message}</Alert>
      ) : invoices.isLoading ? (
        <LoadingBlock label={t('common.loading')} />
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="partner-invoices-empty">
          {t('partners.detail.noInvoices')}
        </p>
      ) : (
        <table className="table" data-testid="partner-invoices">
          <thead>
            <tr>
              <th scope="col">{t('invoices.columns.number')}</th>
              <th scope="col">{t('invoices.columns.status')}</th>
              <th scope="col">{t('invoices.columns.issued')}</th>
              <th scope="col" className="num">
                {t('invoices.columns.total')}
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="partner-invoice-row" data-invoice-number={row.number ?? ''}>
                <td className="mono">{row.number ?? t(`invoices.draftOf.${row.kind}`)}</td>
                <td>
                  <Badge tone={row.overdue ? 'red' : INVOICE_STATUS_TONES[row.status]}>
                    {statusText(t, row)}
                  </Badge>
                </td>
                <td className="muted nowrap">{fmt.date(row.issuedOn)}</td>
                <td className="num nowrap">
                  {formatAmount(
                    (row.kind === 'credit_note' ? -1 : 1) * row.grossMinor,
                    row.currency,
                    fmt.locale,
                  )}{' '}
                  <span className="muted">{row.currency}</span>
                </td>
                <td className="num">
                  <a
                    href={href({ name: 'invoice', orgId: row.organizationId, invoiceId: row.id })}
                    aria-label={t('partners.detail.openInvoice', { number: row.number ?? '' })}
                  >
                    <IconArrowRight size={14} />
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {invoices.data?.nextCursor && (
        <p className="muted">{t('partners.detail.moreInvoices', { count: INVOICE_PAGE })}</p>
      )}
    </Card>
  );
}
