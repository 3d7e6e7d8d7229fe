import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { DataTable } from '../../ui/DataTable';
import { Switch } from '../../ui/Field';
import { Card, PageHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { InvoicesTabs } from './InvoicesTabs';
import { IconBell } from './icons';
import { INVOICE_STATUS_TONES, today } from './invoice-ui';
import './invoices.css';

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Payment reminders (overdue invoices) and renewal reminders (products renewing soon). */
export function RemindersPage({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [all, setAll] = useState(false);
  const scope = all ? {} : { organizationId: orgId };
  const overdue = useApi('invoices.overdue', scope, { keepPrevious: true });
  const renewals = useApi('invoices.renewalReminders', scope, { keepPrevious: true });
  const org = useApi('organizations.get', { id: orgId });
  const now = today();

  return (
    <div className="page">
      <PageHeader
        title={t('invoices.title')}
        subtitle={t('reminders.subtitle')}
        actions={
          <Switch
            label={t('invoices.filters.allOrganizations')}
            checked={all}
            onChange={(e) => setAll(e.target.checked)}
            testId="reminders-all-orgs"
          />
        }
      >
        <InvoicesTabs orgId={orgId} current="reminders" />
      </PageHeader>
      <div className="page-body">
        <Card title={t('reminders.overdueTitle')}>
          <QueryState
            query={overdue}
            isEmpty={(d) => d.length === 0}
            empty={
              <p className="muted" data-testid="reminders-overdue-empty">
                {t('reminders.overdueEmpty')}
              </p>
            }
          >
            {() => (
              <DataTable
                cardClassName="inv-inner-table inv-reminder-list"
                testId="reminders-overdue"
                columns={[
                  { label: t('invoices.columns.number') },
                  { label: t('invoices.columns.organization') },
                  { label: t('invoices.columns.due') },
                  { label: t('reminders.late') },
                  { label: t('invoices.columns.status') },
                  { label: t('reminders.stillDue'), num: true },
                ]}
              >
                {(overdue.data ?? []).map((row) => (
                  <tr key={row.id} data-testid="reminder-overdue-row" data-invoice-number={row.number ?? ''}>
                    <td>
                      <a
                        className="cell-title"
                        href={href({ name: 'invoice', orgId: row.organizationId, invoiceId: row.id })}
                      >
                        {row.number}
                      </a>
                    </td>
                    <td>{row.organizationName}</td>
                    <td className="nowrap pt-overdue">{fmt.date(row.dueOn)}</td>
                    <td className="nowrap">
                      {row.dueOn ? t('reminders.daysLate', { count: daysBetween(row.dueOn, now) }) : ''}
                    </td>
                    <td>
                      <Badge tone={INVOICE_STATUS_TONES[row.status]}>
                        {t(`invoiceStatuses.${row.status}`)}
                      </Badge>
                    </td>
                    <td className="num nowrap">{fmt.money(row.dueMinor, row.currency)}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </QueryState>
        </Card>
        <Card title={t('reminders.renewalsTitle')}>
          {!all && org.data && org.data.renewalReminderDays === null && (
            <Alert tone="info">{t('reminders.renewalsOff')}</Alert>
          )}
          <QueryState
            query={renewals}
            isEmpty={(d) => d.length === 0}
            empty={
              <p className="muted" data-testid="reminders-renewals-empty">
                <IconBell size={14} /> {t('reminders.renewalsEmpty')}
              </p>
            }
          >
            {() => (
              <DataTable
                cardClassName="inv-inner-table inv-reminder-list"
                testId="reminders-renewals"
                columns={[
                  { label: t('reminders.product') },
                  { label: t('invoices.columns.organization') },
                  { label: t('reminders.renewsOn') },
                  { label: t('reminders.renewal') },
                  { label: t('reminders.price'), num: true },
                ]}
              >
                {(renewals.data ?? []).map((row) => (
                  <tr key={row.productId} data-testid="reminder-renewal-row">
                    <td className="cell-title">{row.productName}</td>
                    <td>{row.organizationName}</td>
                    <td className="nowrap">
                      {fmt.date(row.nextRenewalOn)}{' '}
                      <span className="muted">
                        ({t('reminders.inDays', { count: daysBetween(now, row.nextRenewalOn) })})
                      </span>
                    </td>
                    <td>
                      {row.autoRenew ? (
                        <Badge tone="green">{t('reminders.auto')}</Badge>
                      ) : (
                        <Badge tone="amber">{t('reminders.manual')}</Badge>
                      )}
                    </td>
                    <td className="num nowrap">{fmt.money(row.publicPriceMinor, row.currency)}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </QueryState>
        </Card>
      </div>
    </div>
  );
}
