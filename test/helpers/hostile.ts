import crypto from 'node:crypto';
import type { WireChange } from '#common/sync/protocol';
import type { HubStore } from '#server/store/types';
import { adminApi, TestDevice } from './hub';
import {
  allocation,
  defaultAddress,
  draftInvoice,
  issue,
  ledger,
  organization,
  partnership,
  product,
  stamp,
} from './hub-fixtures';

// A book with every kind of actor the authority table names, built through the real hub by
// the firm's own device, and hostile devices enrolled with real codes as each of them. The
// adversarial suite pushes hand-made changes from those devices.

export const ORGS = {
  firm: 'org-firm',
  c1: 'org-c1',
  c2: 'org-c2',
  c3: 'org-c3',
  other: 'org-other',
  pl: 'org-pl',
  pq: 'org-pq',
  pr: 'org-pr',
} as const;

export type ActorName =
  | 'firmAccountant'
  | 'clientLegal'
  | 'clientAccountant'
  | 'clientMember'
  | 'partnerLimited'
  | 'partnerCompleteClientPays'
  | 'partnerCompletePartnerPays';

/** Each hostile actor: the person it is, the organizations it is linked to, its roles (test's own reading of DOMAIN.md). */
export const ACTORS: Record<
  ActorName,
  { person: string | null; links: string[]; roles: Record<string, string> }
> = {
  firmAccountant: { person: null, links: Object.values(ORGS), roles: {} },
  clientLegal: { person: 'p-c1-lr', links: [ORGS.c1], roles: { [ORGS.c1]: 'legal_representative' } },
  clientAccountant: { person: 'p-c1-acc', links: [ORGS.c1], roles: { [ORGS.c1]: 'accountant' } },
  clientMember: { person: 'p-c1-mem', links: [ORGS.c1], roles: { [ORGS.c1]: 'member' } },
  partnerLimited: {
    person: 'p-pl',
    links: [ORGS.pl],
    roles: { [ORGS.pl]: 'legal_representative', [ORGS.c1]: 'partner_limited' },
  },
  partnerCompleteClientPays: {
    person: 'p-pq',
    links: [ORGS.pq],
    roles: { [ORGS.pq]: 'legal_representative', [ORGS.c2]: 'partner_complete_client_pays' },
  },
  partnerCompletePartnerPays: {
    person: 'p-pr',
    links: [ORGS.pr],
    roles: { [ORGS.pr]: 'legal_representative', [ORGS.c3]: 'partner_complete_partner_pays' },
  },
};

function person(d: TestDevice, id: string): WireChange[] {
  return d.row('people', id, { ...stamp, name: id, email: `${id}@example.test`, avatar: null });
}
function membership(d: TestDevice, org: string, personId: string, role: string): WireChange[] {
  return d.row('memberships', `m-${org}-${personId}`, {
    ...stamp,
    organization_id: org,
    person_id: personId,
    role,
    external: false,
  });
}

export interface Book {
  firm: TestDevice;
  devices: Record<ActorName, TestDevice>;
  /** The firm's issued invoice to client 1, and its draft. */
  invoices: { issuedC1: string; draftC1: string; issuedByPartner: string; partnerDraft: string };
}

/** Builds the book through the hub as the firm's administrator, then enrolls every actor. */
export async function buildBook(hubUrl: string): Promise<Book> {
  const admin = adminApi(hubUrl);
  await admin.createUser('firm-admin', { firmRole: 'administrator' });
  for (const org of Object.values(ORGS)) await admin.link('firm-admin', org);
  const firm = new TestDevice(hubUrl);
  await firm.enroll((await admin.enrollCode('firm-admin')).code);

  const rows: WireChange[] = [];
  for (const org of Object.values(ORGS)) rows.push(...organization(firm, org));
  for (const [name, a] of Object.entries(ACTORS)) {
    if (!a.person) continue;
    rows.push(...person(firm, a.person));
    for (const [org, role] of Object.entries(a.roles))
      if (!role.startsWith('partner_') && (Object.values(ORGS) as string[]).includes(org))
        rows.push(...membership(firm, org, a.person, role));
    void name;
  }
  rows.push(...person(firm, 'p-firm'), ...membership(firm, ORGS.firm, 'p-firm', 'legal_representative'));
  for (const [p, org] of [
    ['c1-a', ORGS.c1],
    ['c1-b', ORGS.c1],
    ['c2-a', ORGS.c2],
    ['c3-a', ORGS.c3],
    ['other-a', ORGS.other],
  ] as const)
    rows.push(...product(firm, p, org));
  rows.push(
    ...firm.row('tags', 'tag-c1', {
      ...stamp,
      organization_id: ORGS.c1,
      name: 'VIP',
      name_key: 'vip',
      color: '#336699',
    }),
    ...firm.row('product_tags', 'c1-a:tag-c1', { ...stamp, product_id: 'c1-a', tag_id: 'tag-c1' }),
    ...defaultAddress(firm, 'addr-c1', ORGS.c1, { label: 'Main', recipient: 'Client One' }),
    ...firm.row('work_teams', 'team-c1', {
      ...stamp,
      organization_id: ORGS.c1,
      name: 'Ops',
      leader_person_id: null,
    }),
    ...firm.row('work_team_members', 'team-c1:p-c1-mem', {
      ...stamp,
      team_id: 'team-c1',
      person_id: 'p-c1-mem',
    }),
    ...firm.row('work_team_products', 'team-c1:c1-b', { ...stamp, team_id: 'team-c1', product_id: 'c1-b' }),
    ...partnership(firm, 'ps-l', ORGS.pl, ORGS.c1, 'limited', null),
    ...partnership(firm, 'ps-q', ORGS.pq, ORGS.c2, 'complete', 'client'),
    ...partnership(firm, 'ps-r', ORGS.pr, ORGS.c3, 'complete', 'partner'),
    ...allocation(firm, 'ps-l', 'c1-a'),
    ...firm.row('partner_notices', 'notice-1', {
      ...stamp,
      organization_id: ORGS.c1,
      partnership_id: 'ps-l',
      kind: 'access_changed',
      before: { access: 'limited' },
      after: { access: 'limited' },
      read_at: null,
    }),
    ...firm.row('price_book', 'pb-web-chf', {
      ...stamp,
      product_kind: 'web_hosting',
      currency: 'CHF',
      public_price_minor: 1500,
    }),
    ...firm.row('degressive_tiers', 'tier-web-10', {
      ...stamp,
      product_kind: 'web_hosting',
      min_quantity: 10,
      rate_bp: 1000,
    }),
    ...firm.row('partner_rates', 'rate-pl-web', {
      ...stamp,
      organization_id: ORGS.pl,
      product_kind: 'web_hosting',
      discount_bp: 2000,
    }),
    ...draftInvoice(firm, 'inv-c1', ORGS.c1, ORGS.firm),
    ...draftInvoice(firm, 'draft-c1', ORGS.c1, ORGS.firm),
    ...draftInvoice(firm, 'inv-pl', ORGS.c1, ORGS.pl),
    ...draftInvoice(firm, 'draft-pl', ORGS.pl, ORGS.pl),
    ...draftInvoice(firm, 'inv-pr', ORGS.pr, ORGS.firm, ORGS.c3),
  );
  rows.push(...issue(firm, 'inv-c1', firm.seriesCode, 1), ...issue(firm, 'inv-pl', firm.seriesCode, 2));
  rows.push(...issue(firm, 'inv-pr', firm.seriesCode, 3));
  rows.push(ledger(firm, 'le-c1-topup', ORGS.c1, 50_000), ledger(firm, 'le-pr-topup', ORGS.pr, 50_000));
  const r = await firm.push(rows);
  // Derived values (totals, paid) are the hub's own: a device's copy of them is superseded.
  const refused = r.results.filter((x) => x.outcome === 'rejected');
  if (refused.length > 0) throw new Error(`the book did not build: ${JSON.stringify(refused.slice(0, 3))}`);

  const devices = {} as Record<ActorName, TestDevice>;
  for (const [name, a] of Object.entries(ACTORS) as [ActorName, (typeof ACTORS)[ActorName]][]) {
    await admin.createUser(name, a.person ? { personId: a.person } : { firmRole: 'accountant' });
    for (const org of a.links) await admin.link(name, org);
    const d = new TestDevice(hubUrl);
    await d.enroll((await admin.enrollCode(name)).code);
    devices[name] = d;
  }
  return {
    firm,
    devices,
    invoices: {
      issuedC1: 'inv-c1',
      draftC1: 'draft-c1',
      issuedByPartner: 'inv-pl',
      partnerDraft: 'draft-pl',
    },
  };
}

/** Everything the hub holds about the book, as one digest: a refused attack leaves it byte-identical. */
export async function hubDigest(store: HubStore): Promise<string> {
  const parts = await store.read(async (sql) => [
    await sql.all(
      'SELECT table_name, row_id, column_name, value, hlc, seq FROM hub_fields ORDER BY table_name, row_id, column_name',
    ),
    await sql.all(
      'SELECT table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live FROM hub_rows ORDER BY table_name, row_id',
    ),
    await sql.all(
      'SELECT organization_id, currency, balance_minor FROM hub_balances ORDER BY organization_id, currency',
    ),
    await sql.all('SELECT issuer_id, number, row_id FROM hub_numbers ORDER BY issuer_id, number'),
    await sql.all('SELECT user_id, organization_id FROM hub_user_orgs ORDER BY user_id, organization_id'),
    await sql.all("SELECT value FROM hub_counters WHERE name = 'seq'"),
    await sql.all('SELECT COUNT(*) AS n FROM hub_log'),
  ]);
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
