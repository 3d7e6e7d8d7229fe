import { useState } from 'react';
import { Autocomplete, ListBox, ListBoxItem, type Selection } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { useDebounced } from '../../lib/use-debounced';
import { IconCheck } from '../../ui/icons';
import { ListSearch } from '../../ui/ListSearch';
import { Spinner } from '../../ui/Spinner';

export interface PickedProduct {
  id: string;
  name: string;
}

/**
 * Finds products by name (server-side search, 20 at a time: an organization may hold 100 000)
 * and toggles them in or out of a selection. A combobox: the focus stays in the search box,
 * Up/Down move through the matches, Enter toggles the highlighted one.
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
  const picked = rows.filter((p) => isPicked(p.id)).map((p) => p.id);
  // The list reports the whole new selection; the one row whose state flipped is the pick.
  const change = (keys: Selection) => {
    if (keys === 'all') return;
    for (const p of rows) if (keys.has(p.id) !== isPicked(p.id)) onPick({ id: p.id, name: p.name });
  };
  return (
    <div className="picker picker-inline" data-testid={testId}>
      <Autocomplete inputValue={search} onInputChange={setSearch}>
        <ListSearch
          label={label}
          className="menu-search picker-search"
          testId={testId ? `${testId}-search` : undefined}
        >
          {results.isFetching && <Spinner size={12} />}
        </ListSearch>
        <ListBox
          className="picker-list picker-list-short"
          aria-label={label}
          selectionMode="multiple"
          selectedKeys={picked}
          onSelectionChange={change}
          // Escape belongs to the dialog or popover around the picker, never "unpick everything".
          escapeKeyBehavior="none"
          renderEmptyState={() =>
            results.isLoading ? null : <p className="menu-empty">{t('products.picker.none')}</p>
          }
        >
          {rows.map((p) => (
            <ListBoxItem
              key={p.id}
              id={p.id}
              textValue={p.name}
              className="menu-item"
              data-testid={testId ? `${testId}-option` : undefined}
              data-product-name={p.name}
            >
              {({ isSelected }) => (
                <>
                  <span className={`menu-check${isSelected ? ' menu-check-on' : ''}`} aria-hidden="true">
                    {isSelected && <IconCheck size={11} />}
                  </span>
                  <span className="menu-item-label">{p.name}</span>
                  <span className="menu-item-hint">{t(`productKinds.${p.kind}`)}</span>
                </>
              )}
            </ListBoxItem>
          ))}
        </ListBox>
      </Autocomplete>
    </div>
  );
}
