import type { Sql } from '../store/types';
import { type PartnershipState, partnershipStateOf } from './actor';
import type { HubView } from './authorize';
import type { Fields } from './tables';
import { parseJson } from './stored-json';

// The hub's rows as the authority check reads them: stored fields, with the rows this batch
// already wrote (held in memory by push.ts until they are flushed) over them.

const decode = (v: string | null | undefined): unknown => parseJson(v) ?? null;

export interface BatchRows {
  /** The batch's current fields of a row it touched, or undefined when it did not touch it. */
  fields(table: string, rowId: string): Fields | null | undefined;
  /** Every row of a table the batch touched. */
  touched(table: string): Iterable<[string, Fields]>;
  /** The live memberships the batch writes for a person, judged or not yet. */
  joining(personId: string): Fields[];
}

/** A row's decoded fields from its hub_fields rows (null: none, the hub has no such row). */
export function fieldsOfStored(rows: readonly { column_name: string; value: string | null }[]): Fields | null {
  if (rows.length === 0) return null;
  const out: Fields = {};
  for (const r of rows) out[r.column_name] = decode(r.value);
  const star = out['*'];
  if (star && typeof star === 'object') Object.assign(out, star as Fields);
  return out;
}

/** The key of one field of a row in hubView's `primed` (./push-parents.ts). */
export const fieldKey = (table: string, rowId: string, column: string) => `${table}\u0000${rowId}\u0000${column}`;

/**
 * `primed`: fields of rows the batch does not write, already read (./push-parents.ts), by
 * fieldKey; the view reads the others when first asked.
 */
export function hubView(sql: Sql, batch: BatchRows, primed?: Map<string, unknown>): HubView {
  const stored = async (table: string, rowId: string): Promise<Fields | null> =>
    fieldsOfStored(
      await sql.all<{ column_name: string; value: string | null }>(
        'SELECT column_name, value FROM hub_fields WHERE table_name = ? AND row_id = ?',
        [table, rowId],
      ),
    );
  const cache = new Map<string, Fields | null>();
  const fieldCache = primed ?? new Map<string, unknown>();
  /** A field and the whole-row `*` value that may carry it: fieldsOfStored merges them as for a row. */
  const storedField = async (table: string, rowId: string, column: string): Promise<unknown> =>
    fieldsOfStored(
      await sql.all<{ column_name: string; value: string | null }>(
        "SELECT column_name, value FROM hub_fields WHERE table_name = ? AND row_id = ? AND column_name IN (?, '*')",
        [table, rowId, column],
      ),
    )?.[column] ?? null;
  const row = async (table: string, rowId: string) => {
    const inBatch = batch.fields(table, rowId);
    if (inBatch !== undefined) return inBatch;
    const k = `${table}\u0000${rowId}`;
    if (!cache.has(k)) cache.set(k, await stored(table, rowId));
    return cache.get(k) ?? null;
  };
  /** The rows of a table that name this invoice (their `invoice_id`, the row key `ref_id`). */
  const referring = async (table: string, invoiceId: string): Promise<Fields[]> => {
    const ids = new Set(
      (
        await sql.all<{ row_id: string }>('SELECT row_id FROM hub_rows WHERE table_name = ? AND ref_id = ?', [
          table,
          invoiceId,
        ])
      ).map((r) => r.row_id),
    );
    for (const [id, f] of batch.touched(table)) if (f.invoice_id === invoiceId) ids.add(id);
    const out: Fields[] = [];
    for (const id of ids) {
      const f = await row(table, id);
      if (f) out.push(f);
    }
    return out;
  };
  const field = async (table: string, rowId: string, column: string): Promise<unknown> => {
    const inBatch = batch.fields(table, rowId);
    if (inBatch !== undefined) return inBatch?.[column] ?? null;
    const whole = cache.get(`${table}\u0000${rowId}`);
    if (whole !== undefined) return whole?.[column] ?? null;
    const k = fieldKey(table, rowId, column);
    if (!fieldCache.has(k)) fieldCache.set(k, await storedField(table, rowId, column));
    return fieldCache.get(k) ?? null;
  };
  return {
    row,
    field,
    async partnershipsOf(client) {
      const ids = new Set(
        (
          await sql.all<{ row_id: string }>(
            "SELECT row_id FROM hub_rows WHERE table_name = 'partnerships' AND org_id = ?",
            [client],
          )
        ).map((r) => r.row_id),
      );
      for (const [id, f] of batch.touched('partnerships'))
        if (f.client_organization_id === client) ids.add(id);
      const out: PartnershipState[] = [];
      for (const id of ids) {
        const f = await row('partnerships', id);
        const p = f ? partnershipStateOf(f) : null;
        if (p && p.client === client) out.push(p);
      }
      return out;
    },
    async organizationsOfPerson(personId) {
      const orgs = new Set(
        (
          await sql.all<{ org_id: string | null }>(
            "SELECT org_id FROM hub_rows WHERE table_name = 'memberships' AND ref_id = ? AND live = 1",
            [personId],
          )
        )
          .map((r) => r.org_id)
          .filter((o): o is string => o !== null),
      );
      for (const [, f] of batch.touched('memberships'))
        if (f.person_id === personId && typeof f.organization_id === 'string' && f.deleted_at == null)
          orgs.add(f.organization_id);
      return [...orgs];
    },
    joiningMembershipsOf: (personId) => batch.joining(personId),
    referring,
    async paidOf(invoiceId) {
      let paid = 0;
      for (const f of await referring('payments', invoiceId))
        if (f.outcome === 'applied' && typeof f.amount_minor === 'number') paid += f.amount_minor;
      return paid;
    },
  };
}
