import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductStatus } from '#common/enums';
import type { ProductSort } from '#common/products.schema';
import type { ProductRow } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { ROW_HEIGHT, useVirtualRows } from '../../ui/useVirtualRows';
import { Badge, type BadgeTone, TagChip } from '../../ui/Badge';
import { IconArrowDown, IconArrowUp } from '../../ui/icons';
import { rowStyle, SkeletonRow } from '../../ui/VirtualRow';
import type { ProductSorting } from './useProducts';

const MAX_CHIPS = 3;

export const STATUS_TONES: Record<ProductStatus, BadgeTone> = {
  active: 'green',
  expired: 'amber',
  cancelled: 'neutral',
};

interface ProductTableProps {
  rows: ProductRow[];
  total: number;
  hasNextPage: boolean;
  /** Loads pages in order until the row at `index` is loaded. */
  ensureLoaded: (index: number) => void;
  sorting: ProductSorting;
  onSort: (sort: ProductSort) => void;
  selected: ReadonlySet<string>;
  onToggle: (index: number, range: boolean) => void;
  onToggleAll: () => void;
  onOpen: (product: ProductRow) => void;
  /** Changes whenever filters or sorting change: the list scrolls back to the top. */
  resetKey: string;
  today: string;
}

/**
 * The product table: only the rows on screen exist in the DOM (react-virtual), so 100 000
 * products scroll as smoothly as 100. The list has the filtered total's length from the
 * start; pages of 200 load ahead of the visible range, in order, as the keyset cursor requires.
 */
export function ProductTable({
  rows,
  total,
  hasNextPage,
  ensureLoaded,
  sorting,
  onSort,
  selected,
  onToggle,
  onToggleAll,
  onOpen,
  resetKey,
  today,
}: ProductTableProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { scrollRef, virtualizer, items, count } = useVirtualRows({
    loaded: rows.length,
    total,
    hasNextPage,
    ensureLoaded,
    resetKey,
  });

  const allLoadedSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someSelected = selected.size > 0 && !allLoadedSelected;

  const column = (sort: ProductSort, label: string, className = '') => {
    const active = sorting.sort === sort;
    return (
      <div
        className={`pt-cell pt-head-cell ${className}`}
        role="columnheader"
        tabIndex={-1}
        aria-sort={active ? (sorting.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button
          type="button"
          className={`sort-button${active ? ' sort-active' : ''}`}
          onClick={() => onSort(sort)}
          data-testid={`products-sort-${sort}`}
        >
          <span>{label}</span>
          {active ? (
            sorting.direction === 'asc' ? (
              <IconArrowUp size={12} />
            ) : (
              <IconArrowDown size={12} />
            )
          ) : (
            <IconArrowUp size={12} className="sort-ghost" />
          )}
        </button>
      </div>
    );
  };

  return (
    <div
      className="pt-scroll"
      ref={scrollRef}
      role="table"
      aria-label={t('products.tableLabel')}
      aria-rowcount={count + 1}
      data-testid="products-table"
    >
      <div className="pt-inner" style={{ height: virtualizer.getTotalSize() + ROW_HEIGHT }}>
        <div className="pt-row pt-head" role="row" aria-rowindex={1} tabIndex={-1}>
          <div className="pt-cell pt-check" role="columnheader" tabIndex={-1}>
            <input
              type="checkbox"
              className="checkbox"
              checked={allLoadedSelected}
              ref={(el) => {
                if (el) el.indeterminate = someSelected;
              }}
              onChange={onToggleAll}
              aria-label={t('products.selectAllLoaded')}
              data-testid="products-select-all"
            />
          </div>
          {column('name', t('products.columns.name'))}
          {column('kind', t('products.columns.kind'))}
          {column('status', t('products.columns.status'))}
          {column('nextRenewalOn', t('products.columns.nextRenewal'))}
          {column('publicPriceMinor', t('products.columns.price'), 'pt-num')}
          <div className="pt-cell pt-head-cell" role="columnheader" tabIndex={-1}>
            <span className="pt-head-label">{t('products.columns.tags')}</span>
          </div>
        </div>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row)
            return (
              <SkeletonRow
                key={item.key}
                index={item.index}
                start={item.start}
                // The name bars vary in width, as names do.
                cells={[
                  { width: null, className: 'pt-check' },
                  { width: 40 + ((item.index * 37) % 35) },
                  { width: 60 },
                  { width: 50 },
                  { width: 60 },
                  { width: 50, className: 'pt-num' },
                  { width: null },
                ]}
              />
            );
          const isSelected = selected.has(row.id);
          const renewalSoon =
            row.status === 'active' &&
            row.nextRenewalOn >= today &&
            daysBetween(today, row.nextRenewalOn) <= 30;
          const overdue = row.status === 'active' && row.nextRenewalOn < today;
          return (
            <div
              key={row.id}
              className={`pt-row${isSelected ? ' pt-row-selected' : ''}`}
              style={rowStyle(item.start)}
              role="row"
              tabIndex={-1}
              aria-rowindex={item.index + 2}
              aria-selected={isSelected}
              data-testid="product-row"
              data-product-name={row.name}
              data-product-id={row.id}
              onDoubleClick={() => onOpen(row)}
            >
              <div className="pt-cell pt-check" role="cell">
                <input
                  type="checkbox"
                  className="checkbox"
                  checked={isSelected}
                  onChange={(event: ChangeEvent<HTMLInputElement>) => {
                    const native = event.nativeEvent as Event & { shiftKey?: boolean };
                    onToggle(item.index, native.shiftKey === true);
                  }}
                  aria-label={t('products.selectRow', { name: row.name })}
                  data-testid="product-select"
                />
              </div>
              <div className="pt-cell" role="cell">
                <button
                  type="button"
                  className="pt-name"
                  onClick={() => onOpen(row)}
                  data-testid="product-open"
                  title={row.name}
                >
                  {row.name}
                </button>
                {!row.autoRenew && row.status === 'active' && (
                  <span className="pt-flag" title={t('products.manualRenewal')}>
                    {t('products.manualShort')}
                  </span>
                )}
              </div>
              <div className="pt-cell pt-muted" role="cell" title={t(`productKinds.${row.kind}`)}>
                {t(`productKinds.${row.kind}`)}
              </div>
              <div className="pt-cell" role="cell">
                <Badge tone={STATUS_TONES[row.status]}>{t(`statuses.${row.status}`)}</Badge>
              </div>
              <div
                className={`pt-cell${overdue ? ' pt-overdue' : renewalSoon ? ' pt-soon' : ''}`}
                role="cell"
              >
                {fmt.date(row.nextRenewalOn)}
              </div>
              <div className="pt-cell pt-num" role="cell">
                <span className="pt-price">{fmt.money(row.publicPriceMinor, row.currency)}</span>
                <span className="pt-per">{t(`frequencyShort.${row.billingFrequency}`)}</span>
              </div>
              <div className="pt-cell pt-tags" role="cell">
                {row.tags.slice(0, MAX_CHIPS).map((tag) => (
                  <TagChip key={tag.id} name={tag.name} color={tag.color} size="sm" testId="product-tag" />
                ))}
                {row.tags.length > MAX_CHIPS && (
                  <span
                    className="pt-more"
                    title={row.tags
                      .slice(MAX_CHIPS)
                      .map((x) => x.name)
                      .join(', ')}
                  >
                    +{row.tags.length - MAX_CHIPS}
                  </span>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
