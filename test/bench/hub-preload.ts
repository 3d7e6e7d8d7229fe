import type pg from 'pg';
import { enrolledDevice } from '../helpers/hub';
import { draftInvoice, organization, partnership, product } from '../helpers/hub-fixtures';

// A hub that already holds other firms' clients: a push's cost that grows with the hub (a read
// that scans a table instead of an index, a scope that reads more than its caller's) shows only
// there. One client with its products, invoices and partnerships is pushed through the hub
// (its rows, keys, fields, log and state exactly as a push writes them), then copied in SQL
// under new ids, linked to a user of their own: nobody of the benchmark sees them. The scope's
// reads go by organization into partnerships and invoices (server/scope.ts): those tables hold
// rows of others too.

const TEMPLATE = 'tplq7z';

/** Copies of one client (2 organizations, 49 products, 40 invoices, 9 partnerships: 100 rows). */
export async function preloadOtherOrganizations(db: pg.Client, hubUrl: string, rows: number): Promise<number> {
  const copies = Math.max(1, Math.round(rows / 100));
  const d = await enrolledDevice(hubUrl, 'other-firms');
  const org = `${TEMPLATE}-org`;
  const provider = `${TEMPLATE}-prov`;
  const partners = Array.from({ length: 9 }, (_, i) => `${TEMPLATE}-partner${i}`);
  const template = [
    ...organization(d, org),
    ...organization(d, provider),
    ...Array.from({ length: 49 }, (_, i) => product(d, `${TEMPLATE}-p${i}`, org)).flat(),
    ...Array.from({ length: 40 }, (_, i) => draftInvoice(d, `${TEMPLATE}-i${i}`, org, provider)).flat(),
    ...partners.flatMap((p, i) => partnership(d, `${TEMPLATE}-ps${i}`, p, org, 'complete', 'client')),
  ];
  const pushed = await d.push(template);
  // Derived totals are dropped (superseded): only a refusal is wrong.
  const refused = pushed.results.filter((r) => r.outcome === 'rejected');
  if (refused.length > 0) throw new Error(`preload template refused: ${JSON.stringify(refused[0])}`);
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
     SELECT o.user_id || '-' || k, ${copy('o.organization_id')}, o.created_at, o.created
       FROM hub_user_orgs o, generate_series(1, $1::int) k WHERE o.organization_id LIKE $2`,
    [copies, `${TEMPLATE}-%`],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_rows');
  return n.rows[0]!.n;
}
