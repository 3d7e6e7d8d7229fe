import { useTranslation } from 'react-i18next';
import { PRODUCT_KINDS, PRODUCT_STATUSES } from '#common/enums';
import type { TagWithCount } from '../../api/types';
import { TagChip } from '../../ui/Badge';
import { IconTag } from '../../ui/icons';
import { CodeFilter, MultiSelect } from '../../ui/MultiSelect';
import { FilterBar } from '../../ui/FilterBar';
import { hasFilters, NO_FILTERS, type ProductFilters as Filters } from './useProducts';

export function ProductFilters({
  filters,
  onChange,
  tags,
}: {
  filters: Filters;
  onChange: (next: Filters) => void;
  tags: TagWithCount[];
}) {
  const { t } = useTranslation();
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange({ ...filters, [key]: value });
  const tagById = new Map(tags.map((tag) => [tag.id, tag]));
  const modeToggle = (
    <fieldset className="segmented segmented-sm" data-testid="products-filter-tag-mode">
      <legend className="visually-hidden">{t('products.filters.tagMode')}</legend>
      {(['any', 'all'] as const).map((mode) => (
        <label key={mode} className={`segment${filters.tagMode === mode ? ' segment-on' : ''}`}>
          <input
            type="radio"
            name="tag-mode"
            value={mode}
            checked={filters.tagMode === mode}
            onChange={() => set('tagMode', mode)}
            data-testid={`products-filter-tag-mode-${mode}`}
          />
          {mode === 'any' ? t('products.filters.any') : t('products.filters.all')}
        </label>
      ))}
    </fieldset>
  );

  const chips = filters.tagIds.length > 0 && (
    <div className="filters-chips" data-testid="products-filter-chips">
      <span className="filters-chips-label">{t('products.filters.taggedWith')}</span>
      {filters.tagIds.map((id, i) => {
        const tag = tagById.get(id);
        return (
          <span key={id} className="filters-chip-wrap">
            {i > 0 && (
              <span className="filters-joiner">
                {filters.tagMode === 'any' ? t('products.filters.or') : t('products.filters.and')}
              </span>
            )}
            <TagChip
              name={tag?.name ?? '…'}
              color={tag?.color ?? '#888888'}
              onRemove={() =>
                set(
                  'tagIds',
                  filters.tagIds.filter((x) => x !== id),
                )
              }
              removeLabel={t('products.filters.removeTag', { name: tag?.name ?? '' })}
              testId="products-filter-chip"
            />
          </span>
        );
      })}
      {filters.tagIds.length > 1 && modeToggle}
    </div>
  );

  return (
    <FilterBar
      search={{
        value: filters.search,
        onChange: (v) => set('search', v),
        label: t('products.filters.search'),
        testId: 'products-search',
      }}
      clear={
        hasFilters(filters) && {
          label: t('products.filters.clear'),
          onPress: () => onChange(NO_FILTERS),
          testId: 'products-filter-clear',
        }
      }
      below={chips}
    >
      <MultiSelect
        label={t('products.filters.tags')}
        icon={<IconTag size={14} />}
        options={tags.map((tag) => ({
          value: tag.id,
          label: tag.name,
          color: tag.color,
          hint: String(tag.productCount),
          testId: `products-filter-tag-option-${tag.name}`,
        }))}
        selected={filters.tagIds}
        onChange={(v) => set('tagIds', v)}
        testId="products-filter-tag"
        searchLabel={t('products.filters.findTag')}
        emptyLabel={t('products.filters.noTags')}
        header={<div className="menu-header">{modeToggle}</div>}
      />
      <CodeFilter
        label={t('products.filters.status')}
        codes={PRODUCT_STATUSES}
        labelOf={(s) => t(`statuses.${s}`)}
        selected={filters.statuses}
        onChange={(v) => set('statuses', v)}
        testId="products-filter-status"
      />
      <CodeFilter
        label={t('products.filters.kind')}
        codes={PRODUCT_KINDS}
        labelOf={(k) => t(`productKinds.${k}`)}
        selected={filters.kinds}
        onChange={(v) => set('kinds', v)}
        testId="products-filter-kind"
      />
    </FilterBar>
  );
}
