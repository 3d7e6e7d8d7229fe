import { FEE_OUTCOME } from '#common/reminder-fee-paid';
import { sameMoneyFact } from '#common/sync/money-fact';
import type { ChangeResult, WireChange } from '#common/sync/protocol';
import { canWrite } from '../scope';
import { checkMoneyValues, judgeMoney } from './authorize-money';
import { judgeRenewal } from './authorize-renewals';
import { feeOverpaymentOf, overpaymentOf } from './derived';
import { type Balance, decode, key, type PushBatch, reject } from './push-state';
import { type Fields, type RowKeys, rowKeysOf } from './tables';

// Money records (payments, ledger entries) are append-only whole rows: judged on their own
// (./authorize-money.ts), kept above zero on the prepaid account, never merged per field.

export async function applyMoney(b: PushBatch, c: WireChange): Promise<ChangeResult> {
  const state = b.rows.get(key(c.table, c.rowId))!;
  const existing = state.fields.get('*');
  if (existing?.hlc === c.hlc) return { outcome: 'duplicate', hubSeq: existing.seq, reason: null };
  if (c.column !== '*') return reject('money_append_only', { table: c.table, column: c.column });
  const row = decode(c.value);
  if (!row || typeof row !== 'object' || Array.isArray(row))
    return reject('malformed_value', { column: '*' });
  const r = row as Fields;
  const input = { table: c.table, rowId: c.rowId, hlc: c.hlc, row: r, newerSchema: b.newerSchema };
  const invalid = checkMoneyValues(input);
  if (invalid) return invalid;
  const sc = await b.currentScope();
  const writable = (k: RowKeys) =>
    !!k.orgId &&
    canWrite(sc, {
      table_name: c.table,
      row_id: c.rowId,
      org_id: k.orgId,
      org2_id: k.org2Id,
      product_id: null,
    });
  const keys = await rowKeysOf(c.table, c.rowId, r, b.parent);
  // A stored row outside the caller's scope is answered exactly as a row that does not exist.
  if ((existing && (!state.keys || !writable(state.keys))) || !writable(keys))
    return reject('out_of_scope', { table: c.table, rowId: c.rowId });
  if (existing) {
    // The same record written on another device first (a statement entry's payment): kept once.
    const stored = decode(existing.value);
    if (stored && typeof stored === 'object' && !Array.isArray(stored) && sameMoneyFact(stored as Fields, r))
      return { outcome: 'duplicate', hubSeq: existing.seq, reason: null };
    return reject('money_append_only', { table: c.table, rowId: c.rowId });
  }
  const verdict =
    (await judgeMoney(b.authority, b.view, input)) ??
    (c.table === 'renewals' ? await judgeRenewal(b.view, c.rowId, r) : null);
  if (verdict) return verdict;
  const orgId = keys.orgId as string;
  // A prepaid payment is money out of the payer's prepaid account: one the balance cannot
  // carry is refused, so an invoice is never paid by a payment whose debit the hub refuses.
  if (c.table === 'payments' && r.method === 'prepaid' && r.outcome === 'applied') {
    const currency = String(r.currency);
    const balance = await b.balanceOf(orgId, currency);
    if (balance.balance < Number(r.amount_minor))
      return reject('ledger_below_zero', {
        organizationId: orgId,
        currency,
        balanceMinor: balance.balance,
        amountMinor: -Number(r.amount_minor),
      });
  }
  if (c.table === 'ledger_entries') {
    const amount = r.amount_minor;
    const currency = r.currency;
    if (!Number.isSafeInteger(amount) || typeof currency !== 'string')
      return reject('malformed_value', { column: 'amount_minor' });
    const balance = await b.balanceOf(orgId, currency);
    if (balance.balance + (amount as number) < 0) {
      return reject('ledger_below_zero', {
        organizationId: orgId,
        currency,
        balanceMinor: balance.balance,
        amountMinor: amount,
      });
    }
    balance.balance += amount as number;
    balance.changed = true;
  }
  if (c.table === 'payments' && keys.refId) b.paidInvoices.add(keys.refId);
  if (c.table === 'payments' && keys.refId && r.outcome === FEE_OUTCOME) b.feeInvoices.add(keys.refId);
  const seq = await b.position();
  state.fields.set('*', { value: c.value, hlc: c.hlc, seq });
  state.keys = keys;
  state.firstSeq = seq;
  state.dirty = true;
  b.log.push({
    seq,
    table: c.table,
    rowId: c.rowId,
    column: '*',
    value: c.value,
    hlc: c.hlc,
    deviceId: b.device.id,
  });
  return { outcome: 'applied', hubSeq: seq, reason: null };
}

/**
 * Over-payments found after this merge go to the payer's prepaid account, once, by the hub:
 * of an invoice (applied beyond what it asks) and of its reminder fees (paid beyond every fee
 * charged: server/HUB.md "Reminders").
 */
export async function depositOverpayments(b: PushBatch): Promise<void> {
  const found = [
    ...[...b.paidInvoices].map((id) => () => overpaymentOf(b.sql, id, b.now, b.hubStamp())),
    ...[...b.feeInvoices].map((id) => () => feeOverpaymentOf(b.sql, id, b.now, b.hubStamp())),
  ];
  for (const next of found) {
    const deposit = await next();
    if (!deposit) continue;
    if (!(await b.appendHubRow('ledger_entries', deposit.id, deposit.row, String(deposit.row.hlc)))) continue;
    const balance = await b.balanceOf(String(deposit.row.organization_id), String(deposit.row.currency));
    balance.balance += Number(deposit.row.amount_minor);
    balance.changed = true;
  }
}

/** The prepaid balances this batch moved, as it leaves them (written with its last flush). */
export function movedBalances(b: PushBatch): Balance[] {
  return [...b.balances.values()].filter((balance) => balance.changed);
}
