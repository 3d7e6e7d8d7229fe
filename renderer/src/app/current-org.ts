import { useEffect } from 'react';
import { useApi } from '../api/queries';
import type { OrganizationSummary } from '../api/types';
import { routeOrgId, useRoute } from './router';

const KEY = 'kontor.organization';

export interface CurrentOrg {
  orgs: OrganizationSummary[] | undefined;
  org: OrganizationSummary | undefined;
  orgId: string | null;
  isLoading: boolean;
}

/** Remembers `orgId` as the organization to open when the address names none. */
export function rememberOrg(orgId: string): void {
  localStorage.setItem(KEY, orgId);
}

/**
 * The organization being worked on: the one in the address when there is one, else the
 * last one opened (remembered across restarts), else the first.
 */
export function useCurrentOrg(): CurrentOrg {
  const route = useRoute();
  const list = useApi('organizations.list', {});
  const orgs = list.data;
  const fromRoute = routeOrgId(route);
  const remembered = localStorage.getItem(KEY);
  const orgId =
    fromRoute ?? (orgs?.some((o) => o.id === remembered) ? remembered : null) ?? orgs?.[0]?.id ?? null;

  useEffect(() => {
    if (fromRoute) localStorage.setItem(KEY, fromRoute);
  }, [fromRoute]);

  return { orgs, org: orgs?.find((o) => o.id === orgId), orgId, isLoading: list.isLoading };
}
