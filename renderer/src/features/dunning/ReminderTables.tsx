import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../api/client';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Badge } from '../../ui/Badge';

export type Plan = MethodOutput<'reminders.preview'>;
export type Sent = MethodOutput<'reminders.list'>;
type Total = Plan['totals'][number];

/** "2", or "3 · final notice": the level as a badge, amber then red for the final notice. */
export function LevelBadge({ level, final }: { level: number; final: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge tone={final ? 'red' : level > 1 ? 'amber' : 'blue'}>
      {final ? `${level} · ${t('dunning.final')}` : String(level)}
    </Badge>
  );
}

/** Totals per level and currency: count, what is due, the fees, what the QR-bills ask. */
export function LevelTotals({ totals, testId }: { totals: readonly Total[]; testId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <ul className="billing-totals" data-testid={testId}>
      {totals.map((x) => (
        <li key={`${x.level}:${x.currency}`} data-level={x.level}>
          {t('dunning.totals', {
            level: x.level,
            count: x.count,
            due: fmt.money(x.dueMinor, x.currency),
            fees: fmt.money(x.feesMinor, x.currency),
            total: fmt.money(x.totalMinor, x.currency),
          })}
        </li>
      ))}
    </ul>
  );
}

/** What a run would record: one row per invoice, its next level. */
export function PlanTable({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="table-card">
      <table className="table" data-testid="dunning-plan">
        <thead>
          <tr>
            <th scope="col">{t('dunning.level')}</th>
            <th scope="col">{t('dunning.invoice')}</th>
            <th scope="col">{t('dunning.payer')}</th>
            <th scope="col">{t('dunning.dueOn')}</th>
            <th scope="col" className="num">
              {t('dunning.daysOverdue')}
            </th>
            <th scope="col" className="num">
              {t('dunning.stillDue')}
            </th>
            <th scope="col" className="num">
              {t('dunning.fees')}
            </th>
            <th scope="col" className="num">
              {t('dunning.toPay')}
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.reminders.map((r) => (
            <tr key={r.id} data-testid="dunning-plan-row" data-level={r.level}>
              <td>
                <LevelBadge level={r.level} final={r.final} />
              </td>
              <td>
                <a href={href({ name: 'invoice', orgId: r.organizationId, invoiceId: r.invoiceId })}>
                  {r.invoiceNumber}
                </a>
              </td>
              <td>{r.payerName}</td>
              <td>{fmt.date(r.invoiceDueOn)}</td>
              <td className="num">{fmt.number(r.daysOverdue)}</td>
              <td className="num">{fmt.money(r.dueMinor, r.currency)}</td>
              <td className="num">{fmt.money(r.feesMinor, r.currency)}</td>
              <td className="num">
                <strong>{fmt.money(r.totalMinor, r.currency)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
