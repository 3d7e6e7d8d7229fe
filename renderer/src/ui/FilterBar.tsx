import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';
import { CodeFilter } from './MultiSelect';
import { SearchInput } from './SearchInput';

/** A list's filters as far as this bar reads them: a search text, some statuses, some kinds. */
interface SearchStatusKind<S extends string, K extends string> {
  search: string;
  statuses: S[];
  kinds: K[];
}

/** A fixed set of codes and how each reads in the person's language. */
interface Codes<C extends string> {
  codes: readonly C[];
  labelOf: (code: C) => string;
}

/**
 * The filter row of a large list (invoices, products): search first, then status and kind,
 * then what the list adds (`before` sits between search and the codes, `after` behind them),
 * and "Clear" last, only when there is something to clear. Written once so both lists keep the
 * same order, the same test ids (`<prefix>-search`, `<prefix>-filter-status|kind|clear`) and
 * the same look.
 */
export function FilterBar<S extends string, K extends string, F extends SearchStatusKind<S, K>>({
  filters,
  onChange,
  testIdPrefix,
  labels,
  statuses,
  kinds,
  before,
  after,
  onClear,
  footer,
}: {
  filters: F;
  onChange: (next: F) => void;
  testIdPrefix: string;
  labels: { search: string; status: string; kind: string; clear: string };
  statuses: Codes<S>;
  kinds: Codes<K>;
  before?: ReactNode;
  after?: ReactNode;
  /** What "Clear" does; absent while no filter is set (the button is then not shown). */
  onClear?: () => void;
  /** Under the row: a filter's error, or the chips of what is chosen. */
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="filters">
      <div className="filters-row">
        <SearchInput
          value={filters.search}
          onValueChange={(search) => onChange({ ...filters, search })}
          label={labels.search}
          clearLabel={t('common.clear')}
          testId={`${testIdPrefix}-search`}
          className="toolbar-search"
        />
        {before}
        <CodeFilter
          label={labels.status}
          codes={statuses.codes}
          labelOf={statuses.labelOf}
          selected={filters.statuses}
          onChange={(picked) => onChange({ ...filters, statuses: picked })}
          testId={`${testIdPrefix}-filter-status`}
        />
        <CodeFilter
          label={labels.kind}
          codes={kinds.codes}
          labelOf={kinds.labelOf}
          selected={filters.kinds}
          onChange={(picked) => onChange({ ...filters, kinds: picked })}
          testId={`${testIdPrefix}-filter-kind`}
        />
        {after}
        {onClear && (
          <Button variant="ghost" size="sm" onClick={onClear} data-testid={`${testIdPrefix}-filter-clear`}>
            {labels.clear}
          </Button>
        )}
      </div>
      {footer}
    </div>
  );
}
