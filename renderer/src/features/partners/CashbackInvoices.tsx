import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../api/client';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Badge, type BadgeTone } from '../../ui/Badge';
import { Card } from '../../ui/Layout';
import '../billing/billing.css';

type Dash = MethodOutput<'partners.dashboard'>;
const TONE: Record<Dash['cashbackInvoices'][number]['state'], BadgeTone> = {
  earned: 'green',
  pending: 'amber',
  reversed: 'red',
};

/** Cashback earned, pending (unpaid invoices) and reversed (credit notes), and the invoices behind each. */
export function CashbackInvoices({ dash }: { dash: Dash }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Card title={t('billing.dashboard.cashbackTitle')}>
      {dash.cashback.length === 0 ? (
        <p className="muted">{t('billing.dashboard.none')}</p>
      ) : (
        dash.cashback.map((c) => (
          <div
            className="billing-cashback"
            key={c.currency}
            data-testid="partner-cashback-totals"
            data-currency={c.currency}
          >
            {(['earned', 'pending', 'reversed'] as const).map((k) => (
              <div className="stat" key={k}>
                <span className="stat-value" data-testid={`partner-cashback-${k}`}>
                  {fmt.money(c[`${k}Minor`], c.currency)}
                </span>
                <span className="stat-label">{t(`billing.dashboard.${k}`)}</span>
              </div>
            ))}
          </div>
        ))
      )}
      {dash.cashbackInvoices.length > 0 && (
        <div className="table-card">
          <table
            className="table table-compact"
            data-testid="partner-cashback-invoices"
            aria-label={t('billing.dashboard.invoicesTitle')}
          >
            <thead>
              <tr>
                <th scope="col">{t('billing.dashboard.invoice')}</th>
                <th scope="col">{t('billing.dashboard.client')}</th>
                <th scope="col">{t('billing.dashboard.state')}</th>
                <th scope="col" className="num">
                  {t('billing.statements.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {dash.cashbackInvoices.map((r) => (
                <tr
                  key={`${r.state}:${r.invoiceId}:${r.currency}`}
                  data-testid="partner-cashback-invoice"
                  data-state={r.state}
                  data-number={r.invoiceNumber ?? ''}
                >
                  <td>
                    <a href={href({ name: 'invoice', orgId: r.organizationId, invoiceId: r.invoiceId })}>
                      {r.invoiceNumber ?? t('billing.renewals.draft')}
                    </a>{' '}
                    <span className="muted">{fmt.date(r.on)}</span>
                  </td>
                  <td>{r.clientName}</td>
                  <td>
                    <Badge tone={TONE[r.state]}>{t(`billing.dashboard.states.${r.state}`)}</Badge>
                  </td>
                  <td className="num nowrap">{fmt.money(r.amountMinor, r.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
