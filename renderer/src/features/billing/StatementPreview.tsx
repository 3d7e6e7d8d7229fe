import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { useFormat } from '../../i18n/format';
import { Badge, type BadgeTone } from '../../ui/Badge';
import { DataTable } from '../../ui/DataTable';
import { Card } from '../../ui/Layout';
import type { StatementImport } from './StatementsPage';
import { useShown } from './use-shown';

type Entry = StatementImport['entries'][number];

const TONE: Record<Entry['outcome']['kind'], BadgeTone> = {
  exact: 'green',
  partial: 'blue',
  deposit: 'violet',
  unmatched: 'amber',
  duplicate: 'neutral',
};

/** Every credit of the file with what it would become and why: nothing is written yet. */
export function StatementPreview({ preview, actions }: { preview: StatementImport; actions: ReactNode }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const entries = useShown(preview.entries);
  const money = (minor: number, currency: string) =>
    currency === 'CHF' || currency === 'EUR'
      ? fmt.money(minor, currency as Currency)
      : `${(minor / 100).toFixed(2)} ${currency}`;
  return (
    <Card title={t('billing.statements.previewTitle')} actions={actions}>
      <p data-testid="statement-counts">{t('billing.statements.counts', preview.counts)}</p>
      {preview.skipped > 0 && (
        <p className="muted">{t('billing.statements.skipped', { count: preview.skipped })}</p>
      )}
      <DataTable
        testId="statement-preview"
        columns={[
          { label: t('billing.statements.valueOn') },
          { label: t('billing.statements.debtor') },
          { label: t('billing.statements.reference') },
          { label: t('billing.statements.amount'), num: true },
          { label: t('billing.statements.proposal') },
        ]}
      >
        {entries.rows.map((e) => (
          <tr key={e.key} data-testid="statement-entry" data-outcome={e.outcome.kind}>
            <td>{fmt.date(e.valueOn)}</td>
            <td>{e.debtorName ?? <span className="muted">–</span>}</td>
            <td className="muted">{e.reference ?? e.text ?? e.entryRef}</td>
            <td className="num">{money(e.amountMinor, e.currency)}</td>
            <td>
              <Outcome entry={e} money={money} />
            </td>
          </tr>
        ))}
      </DataTable>
      {entries.more}
    </Card>
  );
}

function Outcome({ entry: e, money }: { entry: Entry; money: (minor: number, currency: string) => string }) {
  const { t } = useTranslation();
  const o = e.outcome;
  const number = 'invoiceNumber' in o ? (o.invoiceNumber ?? '') : '';
  const due = o.kind === 'exact' || o.kind === 'partial' ? money(o.dueMinor, e.currency) : '';
  return (
    <div className="billing-outcome">
      <Badge tone={TONE[o.kind]}>{t(`billing.statements.outcomes.${o.kind}`, { number, due })}</Badge>
      {(o.kind === 'deposit' || o.kind === 'unmatched') && (
        <span className="muted">{t(`billing.statements.reasons.${o.reason}`)}</span>
      )}
      {e.matchedBy && <span className="muted">{t(`billing.statements.matchedBy.${e.matchedBy}`)}</span>}
    </div>
  );
}
