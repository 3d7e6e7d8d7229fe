import type { Actor } from '#common/authority/actors';
import { can, type Operation, refusesValue } from '#common/authority/table';
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
      const actor = actorOf(personId, list, organizationId);
      if (!can(actor, table, operation, what.column)) return false;
      return (
        !what.values ||
        operation === 'tombstone' ||
        refusesValue(actor, table, operation, what.values) === null
      );
    },
  };
}
