import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { useDebounced } from '../../lib/use-debounced';
import { IconCheck, IconSearch } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';

export interface PickedProduct {
  id: string;
  name: string;
}

/**
 * Finds products by name (server-side search, 20 at a time: an organization may hold 100 000)
 * and toggles them in or out of a selection.
 */
export function ProductPicker({
  orgId,
  isPicked,
  onPick,
  testId,
  label,
}: {
  orgId: string;
  isPicked: (id: string) => boolean;
  onPick: (product: PickedProduct) => void;
  testId?: string;
  label: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 200);
  const results = useApi(
    'products.list',
    { organizationId: orgId, limit: 20, ...(q ? { search: q } : {}) },
    { keepPrevious: true },
  );
  const rows = results.data?.rows ?? [];
  return (
    <div className="picker picker-inline" data-testid={testId}>
      <div className="menu-search picker-search">
        <IconSearch size={14} />
        <input
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={label}
          aria-label={label}
          data-testid={testId ? `${testId}-search` : undefined}
          onKeyDown={(e) => {
            // Enter picks the first match instead of submitting the surrounding form.
            if (e.key === 'Enter') {
              e.preventDefault();
              const first = rows[0];
              if (first) onPick({ id: first.id, name: first.name });
            }
          }}
        />
        {results.isFetching && <Spinner size={12} />}
      </div>
      <div
        className="picker-list picker-list-short"
        role="listbox"
        aria-label={label}
        aria-multiselectable="true"
      >
        {rows.length === 0 && !results.isLoading && <p className="menu-empty">{t('products.picker.none')}</p>}
        {rows.map((p) => {
          const on = isPicked(p.id);
          return (
            <button
              key={p.id}
              type="button"
              role="option"
              aria-selected={on}
              className="menu-item"
              onClick={() => onPick({ id: p.id, name: p.name })}
              data-testid={testId ? `${testId}-option` : undefined}
              data-product-name={p.name}
            >
              <span className={`menu-check${on ? ' menu-check-on' : ''}`} aria-hidden="true">
                {on && <IconCheck size={11} />}
              </span>
              <span className="menu-item-label">{p.name}</span>
              <span className="menu-item-hint">{t(`productKinds.${p.kind}`)}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
