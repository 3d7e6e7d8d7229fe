import { type Actor, actorClass } from '#common/authority/actors';
import type { Sql, Statement } from '../store/types';
import type { Fields } from './tables';
import { parseJson } from './stored-json';

// Who is pushing, as the hub's own state says (never the device's word): the hub user
// behind the device token, the person it is, that person's live memberships, and the
// active partnerships of its organizations. Loaded once per batch, then kept current with
// the batch's own memberships and partnerships as they are applied.

type Role = 'legal_representative' | 'administrator' | 'accountant' | 'member';
type FirmRole = 'administrator' | 'accountant';

export interface PartnershipState {
  client: string;
  partner: string;
  status: string;
  access: 'limited' | 'complete';
  payment: 'client' | 'partner' | null;
  live: boolean;
}

/** The state a partnerships row's fields describe (null: not a whole partnership yet). */
export function partnershipStateOf(f: Fields): PartnershipState | null {
  return typeof f.client_organization_id === 'string' && typeof f.partner_organization_id === 'string'
    ? {
        client: f.client_organization_id,
        partner: f.partner_organization_id,
        status: String(f.status ?? ''),
        access: f.access === 'complete' ? 'complete' : 'limited',
        payment: f.payment === 'partner' ? 'partner' : f.payment === 'client' ? 'client' : null,
        live: f.deleted_at === null || f.deleted_at === undefined,
      }
    : null;
}

export interface HubActor {
  firmRole: FirmRole | null;
  personId: string | null;
  /** Organizations the user is linked to, and those it created itself. */
  linked: Set<string>;
  created: Set<string>;
  /** organization → role of the person's live membership there. */
  roles: Map<string, Role>;
}

const ROLES = new Set<string>(['legal_representative', 'administrator', 'accountant', 'member']);
const json = (v: unknown): unknown => (typeof v === 'string' ? (parseJson(v) ?? null) : null);

export async function loadActor(sql: Sql, userId: string): Promise<HubActor> {
  // The user and their links in one read (a push loads its actor every time): one row per
  // link, or one row with no link.
  const rows = await sql.all<{
    firm_role: string | null;
    person_id: string | null;
    organization_id: string | null;
    created: number | null;
  }>(
    `SELECT u.firm_role, u.person_id, o.organization_id, o.created
       FROM hub_users u LEFT JOIN hub_user_orgs o ON o.user_id = u.id WHERE u.id = ?`,
    [userId],
  );
  const links = rows.filter((l): l is typeof l & { organization_id: string } => l.organization_id !== null);
  const personId = rows[0]?.person_id ?? null;
  const roles = personId ? await sql.all<RoleRow>(ROLES_OF_PERSON, [personId]) : [];
  return actorOf(rows[0], links, roles);
}

type RoleRow = { org_id: string; value: string | null };
/** The live memberships' roles of the person `person` names (a parameter or a subquery). */
const rolesOf = (person: string) => `SELECT r.org_id, f.value FROM hub_rows r JOIN hub_fields f
    ON f.table_name = r.table_name AND f.row_id = r.row_id AND f.column_name = 'role'
  WHERE r.table_name = 'memberships' AND r.ref_id = ${person} AND r.live = 1`;
const ROLES_OF_PERSON = rolesOf('?');

/**
 * A push's opening (./push-opening.ts, one round trip on PostgreSQL): the user, then the roles
 * of the person it is (none for firm staff: `ref_id = NULL` matches nothing). Its links come
 * with the scope's first reads (server/scope.ts linksAndFirstReads).
 */
export function actorReads(userId: string): Statement[] {
  return [
    { text: 'SELECT firm_role, person_id FROM hub_users WHERE id = ?', params: [userId] },
    {
      text: rolesOf('(SELECT person_id FROM hub_users WHERE id = ?)'),
      params: [userId],
    },
  ];
}

/** The actor from its user row, its links and its person's live memberships' roles. */
export function actorOf(
  user: { firm_role?: unknown; person_id?: unknown } | undefined,
  links: readonly { organization_id: string; created: number | null }[],
  roles: readonly RoleRow[],
): HubActor {
  const firm = user?.firm_role;
  const actor: HubActor = {
    firmRole: firm === 'administrator' || firm === 'accountant' ? firm : null,
    personId: typeof user?.person_id === 'string' ? user.person_id : null,
    linked: new Set(links.map((l) => l.organization_id)),
    created: new Set(links.filter((l) => Number(l.created) === 1).map((l) => l.organization_id)),
    roles: new Map(),
  };
  if (actor.personId) for (const r of roles) setRole(actor, r.org_id, json(r.value));
  return actor;
}

const RANK: Record<Role, number> = { legal_representative: 3, administrator: 2, accountant: 1, member: 0 };

function setRole(actor: HubActor, org: string, role: unknown) {
  if (typeof role !== 'string' || !ROLES.has(role)) return;
  const was = actor.roles.get(org);
  if (!was || RANK[role as Role] > RANK[was]) actor.roles.set(org, role as Role);
}

/** A membership written in this batch (already judged): the person's role follows it. */
export function noteMembership(
  actor: HubActor,
  f: { organization_id?: unknown; person_id?: unknown; role?: unknown; deleted_at?: unknown },
) {
  if (!actor.personId || f.person_id !== actor.personId || typeof f.organization_id !== 'string') return;
  if (f.deleted_at !== null && f.deleted_at !== undefined) actor.roles.delete(f.organization_id);
  else setRole(actor, f.organization_id, f.role);
}

/** The user's role in an organization: its membership, else creator = legal representative, else linked = member. */
export function roleIn(actor: HubActor, org: string): Role | null {
  return (
    actor.roles.get(org) ??
    (actor.created.has(org) ? 'legal_representative' : actor.linked.has(org) ? 'member' : null)
  );
}

/**
 * The actor class on an organization: firm staff; else the person's role there; else a
 * partner of it through an active partnership of one of the user's organizations.
 */
export function classOn(
  actor: HubActor,
  org: string | null,
  partnerships: (client: string) => PartnershipState[],
): Actor | null {
  if (actor.firmRole) return actorClass({ firmRole: actor.firmRole, role: null, partnership: null });
  if (!org) return null;
  const role = roleIn(actor, org);
  if (role) return role;
  const p = partnerships(org).find(
    (x) => x.live && x.status === 'active' && roleIn(actor, x.partner) !== null,
  );
  return p ? actorClass({ firmRole: null, role: null, partnership: p }) : null;
}

/** The partner's side of one partnership: a partner class when the user represents the partner. */
export function partnerSideClass(actor: HubActor, p: PartnershipState): Actor | null {
  if (roleIn(actor, p.partner) !== 'legal_representative') return null;
  return actorClass({ firmRole: null, role: null, partnership: p });
}
