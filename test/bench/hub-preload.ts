import type pg from 'pg';
import { enrolledDevice } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// A hub that already holds other firms' clients: a push's cost that grows with the hub (a read
// that scans a table instead of an index, a scope that reads more than its caller's) shows only
// there. One organization with its products is pushed through the hub (its rows, keys, fields,
// log and state exactly as a push writes them), then copied in SQL under new ids, linked to a
// user of their own: nobody of the benchmark sees them.

const TEMPLATE = 'tplq7z';
const PRODUCTS = 99;

/** Copies of one organization and its 99 products: `rows` rows (orgs + products) in all. */
export async function preloadOtherOrganizations(db: pg.Client, hubUrl: string, rows: number): Promise<number> {
  const copies = Math.max(1, Math.round(rows / (PRODUCTS + 1)));
  const d = await enrolledDevice(hubUrl, 'other-firms');
  const org = `${TEMPLATE}-org`;
  await d.push([
    ...organization(d, org),
    ...Array.from({ length: PRODUCTS }, (_, i) => product(d, `${TEMPLATE}-p${i}`, org)).flat(),
  ]);
  const copy = (column: string) => `replace(${column}, '${TEMPLATE}', 'pre' || k)`;
  const ofTemplate = `(r.row_id LIKE '${TEMPLATE}-%')`;
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq, fields_json)
     SELECT r.table_name, ${copy('r.row_id')}, ${copy('r.org_id')}, r.org2_id, ${copy('r.product_id')}, r.ref_id,
            r.status, r.access, r.live, r.first_seq, ${copy('r.fields_json')}
       FROM hub_rows r, generate_series(1, $1::int) k WHERE ${ofTemplate}`,
    [copies],
  );
  await db.query(
    `INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq)
     SELECT r.table_name, ${copy('r.row_id')}, r.column_name, ${copy('r.value')}, r.hlc, r.seq
       FROM hub_fields r, generate_series(1, $1::int) k WHERE ${ofTemplate}`,
    [copies],
  );
  await db.query(
    `INSERT INTO hub_log (seq, table_name, row_id, column_name, value, hlc, device_id)
     SELECT nextval('hub_seq'), r.table_name, ${copy('r.row_id')}, r.column_name, ${copy('r.value')}, r.hlc, r.device_id
       FROM hub_log r, generate_series(1, $1::int) k WHERE ${ofTemplate} ORDER BY k, r.seq`,
    [copies],
  );
  await db.query(
    `INSERT INTO hub_user_orgs (user_id, organization_id, created_at, created)
     SELECT o.user_id, ${copy('o.organization_id')}, o.created_at, o.created
       FROM hub_user_orgs o, generate_series(1, $1::int) k WHERE o.organization_id = $2`,
    [copies, org],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_rows');
  return n.rows[0]!.n;
}
