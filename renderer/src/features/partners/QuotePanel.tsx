import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRODUCT_KINDS, type ProductKind } from '#common/enums';
import { useApi } from '../../api/queries';
import { useDebounced } from '../../lib/use-debounced';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { SelectField, TextField } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import { Spinner } from '../../ui/Spinner';
import { formatRate } from '../invoices/invoice-ui';
import type { Access, Payment } from './partner-ui';

type Case = 'partner_partner' | 'partner_client' | 'client' | 'limited';

/** Who orders, whose payment methods pay, which access: the four situations of the seeds. */
const CASES: Record<Case, { access: Access; payment: Payment; orderedBy: 'partner' | 'client' }> = {
  partner_partner: { access: 'complete', payment: 'partner', orderedBy: 'partner' },
  partner_client: { access: 'complete', payment: 'client', orderedBy: 'partner' },
  client: { access: 'complete', payment: 'client', orderedBy: 'client' },
  limited: { access: 'limited', payment: 'client', orderedBy: 'client' },
};

/** A price quote from the price book: public price, discount, degressive rate, paid, cashback. */
export function QuotePanel({ partnerOrganizationId }: { partnerOrganizationId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [kind, setKind] = useState<ProductKind>('web_hosting');
  const [quantityText, setQuantityText] = useState('1');
  const [situation, setSituation] = useState<Case>('partner_partner');
  const quantity = useDebounced(quantityText, 250);
  const n = Number.parseInt(quantity, 10);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1_000_000;
  const quote = useApi(
    'partners.quote',
    { partnerOrganizationId, productKind: kind, quantity: valid ? n : 1, ...CASES[situation] },
    { enabled: valid, keepPrevious: true },
  );
  const q = quote.data;

  return (
    <Card title={t('partners.quote.title')}>
      <div className="partner-quote-form">
        <SelectField
          label={t('partners.quote.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as ProductKind)}
          options={PRODUCT_KINDS.map((k) => ({ value: k, label: t(`productKinds.${k}`) }))}
          testId="partner-quote-kind"
        />
        <TextField
          label={t('partners.quote.quantity')}
          inputMode="numeric"
          value={quantityText}
          onChange={(e) => setQuantityText(e.target.value)}
          error={valid || quantity !== quantityText ? undefined : t('partners.quote.quantityInvalid')}
          testId="partner-quote-quantity"
        />
        <SelectField
          label={t('partners.quote.situation')}
          value={situation}
          onChange={(e) => setSituation(e.target.value as Case)}
          options={(Object.keys(CASES) as Case[]).map((c) => ({
            value: c,
            label: t(`partners.quote.cases.${c}`),
          }))}
          testId="partner-quote-case"
        />
      </div>
      {quote.isError ? (
        <Alert tone="error" testId="partner-quote-error">
          {quote.error.message}
        </Alert>
      ) : q ? (
        <dl className="details partner-quote" data-testid="partner-quote">
          <div className="details-row">
            <dt>{t('partners.quote.public')}</dt>
            <dd className="num-inline">
              {fmt.money(q.total.publicMinor, q.currency)}{' '}
              <span className="muted">
                ({fmt.number(q.quantity)} × {fmt.money(q.unit.publicMinor, q.currency)})
              </span>
            </dd>
          </div>
          {/* A reduction that does not apply in this situation is not listed at −0.00. */}
          {q.total.discountMinor > 0 && (
            <div className="details-row" data-testid="partner-quote-discount">
              <dt>{t('partners.quote.discount', { rate: formatRate(q.discountBp, fmt.locale) })}</dt>
              <dd>−{fmt.money(q.total.discountMinor, q.currency)}</dd>
            </div>
          )}
          {q.total.degressiveMinor > 0 && (
            <div className="details-row" data-testid="partner-quote-degressive">
              <dt>{t('partners.quote.degressive', { rate: formatRate(q.degressiveBp, fmt.locale) })}</dt>
              <dd>−{fmt.money(q.total.degressiveMinor, q.currency)}</dd>
            </div>
          )}
          <div className="details-row partner-quote-strong">
            <dt>{t('partners.quote.paid')}</dt>
            <dd data-testid="partner-quote-paid">{fmt.money(q.total.paidMinor, q.currency)}</dd>
          </div>
          <div className="details-row partner-quote-strong">
            <dt>{t('partners.quote.cashback')}</dt>
            <dd data-testid="partner-quote-cashback">{fmt.money(q.total.cashbackMinor, q.currency)}</dd>
          </div>
          <p className="field-hint">
            {t(`partners.quote.explain.${q.case}`)} {quote.isFetching && <Spinner size={12} />}
          </p>
        </dl>
      ) : null}
    </Card>
  );
}
