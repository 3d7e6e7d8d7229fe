import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import type { InvoiceKind, InvoiceStatus } from '#common/enums';
import { call } from '../../api/client';
import { useApi } from '../../api/queries';
import type { InvoiceFilterInput } from './invoice-ui';

export const PAGE_SIZE = 200;
/** While catching up with a far jump (a scrollbar drag), pages are as large as the API allows. */
const CATCH_UP_PAGE_SIZE = 1000;
const CATCH_UP_DISTANCE = 2 * CATCH_UP_PAGE_SIZE;

interface PageParam {
  cursor: string | null;
  limit: number;
}

export interface InvoiceFilters {
  /** Every organization's invoices, not only the current one's. */
  allOrganizations: boolean;
  organizationIds: string[];
  statuses: InvoiceStatus[];
  kinds: InvoiceKind[];
  from: string;
  to: string;
  search: string;
}

export const NO_FILTERS: Omit<InvoiceFilters, 'allOrganizations'> = {
  organizationIds: [],
  statuses: [],
  kinds: [],
  from: '',
  to: '',
  search: '',
};

export function hasFilters(f: InvoiceFilters): boolean {
  return (
    f.search.trim() !== '' ||
    f.statuses.length > 0 ||
    f.kinds.length > 0 ||
    f.from !== '' ||
    f.to !== '' ||
    (f.allOrganizations && f.organizationIds.length > 0)
  );
}

/** The API's filters for the screen's: one organization, or all (optionally some of them). */
export function apiFilters(orgId: string, f: InvoiceFilters): InvoiceFilterInput {
  const search = f.search.trim();
  return {
    ...(f.allOrganizations ? { organizationIds: f.organizationIds } : { organizationId: orgId }),
    statuses: f.statuses,
    kinds: f.kinds,
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(search ? { search } : {}),
  };
}

/**
 * Keyset pages of 200, newest first, plus the filtered count (from the counts per status,
 * served by a covering index) so the virtual list has its true length from the start.
 */
export function useInvoices(filters: InvoiceFilterInput) {
  const nextLimit = useRef(PAGE_SIZE);
  const list = useInfiniteQuery({
    queryKey: ['invoices.list', filters, 'pages'],
    queryFn: ({ pageParam }) =>
      call('invoices.list', {
        ...filters,
        direction: 'desc',
        cursor: pageParam.cursor,
        limit: pageParam.limit,
      }),
    initialPageParam: { cursor: null, limit: PAGE_SIZE } as PageParam,
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor ? { cursor: last.nextCursor, limit: nextLimit.current } : undefined,
    placeholderData: keepPreviousData,
    // Pages are replaced whole: deep-comparing every loaded page on each new one is quadratic.
    structuralSharing: false,
    refetchOnWindowFocus: false,
  });
  const counts = useApi('invoices.countsByStatus', filters, { keepPrevious: true });
  const count = counts.data?.reduce((sum, row) => sum + row.count, 0);

  // Keyset pages can only be walked in order: one loop fetches until the target row is
  // covered (see useProducts for the measurements behind the larger catch-up pages).
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

  return { list, counts, count, ensureLoaded };
}

function loadedRows(pages: readonly { rows: readonly unknown[] }[] | undefined): number {
  let n = 0;
  for (const page of pages ?? []) n += page.rows.length;
  return n;
}
