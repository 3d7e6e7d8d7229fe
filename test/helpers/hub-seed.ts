import Database from 'better-sqlite3';
import path from 'node:path';

// A big hub for a first sync, written straight into a SQLite hub's tables: the state a hub
// holds once its history is folded into the snapshot state (server/sync/compact.ts) — one
// hub_rows row and the fields of every product, all at the sequence number of a template
// product a real device pushed. A fixture for the responsiveness test and the sync benchmark:
// making a million rows through the hub's push path would take longer than what they measure.

export interface SeedProducts {
  /** The hub's data directory (hub.sqlite in it); the hub may be running (WAL, busy timeout). */
  dataDir: string;
  /** A product a device pushed: its fields are every seeded product's. */
  templateId: string;
  organizationId: string;
  rows: number;
  /** Row ids are `${prefix}${i, 7 digits}`, names `${prefix}${i}.ch`. */
  prefix: string;
}

/** Writes `rows` products like the template; returns how many fields each has. */
export function seedProducts(o: SeedProducts): number {
  const db = new Database(path.join(o.dataDir, 'hub.sqlite'), { timeout: 30_000 });
  try {
    const template = db
      .prepare(
        "SELECT column_name, value, hlc, seq FROM hub_fields WHERE table_name = 'products' AND row_id = ?",
      )
      .all(o.templateId) as { column_name: string; value: string | null; hlc: string; seq: number }[];
    if (template.length === 0) throw new Error(`no product ${o.templateId} on the hub`);
    const seq = template[0]?.seq ?? 1;
    const row = db.prepare(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq, fields_json)
       VALUES ('products', ?, ?, NULL, ?, NULL, NULL, NULL, 1, ?, ?)`,
    );
    // Each row's JSON state as a push leaves it (server/sync/push-store.ts): its fields by column.
    template.sort((a, b) => (a.column_name < b.column_name ? -1 : a.column_name > b.column_name ? 1 : 0));
    const seededValue = (f: (typeof template)[number], i: number) =>
      f.column_name === 'name' ? JSON.stringify(`${o.prefix}${i}.ch`) : f.value;
    const field = db.prepare(
      "INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ('products', ?, ?, ?, ?, ?)",
    );
    // Transactions of 50k rows: one for a million would hold the whole WAL until it commits.
    for (let from = 0; from < o.rows; from += 50_000) {
      db.transaction(() => {
        for (let i = from; i < Math.min(o.rows, from + 50_000); i++) {
          const id = `${o.prefix}${String(i).padStart(7, '0')}`;
          const state: Record<string, [string | null, string]> = {};
          for (const f of template) state[f.column_name] = [seededValue(f, i), f.hlc];
          row.run(id, o.organizationId, id, seq, JSON.stringify(state));
          for (const f of template) field.run(id, f.column_name, seededValue(f, i), f.hlc, seq);
        }
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return template.length;
  } finally {
    db.close();
  }
}
