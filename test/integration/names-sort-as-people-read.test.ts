// Issue 14: lists sorted by byte order put "Käserei" after "Kontor" and "Éditions" last. Every
// list by name now sorts by the folded sort key (db/sort-key.ts), and keyset pages walk the
// indexes of migration 0017 instead of sorting.
import { describe, expect, it } from 'vitest';
import { nameOrder } from '#core/services/query-helpers';
import { useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-name-order-');
const NAMES = ['Zeta Informatik', 'Kontor Treuhand AG', 'Éditions Lémaniques SA', 'Käserei Müller AG', 'alpha conseil', 'Ångström Labs'];
const EXPECTED = ['alpha conseil', 'Ångström Labs', 'Éditions Lémaniques SA', 'Käserei Müller AG', 'Kontor Treuhand AG', 'Zeta Informatik'];

describe('names sort as people read them', () => {
  it('organizations, their pages, people and products, accents and case folded', async () => {
    const k = space.kontor();
    const ids: string[] = [];
    for (const name of NAMES) ids.push((await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' })).id);
    expect((await k.ok('organizations.list', {})).map((o) => o.name)).toEqual(EXPECTED);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof k.ok<'organizations.page'>>> = await k.ok('organizations.page', { limit: 2, cursor });
      paged.push(...page.rows.map((o) => o.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(EXPECTED);

    for (const [i, name] of NAMES.entries()) await k.ok('people.create', { name, email: `p${i}@example.ch` });
    expect((await k.ok('people.list', {})).map((p) => p.name)).toEqual(EXPECTED);

    for (const name of NAMES)
      await k.ok('products.create', { organizationId: ids[0]!, kind: 'domain', name, publicPriceMinor: 100, billingFrequency: 'annual', nextRenewalOn: '2027-01-01' });
    const products: string[] = [];
    cursor = null;
    do {
      const page: Awaited<ReturnType<typeof k.ok<'products.list'>>> = await k.ok('products.list', { organizationId: ids[0]!, sort: 'name', limit: 4, cursor });
      products.push(...page.rows.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(products).toEqual(EXPECTED);
  });

  it('walks the sort-key indexes instead of sorting', () => {
    const k = space.kontor();
    const plan = (query: string) =>
      (k.raw.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    const orgs = plan(`SELECT id FROM organizations WHERE deleted_at IS NULL AND (${sqlOf('organizations')}, id) > ('k', '') ORDER BY ${sqlOf('organizations')}, id LIMIT 50`);
    expect(orgs).toContain('organizations_sort_idx');
    expect(orgs).not.toContain('TEMP B-TREE');
    const products = plan(`SELECT id FROM products WHERE organization_id = 'x' AND deleted_at IS NULL ORDER BY ${sqlOf('products')} DESC, id DESC LIMIT 50`);
    expect(products).toContain('products_org_sort_idx');
    expect(products).not.toContain('TEMP B-TREE');
  });
});

/** The SQL text of nameOrder(table), as the services send it. */
function sqlOf(table: string): string {
  const chunk = nameOrder(table).queryChunks[0] as { value: string[] };
  return chunk.value.join('');
}
