// A small but complete organization, built through the router the way a user would build
// it: every master-data table gets rows, and every child table points at a parent.
import type { TestKontor } from './kontor';

export interface SeededOrganization {
  organizationId: string;
  personIds: string[];
  addressIds: string[];
  productIds: string[];
  tagIds: string[];
  teamIds: string[];
}

export async function seedOrganization(
  k: TestKontor,
  options: { name?: string; products?: number; tags?: number } = {},
): Promise<SeededOrganization> {
  const name = options.name ?? 'Hôtel du Lac SA';
  const productCount = options.products ?? 6;
  const tagCount = options.tags ?? 3;
  const org = await k.ok('organizations.create', {
    kind: 'company',
    name,
    country: 'CH',
    currency: 'CHF',
    uid: 'CHE-116.281.710',
  });
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '');
  const members = [
    { email: `anne@${slug}.ch`, name: 'Anne Favre', role: 'legal_representative' as const, external: false },
    { email: `marc@${slug}.ch`, name: 'Marc Rochat', role: 'administrator' as const, external: false },
    {
      email: `fiduciaire@compta-${slug}.ch`,
      name: 'Lea Keller',
      role: 'accountant' as const,
      external: true,
    },
  ];
  const personIds: string[] = [];
  for (const m of members) {
    const member = await k.ok('members.add', { organizationId: org.id, ...m });
    personIds.push(member.personId);
  }
  const addressIds: string[] = [];
  for (const [label, city] of [
    ['Siège', 'Lausanne'],
    ['Comptabilité', 'Genève'],
  ] as const) {
    const address = await k.ok('addresses.create', {
      organizationId: org.id,
      label,
      recipient: name,
      line1: 'Rue du Lac 1',
      postalCode: '1000',
      city,
      country: 'CH',
    });
    addressIds.push(address.id);
  }
  const tagIds: string[] = [];
  for (let i = 0; i < tagCount; i++) {
    tagIds.push((await k.ok('tags.create', { organizationId: org.id, name: `Étiquette ${i + 1}` })).id);
  }
  const kinds = ['web_hosting', 'mail_hosting', 'domain', 'drive', 'cloud_server', 'streaming'] as const;
  const productIds: string[] = [];
  for (let i = 0; i < productCount; i++) {
    const product = await k.ok('products.create', {
      organizationId: org.id,
      kind: kinds[i % kinds.length]!,
      name: `Produit ${i + 1}`,
      publicPriceMinor: 1_000 + i * 250,
      billingFrequency: i % 2 === 0 ? 'annual' : 'monthly',
      nextRenewalOn: '2027-01-01',
      billingAddressId: addressIds[i % addressIds.length]!,
      tagIds: tagIds.filter((_, t) => (i + t) % 2 === 0),
    });
    productIds.push(product.id);
  }
  const team = await k.ok('teams.create', {
    organizationId: org.id,
    name: 'Équipe web',
    leaderPersonId: personIds[1]!,
    memberIds: [personIds[2]!],
    productIds: productIds.slice(0, 3),
  });
  return { organizationId: org.id, personIds, addressIds, productIds, tagIds, teamIds: [team.id] };
}

/** A company and `count` domains of it: a parent and the rows pointing at it. */
export async function companyWithDomains(
  k: TestKontor,
  name: string,
  count: number,
): Promise<{ organizationId: string; productIds: string[] }> {
  const org = await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' });
  const productIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const product = await k.ok('products.create', {
      organizationId: org.id,
      kind: 'domain',
      name: `domain${i + 1}.ch`,
      publicPriceMinor: 1_000 + i,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    productIds.push(product.id);
  }
  return { organizationId: org.id, productIds };
}
