import { useTranslation } from 'react-i18next';
import type { FrequencyWarning } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Checkbox } from '../../ui/Field';

/**
 * Switching a product to monthly before its paid term ends bills the rest of the term again
 * (the seeds' rule): the form says how many months and from when it is safe, and saves only
 * with the person's explicit consent.
 */
export function RebillingWarning({
  warning,
  confirmed,
  onConfirm,
  error,
}: {
  warning: FrequencyWarning;
  confirmed: boolean;
  onConfirm: (confirmed: boolean) => void;
  error: string | null;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="rebilling" data-testid="product-form-rebilling-warning">
      <Alert tone="warning" title={t('products.form.rebillingTitle')}>
        {t('products.form.rebillingBody', {
          count: warning.remainingMonths,
          safeFrom: fmt.date(warning.safeFrom),
          termEndsOn: fmt.date(warning.termEndsOn),
        })}
      </Alert>
      <Checkbox
        label={t('products.form.rebillingConfirm', { count: warning.remainingMonths })}
        checked={confirmed}
        onChange={(e) => onConfirm(e.target.checked)}
        testId="product-form-confirm-rebilling"
        aria-invalid={error ? true : undefined}
      />
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
