import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';

const PAGE = 100;

/**
 * A long list shown a hundred rows at a time: a month's run over a large book plans thousands of
 * invoices, a bank's statement can hold ten thousand credits; the page stays quick and the
 * totals above still count them all.
 */
export function useShown<T>(rows: readonly T[]) {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(PAGE);
  const rest = rows.length - limit;
  return {
    rows: rows.slice(0, limit),
    more:
      rest > 0 ? (
        <div className="billing-more">
          <Button size="sm" onClick={() => setLimit(limit + PAGE)} data-testid="billing-show-more">
            {t('billing.showMore', { count: Math.min(PAGE, rest), rest })}
          </Button>
        </div>
      ) : null,
  };
}
