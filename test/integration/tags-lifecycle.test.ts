// DOMAIN.md, Tag: per organization; name unique case-insensitively; colour; many-to-many with
// products; rename, recolour, delete (a deleted tag leaves every product); filter products by
// one or more tags; a tag can exist on no product.
import { beforeAll, describe, expect, it } from 'vitest';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-tags-');

async function organizationWithProducts(k: TestKontor, n: number, name = 'Atelier Lumière') {
  const org = await k.ok('organizations.create', { kind: 'company', name, country: 'FR', currency: 'EUR' });
  const productIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = await k.ok('products.create', {
      organizationId: org.id,
      kind: i % 2 === 0 ? 'web_hosting' : 'domain',
      name: `site-${String(i).padStart(2, '0')}.fr`,
      publicPriceMinor: 1_200 + i,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    productIds.push(p.id);
  }
  return { organizationId: org.id, productIds };
}

async function listedIds(k: TestKontor, organizationId: string, tagIds: string[], tagMode: 'any' | 'all') {
  const page = await k.ok('products.list', { organizationId, tagIds, tagMode, limit: 1000 });
  const { count: n } = await k.ok('products.count', { organizationId, tagIds, tagMode });
  expect(n).toBe(page.rows.length);
  return page.rows.map((p) => p.id).sort();
}

describe('tag names are unique per organization, whatever the case and spacing', () => {
  let k: TestKontor;
  let organizationId: string;
  beforeAll(async () => {
    k = space.kontor();
    ({ organizationId } = await organizationWithProducts(k, 0));
  });

  it('refuses "web" and "  Web  " once "Web" exists, and says which tag is in the way', async () => {
    await k.ok('tags.create', { organizationId, name: 'Web' });
    const lower = await k.fails('tags.create', { organizationId, name: 'web' }, 'tag_name_taken', {
      locale: 'en',
    });
    expect(lower.message).toContain('“Web”');
    await k.fails('tags.create', { organizationId, name: '  Web  ' }, 'tag_name_taken');
    await k.fails('tags.create', { organizationId, name: 'WEB' }, 'tag_name_taken');
  });

  it('folds Unicode case, not only ASCII: "École" clashes with "école" and "ÉCOLE"', async () => {
    await k.ok('tags.create', { organizationId, name: 'École' });
    await k.fails('tags.create', { organizationId, name: 'école' }, 'tag_name_taken');
    const fr = await k.fails('tags.create', { organizationId, name: 'ÉCOLE' }, 'tag_name_taken', {
      locale: 'fr',
    });
    expect(fr.message).toBe('Une étiquette « École » existe déjà dans cette organisation.');
    // A different word is a different tag, accents included.
    await k.ok('tags.create', { organizationId, name: 'Ecole' });
  });

  it('collapses inner spaces and trims: "Client  VIP" clashes with "client vip"', async () => {
    const created = await k.ok('tags.create', { organizationId, name: '  Client  VIP ' });
    expect(created.name).toBe('Client  VIP');
    await k.fails('tags.create', { organizationId, name: 'client vip' }, 'tag_name_taken');
  });

  it('allows the same name in another organization', async () => {
    const other = await organizationWithProducts(k, 0, 'Autre SARL');
    await k.ok('tags.create', { organizationId: other.organizationId, name: 'web' });
  });

  it('writes nothing when refusing', async () => {
    const before = {
      tags: count(k.raw, 'tags'),
      activity: count(k.raw, 'activity'),
      log: count(k.raw, 'change_log'),
    };
    await k.fails('tags.create', { organizationId, name: 'WEB' }, 'tag_name_taken');
    expect({
      tags: count(k.raw, 'tags'),
      activity: count(k.raw, 'activity'),
      log: count(k.raw, 'change_log'),
    }).toEqual(before);
  });
});

describe('a tag’s life: create, rename, recolour, assign, filter, unassign, delete, re-create', () => {
  let k: TestKontor;
  let organizationId: string;
  let products: string[];
  const tag: Record<string, string> = {};

  beforeAll(async () => {
    k = space.kontor();
    ({ organizationId, productIds: products } = await organizationWithProducts(k, 10));
    for (const name of ['Urgent', 'Client VIP', 'Migration', 'Vide']) {
      tag[name] = (await k.ok('tags.create', { organizationId, name })).id;
    }
  });

  it('renames, including a change of case of its own name', async () => {
    const renamed = await k.ok('tags.rename', { tagId: tag.Urgent!, name: 'Prioritaire' });
    expect(renamed.name).toBe('Prioritaire');
    expect((await k.ok('tags.rename', { tagId: tag.Urgent!, name: 'PRIORITAIRE' })).name).toBe('PRIORITAIRE');
    await k.fails('tags.rename', { tagId: tag.Urgent!, name: 'client vip' }, 'tag_name_taken');
    // The old name is free again.
    const urgent = await k.ok('tags.create', { organizationId, name: 'urgent' });
    await k.ok('tags.delete', { tagId: urgent.id });
  });

  it('recolours (stored lower-case) and refuses what is not a colour', async () => {
    expect((await k.ok('tags.recolor', { tagId: tag.Migration!, color: '#AB12EF' })).color).toBe('#ab12ef');
    await k.fails('tags.recolor', { tagId: tag.Migration!, color: 'red' }, 'invalid_input');
  });

  it('is assigned to many products at once, idempotently', async () => {
    expect(await k.ok('tags.assign', { tagId: tag.Urgent!, productIds: products.slice(0, 6) })).toEqual({
      tagId: tag.Urgent,
      changed: 6,
    });
    expect(
      (await k.ok('tags.assign', { tagId: tag.Urgent!, productIds: products.slice(0, 6) })).changed,
    ).toBe(0);
    await k.ok('tags.assign', { tagId: tag['Client VIP']!, productIds: products.slice(4, 9) });
    await k.ok('tags.assign', { tagId: tag.Migration!, productIds: [products[9]!] });
    const p5 = await k.ok('products.get', { id: products[5]! });
    expect(p5.tags.map((t) => t.name).sort()).toEqual(['Client VIP', 'PRIORITAIRE']);
  });

  it('filters products by one tag, by any of several, and by all of several', async () => {
    expect(await listedIds(k, organizationId, [tag.Urgent!], 'any')).toEqual(products.slice(0, 6).sort());
    expect(await listedIds(k, organizationId, [tag.Urgent!, tag['Client VIP']!], 'any')).toEqual(
      products.slice(0, 9).sort(),
    );
    expect(await listedIds(k, organizationId, [tag.Urgent!, tag['Client VIP']!], 'all')).toEqual(
      products.slice(4, 6).sort(),
    );
    // The same tag twice in an "all" filter means that tag once.
    expect(await listedIds(k, organizationId, [tag.Migration!, tag.Migration!], 'all')).toEqual([
      products[9]!,
    ]);
    expect(await listedIds(k, organizationId, [tag.Vide!], 'any')).toEqual([]);
    expect(await listedIds(k, organizationId, [tag.Urgent!, tag.Migration!], 'all')).toEqual([]);
  });

  it('is taken off products, and the filter follows', async () => {
    expect(
      (await k.ok('tags.unassign', { tagId: tag.Urgent!, productIds: [products[0]!, products[1]!] })).changed,
    ).toBe(2);
    expect(await listedIds(k, organizationId, [tag.Urgent!], 'any')).toEqual(products.slice(2, 6).sort());
    // Put back: the pair row is revived, not duplicated.
    await k.ok('tags.assign', { tagId: tag.Urgent!, productIds: [products[0]!] });
    expect(count(k.raw, 'product_tags', 'id = ?', `${products[0]}:${tag.Urgent}`)).toBe(1);
    expect(await listedIds(k, organizationId, [tag.Urgent!], 'any')).toEqual(
      [products[0]!, ...products.slice(2, 6)].sort(),
    );
  });

  it('lists tags with their product counts, including a tag on no product', async () => {
    const list = await k.ok('tags.list', { organizationId });
    const byName = Object.fromEntries(list.map((t) => [t.name, t.productCount]));
    expect(byName).toEqual({ PRIORITAIRE: 5, 'Client VIP': 5, Migration: 1, Vide: 0 });
  });

  it('when deleted, leaves every product: the pairs are tombstoned and the products untouched', async () => {
    const productsBefore = k.raw.prepare('SELECT * FROM products ORDER BY id').all();
    const result = await k.ok('tags.delete', { tagId: tag['Client VIP']! });
    expect(result.removedFrom).toBe(5);
    expect(k.raw.prepare('SELECT * FROM products ORDER BY id').all()).toEqual(productsBefore);
    const pairs = k.raw
      .prepare('SELECT deleted_at FROM product_tags WHERE tag_id = ?')
      .all(tag['Client VIP']!) as {
      deleted_at: string | null;
    }[];
    expect(pairs).toHaveLength(5);
    expect(pairs.every((p) => p.deleted_at !== null)).toBe(true);
    for (const id of products.slice(4, 9)) {
      const p = await k.ok('products.get', { id });
      expect(p.tags.map((t) => t.name)).not.toContain('Client VIP');
    }
    expect((await k.ok('products.count', { organizationId })).count).toBe(10);
    await k.fails('tags.rename', { tagId: tag['Client VIP']!, name: 'Revenant' }, 'tag_not_found');
    await k.fails('tags.assign', { tagId: tag['Client VIP']!, productIds: [products[0]!] }, 'tag_not_found');
    expect((await k.ok('tags.list', { organizationId })).map((t) => t.name)).not.toContain('Client VIP');
  });

  it('can be created again under a deleted tag’s name, starting on no product', async () => {
    const again = await k.ok('tags.create', { organizationId, name: 'client vip' });
    expect(again.id).not.toBe(tag['Client VIP']);
    expect(await listedIds(k, organizationId, [again.id], 'any')).toEqual([]);
    const list = await k.ok('tags.list', { organizationId });
    expect(list.find((t) => t.id === again.id)?.productCount).toBe(0);
  });

  it('cannot be put on another organization’s product', async () => {
    const other = await organizationWithProducts(k, 1, 'Voisin SA');
    await k.fails(
      'tags.assign',
      { tagId: tag.Migration!, productIds: [other.productIds[0]!] },
      'product_wrong_organization',
    );
    const foreign = await k.ok('tags.create', { organizationId: other.organizationId, name: 'Étranger' });
    await k.fails(
      'products.create',
      {
        organizationId,
        kind: 'domain',
        name: 'x.fr',
        publicPriceMinor: 1,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
        tagIds: [foreign.id],
      },
      'product_wrong_organization',
    );
  });
});
