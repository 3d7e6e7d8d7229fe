import type { ProductKind, ProductStatus } from '#common/enums';
import type { ProductSort } from '#common/products.schema';
import { call } from '../../api/client';
import { useKeysetPages } from '../../api/keyset-pages';
import { useApi } from '../../api/queries';

export interface ProductFilters {
  search: string;
  statuses: ProductStatus[];
  kinds: ProductKind[];
  tagIds: string[];
  tagMode: 'any' | 'all';
}

export interface ProductSorting {
  sort: ProductSort;
  direction: 'asc' | 'desc';
}

export const NO_FILTERS: ProductFilters = { search: '', statuses: [], kinds: [], tagIds: [], tagMode: 'any' };

export function hasFilters(f: ProductFilters): boolean {
  return f.search.trim() !== '' || f.statuses.length > 0 || f.kinds.length > 0 || f.tagIds.length > 0;
}

/**
 * Pages of 200 over the keyset cursor, plus the total for the filters (so the virtual list
 * and its scrollbar have their true length before the rows are loaded).
 */
export function useProducts(organizationId: string, filters: ProductFilters, sorting: ProductSorting) {
  const search = filters.search.trim();
  const base = {
    organizationId,
    tagIds: filters.tagIds,
    tagMode: filters.tagMode,
    statuses: filters.statuses,
    kinds: filters.kinds,
    ...(search ? { search } : {}),
  };
  const listInput = { ...base, sort: sorting.sort, direction: sorting.direction };
  const { list, ensureLoaded } = useKeysetPages(['products.list', listInput, 'pages'], (page) =>
    call('products.list', { ...listInput, cursor: page.cursor, limit: page.limit }),
  );
  const count = useApi('products.count', base, { keepPrevious: true });

  return { list, count, ensureLoaded };
}
