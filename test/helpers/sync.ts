// Comparing what two stores hold, for sync tests: every synced table, row by row, without the
// local bookkeeping (updated_at, the local ids of invoice lines).
import type { RawDb } from '#db/open';
import { SYNC_TABLES } from '#db/sync/tables';

export type StoreContent = Record<string, Record<string, unknown>[]>;

export function storeContent(raw: RawDb, options: { organizations?: readonly string[] } = {}): StoreContent {
  const out: StoreContent = {};
  for (const name of SYNC_TABLES.keys()) {
    const rows = raw.prepare(`SELECT * FROM "${name}" ORDER BY id`).all() as Record<string, unknown>[];
    out[name] = rows.map(({ updated_at: _u, ...rest }) => rest);
  }
  out.invoice_lines = raw
    .prepare(
      `SELECT invoice_id, position, product_id, description, quantity_milli, unit_price_minor, discount_bp,
              vat_rate_bp, net_minor, vat_minor, gross_minor
       FROM invoice_lines ORDER BY invoice_id, position`,
    )
    .all() as Record<string, unknown>[];
  out.prepaid_balances = raw
    .prepare('SELECT * FROM prepaid_balances WHERE balance_minor <> 0 ORDER BY organization_id, currency')
    .all() as Record<string, unknown>[];
  if (options.organizations) {
    const keep = new Set(options.organizations);
    for (const [name, rows] of Object.entries(out)) {
      out[name] = rows.filter((r) => {
        const org = (name === 'organizations' ? r.id : r.organization_id) as string | undefined;
        return org === undefined || keep.has(org);
      });
    }
  }
  return out;
}

/** Rows per table, for messages that say what differs without printing a whole store. */
export function contentSummary(content: StoreContent): Record<string, number> {
  return Object.fromEntries(Object.entries(content).map(([name, rows]) => [name, rows.length]));
}
