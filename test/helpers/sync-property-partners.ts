// The partners of the multi-user sync property: a client with a limited and a complete
// partner, the partnerships invited and accepted through the router by the legal
// representatives on a firm device and synced, then one hub user per partner bound to the
// partner's legal representative (judged by its memberships, as the hub judges every person).
// Also the test's own, independent reading of what each partner may see.
import crypto from 'node:crypto';
import type { TestKontor } from './kontor';
import { seedOrganization } from './seed';

export interface PartnerCast {
  access: 'limited' | 'complete';
  /** The partner organization the hub user is a member of. */
  organizationId: string;
  clientId: string;
  /** Products the client allocated (limited access only). */
  allocated: string[];
  /** Other partners of the client: with complete access, their organization's row is seen. */
  otherPartners: string[];
  /** The partner's legal representative: the person its hub user is bound to. */
  person: string;
}

const letters = () => [...crypto.randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

/** Builds the partnerships on `firm` and returns one cast per partner, limited first. */
export async function buildPartnerships(firm: TestKontor): Promise<PartnerCast[]> {
  const client = await seedOrganization(firm, { name: `Client ${letters()}`, products: 3, tags: 0 });
  const out: PartnerCast[] = [];
  for (const access of ['limited', 'complete'] as const) {
    const partner = await seedOrganization(firm, { name: `Agence ${letters()}`, products: 1, tags: 0 });
    await firm.ok('settings.setActingPerson', { personId: partner.personIds[0]! });
    const invited = await firm.ok('partners.inviteClient', {
      partnerOrganizationId: partner.organizationId,
      clientOrganizationId: client.organizationId,
      access,
      ...(access === 'complete' ? { payment: 'client' as const } : {}),
    });
    await firm.ok('settings.setActingPerson', { personId: client.personIds[0]! });
    const allocated = access === 'limited' ? client.productIds.slice(0, 2) : [];
    await firm.ok('partners.accept', {
      partnershipId: invited.id,
      ...(access === 'limited' ? { productIds: allocated } : {}),
    });
    out.push({
      access,
      organizationId: partner.organizationId,
      clientId: client.organizationId,
      allocated,
      otherPartners: out.map((o) => o.organizationId),
      person: partner.personIds[0]!,
    });
  }
  return out;
}

/**
 * Rows on a partner's device outside what it may see (DOMAIN.md "Partners"), by the test's own
 * rule: its organization, the client's row, organizations its user created (with complete
 * access also the rows of the client's other partners, as the client sees them), the issuer of
 * an invoice it sees; the client's
 * products and money only with complete access, else the allocated products alone.
 */
export function outOfScope(k: TestKontor, c: PartnerCast, ownOrgs: string[]): string[] {
  const own = new Set([c.organizationId, ...ownOrgs]);
  const full = new Set(c.access === 'complete' ? [...own, c.clientId] : own);
  const seen = new Set([...full, c.clientId, ...(c.access === 'complete' ? c.otherPartners : [])]);
  const bad: string[] = [];
  const rows = (sql: string) => k.raw.prepare(sql).all() as { id: string; org: string }[];
  // An invoice it may see comes with the organization that issued it (its row only).
  for (const r of rows('SELECT organization_id AS id, issuer_organization_id AS org FROM invoices'))
    if (full.has(r.id)) seen.add(r.org);
  for (const r of rows('SELECT id, id AS org FROM organizations'))
    if (!seen.has(r.org))
      bad.push(
        `organization ${r.id} ${k.raw.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(r.id)}`,
      );
  for (const r of rows('SELECT id, organization_id AS org FROM products'))
    if (!full.has(r.org) && !c.allocated.includes(r.id)) bad.push(`product ${r.id} of ${r.org}`);
  // A limited partner sees the client's tags on the products allocated to it.
  const allocatedTags = new Set(
    k.raw
      .prepare(
        `SELECT tag_id FROM product_tags WHERE product_id IN (${c.allocated.map(() => '?').join(', ') || "''"})`,
      )
      .pluck()
      .all(...c.allocated) as string[],
  );
  for (const r of rows('SELECT id, organization_id AS org FROM tags'))
    if (!full.has(r.org) && !allocatedTags.has(r.id)) bad.push(`tag ${r.id} of ${r.org}`);
  for (const table of ['invoices', 'ledger_entries', 'work_teams'])
    for (const r of rows(`SELECT id, organization_id AS org FROM ${table}`))
      if (!full.has(r.org)) bad.push(`${table} ${r.id} of ${r.org}`);
  return bad;
}
