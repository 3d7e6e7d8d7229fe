import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Card } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';

/**
 * The payments received for an issued invoice, with where each went: applied to it, or
 * its reminders' fees (the firm's income, not the invoice's), or deposited to the prepaid
 * account (and why).
 */
export function InvoicePayments({ invoiceId }: { invoiceId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const payments = useApi('invoices.payments', { id: invoiceId });
  return (
    <Card title={t('invoiceView.payments')}>
      <QueryState
        query={payments}
        isEmpty={(d) => d.length === 0}
        empty={
          <p className="muted" data-testid="invoice-payments-empty">
            {t('invoiceView.noPayments')}
          </p>
        }
      >
        {() => (
          <DataTable
            cardClassName="inv-inner-table"
            testId="invoice-payments"
            columns={[
              { label: t('payments.receivedOn') },
              { label: t('payments.method') },
              { label: t('payments.reference') },
              { label: t('payments.outcome') },
              { label: t('payments.amount'), num: true },
            ]}
          >
            {(payments.data ?? []).map((p) => (
              <tr key={p.id} data-testid="invoice-payment-row" data-outcome={p.outcome}>
                <td className="nowrap">{fmt.date(p.receivedOn)}</td>
                <td>{t(`paymentMethods.${p.method}`)}</td>
                <td className="mono break">{p.reference ?? '—'}</td>
                <td>
                  {p.outcome === 'applied'
                    ? t('payments.outcomeApplied')
                    : p.outcome === 'fee'
                      ? t('payments.outcomeFee')
                      : t('payments.outcomeDeposited', {
                          reason: t(`payments.reasons.${(p.depositReason ?? 'unknown') as 'unknown'}`),
                        })}
                </td>
                <td className="num nowrap">{fmt.money(p.amountMinor, p.currency)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </Card>
  );
}
