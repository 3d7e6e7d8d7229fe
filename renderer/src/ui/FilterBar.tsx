import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';
import { SearchInput } from './SearchInput';

/**
 * The filters under a list page's title (invoices, products, managed clients): the search
 * first, then the page's own filters, and "Clear" while any is set; what the filters need to
 * say under the row (chosen tags, a period the wrong way round) follows it.
 */
export function FilterBar({
  search,
  clear,
  children,
  below,
}: {
  search: { value: string; onChange: (value: string) => void; label: string; testId: string };
  clear?: { label: string; onPress: () => void; testId: string } | false;
  children: ReactNode;
  below?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="filters">
      <div className="filters-row">
        <SearchInput
          value={search.value}
          onValueChange={search.onChange}
          label={search.label}
          clearLabel={t('common.clear')}
          testId={search.testId}
          className="toolbar-search"
        />
        {children}
        {clear && (
          <Button variant="ghost" size="sm" onClick={clear.onPress} data-testid={clear.testId}>
            {clear.label}
          </Button>
        )}
      </div>
      {below}
    </div>
  );
}
