import type { InvoiceKind, InvoiceStatus } from '#common/enums';
import { call } from '../../api/client';
import { useKeysetPages } from '../../api/keyset-pages';
import { useApi } from '../../api/queries';
import type { InvoiceFilterInput } from './invoice-ui';

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
  const { list, ensureLoaded } = useKeysetPages(['invoices.list', filters, 'pages'], (page) =>
    call('invoices.list', { ...filters, direction: 'desc', cursor: page.cursor, limit: page.limit }),
  );
  const counts = useApi('invoices.countsByStatus', filters, { keepPrevious: true });
  const count = counts.data?.reduce((sum, row) => sum + row.count, 0);
  return { list, counts, count, ensureLoaded };
}
