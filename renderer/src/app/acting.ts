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
  };
}
