import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { useApi } from '../../api/queries';
import type { Acting } from '../../app/acting';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Card, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { ActingGate } from './ActingGate';
import { CashbackChart } from './CashbackChart';
import { CashbackInvoices } from './CashbackInvoices';
import { AccessBadge } from './PartnerBadges';
import { QuotePanel } from './QuotePanel';
import './partners.css';

/** The partner's year: volume against the dealer threshold, cashback per month and per client. */
export function Dashboard() {
  return <ActingGate>{(acting) => <DashboardFor acting={acting} />}</ActingGate>;
}

function DashboardFor({ acting }: { acting: Acting & { orgId: string } }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [year, setYear] = useState(() => new Date().getUTCFullYear());
  const dash = useApi(
    'partners.dashboard',
    { partnerOrganizationId: acting.orgId, year },
    { keepPrevious: true },
  );
  const org = useApi('organizations.get', { id: acting.orgId });
  const [chosen, setChosen] = useState<Currency | null>(null);

  if (dash.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (dash.isError || !dash.data) return <Alert tone="error">{dash.error?.message}</Alert>;
  const d = dash.data;
  const currencies = [...new Set(d.cashbackByMonth.map((m) => m.currency))];
  const currency: Currency = chosen ?? currencies[0] ?? org.data?.currency ?? 'CHF';

  return (
    <div className="page">
      <PageHeader
        title={t('partners.dashboard.title')}
        subtitle={acting.membership?.organizationName}
        actions={
          <div className="partner-year" role="group" aria-label={t('partners.dashboard.year')}>
            <Button
              size="sm"
              onClick={() => setYear(year - 1)}
              aria-label={t('partners.dashboard.previousYear')}
            >
              ‹
            </Button>
            <span className="partner-year-value" data-testid="partner-dashboard-year">
              {year}
            </span>
            <Button size="sm" onClick={() => setYear(year + 1)} aria-label={t('partners.dashboard.nextYear')}>
              ›
            </Button>
          </div>
        }
      />
      <div className="page-body partner-page">
        <div className="stats partner-stats">
          <div className="stat">
            <span className="stat-value" data-testid="partner-dashboard-clients">
              {fmt.number(d.clients.length)}
            </span>
            <span className="stat-label">{t('partners.dashboard.clients')}</span>
          </div>
          <div className="stat">
            <span className="stat-value">{fmt.number(d.productsUnderManagement)}</span>
            <span className="stat-label">{t('partners.dashboard.products')}</span>
          </div>
          <div className="stat">
            <span className="stat-value">{fmt.number(d.pendingInvitations.length)}</span>
            <span className="stat-label">{t('partners.dashboard.pending')}</span>
          </div>
          <div className="stat">
            <span className="stat-value">
              <Badge tone={d.dealerEligible ? 'green' : 'neutral'} testId="partner-dealer">
                {d.dealerEligible ? t('partners.dashboard.dealer') : t('partners.dashboard.notDealer')}
              </Badge>
            </span>
            <span className="stat-label">{t('partners.dashboard.dealerStatus')}</span>
          </div>
        </div>

        <Card title={t('partners.dashboard.volume')}>
          <p className="field-hint">{t('partners.dashboard.volumeHint')}</p>
          <div className="partner-volume">
            {d.volume.map((v) => {
              const percent = Math.min(100, Math.round((100 * v.yearlyMinor) / v.thresholdMinor));
              return (
                <div
                  key={v.currency}
                  className="partner-volume-row"
                  data-testid="partner-volume"
                  data-currency={v.currency}
                >
                  <div className="partner-volume-label">
                    <span>
                      {fmt.money(v.yearlyMinor, v.currency)}{' '}
                      <span className="muted">
                        / {fmt.money(v.thresholdMinor, v.currency)} {t('partners.dashboard.perYear')}
                      </span>
                    </span>
                    {v.reached && <Badge tone="green">{t('partners.dashboard.reached')}</Badge>}
                  </div>
                  <div
                    className={`partner-meter${v.reached ? ' partner-meter-done' : ''}`}
                    role="meter"
                    aria-valuemin={0}
                    aria-valuemax={v.thresholdMinor}
                    aria-valuenow={Math.min(v.yearlyMinor, v.thresholdMinor)}
                    aria-valuetext={`${fmt.money(v.yearlyMinor, v.currency)} / ${fmt.money(v.thresholdMinor, v.currency)}`}
                    aria-label={t('partners.dashboard.volumeIn', { currency: v.currency })}
                  >
                    <span style={{ width: `${percent}%` }} />
                  </div>
                </div>
              );
            })}
          </div>
        </Card>

        <CashbackInvoices dash={d} />

        <Card
          title={t('partners.dashboard.cashbackPerMonth')}
          actions={
            currencies.length > 1 ? (
              <span className="segmented segmented-sm">
                {currencies.map((c) => (
                  <label key={c} className={`segment${c === currency ? ' segment-on' : ''}`}>
                    <input
                      type="radio"
                      name="chart-currency"
                      checked={c === currency}
                      onChange={() => setChosen(c)}
                    />
                    {c}
                  </label>
                ))}
              </span>
            ) : undefined
          }
        >
          <CashbackChart year={year} currency={currency} data={d.cashbackByMonth} />
        </Card>

        <div className="partner-two">
          <Card title={t('partners.dashboard.cashbackPerClient')}>
            {d.cashbackByClient.length === 0 ? (
              <p className="muted">{t('partners.dashboard.noCashback')}</p>
            ) : (
              <table className="table table-compact" data-testid="partner-cashback-clients">
                <tbody>
                  {[...d.cashbackByClient]
                    .sort((a, b) => b.amountMinor - a.amountMinor)
                    .map((c) => (
                      <tr key={`${c.clientOrganizationId}|${c.currency}`}>
                        <td>{c.clientName ?? t('partners.dashboard.unknownClient')}</td>
                        <td className="num nowrap">{fmt.money(c.amountMinor, c.currency)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </Card>
          <Card title={t('partners.dashboard.pending')}>
            {d.pendingInvitations.length === 0 ? (
              <p className="muted">{t('partners.area.noPending')}</p>
            ) : (
              <ul className="partner-pending partner-pending-compact">
                {d.pendingInvitations.map((p) => (
                  <li key={p.partnershipId} className="partner-pending-row">
                    <span className="partner-pending-text">
                      <span className="partner-pending-name">{p.invitedEmail ?? p.clientName}</span>
                      <span className="muted">{fmt.dateTime(p.lastSentAt)}</span>
                    </span>
                    <AccessBadge access={p.requestedAccess} />
                  </li>
                ))}
              </ul>
            )}
            <p>
              <a href={href({ name: 'partnerClients' })}>{t('partners.dashboard.toClients')}</a>
            </p>
          </Card>
        </div>

        <QuotePanel partnerOrganizationId={acting.orgId} />
      </div>
    </div>
  );
}
