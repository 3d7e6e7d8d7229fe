import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import type { ProductKind, ProductStatus } from '#common/enums';
import type { ProductSort } from '#common/products.schema';
import { call } from '../../api/client';
import { useApi } from '../../api/queries';

export const PAGE_SIZE = 200;
/** While catching up with a far jump (a scrollbar drag), pages are as large as the API allows. */
const CATCH_UP_PAGE_SIZE = 1000;
const CATCH_UP_DISTANCE = 2 * CATCH_UP_PAGE_SIZE;

interface PageParam {
  cursor: string | null;
  limit: number;
}

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
  const nextLimit = useRef(PAGE_SIZE);
  const list = useInfiniteQuery({
    queryKey: ['products.list', listInput, 'pages'],
    queryFn: ({ pageParam }) =>
      call('products.list', { ...listInput, cursor: pageParam.cursor, limit: pageParam.limit }),
    initialPageParam: { cursor: null, limit: PAGE_SIZE } as PageParam,
    // Read when the next page is fetched, so the catch-up loop below can ask for larger pages.
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor ? { cursor: last.nextCursor, limit: nextLimit.current } : undefined,
    placeholderData: keepPreviousData,
    // Deep-comparing every loaded page on each new page made walking 250 pages quadratic
    // (measured: ~145 ms of main-thread work per page at 50 000 rows); pages are replaced whole.
    structuralSharing: false,
    refetchOnWindowFocus: false,
  });
  const count = useApi('products.count', base, { keepPrevious: true });

  // Keyset pages can only be walked in order. When the visible range jumps far ahead (a drag
  // of the scrollbar), one loop fetches page after page until it is covered, instead of one
  // page per render-and-effect round trip (that cost ~70 ms of idle time per page), and asks
  // for pages of 1000 while it is more than two such pages behind.
  const listRef = useRef(list);
  listRef.current = list;
  const target = useRef(0);
  const pumping = useRef(false);
  const ensureLoaded = useCallback((index: number) => {
    target.current = index;
    const current = listRef.current;
    const loadedNow = loadedRows(current.data?.pages);
    if (pumping.current || !current.hasNextPage || index < loadedNow) return;
    pumping.current = true;
    void (async () => {
      try {
        let loaded = loadedNow;
        let more = true;
        while (more && target.current >= loaded) {
          nextLimit.current = target.current - loaded > CATCH_UP_DISTANCE ? CATCH_UP_PAGE_SIZE : PAGE_SIZE;
          const result = await listRef.current.fetchNextPage();
          if (result.isError || !result.data) break;
          loaded = loadedRows(result.data.pages);
          more = result.hasNextPage;
        }
      } finally {
        nextLimit.current = PAGE_SIZE;
        pumping.current = false;
      }
    })();
  }, []);

  return { list, count, ensureLoaded };
}

function loadedRows(pages: readonly { rows: readonly unknown[] }[] | undefined): number {
  let n = 0;
  for (const page of pages ?? []) n += page.rows.length;
  return n;
}
