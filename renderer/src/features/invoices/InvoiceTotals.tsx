import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { Spinner } from '../../ui/Spinner';
import type { InvoiceTotalsRow } from './invoice-ui';

/** Totals of the filtered set, one block per currency: amounts in two currencies never add up. */
export function InvoiceTotals({ rows, loading }: { rows: InvoiceTotalsRow[] | undefined; loading: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section className="inv-totals" aria-label={t('invoices.totals.label')} data-testid="invoices-totals">
      {rows === undefined ? (
        <span className="muted inv-totals-empty">{loading ? <Spinner size={14} /> : null}</span>
      ) : rows.length === 0 ? (
        <span className="muted inv-totals-empty">{t('invoices.totals.none')}</span>
      ) : (
        rows.map((row) => (
          <div
            className="inv-total"
            key={row.currency}
            data-testid="invoices-total"
            data-currency={row.currency}
          >
            <p className="inv-total-head">
              <span className="inv-total-currency">{row.currency}</span>
              <span className="muted">
                {t('invoices.totals.count', { count: row.count, formatted: fmt.number(row.count) })}
              </span>
            </p>
            <dl className="inv-total-figures">
              <div>
                <dt>{t('invoices.totals.gross')}</dt>
                <dd className="inv-total-main" data-testid="invoices-total-gross">
                  {fmt.money(row.grossMinor, row.currency)}
                </dd>
              </div>
              <div>
                <dt>{t('invoices.totals.net')}</dt>
                <dd>{fmt.money(row.netMinor, row.currency)}</dd>
              </div>
              <div>
                <dt>{t('invoices.totals.vat')}</dt>
                <dd>{fmt.money(row.vatMinor, row.currency)}</dd>
              </div>
              <div>
                <dt>{t('invoices.totals.paid')}</dt>
                <dd>{fmt.money(row.paidMinor, row.currency)}</dd>
              </div>
            </dl>
          </div>
        ))
      )}
    </section>
  );
}
