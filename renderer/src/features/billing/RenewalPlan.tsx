import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../api/client';
import { href } from '../../app/router';
import { type Formatters, useFormat } from '../../i18n/format';
import { Badge } from '../../ui/Badge';
import { DataTable } from '../../ui/DataTable';
import { Card } from '../../ui/Layout';
import { useShown } from './use-shown';

export type Plan = MethodOutput<'renewals.preview'>;
type Group = Plan['groups'][number];

/** What a billing run would bill, as the preview found it: invoices per payer with totals. */
export function RenewalPlanView({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const groups = useShown(plan.groups);
  return (
    <>
      <Card title={t('billing.renewals.invoicesTitle')}>
        {plan.groups.length === 0 ? (
          <p className="muted" data-testid="renewals-nothing">
            {t('billing.renewals.nothingDue')}
          </p>
        ) : (
          <>
            <ul className="billing-totals" data-testid="renewals-totals">
              {plan.totals.map((x) => (
                <li key={x.currency} data-currency={x.currency}>
                  {t('billing.renewals.totals', {
                    invoices: fmt.number(x.invoices),
                    lines: fmt.number(x.lines),
                    net: fmt.money(x.netMinor, x.currency),
                    gross: fmt.money(x.grossMinor, x.currency),
                  })}
                </li>
              ))}
            </ul>
            <DataTable
              testId="renewals-plan"
              columns={[
                { label: t('billing.renewals.payer') },
                { label: t('billing.renewals.address') },
                { label: t('billing.renewals.lines') },
                { label: t('billing.renewals.net'), num: true },
                { label: t('billing.renewals.gross'), num: true },
                { label: t('billing.renewals.payment') },
              ]}
            >
              {groups.rows.map((g) => (
                <GroupRow key={g.key} group={g} fmt={fmt} />
              ))}
            </DataTable>
            {groups.more}
          </>
        )}
      </Card>
      {plan.expiring.length > 0 && (
        <Card title={t('billing.renewals.expiringTitle')}>
          <ul className="billing-list" data-testid="renewals-expiring">
            {plan.expiring.map((p) => (
              <li key={p.productId}>{p.name}</li>
            ))}
          </ul>
        </Card>
      )}
      {plan.tooFarBehind.length > 0 && (
        <Card title={t('billing.renewals.behindTitle')}>
          <ul className="billing-list" data-testid="renewals-behind">
            {plan.tooFarBehind.map((p) => (
              <li key={p.productId}>
                {p.name}{' '}
                <span className="muted">
                  {t('billing.renewals.nextRenewal', { date: fmt.date(p.nextRenewalOn) })}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

function GroupRow({ group: g, fmt }: { group: Group; fmt: Formatters }) {
  const { t } = useTranslation();
  return (
    <tr
      data-testid="renewal-group"
      data-payer={g.payerName}
      data-autopay={g.autoPay.pays ? 'yes' : g.autoPay.reason}
    >
      <td>
        <a href={href({ name: 'org', orgId: g.payerId, tab: 'overview' })}>{g.payerName}</a>
        {g.productsOrganizationId !== g.payerId && (
          <div className="muted billing-sub">
            {t('billing.renewals.products')} {g.productsOrganizationName}
          </div>
        )}
      </td>
      <td>{g.billingAddress ?? <span className="muted">{t('billing.renewals.noAddress')}</span>}</td>
      <td>
        <ul className="billing-lines">
          {g.lines.map((l) => (
            <li key={`${l.productId}:${l.periods[0]?.start ?? ''}`}>
              {l.description}{' '}
              <span className="muted">
                {t('billing.renewals.period', { count: l.periods.length })}
                {!l.autoRenew && ` · ${t('billing.renewals.autoRenewOff')}`}
              </span>
            </li>
          ))}
        </ul>
      </td>
      <td className="num">{fmt.money(g.netMinor, g.currency)}</td>
      <td className="num">{fmt.money(g.grossMinor, g.currency)}</td>
      <td className="billing-reason">
        {g.autoPay.pays ? (
          <Badge tone="green">{t('billing.renewals.paidFromPrepaid')}</Badge>
        ) : (
          <Badge tone="amber" testId="renewal-unpaid-reason">
            {t(`billing.renewals.reasons.${g.autoPay.reason}`, {
              balance: fmt.money(g.autoPay.balanceMinor, g.currency),
            })}
          </Badge>
        )}
      </td>
    </tr>
  );
}
