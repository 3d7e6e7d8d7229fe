// Comparing what two stores hold, for sync tests: every synced table, row by row, without the
// local bookkeeping (updated_at, the local ids of invoice lines).
import type { RawDb } from '#db/open';
import { Applier } from '#db/sync/apply';
import { readOutbox } from '#db/sync/outbox';
import { SYNC_TABLES } from '#db/sync/tables';
import type { PulledChange, SnapshotRow } from '#common/sync/protocol';
import type { TestKontor } from './kontor';

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

// ---------------------------------------------------------------------------------------
// Carrying changes from one device to another without a hub: what the hub would hand out.


let handedOut = 0;

/** Everything in `from`'s outbox, acknowledged as applied, as the hub would hand it to others. */
export function drainOutbox(from: TestKontor, schemaVersion = 8): PulledChange[] {
  const ctx = from.kontor.ctx();
  const out: PulledChange[] = [];
  for (;;) {
    const batch = readOutbox(ctx.raw, { deviceId: ctx.deviceId, schemaVersion, limit: 500 });
    if (!batch) return out;
    const results = batch.request.changes.map((change) => {
      out.push({ ...change, seq: ++handedOut });
      return { outcome: 'applied' as const, hubSeq: handedOut, reason: null };
    });
    new Applier(ctx.raw).acknowledge(batch.request.changes, batch.seqs, results, ctx.clock.now().toISOString());
  }
}

/** Each row `from` wrote (its outbox, drained), as a snapshot serves it, by its id. */
export function snapshotRowsOf(from: TestKontor): Map<string, SnapshotRow> {
  const byRow = new Map<string, SnapshotRow>();
  for (const c of drainOutbox(from)) {
    if (c.column === '*') continue;
    const row = byRow.get(c.rowId) ?? { table: c.table, rowId: c.rowId, fields: {} };
    row.fields[c.column] = [c.value, c.hlc];
    byRow.set(c.rowId, row);
  }
  return byRow;
}

/** Applies pulled changes on `to`, a page at a time, as a sync round does. */
export function applyPulled(to: TestKontor, changes: PulledChange[], pageSize = 97): void {
  const applier = new Applier(to.raw);
  for (let i = 0; i < changes.length; i += pageSize) {
    applier.applyPage(changes.slice(i, i + pageSize), to.clock.now().toISOString());
  }
}
