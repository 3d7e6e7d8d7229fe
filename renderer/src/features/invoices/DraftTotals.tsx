import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { useFormat } from '../../i18n/format';
import { formatRate } from './invoice-ui';
import type { totalsOf } from './line-state';

/** The draft's live net, VAT per rate and gross under its lines, as the API will compute them. */
export function DraftTotals({
  totals,
  currency,
}: {
  totals: ReturnType<typeof totalsOf>;
  currency: Currency;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <dl className="inv-sum" data-testid="invoice-editor-totals">
      <div>
        <dt>{t('invoiceView.net')}</dt>
        <dd data-testid="invoice-total-net">{fmt.money(totals.netMinor, currency)}</dd>
      </div>
      {totals.vatSummary.map((v) => (
        <div key={v.vatRateBp}>
          <dt>
            {t('invoiceView.vatAt', {
              rate: formatRate(v.vatRateBp, fmt.locale),
              base: fmt.money(v.netMinor, currency),
            })}
          </dt>
          <dd>{fmt.money(v.vatMinor, currency)}</dd>
        </div>
      ))}
      <div className="inv-sum-total">
        <dt>{t('invoiceView.gross')}</dt>
        <dd data-testid="invoice-total-gross">{fmt.money(totals.grossMinor, currency)}</dd>
      </div>
    </dl>
  );
}
