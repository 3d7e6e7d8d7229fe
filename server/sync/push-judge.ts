import type { ChangeResult } from '#common/sync/protocol';
import { canWrite } from '../scope';
import { judgeReminder } from './authorize-reminders';
import { numberProblem } from './numbers';
import { decode, fieldsOf, type PushBatch, type RowState, reject } from './push-state';
import { type RowKeys, rowKeysOf } from './tables';

// The authority point of a push for rows that are not money (./push-money.ts): scope before
// and after, who may write what (./authorize.ts), then the master-data rules on what wins.

/** Once issued, only these move (db/migrations/0002: the store's own trigger agrees). */
const MUTABLE_AFTER_ISSUE = new Set(['status', 'paid_minor', 'updated_at']);
const STATUS_NEXT: Record<string, readonly string[]> = {
  draft: ['draft', 'unpaid', 'partially_paid', 'paid'],
  unpaid: ['partially_paid', 'paid', 'cancelled'],
  partially_paid: ['paid', 'cancelled', 'refunded'],
  paid: ['refunded'],
  refunded: [],
  cancelled: [],
};

/** Whether the user may write this row as the hub holds it and as it would be after `overlay`. */
async function scopeAllows(
  b: PushBatch,
  state: RowState,
  overlay: Map<string, string | null>,
  only?: 'before',
): Promise<boolean> {
  const sc = await b.currentScope();
  const before = state.keys;
  const keyed = (k: RowKeys) => ({
    table_name: state.table,
    row_id: state.rowId,
    org_id: k.orgId,
    org2_id: k.org2Id,
    product_id: k.productId,
  });
  const isNewOrganization = state.table === 'organizations' && before === null;
  // members.add logs the person before the membership that puts them in scope: a person the
  // hub does not know yet is accepted when this batch also links them to an organization the
  // caller has full access to. A person the hub already knows is judged by the hub's scope.
  const isJoiningPerson =
    state.table === 'people' &&
    (before === null || b.newPeople.has(state.rowId)) &&
    (b.joiningPeople.get(state.rowId) ?? []).some(
      (m) => typeof m.organization_id === 'string' && sc.full.has(m.organization_id),
    );
  if (isNewOrganization || isJoiningPerson) return true;
  if (before && !canWrite(sc, keyed(before))) return false;
  if (only === 'before') return true;
  // The keys after the write only when they are asked: deriving them decodes every field.
  return canWrite(sc, keyed(await rowKeysOf(state.table, state.rowId, fieldsOf(state, overlay), b.parent)));
}

export async function judgeWrite(
  b: PushBatch,
  state: RowState,
  parts: { column: string; value: string | null }[],
): Promise<ChangeResult | null> {
  const values = new Map<string, unknown>();
  for (const p of parts) values.set(p.column, decode(p.value));
  return b.authority.judge({
    table: state.table,
    rowId: state.rowId,
    current: state.fields.size > 0 ? fieldsOf(state) : null,
    parts: values,
    beforeInScope: await scopeAllows(b, state, new Map(), 'before'),
    afterInScope: await scopeAllows(b, state, new Map(parts.map((p) => [p.column, p.value]))),
    newerSchema: b.newerSchema,
  });
}

export async function checkMaster(
  b: PushBatch,
  state: RowState,
  winners: Map<string, string | null>,
  hlc: string,
): Promise<ChangeResult | null> {
  if (!(await scopeAllows(b, state, winners)))
    return reject('out_of_scope', { table: state.table, rowId: state.rowId });
  // The partner's side invites, withdraws or ends; granting access (an active partnership,
  // its access and payment) is the client's side's answer.
  const sc = await b.currentScope();
  const after =
    state.table === 'partnerships'
      ? await rowKeysOf(state.table, state.rowId, fieldsOf(state, winners), b.parent)
      : null;
  if (after && !(after.orgId && sc.full.has(after.orgId))) {
    const status = decode(winners.get('status') ?? null);
    // Accepting an invitation the client sent grants nothing the client did not (common/authority's onlyFrom).
    const answersClient =
      decode(state.fields.get('invited_by')?.value ?? null) === 'client' &&
      decode(state.fields.get('status')?.value ?? null) === 'invited';
    const granting =
      (winners.has('status') && status === 'active' && !answersClient) ||
      ((winners.has('access') || winners.has('payment')) && after.status !== 'invited');
    if (granting) return reject('partnership_needs_client', { partnershipId: state.rowId });
  }
  if (state.table === 'reminders')
    return judgeReminder(b.view, state.rowId, fieldsOf(state, winners));
  if (state.table !== 'invoices') return null;
  const statusBefore = decode(state.fields.get('status')?.value) as string | null;
  const statusAfter = winners.has('status')
    ? (decode(winners.get('status') ?? null) as string | null)
    : statusBefore;
  if (statusBefore && statusBefore !== 'draft') {
    const frozen = [...winners.keys()].filter((c) => !MUTABLE_AFTER_ISSUE.has(c));
    if (frozen.length > 0) return reject('invoice_issued_immutable', { columns: frozen });
  }
  if (statusAfter !== statusBefore && statusAfter !== null) {
    const allowed = STATUS_NEXT[statusBefore ?? 'draft'] ?? [];
    if (!allowed.includes(statusAfter))
      return reject('invoice_status_backwards', { from: statusBefore, to: statusAfter });
  }
  const series = winners.has('series') ? decode(winners.get('series') ?? null) : null;
  if (typeof series === 'string') {
    const code = series.split('-').pop() ?? '';
    // Exactly the series the hub assigned this device: never a prefix of its id.
    if (code !== b.device.seriesCode)
      return reject('invoice_series_foreign', { series, deviceSeries: b.device.seriesCode });
  }
  if (winners.has('number') || winners.has('series') || winners.has('sequence')) {
    const problem = await numberProblem(b.sql, state.rowId, fieldsOf(state, winners));
    if (problem) return problem;
  }
  void hlc;
  return null;
}
