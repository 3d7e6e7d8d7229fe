// Who acts (SYNC.md "Who may write what"; DOMAIN.md "Membership", "Partnership"). An actor is
// always judged against one organization — the one the row belongs to (its owner, see
// table.ts): the same person is a legal representative of its own organization and a
// limited partner of a client's.

export const ACTORS = [
  'firm_administrator',
  'firm_accountant',
  'legal_representative',
  'administrator',
  'accountant',
  'member',
  'partner_limited',
  'partner_complete_client_pays',
  'partner_complete_partner_pays',
] as const;
export type Actor = (typeof ACTORS)[number];

/** The firm runs the hub and keeps the books: its administrators also hold the price book. */
export const FIRM_ADMIN = ['firm_administrator'] as const satisfies readonly Actor[];
export const FIRM = ['firm_administrator', 'firm_accountant'] as const satisfies readonly Actor[];
export const LEGAL = ['legal_representative'] as const satisfies readonly Actor[];
export const ORG_ADMINS = ['legal_representative', 'administrator'] as const satisfies readonly Actor[];
export const ORG_ACCOUNTING = [
  'legal_representative',
  'administrator',
  'accountant',
] as const satisfies readonly Actor[];
export const ORG_ALL = [...ORG_ACCOUNTING, 'member'] as const satisfies readonly Actor[];
export const PARTNER_COMPLETE = [
  'partner_complete_client_pays',
  'partner_complete_partner_pays',
] as const satisfies readonly Actor[];
export const PARTNERS = ['partner_limited', ...PARTNER_COMPLETE] as const satisfies readonly Actor[];
export const NOBODY = [] as const satisfies readonly Actor[];

export const isFirm = (a: Actor) => a === 'firm_administrator' || a === 'firm_accountant';
export const isPartner = (a: Actor) => a.startsWith('partner_');

/**
 * The class of a person acting on one organization: their own membership role there, or the
 * partnership that gives their organization access to it. Firm staff stay firm staff.
 */
export function actorClass(input: {
  firmRole: 'administrator' | 'accountant' | null;
  role: 'legal_representative' | 'administrator' | 'accountant' | 'member' | null;
  partnership: { access: 'limited' | 'complete'; payment: 'client' | 'partner' | null } | null;
}): Actor | null {
  if (input.firmRole) return input.firmRole === 'administrator' ? 'firm_administrator' : 'firm_accountant';
  if (input.role) return input.role;
  const p = input.partnership;
  if (!p) return null;
  if (p.access === 'limited') return 'partner_limited';
  return p.payment === 'partner' ? 'partner_complete_partner_pays' : 'partner_complete_client_pays';
}
