// The device refuses before writing what the hub refuses (common/authority, one table): the
// same reason code, translated in en/fr/de, and nothing written — no row, no change-log entry
// for the hub to refuse later. Acting as a client's legal representative, as a partner, or as
// no one (the book's keeper, the firm).
import { beforeAll, describe, expect, it } from 'vitest';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-authority-device-');
let k: TestKontor;
let client: SeededOrganization;
let partner: SeededOrganization;

const as = (personId: string | null) => k.ok('settings.setActingPerson', { personId });

beforeAll(async () => {
  k = space.kontor();
  client = await seedOrganization(k, { name: 'Client SA', products: 2, tags: 0 });
  partner = await seedOrganization(k, { name: 'Agence SA', products: 0, tags: 0 });
  await as(partner.personIds[0]!);
  const p = await k.ok('partners.inviteClient', {
    partnerOrganizationId: partner.organizationId,
    clientOrganizationId: client.organizationId,
    access: 'complete',
    payment: 'partner',
  });
  await as(client.personIds[0]!);
  await k.ok('partners.accept', { partnershipId: p.id });
  await as(null);
});

const attempts = () => [
  ['ledger.topUp', { organizationId: partner.organizationId, amountMinor: 100_000_000 }],
  ['ledger.topUp', { organizationId: client.organizationId, amountMinor: 1_000 }],
  ['partners.setPublicPrice', { productKind: 'web_hosting', currency: 'CHF', publicPriceMinor: 1 }],
  [
    'partners.setDiscount',
    { partnerOrganizationId: partner.organizationId, productKind: 'web_hosting', discountBp: 3_500 },
  ],
  ['partners.setDegressiveTiers', { productKind: 'web_hosting', tiers: [{ minQuantity: 5, rateBp: 5_000 }] }],
];

describe('the device refuses what the authority table forbids, before writing', () => {
  for (const [who, person] of [
    ['the client’s legal representative', () => client.personIds[0]!],
    ['the client’s accountant', () => client.personIds[2]!],
    ['the partner’s legal representative', () => partner.personIds[0]!],
  ] as const) {
    it(`as ${who}: not_allowed, in en/fr/de, nothing written`, async () => {
      await as(person());
      const rows = count(k.raw, 'change_log');
      for (const [method, input] of attempts()) {
        const messages = new Set<string>();
        for (const locale of ['en', 'fr', 'de']) {
          const error = await k.fails(method as 'ledger.topUp', input as never, 'not_allowed', { locale });
          expect(error.message).not.toContain('{{');
          messages.add(error.message);
        }
        // One sentence per language, each its own, naming what is refused.
        expect(messages.size, String(method)).toBe(3);
      }
      expect(count(k.raw, 'change_log')).toBe(rows);
      await as(null);
    });
  }

  it('lets the firm (no acting person) book money and set prices, within the API’s ranges', async () => {
    await as(null);
    await k.ok('ledger.topUp', { organizationId: client.organizationId, amountMinor: 1_000 });
    await k.ok('partners.setDiscount', {
      partnerOrganizationId: partner.organizationId,
      productKind: 'web_hosting',
      discountBp: 3_500,
    });
    // Over the caps: refused by the same schemas the hub checks values with.
    await k.fails(
      'partners.setDiscount',
      { partnerOrganizationId: partner.organizationId, productKind: 'web_hosting', discountBp: 9_000 },
      'invalid_input',
    );
    await k.fails(
      'partners.setDegressiveTiers',
      { productKind: 'web_hosting', tiers: [{ minQuantity: 5, rateBp: 10_000 }] },
      'invalid_input',
    );
    await k.fails(
      'partners.setPublicPrice',
      { productKind: 'web_hosting', currency: 'CHF', publicPriceMinor: 0 },
      'invalid_input',
    );
  });
});

describe('every write goes through the one check of the write path (core/services/context.ts)', () => {
  it('refuses what the acting person’s role does not allow, naming it in en/fr/de, and writes nothing', async () => {
    const accountant = client.personIds[2]!;
    await as(accountant);
    const rows = count(k.raw, 'change_log');
    const cases = [
      [
        'organizations.update',
        { id: client.organizationId, name: 'Renamed' },
        ['organizations', 'organisations', 'Organisationen'],
      ],
      [
        'products.update',
        { id: client.productIds[0]!, name: 'Renamed' },
        ['products', 'produits', 'Produkte'],
      ],
      ['products.update', { id: client.productIds[0]!, publicPriceMinor: 1 }, ['public_price_minor']],
    ] as const;
    for (const [method, input, words] of cases) {
      const messages = [];
      for (const locale of ['en', 'fr', 'de'] as const)
        messages.push(
          (await k.fails(method as 'products.update', input as never, 'not_allowed', { locale })).message,
        );
      for (const [i, word] of words.entries()) expect(messages[Math.min(i, 2)], method).toContain(word);
    }
    expect(count(k.raw, 'change_log')).toBe(rows);
    // What the role allows still goes through the same path: an accountant keeps the addresses.
    await k.ok('addresses.update', { id: client.addressIds[0]!, city: 'Morges' });
    expect(count(k.raw, 'change_log')).toBeGreaterThan(rows);
    await as(null);
  });

  it('lets nobody, the firm included, change what is fixed once written', async () => {
    await as(null);
    const partnership = k.raw.prepare('SELECT id FROM partnerships LIMIT 1').pluck().get() as string;
    const ctx = k.kontor.ctx();
    const { partnerships } = await import('#db/schema/index');
    expect(() =>
      ctx.write('test.fixed', (tx) =>
        tx.update(partnerships, partnership, { clientOrganizationId: partner.organizationId }),
      ),
    ).toThrow(expect.objectContaining({ code: 'field_fixed' }));
  });
});

describe('the renderer asks the same judgment before it offers an action (settings.actingClass, useMay)', () => {
  it('gives each acting person the class the write path judges with, and allowedTo agrees with the write path', async () => {
    const { allowedTo } = await import('#common/authority/table');
    const classOn = async (org: string) =>
      (await k.ok('settings.actingClass', { organizationId: org })).actor;
    await as(null);
    expect(await classOn(client.organizationId)).toBe('firm_administrator');
    await as(client.personIds[2]!);
    expect(await classOn(client.organizationId)).toBe('accountant');
    expect(await classOn(partner.organizationId)).toBe(null);
    // The accountant keeps the fiscal fields, not the name (refused above by the write path);
    // a plain member gets no "edit organization" at all.
    expect(allowedTo('accountant', 'organizations', 'update', { column: 'name' })).toBe(false);
    expect(allowedTo('accountant', 'organizations', 'update', { column: 'vat_number' })).toBe(true);
    expect(allowedTo('member', 'organizations', 'update')).toBe(false);
    expect(allowedTo('accountant', 'billing_addresses', 'insert')).toBe(true);
    await as(partner.personIds[0]!);
    // The complete partner paid by the partner, on its client: it keeps the client's master data, not its money.
    const onClient = await classOn(client.organizationId);
    expect(onClient).toBe('partner_complete_partner_pays');
    expect(allowedTo(onClient, 'products', 'update', { column: 'name' })).toBe(true);
    expect(allowedTo(onClient, 'ledger_entries', 'insert', { values: { kind: 'top_up' } })).toBe(false);
    await as(null);
  });
});

describe('acting as a limited partner shows nothing that was never allocated', () => {
  it('tags.list, members.list and organizations.stats of the client keep to the allocated products', async () => {
    await as(null);
    const limitedClient = await seedOrganization(k, { name: 'Client Limité SA', products: 3, tags: 3 });
    await as(partner.personIds[0]!);
    const p = await k.ok('partners.inviteClient', {
      partnerOrganizationId: partner.organizationId,
      clientOrganizationId: limitedClient.organizationId,
      access: 'limited',
    });
    await as(limitedClient.personIds[0]!);
    const allocated = limitedClient.productIds[0]!;
    await k.ok('partners.accept', { partnershipId: p.id, productIds: [allocated] });
    await as(null);
    const acting = {
      organizationId: limitedClient.organizationId,
      actingOrganizationId: partner.organizationId,
    };
    const tagsOnAllocated = (
      k.raw
        .prepare(
          'SELECT tag_id FROM product_tags WHERE product_id = ? AND deleted_at IS NULL ORDER BY tag_id',
        )
        .all(allocated) as { tag_id: string }[]
    ).map((r) => r.tag_id);
    const all = await k.ok('tags.list', { organizationId: limitedClient.organizationId });
    const seen = await k.ok('tags.list', acting);
    expect(all.length).toBeGreaterThan(seen.length);
    expect(seen.map((t) => t.id).sort()).toEqual(tagsOnAllocated);
    expect(seen.every((t) => t.productCount === 1)).toBe(true);
    expect(await k.ok('members.list', acting)).toEqual([]);
    expect((await k.ok('members.list', { organizationId: limitedClient.organizationId })).length).toBe(3);
    const stats = await k.ok('organizations.stats', {
      id: limitedClient.organizationId,
      actingOrganizationId: partner.organizationId,
    });
    expect(stats).toEqual({ products: 1, tags: tagsOnAllocated.length, members: 0, addresses: 0 });
    // The firm's view (no acting organization) is unchanged.
    const whole = await k.ok('organizations.stats', { id: limitedClient.organizationId });
    expect(whole.products).toBe(3);
    expect(whole.members).toBe(3);
  });
});
