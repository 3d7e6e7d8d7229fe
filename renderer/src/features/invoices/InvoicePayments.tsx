import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { QueryState } from '../../ui/QueryState';
import { Card } from '../../ui/Layout';

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
          <div className="table-card inv-inner-table">
            <table className="table" data-testid="invoice-payments">
              <thead>
                <tr>
                  <th scope="col">{t('payments.receivedOn')}</th>
                  <th scope="col">{t('payments.method')}</th>
                  <th scope="col">{t('payments.reference')}</th>
                  <th scope="col">{t('payments.outcome')}</th>
                  <th scope="col" className="num">
                    {t('payments.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </Card>
  );
}
