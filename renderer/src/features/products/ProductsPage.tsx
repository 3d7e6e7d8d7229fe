import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMay } from '../../app/acting';
import { useTranslation } from 'react-i18next';
import type { ProductSort } from '#common/products.schema';
import { useApi } from '../../api/queries';
import type { ProductRow } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { useDebounced } from '../../lib/use-debounced';
import { Button } from '../../ui/Button';
import { IconBox, IconPlus } from '../../ui/icons';
import { ListEmpty, PageHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { Spinner } from '../../ui/Spinner';
import { BulkBar } from './BulkBar';
import { BulkTagDialog } from './BulkTagDialog';
import { ProductFilters } from './ProductFilters';
import { useLinkedProduct } from './linked-product';
import { ProductForm } from './ProductForm';
import { ProductTable } from './ProductTable';
import {
  hasFilters,
  NO_FILTERS,
  type ProductFilters as Filters,
  type ProductSorting,
  useProducts,
} from './useProducts';

export function ProductsPage({
  orgId,
  initialTagIds,
  productId,
}: {
  orgId: string;
  initialTagIds: string[];
  /** A product to open over the list (a link from the activity). */
  productId?: string;
}) {
  const may = useMay(orgId);
  const { t } = useTranslation();
  const fmt = useFormat();
  const org = useApi('organizations.get', { id: orgId });
  const tags = useApi('tags.list', { organizationId: orgId });
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, tagIds: initialTagIds });
  const [sorting, setSorting] = useState<ProductSorting>({ sort: 'name', direction: 'asc' });
  const search = useDebounced(filters.search, 250);
  const effective = useMemo(() => ({ ...filters, search }), [filters, search]);
  const { list, count, ensureLoaded } = useProducts(orgId, effective, sorting);

  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [editing, setEditing] = useState<ProductRow | 'new' | null>(null);
  useLinkedProduct(productId, setEditing);
  const [bulk, setBulk] = useState<'add' | 'remove' | null>(null);

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.rows) ?? [], [list.data]);
  const total = count.data?.count ?? rows.length;
  const queryKey = JSON.stringify([effective, sorting]);

  // A new query is a new list: a selection made in the previous one would act on rows no longer shown.
  useEffect(() => {
    setSelected(new Set());
    setAnchor(null);
  }, [queryKey]);

  // Tags deleted elsewhere leave the filter.
  useEffect(() => {
    if (!tags.data) return;
    const known = new Set(tags.data.map((tag) => tag.id));
    setFilters((f) =>
      f.tagIds.every((id) => known.has(id)) ? f : { ...f, tagIds: f.tagIds.filter((id) => known.has(id)) },
    );
  }, [tags.data]);

  const onSort = (sort: ProductSort) =>
    setSorting((s) =>
      s.sort === sort
        ? { sort, direction: s.direction === 'asc' ? 'desc' : 'asc' }
        : { sort, direction: 'asc' },
    );

  const onToggle = useCallback(
    (index: number, range: boolean) => {
      const row = rows[index];
      if (!row) return;
      setSelected((current) => {
        const next = new Set(current);
        if (range && anchor !== null) {
          // Shift-click selects the whole range from the last clicked row, as in a file manager.
          const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
          for (let i = from; i <= to; i++) {
            const r = rows[i];
            if (r) next.add(r.id);
          }
        } else if (next.has(row.id)) next.delete(row.id);
        else next.add(row.id);
        return next;
      });
      setAnchor(index);
    },
    [rows, anchor],
  );

  const onToggleAll = () => {
    setSelected((current) =>
      rows.length > 0 && rows.every((r) => current.has(r.id)) ? new Set() : new Set(rows.map((r) => r.id)),
    );
  };

  // Escape clears the selection when nothing else (a dialog, a menu) wants it.
  useEffect(() => {
    if (selected.size === 0) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]'))
        setSelected(new Set());
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selected.size]);

  const currency = org.data?.currency ?? 'CHF';
  const today = new Date().toISOString().slice(0, 10);
  const filtered = hasFilters(effective);
  const showEmpty = !list.isLoading && !list.isPlaceholderData && rows.length === 0;

  return (
    <div className="page page-fill">
      <PageHeader
        title={t('products.title')}
        subtitle={
          <span data-testid="products-count">
            {count.data
              ? filtered
                ? t('products.countFiltered', { count: total, formatted: fmt.number(total) })
                : t('products.count', { count: total, formatted: fmt.number(total) })
              : '\u00a0'}
            {(list.isFetching || count.isFetching) && !list.isLoading && <Spinner size={12} />}
          </span>
        }
        actions={
          may('products', 'insert') && (
            <Button
              variant="primary"
              icon={<IconPlus />}
              onClick={() => setEditing('new')}
              data-testid="product-create"
            >
              {t('products.create')}
            </Button>
          )
        }
      >
        <ProductFilters filters={filters} onChange={setFilters} tags={tags.data ?? []} />
      </PageHeader>
      <div className="page-body page-body-fill">
        <QueryState
          query={list}
          isEmpty={() => showEmpty}
          empty={
            <ListEmpty
              filtered={filtered}
              icon={<IconBox size={22} />}
              noMatch={{
                title: t('products.noMatchTitle'),
                body: t('products.noMatchBody'),
                clear: <Button onClick={() => setFilters(NO_FILTERS)}>{t('products.filters.clear')}</Button>,
              }}
              empty={{
                title: t('products.emptyTitle'),
                body: t('products.emptyBody'),
                action: (
                  <Button variant="primary" icon={<IconPlus />} onClick={() => setEditing('new')}>
                    {t('products.create')}
                  </Button>
                ),
              }}
              testId="products-empty"
            />
          }
        >
          {() => (
            <div className="table-card table-card-fill">
              <ProductTable
                rows={rows}
                total={total}
                hasNextPage={list.hasNextPage}
                ensureLoaded={ensureLoaded}
                sorting={sorting}
                onSort={onSort}
                selected={selected}
                onToggle={onToggle}
                onToggleAll={onToggleAll}
                onOpen={(p) => setEditing(p)}
                resetKey={queryKey}
                today={today}
              />
            </div>
          )}
        </QueryState>
      </div>
      {selected.size > 0 && (
        <BulkBar
          count={selected.size}
          onAddTag={() => setBulk('add')}
          onRemoveTag={() => setBulk('remove')}
          onClear={() => setSelected(new Set())}
        />
      )}
      <BulkTagDialog
        mode={bulk}
        orgId={orgId}
        tags={tags.data ?? []}
        productIds={[...selected]}
        onClose={() => setBulk(null)}
      />
      <ProductForm
        open={editing !== null}
        orgId={orgId}
        currency={currency}
        product={editing === 'new' ? null : editing}
        tags={tags.data ?? []}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
