import type { Actor } from '#common/authority/actors';
import { allowedTo, type Operation } from '#common/authority/table';
import type { Role } from '#common/enums';
import { useApi } from '../api/queries';

export interface ActingMembership {
  organizationId: string;
  organizationName: string;
  color: string;
  role: Role;
  external: boolean;
}

export interface Acting {
  isLoading: boolean;
  personId: string | null;
  /** The organizations the acting person belongs to: the ones they may act for. */
  memberships: ActingMembership[];
  /** The organization acted for, only while the acting person is still one of its members. */
  orgId: string | null;
  membership: ActingMembership | null;
  /** Adding or ending partnerships is for legal representatives (DOMAIN.md "Partnership"). */
  isLegal: boolean;
  /**
   * Whether the person at the screen may do this to a row of `organizationId`'s, by the
   * authority table the hub and the device's services apply (common/authority): the screen
   * hides what would be refused. No acting person is the book's keeper (the firm).
   */
  may(
    table: string,
    operation: Operation,
    organizationId: string | null,
    what?: { column?: string; values?: Record<string, unknown> },
  ): boolean;
}

/** The acting person's class on an organization, from their memberships (partners are refused money and prices alike). */
export function actorOf(
  personId: string | null,
  memberships: ActingMembership[],
  organizationId: string | null,
): Actor | null {
  if (!personId) return 'firm_administrator';
  return memberships.find((m) => m.organizationId === organizationId)?.role ?? null;
}

/** Who is at the screen and for which organization (settings.actingPersonId / actingOrganizationId). */
export function useActing(): Acting {
  const settings = useApi('settings.get', {});
  const personId = settings.data?.actingPersonId ?? null;
  const memberships = useApi(
    'people.memberships',
    { personId: personId ?? '' },
    { enabled: personId !== null },
  );
  const list = personId ? (memberships.data ?? []) : [];
  const stored = settings.data?.actingOrganizationId ?? null;
  const membership = list.find((m) => m.organizationId === stored) ?? null;
  return {
    isLoading: settings.isLoading || (personId !== null && memberships.isLoading),
    personId,
    memberships: list,
    orgId: membership?.organizationId ?? null,
    membership,
    isLegal: membership?.role === 'legal_representative',
    may(table, operation, organizationId, what = {}) {
      return allowedTo(actorOf(personId, list, organizationId), table, operation, what);
    },
  };
}

/**
 * The one helper every page asks before it shows an action: whether the person at the screen
 * may do this to rows of this organization, by the authority table the device's write path
 * and the hub apply (common/authority), with the person's class as the device judges it
 * (its role, a partner's access, the creator of a new organization). Nothing is shown while
 * that class is loading. No acting person is the book's keeper (the firm).
 */
export function useMay(organizationId: string | null | undefined) {
  const on = useApi(
    'settings.actingClass',
    { organizationId: organizationId ?? null },
    { enabled: organizationId !== undefined },
  );
  const actor = on.data?.actor ?? null;
  const known = on.data !== undefined;
  return (
    table: string,
    operation: Operation,
    what: { column?: string; values?: Record<string, unknown> } = {},
  ) => known && allowedTo(actor, table, operation, what);
}
