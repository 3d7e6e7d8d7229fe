import type { Sql } from '../store/types';

/**
 * The firm moved a product to another organization: the rows keyed by it (its tag links,
 * which take their organization from the product) follow in the same transaction, so no
 * device of the old organization keeps seeing them and none of the new one misses them.
 */
export async function rekeyMovedProduct(sql: Sql, productId: string, orgId: string | null): Promise<void> {
  await sql.run("UPDATE hub_rows SET org_id = ? WHERE table_name = 'product_tags' AND product_id = ?", [
    orgId,
    productId,
  ]);
}
