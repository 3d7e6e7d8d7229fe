import type { ChangeResult } from '#common/sync/protocol';
import { scopeKeptBy } from '../scope';
import { noteMembership } from './actor';
import type { Part } from './issue-race';
import { recordNumber } from './numbers';
import { checkMaster } from './push-judge';
import { numberAtSync } from './push-number';
import { decode, fieldsOf, type PushBatch, type RowState } from './push-state';
import { rekeyMovedProduct } from './rekey';
import { rowKeysOf, SCOPE_TABLES } from './tables';

// Last writer wins per field, for one write of one row that passed its judges: the fields
// whose clock is older take the write (an issue that won the race takes them all), then
// what a written row changes beyond itself (scope, numbers, memberships, moved products).

/** Applies a judged group's parts and answers each of its changes not yet answered. */
export async function applyFields(
  b: PushBatch,
  group: readonly number[],
  state: RowState,
  parts: readonly Part[],
  hlc: string,
  forcedIssue: boolean,
): Promise<void> {
  const table = state.table;
  const rowId = state.rowId;
  const winners = new Map<string, string | null>();
  const partOutcome = new Map<number, { applied: number; duplicate: number | null; superseded: number }>();
  const tally = (i: number) => {
    const t = partOutcome.get(i) ?? { applied: 0, duplicate: null, superseded: 0 };
    partOutcome.set(i, t);
    return t;
  };
  const olderChecks: { index: number; column: string }[] = [];
  for (const p of parts) {
    const current = state.fields.get(p.column);
    // The first issue the hub receives applies whole, whatever the clocks (./issue-race.ts).
    if (!current || current.hlc < hlc || (forcedIssue && current.hlc !== hlc)) {
      winners.set(p.column, p.value);
      tally(p.index).applied++;
    } else if (current.hlc === hlc) tally(p.index).duplicate = current.seq;
    else {
      tally(p.index).superseded++;
      olderChecks.push({ index: p.index, column: p.column });
    }
  }
  // An older change may be one this hub already stored (a replay): then it is a duplicate.
  for (const o of olderChecks) {
    const seen = await b.sql.all<{ seq: number }>(
      'SELECT seq FROM hub_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND hlc = ?',
      [table, rowId, o.column, hlc],
    );
    if (seen[0]) {
      const t = tally(o.index);
      t.superseded--;
      t.duplicate = seen[0].seq;
    }
  }

  if (winners.size > 0) {
    const verdict = await checkMaster(b, state, winners, hlc);
    if (verdict) {
      for (const i of group)
        if (!b.results[i] && (partOutcome.get(i)?.applied ?? 0) > 0) b.results[i] = verdict;
      for (const i of group) if (!b.results[i]) b.results[i] = outcomeOf(partOutcome.get(i));
      return;
    }
    const seqOfIndex = new Map<number, number>();
    for (const p of parts) {
      if (!winners.has(p.column) || winners.get(p.column) !== p.value) continue;
      const cur = state.fields.get(p.column);
      if (cur && (forcedIssue ? cur.hlc === hlc : cur.hlc >= hlc)) continue;
      const seq = await b.position();
      state.fields.set(p.column, { value: p.value, hlc, seq });
      b.log.push({
        seq,
        table,
        rowId,
        column: p.column,
        value: p.value,
        hlc,
        deviceId: b.device.id,
      });
      if (!seqOfIndex.has(p.index)) seqOfIndex.set(p.index, seq);
    }
    const keysBefore = state.keys;
    const isNew = keysBefore === null;
    state.firstSeq ??= seqOfIndex.values().next().value ?? b.positions.last;
    state.keys = await rowKeysOf(table, rowId, fieldsOf(state), b.parent);
    state.dirty = true;
    if (table === 'people' && isNew) b.newPeople.add(rowId);
    if (table === 'organizations' && isNew) {
      b.links.push(rowId);
      (await b.currentScope()).member.add(rowId);
    }
    // A write that may change who sees what: flushed, so the scope read next sees it.
    const scope = b.knownScope;
    if (SCOPE_TABLES.has(table) && !(scope && scopeKeptBy(scope, table, keysBefore, state.keys))) {
      await b.flush();
      b.forgetScope();
    }
    if (table === 'invoices') {
      await numberAtSync(b, state);
      await recordNumber(b.sql, rowId, fieldsOf(state));
      const corrects = decode(state.fields.get('corrects_invoice_id')?.value);
      if (typeof corrects === 'string') b.paidInvoices.add(corrects);
    }
    // A reminder's fee lowered, or the reminder deleted, after its fee was paid: the invoice no
    // longer charges fee money the customer paid, given back as a fee paid twice is
    // (./derived.ts feeOverpaymentOf, HUB.md "Reminders").
    if (table === 'reminders' && state.keys.refId && (winners.has('fee_minor') || winners.has('deleted_at')))
      b.feeInvoices.add(state.keys.refId);
    if (table === 'memberships') noteMembership(b.actor, fieldsOf(state));
    if (table === 'organizations' && isNew) {
      b.actor.created.add(rowId);
      b.actor.linked.add(rowId);
    }
    if (table === 'products' && winners.has('organization_id') && !isNew) {
      await b.flush();
      await rekeyMovedProduct(b.sql, rowId, state.keys.orgId);
    }
    for (const i of group) {
      if (b.results[i]) continue;
      const t = partOutcome.get(i);
      b.results[i] =
        t && t.applied > 0
          ? { outcome: 'applied', hubSeq: seqOfIndex.get(i) ?? null, reason: null }
          : outcomeOf(t);
    }
  } else {
    for (const i of group) if (!b.results[i]) b.results[i] = outcomeOf(partOutcome.get(i));
  }
}

function outcomeOf(
  t: { applied: number; duplicate: number | null; superseded: number } | undefined,
): ChangeResult {
  if (t && t.duplicate !== null && t.superseded === 0)
    return { outcome: 'duplicate', hubSeq: t.duplicate, reason: null };
  return { outcome: 'superseded', hubSeq: null, reason: null };
}
