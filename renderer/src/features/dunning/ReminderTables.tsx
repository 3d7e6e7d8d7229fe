import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../api/client';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Badge } from '../../ui/Badge';
import { DataTable } from '../../ui/DataTable';

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

/**
 * The three cells every reminder row opens with (level, invoice link, payer), the same in the
 * plan and in the sent list so both read alike.
 */
export function ReminderLeadCells({
  reminder: r,
}: {
  reminder: Pick<
    Plan['reminders'][number],
    'level' | 'final' | 'organizationId' | 'invoiceId' | 'invoiceNumber' | 'payerName'
  >;
}) {
  return (
    <>
      <td>
        <LevelBadge level={r.level} final={r.final} />
      </td>
      <td>
        <a href={href({ name: 'invoice', orgId: r.organizationId, invoiceId: r.invoiceId })}>
          {r.invoiceNumber}
        </a>
      </td>
      <td>{r.payerName}</td>
    </>
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
    <DataTable
      testId="dunning-plan"
      columns={[
        { label: t('dunning.level') },
        { label: t('dunning.invoice') },
        { label: t('dunning.payer') },
        { label: t('dunning.dueOn') },
        { label: t('dunning.daysOverdue'), num: true },
        { label: t('dunning.stillDue'), num: true },
        { label: t('dunning.fees'), num: true },
        { label: t('dunning.toPay'), num: true },
      ]}
    >
      {plan.reminders.map((r) => (
        <tr key={r.id} data-testid="dunning-plan-row" data-level={r.level}>
          <ReminderLeadCells reminder={r} />
          <td>{fmt.date(r.invoiceDueOn)}</td>
          <td className="num">{fmt.number(r.daysOverdue)}</td>
          <td className="num">{fmt.money(r.dueMinor, r.currency)}</td>
          <td className="num">{fmt.money(r.feesMinor, r.currency)}</td>
          <td className="num">
            <strong>{fmt.money(r.totalMinor, r.currency)}</strong>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
