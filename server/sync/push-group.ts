import type { ChangeResult } from '#common/sync/protocol';
import { canWrite } from '../scope';
import { type Part, judgeInvoiceGroup } from './issue-race';
import { applyFields } from './push-fields';
import { judgeWrite } from './push-judge';
import { applyMoney } from './push-money';
import { decode, key, type PushBatch, type RowState, reject } from './push-state';
import { isDerived } from '#db/sync/tables';
import { isHubOnlyTable, isMoneyTable, SYNCED_TABLES } from './tables';

// One group: the changes one device write made to one row (same HLC). Its stages, in order:
// refusals found before (forged clock, oversized value), money records (./push-money.ts),
// the whole-row expansion, the one authority point (./push-judge.ts), derived values
// stripped, the invoice issue race (./issue-race.ts), then last writer wins (./push-fields.ts).

type Answer = (r: ChangeResult) => void;

export async function applyGroup(b: PushBatch, group: readonly number[]): Promise<void> {
  const { changes, results } = b;
  const first = changes[group[0]!]!;
  const table = first.table;
  const state = b.rows.get(key(table, first.rowId))!;
  const setAll = (r: ChangeResult) => {
    for (const i of group) results[i] ??= r;
  };
  // One refused change refuses the whole write (it passes or fails as a whole).
  const refusedEarly = group.map((i) => results[i]).find((r) => r);
  if (refusedEarly) {
    setAll(refusedEarly);
    return;
  }
  if (!SYNCED_TABLES.has(table)) {
    setAll(reject('unknown_table', { table }));
    return;
  }
  if (isHubOnlyTable(table)) {
    setAll(reject('hub_only_table', { table }));
    return;
  }
  if (isMoneyTable(table)) {
    for (const i of group) {
      results[i] = await applyMoney(b, changes[i]!);
    }
    return;
  }

  const parts = expandParts(b, group);
  const hlc = first.hlc;
  // The one authority point: values, scope and who may do what, before last-writer-wins
  // or the issue race answers anything (a replay of this device's own stored write is a
  // duplicate first).
  const replay = parts.length > 0 && parts.every((p) => state.fields.get(p.column)?.hlc === hlc);
  if (parts.length > 0 && !replay) {
    const verdict = await judgeWrite(b, state, parts);
    if (verdict) {
      setAll(verdict);
      return;
    }
  }
  // Derived values (totals, paid) never merge: the hub derives them (./derived.ts).
  for (let p = parts.length - 1; p >= 0; p--) {
    const part = parts[p]!;
    if (isDerived(table, part.column)) parts.splice(p, 1);
  }
  let forcedIssue = false;
  if (table === 'invoices') {
    const race = await raceInvoice(b, state, parts, hlc, setAll);
    if (race === 'answered') return;
    forcedIssue = race === 'issue';
  }
  await applyFields(b, group, state, parts, hlc, forcedIssue);
}

/** Expands a whole-row change (`*`, invoices written in bulk) into its fields. */
function expandParts(b: PushBatch, group: readonly number[]): Part[] {
  const parts: Part[] = [];
  for (const i of group) {
    const c = b.changes[i]!;
    if (c.column === '*') {
      const obj = decode(c.value);
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        b.results[i] = reject('malformed_value', { column: '*' });
        continue;
      }
      for (const [col, v] of Object.entries(obj as Record<string, unknown>)) {
        if (col !== 'id')
          parts.push({
            index: i,
            column: col,
            value: v === null || v === undefined ? null : JSON.stringify(v),
          });
      }
    } else if (c.value !== null && decode(c.value) === undefined) {
      b.results[i] = reject('malformed_value', { column: c.column });
    } else parts.push({ index: i, column: c.column, value: c.value });
  }
  return parts;
}

/**
 * The invoice issue race (./issue-race.ts): 'answered' when the group is settled here (refused,
 * voided or superseded), 'issue' when it is the first issue and applies whole, else 'merge'.
 */
async function raceInvoice(
  b: PushBatch,
  state: RowState,
  parts: readonly Part[],
  hlc: string,
  setAll: Answer,
): Promise<'answered' | 'issue' | 'merge'> {
  const verdict = await judgeInvoiceGroup({
    rowId: state.rowId,
    hlc,
    deviceId: b.device.id,
    parts,
    current: state.fields,
    logged: async (column) =>
      (
        await b.sql.all(
          'SELECT 1 FROM hub_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND hlc = ?',
          [state.table, state.rowId, column, hlc],
        )
      ).length > 0,
    hubHlc: b.hubStamp(),
    now: b.now,
  });
  if (verdict.kind === 'refuse') {
    // Only the device's own number in an invoice it may write becomes a void: nobody
    // voids another's series or a book outside their scope.
    const sc = await b.currentScope();
    const k = state.keys;
    if (
      !k ||
      !canWrite(sc, {
        table_name: state.table,
        row_id: state.rowId,
        org_id: k.orgId,
        org2_id: k.org2Id,
        product_id: k.productId,
      })
    ) {
      setAll(reject('out_of_scope', { table: state.table, rowId: state.rowId }));
      return 'answered';
    }
    const code = verdict.voided?.series.split('-').pop() ?? '';
    // Exactly the series the hub assigned this device: never a prefix of its id.
    if (verdict.voided && code !== b.device.seriesCode) {
      setAll(
        reject('invoice_series_foreign', {
          series: verdict.voided.series,
          deviceSeries: b.device.seriesCode,
        }),
      );
      return 'answered';
    }
    setAll(verdict.result);
    if (verdict.voided) await b.recordVoid(verdict.voided);
    return 'answered';
  }
  if (verdict.kind === 'superseded') {
    setAll({ outcome: 'superseded', hubSeq: null, reason: null });
    return 'answered';
  }
  if (verdict.kind !== 'issue') return 'merge';
  b.paidInvoices.add(state.rowId);
  return 'issue';
}
