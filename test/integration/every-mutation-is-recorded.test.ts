// ARCHITECTURE.md: "Every mutation writes an activity row and, where synced, a change-log row,
// in the same transaction." This walks EVERY mutating method of the contract: each must leave
// an activity row (right action, organization, product) and one change-log row per changed
// field, stamped with HLC timestamps that only go up; a refused call must leave nothing.
// A mutating method added to the contract without a case here fails the first test.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '../../electron/api/contract';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';
import { columnNames } from '../helpers/migrations';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-recorded-');

/** Methods that mutate but are not master-data writes: they swap or configure the store. */
const NOT_RECORDED = (name: string) => name === 'system.restore' || name.startsWith('settings.');

interface World {
  k: TestKontor;
  a: SeededOrganization;
  b: SeededOrganization;
  n: number;
}

interface Expected {
  table: string;
  rowId: string;
  /** The fields that must each have a change-log row: 'insert' means every column of the row. */
  columns: string[] | 'insert';
  organizationId: string | null;
  productId?: string | null;
}

interface Case<M extends MethodName = MethodName> {
  action: string;
  arrange(w: World): Promise<{ input: MethodInput<M>; expect(result: unknown): Expected[] }>;
  /** A call the schema accepts but the service refuses, with the code the user sees. */
  refused(w: World): Promise<{ input: MethodInput<M>; code: string }>;
}

const uniq = (w: World, what: string) => `${what}-${++w.n}`;

async function freshProduct(w: World, extra: Partial<MethodInput<'products.create'>> = {}) {
  return w.k.ok('products.create', {
    organizationId: w.a.organizationId,
    kind: 'domain',
    name: uniq(w, 'domain.ch'),
    publicPriceMinor: 1_500,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
    ...extra,
  });
}
async function freshTag(w: World) {
  return w.k.ok('tags.create', { organizationId: w.a.organizationId, name: uniq(w, 'tag') });
}
async function freshMember(w: World, role: MethodInput<'members.add'>['role'] = 'administrator') {
  return w.k.ok('members.add', {
    organizationId: w.a.organizationId,
    email: `${uniq(w, 'm')}@example.ch`,
    role,
  });
}
async function freshAddress(w: World, isDefault = false) {
  return w.k.ok('addresses.create', {
    organizationId: w.a.organizationId,
    label: uniq(w, 'Filiale'),
    recipient: 'Hôtel du Lac SA',
    line1: 'Quai 2',
    postalCode: '1820',
    city: 'Montreux',
    country: 'CH',
    isDefault,
  });
}
async function freshTeam(w: World) {
  const leader = await freshMember(w, 'member');
  const member = await freshMember(w, 'member');
  const product = await freshProduct(w);
  const team = await w.k.ok('teams.create', {
    organizationId: w.a.organizationId,
    name: uniq(w, 'Équipe'),
    leaderPersonId: leader.personId,
    memberIds: [member.personId],
    productIds: [product.id],
  });
  return { team, leader, member, product };
}

const id = (r: unknown) => (r as { id: string }).id;
const emailOf = (w: World, personId: string) =>
  (w.k.raw.prepare('SELECT email FROM people WHERE id = ?').get(personId) as { email: string }).email;

const CASES: { [M in MethodName]?: Case<M> } = {
  'organizations.create': {
    action: 'organization.created',
    arrange: async () => ({
      input: { kind: 'company', name: 'Neue GmbH', country: 'DE', currency: 'EUR', vatNumber: 'DE136695976' },
      expect: (r) => [
        { table: 'organizations', rowId: id(r), columns: 'insert', organizationId: id(r), productId: null },
      ],
    }),
    refused: async () => ({
      input: { kind: 'company', name: 'Faux GmbH', country: 'DE', currency: 'EUR', vatNumber: 'DE136695977' },
      code: 'vat_invalid',
    }),
  },
  'organizations.update': {
    action: 'organization.updated',
    arrange: async (w) => {
      const org = await w.k.ok('organizations.create', {
        kind: 'company',
        name: 'Vieux nom',
        country: 'FR',
        currency: 'EUR',
      });
      return {
        input: { id: org.id, name: 'Nouveau nom', renewalReminderDays: 30, country: 'FR' },
        expect: () => [
          {
            table: 'organizations',
            rowId: org.id,
            columns: ['name', 'renewal_reminder_days'],
            organizationId: org.id,
          },
        ],
      };
    },
    // The currency of an organization with products cannot change.
    refused: async (w) => ({ input: { id: w.a.organizationId, currency: 'EUR' }, code: 'currency_mismatch' }),
  },
  'organizations.delete': {
    action: 'organization.deleted',
    arrange: async (w) => {
      const org = await w.k.ok('organizations.create', {
        kind: 'individual',
        name: 'Éphémère',
        country: 'CH',
        currency: 'CHF',
      });
      return {
        input: { id: org.id },
        expect: () => [
          { table: 'organizations', rowId: org.id, columns: ['deleted_at'], organizationId: org.id },
        ],
      };
    },
    // Refused inside the write: it still holds products.
    refused: async (w) => ({ input: { id: w.a.organizationId }, code: 'organization_has_products' }),
  },
  'people.create': {
    action: 'person.created',
    arrange: async (w) => ({
      input: { name: 'Zoé Martin', email: `${uniq(w, 'zoe')}@example.ch` },
      expect: (r) => [
        { table: 'people', rowId: id(r), columns: 'insert', organizationId: null, productId: null },
      ],
    }),
    refused: async (w) => ({
      input: { name: 'Anne Bis', email: emailOf(w, w.a.personIds[0]!) },
      code: 'email_taken',
    }),
  },
  'people.update': {
    action: 'person.updated',
    arrange: async (w) => {
      const p = await w.k.ok('people.create', { name: 'Avant', email: `${uniq(w, 'p')}@example.ch` });
      return {
        input: { id: p.id, name: 'Après' },
        expect: () => [{ table: 'people', rowId: p.id, columns: ['name'], organizationId: null }],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.personIds[1]!, email: emailOf(w, w.a.personIds[0]!) },
      code: 'email_taken',
    }),
  },
  'members.add': {
    action: 'membership.added',
    arrange: async (w) => ({
      // By e-mail, for someone new: the person and the membership are both written.
      input: {
        organizationId: w.a.organizationId,
        email: `${uniq(w, 'new')}@example.ch`,
        role: 'accountant',
        external: true,
      },
      expect: (r) => {
        const m = r as { id: string; personId: string };
        return [
          { table: 'people', rowId: m.personId, columns: 'insert', organizationId: null, productId: null },
          {
            table: 'memberships',
            rowId: m.id,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
        ];
      },
    }),
    refused: async (w) => ({
      input: { organizationId: w.a.organizationId, personId: w.a.personIds[0]!, role: 'member' },
      code: 'already_member',
    }),
  },
  'members.changeRole': {
    action: 'membership.role_changed',
    arrange: async (w) => {
      const m = await freshMember(w);
      return {
        input: { organizationId: w.a.organizationId, personId: m.personId, role: 'accountant' },
        expect: () => [
          { table: 'memberships', rowId: m.id, columns: ['role'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({
      input: { organizationId: w.b.organizationId, personId: w.b.personIds[0]!, role: 'member' },
      code: 'last_legal_representative',
    }),
  },
  'members.remove': {
    action: 'membership.removed',
    arrange: async (w) => {
      const m = await freshMember(w);
      return {
        input: { organizationId: w.a.organizationId, personId: m.personId },
        expect: () => [
          { table: 'memberships', rowId: m.id, columns: ['deleted_at'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({
      input: { organizationId: w.b.organizationId, personId: w.b.personIds[0]! },
      code: 'last_legal_representative',
    }),
  },
  'addresses.create': {
    action: 'billing_address.created',
    arrange: async (w) => {
      const previous = (await w.k.ok('addresses.list', { organizationId: w.a.organizationId }))[0]!;
      expect(previous.isDefault).toBe(true);
      return {
        input: {
          organizationId: w.a.organizationId,
          label: 'Nouvelle adresse',
          recipient: 'Hôtel du Lac SA',
          line1: 'Avenue 3',
          postalCode: '1003',
          city: 'Lausanne',
          country: 'CH',
          isDefault: true,
        },
        expect: (r) => [
          {
            table: 'billing_addresses',
            rowId: previous.id,
            columns: ['is_default'],
            organizationId: w.a.organizationId,
          },
          { table: 'billing_addresses', rowId: id(r), columns: 'insert', organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async () => ({
      input: {
        organizationId: 'nowhere',
        label: 'X',
        recipient: 'X',
        line1: 'X',
        postalCode: '1',
        city: 'X',
        country: 'CH',
      },
      code: 'organization_not_found',
    }),
  },
  'addresses.update': {
    action: 'billing_address.updated',
    arrange: async (w) => {
      const address = await freshAddress(w);
      return {
        input: { id: address.id, city: 'Vevey', line2: 'Case postale 12' },
        expect: () => [
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['city', 'line2'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-address', city: 'X' }, code: 'address_not_found' }),
  },
  'addresses.setDefault': {
    action: 'billing_address.default_changed',
    arrange: async (w) => {
      const previous = (await w.k.ok('addresses.list', { organizationId: w.a.organizationId }))[0]!;
      const address = await freshAddress(w);
      return {
        input: { id: address.id },
        expect: () => [
          {
            table: 'billing_addresses',
            rowId: previous.id,
            columns: ['is_default'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['is_default'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-address' }, code: 'address_not_found' }),
  },
  'addresses.delete': {
    action: 'billing_address.deleted',
    arrange: async (w) => {
      const address = await freshAddress(w);
      const product = await freshProduct(w, { billingAddressId: address.id });
      return {
        input: { id: address.id },
        expect: () => [
          // The product renewing under it falls back to the default address: recorded too.
          {
            table: 'products',
            rowId: product.id,
            columns: ['billing_address_id'],
            organizationId: w.a.organizationId,
            productId: product.id,
          },
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async (w) => {
      const current = (await w.k.ok('addresses.list', { organizationId: w.a.organizationId }))[0]!;
      return { input: { id: current.id }, code: 'default_address_required' };
    },
  },
  'products.create': {
    action: 'product.created',
    arrange: async (w) => {
      const [t1, t2] = [await freshTag(w), await freshTag(w)];
      return {
        input: {
          organizationId: w.a.organizationId,
          kind: 'mail_hosting',
          name: 'Mail Pro',
          publicPriceMinor: 4_800,
          billingFrequency: 'quarterly',
          nextRenewalOn: '2026-07-01',
          autoRenew: false,
          tagIds: [t1.id, t2.id],
        },
        expect: (r) => [
          {
            table: 'products',
            rowId: id(r),
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: id(r),
          },
          {
            table: 'product_tags',
            rowId: `${id(r)}:${t1.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: id(r),
          },
          {
            table: 'product_tags',
            rowId: `${id(r)}:${t2.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: id(r),
          },
        ],
      };
    },
    // Refused half-way: the product and its first tag are already written when the second
    // tag turns out not to exist. The whole transaction must go.
    refused: async (w) => ({
      input: {
        organizationId: w.a.organizationId,
        kind: 'domain',
        name: 'half-written.ch',
        publicPriceMinor: 100,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
        tagIds: [w.a.tagIds[0]!, 'no-such-tag'],
      },
      code: 'tag_not_found',
    }),
  },
  'products.update': {
    action: 'product.updated',
    arrange: async (w) => {
      const p = await freshProduct(w);
      return {
        input: { id: p.id, name: 'renamed.ch', publicPriceMinor: 1_990, status: 'expired', autoRenew: true },
        expect: () => [
          // autoRenew was already true: not a change, not logged.
          {
            table: 'products',
            rowId: p.id,
            columns: ['name', 'public_price_minor', 'status'],
            organizationId: w.a.organizationId,
            productId: p.id,
          },
        ],
      };
    },
    refused: async (w) => {
      const p = await freshProduct(w, { nextRenewalOn: '2027-12-31' });
      return {
        input: { id: p.id, billingFrequency: 'monthly', name: 'never.ch' },
        code: 'frequency_change_rebills',
      };
    },
  },
  'products.delete': {
    action: 'product.deleted',
    arrange: async (w) => {
      const p = await freshProduct(w);
      return {
        input: { id: p.id },
        expect: () => [
          {
            table: 'products',
            rowId: p.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p.id,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-product' }, code: 'product_not_found' }),
  },
  'tags.create': {
    action: 'tag.created',
    arrange: async (w) => ({
      input: { organizationId: w.a.organizationId, name: 'Nouvelle étiquette', color: '#112233' },
      expect: (r) => [
        {
          table: 'tags',
          rowId: id(r),
          columns: 'insert',
          organizationId: w.a.organizationId,
          productId: null,
        },
      ],
    }),
    refused: async (w) => ({
      input: { organizationId: w.a.organizationId, name: 'ÉTIQUETTE 1' },
      code: 'tag_name_taken',
    }),
  },
  'tags.rename': {
    action: 'tag.renamed',
    arrange: async (w) => {
      const t = await freshTag(w);
      return {
        input: { tagId: t.id, name: 'Renommée' },
        expect: () => [
          { table: 'tags', rowId: t.id, columns: ['name', 'name_key'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({ input: { tagId: w.a.tagIds[1]!, name: 'étiquette 1' }, code: 'tag_name_taken' }),
  },
  'tags.recolor': {
    action: 'tag.recolored',
    arrange: async (w) => {
      const t = await freshTag(w);
      return {
        input: { tagId: t.id, color: '#ABCDEF' },
        expect: () => [
          { table: 'tags', rowId: t.id, columns: ['color'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async () => ({ input: { tagId: 'no-such-tag', color: '#000000' }, code: 'tag_not_found' }),
  },
  'tags.delete': {
    action: 'tag.deleted',
    arrange: async (w) => {
      const t = await freshTag(w);
      const [p1, p2] = [await freshProduct(w), await freshProduct(w)];
      await w.k.ok('tags.assign', { tagId: t.id, productIds: [p1.id, p2.id] });
      return {
        input: { tagId: t.id },
        expect: () => [
          {
            table: 'product_tags',
            rowId: `${p1.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p1.id,
          },
          {
            table: 'product_tags',
            rowId: `${p2.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p2.id,
          },
          {
            table: 'tags',
            rowId: t.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: null,
          },
        ],
      };
    },
    refused: async () => ({ input: { tagId: 'no-such-tag' }, code: 'tag_not_found' }),
  },
  'tags.assign': {
    action: 'tag.assigned',
    arrange: async (w) => {
      const t = await freshTag(w);
      const [p1, p2] = [await freshProduct(w), await freshProduct(w)];
      return {
        input: { tagId: t.id, productIds: [p1.id, p2.id, p1.id] },
        expect: () => [
          {
            table: 'product_tags',
            rowId: `${p1.id}:${t.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: p1.id,
          },
          {
            table: 'product_tags',
            rowId: `${p2.id}:${t.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: p2.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { tagId: w.a.tagIds[0]!, productIds: [w.a.productIds[0]!, w.b.productIds[0]!] },
      code: 'product_wrong_organization',
    }),
  },
  'tags.unassign': {
    action: 'tag.unassigned',
    arrange: async (w) => {
      const t = await freshTag(w);
      const [p1, p2] = [await freshProduct(w), await freshProduct(w)];
      await w.k.ok('tags.assign', { tagId: t.id, productIds: [p1.id, p2.id] });
      return {
        input: { tagId: t.id, productIds: [p1.id, p2.id] },
        expect: () => [
          {
            table: 'product_tags',
            rowId: `${p1.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p1.id,
          },
          {
            table: 'product_tags',
            rowId: `${p2.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p2.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { tagId: w.a.tagIds[0]!, productIds: ['no-such-product'] },
      code: 'product_not_found',
    }),
  },
  'teams.create': {
    action: 'team.created',
    arrange: async (w) => {
      const leader = await freshMember(w, 'member');
      const member = await freshMember(w, 'member');
      const product = await freshProduct(w);
      return {
        input: {
          organizationId: w.a.organizationId,
          name: 'Support',
          leaderPersonId: leader.personId,
          memberIds: [member.personId],
          productIds: [product.id],
        },
        expect: (r) => [
          {
            table: 'work_teams',
            rowId: id(r),
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
          {
            table: 'work_team_members',
            rowId: `${id(r)}:${leader.personId}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
          {
            table: 'work_team_members',
            rowId: `${id(r)}:${member.personId}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
          {
            table: 'work_team_products',
            rowId: `${id(r)}:${product.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: product.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { organizationId: w.a.organizationId, name: 'Intrus', memberIds: [w.b.personIds[0]!] },
      code: 'team_member_not_in_organization',
    }),
  },
  'teams.update': {
    action: 'team.updated',
    arrange: async (w) => {
      const { team } = await freshTeam(w);
      return {
        input: { id: team.id, name: 'Support niveau 2' },
        expect: () => [
          { table: 'work_teams', rowId: team.id, columns: ['name'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.teamIds[0]!, leaderPersonId: w.b.personIds[0]! },
      code: 'team_member_not_in_organization',
    }),
  },
  'teams.setMembers': {
    action: 'team.members_changed',
    arrange: async (w) => {
      const { team, member } = await freshTeam(w);
      const newcomer = await freshMember(w, 'member');
      return {
        input: { id: team.id, personIds: [newcomer.personId] },
        expect: () => [
          {
            table: 'work_team_members',
            rowId: `${team.id}:${member.personId}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'work_team_members',
            rowId: `${team.id}:${newcomer.personId}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.teamIds[0]!, personIds: [w.b.personIds[0]!] },
      code: 'team_member_not_in_organization',
    }),
  },
  'teams.setProducts': {
    action: 'team.products_changed',
    arrange: async (w) => {
      const { team, product } = await freshTeam(w);
      const other = await freshProduct(w);
      return {
        input: { id: team.id, productIds: [other.id] },
        expect: () => [
          {
            table: 'work_team_products',
            rowId: `${team.id}:${product.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: product.id,
          },
          {
            table: 'work_team_products',
            rowId: `${team.id}:${other.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: other.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.teamIds[0]!, productIds: [w.b.productIds[0]!] },
      code: 'product_wrong_organization',
    }),
  },
  'teams.delete': {
    action: 'team.deleted',
    arrange: async (w) => {
      const { team, leader, member, product } = await freshTeam(w);
      return {
        input: { id: team.id },
        expect: () => [
          {
            table: 'work_team_members',
            rowId: `${team.id}:${leader.personId}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'work_team_members',
            rowId: `${team.id}:${member.personId}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'work_team_products',
            rowId: `${team.id}:${product.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: product.id,
          },
          {
            table: 'work_teams',
            rowId: team.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-team' }, code: 'team_not_found' }),
  },
};

interface ActivityRow {
  hlc: string;
  at: string;
  action: string;
  entity: string;
  entity_id: string;
  organization_id: string | null;
  product_id: string | null;
  device_id: string;
  actor_person_id: string | null;
  after: string | null;
}
interface LogRow {
  seq: number;
  hlc: string;
  device_id: string;
  table_name: string;
  row_id: string;
  column_name: string;
  value: string | null;
}

function maxHlc(w: World): string {
  const row = w.k.raw
    .prepare('SELECT max(hlc) AS h FROM (SELECT hlc FROM change_log UNION ALL SELECT hlc FROM activity)')
    .get() as {
    h: string | null;
  };
  return row.h ?? '';
}

function sameStored(logged: unknown, stored: unknown): boolean {
  if (typeof logged === 'boolean') return stored === (logged ? 1 : 0);
  if (logged !== null && typeof logged === 'object') return JSON.stringify(logged) === stored;
  return logged === stored;
}

const mutatingMethods = (w: World) =>
  w.k.kontor.router
    .methods()
    .filter((m) => m.mutates && !NOT_RECORDED(m.name))
    .map((m) => m.name)
    .sort();

describe('every mutation is recorded', () => {
  const w = {} as World;

  beforeAll(async () => {
    w.k = space.kontor();
    w.a = await seedOrganization(w.k, { name: 'Hôtel du Lac SA' });
    w.b = await seedOrganization(w.k, { name: 'Bergbahnen AG', products: 2 });
    w.n = 0;
  });

  it('has a case for every mutating method of the contract (add one when you add a method)', () => {
    const methods = mutatingMethods(w);
    expect(methods.length).toBeGreaterThan(20);
    const missing = methods.filter((m) => !(m in CASES));
    const stale = Object.keys(CASES).filter((m) => !methods.includes(m));
    expect(missing, 'mutating methods without a case in CASES').toEqual([]);
    expect(stale, 'cases for methods that are gone or no longer mutate').toEqual([]);
  });

  const names = Object.keys(CASES) as MethodName[];
  it.each(names)(
    '%s writes activity and one change-log row per changed field, with rising HLCs',
    async (method) => {
      const c = CASES[method] as unknown as Case;
      // Half of the calls run with the wall clock set back an hour: the HLC must not care.
      w.k.clock.set(
        names.indexOf(method) % 2 === 0 ? '2026-03-15T09:30:00.000Z' : '2026-03-15T08:30:00.000Z',
      );
      const { input, expect: expected } = await c.arrange(w);
      const hlcBefore = maxHlc(w);
      const seqBefore = (
        w.k.raw.prepare('SELECT coalesce(max(seq), 0) AS s FROM change_log').get() as { s: number }
      ).s;

      const result = await w.k.ok(method, input as never);

      const activity = w.k.raw
        .prepare('SELECT * FROM activity WHERE hlc > ? ORDER BY hlc')
        .all(hlcBefore) as ActivityRow[];
      const log = w.k.raw
        .prepare('SELECT * FROM change_log WHERE seq > ? ORDER BY seq')
        .all(seqBefore) as LogRow[];
      const deviceId = w.k.kontor.ctx().deviceId;

      expect(activity.length).toBeGreaterThanOrEqual(1);
      expect(log.length).toBeGreaterThanOrEqual(1);
      for (const row of activity) {
        expect(row).toMatchObject({
          action: c.action,
          device_id: deviceId,
          at: w.k.clock.now().toISOString(),
        });
      }
      // Timestamps only go up, in the order the rows were written, and each recorded change
      // (one activity row) has its own HLC, shared by its change-log rows.
      expect(log.every((r) => r.hlc > hlcBefore && r.device_id === deviceId)).toBe(true);
      expect(log.every((r, i) => i === 0 || log[i - 1]!.hlc <= r.hlc)).toBe(true);
      expect(new Set(activity.map((r) => r.hlc)).size).toBe(activity.length);
      expect([...new Set(log.map((r) => r.hlc))].sort()).toEqual(activity.map((r) => r.hlc));
      const stored = w.k.raw.prepare('SELECT last_hlc FROM device WHERE id = ?').get(deviceId) as {
        last_hlc: string;
      };
      expect(stored.last_hlc >= log.at(-1)!.hlc).toBe(true);

      const expectations = expected(result);
      for (const e of expectations) {
        const where = `${e.table} ${e.rowId}`;
        const act = activity.filter((r) => r.entity === e.table && r.entity_id === e.rowId);
        expect(act, `activity for ${where}`).toHaveLength(1);
        expect(act[0]!.organization_id, `organization of ${where}`).toBe(e.organizationId);
        if (e.productId !== undefined) expect(act[0]!.product_id, `product of ${where}`).toBe(e.productId);
        const rows = log.filter((r) => r.table_name === e.table && r.row_id === e.rowId);
        const columns =
          e.columns === 'insert'
            ? columnNames(w.k.raw, e.table).filter((col) => !['id', 'updated_at', 'deleted_at'].includes(col))
            : e.columns;
        expect(rows.map((r) => r.column_name).sort(), `change-log columns of ${where}`).toEqual(
          [...columns].sort(),
        );
        expect(new Set(rows.map((r) => r.hlc)).size, `one HLC for ${where}`).toBe(1);
        expect(rows[0]!.hlc).toBe(act[0]!.hlc);
        // The logged value is the value now in the row.
        const current = w.k.raw.prepare(`SELECT * FROM "${e.table}" WHERE id = ?`).get(e.rowId) as Record<
          string,
          unknown
        >;
        for (const r of rows) {
          const logged = r.value === null ? null : (JSON.parse(r.value) as unknown);
          expect(sameStored(logged, current[r.column_name]), `${where}.${r.column_name} = ${r.value}`).toBe(
            true,
          );
        }
      }
      // Nothing else was recorded.
      expect(activity).toHaveLength(expectations.length);
    },
  );

  it.each(names)('%s refused writes nothing', async (method) => {
    const c = CASES[method] as unknown as Case;
    const { input, code } = await c.refused(w);
    const deviceId = w.k.kontor.ctx().deviceId;
    const lastHlc = () =>
      (w.k.raw.prepare('SELECT last_hlc FROM device WHERE id = ?').get(deviceId) as { last_hlc: string })
        .last_hlc;
    const snapshot = () => ({
      activity: count(w.k.raw, 'activity'),
      changeLog: count(w.k.raw, 'change_log'),
      products: count(w.k.raw, 'products'),
      productTags: count(w.k.raw, 'product_tags'),
      people: count(w.k.raw, 'people'),
      memberships: count(w.k.raw, 'memberships'),
      lastHlc: lastHlc(),
    });
    const before = snapshot();
    await w.k.fails(method, input as never, code);
    expect(snapshot()).toEqual(before);
  });

  it('records who acted once an acting person is set', async () => {
    const personId = w.a.personIds[0]!;
    await w.k.ok('settings.setActingPerson', { personId });
    const t = await w.k.ok('tags.create', { organizationId: w.a.organizationId, name: 'Par Anne' });
    const row = w.k.raw.prepare('SELECT actor_person_id FROM activity WHERE entity_id = ?').get(t.id) as {
      actor_person_id: string | null;
    };
    expect(row.actor_person_id).toBe(personId);
    await w.k.ok('settings.setActingPerson', { personId: null });
  });

  it('shows the recorded changes through activity.list, filterable by product and action', async () => {
    const p = await freshProduct(w);
    await w.k.ok('products.update', { id: p.id, name: 'filtered.ch' });
    const page = await w.k.ok('activity.list', { productId: p.id, limit: 50 });
    expect(page.rows.map((r) => r.action).sort()).toEqual(['product.created', 'product.updated']);
    expect(page.rows.find((r) => r.action === 'product.updated')).toMatchObject({
      before: { name: p.name },
      after: { name: 'filtered.ch' },
    });
    const updates = await w.k.ok('activity.list', { productId: p.id, action: 'product.updated', limit: 50 });
    expect(updates.rows).toHaveLength(1);
  });
});
