// The store itself refuses a row that points at nothing: not only the services. SQLite turns
// foreign keys off per connection by default, so every connection the store opens must turn
// them on (and keep them on after migrating, which turns them off for a while).
import { describe, expect, it } from 'vitest';
import { openStore } from '#db/open';
import { foreignKeyViolations, useTempSpace } from '../helpers/kontor';
import { seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-fk-');

const NOW = '2026-03-15T09:30:00.000Z';

function insertProduct(
  raw: import('#db/open').RawDb,
  organizationId: string,
  billingAddressId: string | null = null,
) {
  raw
    .prepare(
      `INSERT INTO products (id, created_at, updated_at, organization_id, kind, name, public_price_minor, currency,
        billing_frequency, next_renewal_on, billing_address_id)
       VALUES (?, ?, ?, ?, 'domain', 'orphan.ch', 1500, 'CHF', 'annual', '2027-01-01', ?)`,
    )
    .run(`p-${Math.random()}`, NOW, NOW, organizationId, billingAddressId);
}

describe('foreign keys hold in the store', () => {
  it('are on for the connection the app writes through, and for a freshly migrated file', () => {
    const k = space.kontor();
    expect(k.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    const file = k.file;
    k.close();
    const store = openStore(file);
    expect(store.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
    const readonly = openStore(file, { readonly: true });
    expect(readonly.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    readonly.close();
  });

  it('refuse a product for an organization that does not exist, even through raw SQL', async () => {
    const k = space.kontor();
    const seeded = await seedOrganization(k, { products: 1 });
    const before = k.raw.prepare('SELECT count(*) AS n FROM products').get() as { n: number };

    expect(() => insertProduct(k.raw, 'no-such-organization')).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }),
    );
    expect(() => insertProduct(k.raw, seeded.organizationId, 'no-such-address')).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    // A product for a real organization goes in: the refusal above was the foreign key, not the SQL.
    insertProduct(k.raw, seeded.organizationId, seeded.addressIds[0]!);

    expect((k.raw.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n).toBe(before.n + 1);
    expect(foreignKeyViolations(k.raw)).toEqual([]);
  });

  it('refuse a tag on a missing product and a member who is nobody', async () => {
    const k = space.kontor();
    const seeded = await seedOrganization(k, { products: 1 });
    expect(() =>
      k.raw
        .prepare(
          "INSERT INTO product_tags (id, created_at, updated_at, product_id, tag_id) VALUES ('x', ?, ?, 'ghost', ?)",
        )
        .run(NOW, NOW, seeded.tagIds[0]!),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      k.raw
        .prepare(
          "INSERT INTO memberships (id, created_at, updated_at, organization_id, person_id, role) VALUES ('m', ?, ?, ?, 'ghost', 'member')",
        )
        .run(NOW, NOW, seeded.organizationId),
    ).toThrow(/FOREIGN KEY/);
  });

  it('refuse deleting a parent that still has children (rows are tombstoned, never removed)', async () => {
    const k = space.kontor();
    const seeded = await seedOrganization(k, { products: 2 });
    expect(() => k.raw.prepare('DELETE FROM organizations WHERE id = ?').run(seeded.organizationId)).toThrow(
      /FOREIGN KEY/,
    );
    expect(() => k.raw.prepare('DELETE FROM tags WHERE id = ?').run(seeded.tagIds[0]!)).toThrow(
      /FOREIGN KEY/,
    );
    // Through the API: an organization that still holds products is refused; once its
    // products are deleted (tombstoned), the organization is tombstoned too, and nothing dangles.
    await k.fails('organizations.delete', { id: seeded.organizationId }, 'organization_has_products');
    for (const id of seeded.productIds) await k.ok('products.delete', { id });
    await k.ok('organizations.delete', { id: seeded.organizationId });
    expect(foreignKeyViolations(k.raw)).toEqual([]);
    const row = k.raw
      .prepare('SELECT deleted_at FROM organizations WHERE id = ?')
      .get(seeded.organizationId) as {
      deleted_at: string | null;
    };
    expect(row.deleted_at).not.toBeNull();
  });
});
