import { formatHlc, parseHlc } from '#db/sync/hlc';
import { isDerived } from '#db/sync/tables';
import { issuerCodeOf, type NumberedKind, numbering, SERIES_PREFIX } from '#common/invoice-numbering';
import type { ChangeResult, PushRequest, PushResponse, WireChange } from '#common/sync/protocol';
import { migrationCount } from '#db/open';
import { type Scope, canWrite, scopeOf } from '../scope';
import { loadActor, noteMembership } from './actor';
import { createAuthority, type Authority } from './authorize';
import { checkMoneyValues, judgeMoney } from './authorize-money';
import { hubView } from './hub-view';
import { numberProblem, recordNumber } from './numbers';
import { rekeyMovedProduct } from './rekey';
import { oversizedValue, shallowJson } from './validate';
import { chunks, placeholders, type Sql, type SqlValue } from '../store/types';
import { overpaymentOf } from './derived';
import { judgeInvoiceGroup, type VoidRow } from './issue-race';
import {
  type Fields,
  isHubOnlyTable,
  isMoneyTable,
  type RowKeys,
  rowKeysOf,
  SCOPE_TABLES,
  SYNCED_TABLES,
} from './tables';

export interface PushingDevice {
  id: string;
  userId: string;
  seriesCode: string;
}

interface Field {
  value: string | null;
  hlc: string;
  seq: number;
}

interface RowState {
  table: string;
  rowId: string;
  fields: Map<string, Field>;
  keys: RowKeys | null;
  firstSeq: number | null;
  dirty: boolean;
}

interface LogEntry {
  seq: number;
  table: string;
  rowId: string;
  column: string;
  value: string | null;
  hlc: string;
  deviceId: string;
}

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
/** The series code of an organization's one continuous series numbered by the hub. */
export const HUB_SERIES_CODE = '000000';

const key = (table: string, rowId: string) => `${table}\u0000${rowId}`;

function decode(value: string | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  // Too deeply nested to be any column's value: malformed, before anything walks it.
  if (!shallowJson(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function fieldsOf(state: RowState, overlay?: Map<string, string | null>): Fields {
  const out: Fields = {};
  for (const [c, f] of state.fields) out[c] = decode(f.value);
  if (overlay) for (const [c, v] of overlay) out[c] = decode(v);
  const star = out['*'];
  if (star && typeof star === 'object') Object.assign(out, star as Fields);
  return out;
}

const reject = (reason: string, detail?: Record<string, unknown>): ChangeResult => ({
  outcome: 'rejected',
  hubSeq: null,
  reason,
  detail: detail ?? null,
});

/**
 * Applies one batch inside the caller's write transaction. The first statement takes the
 * 'seq' counter row FOR UPDATE: pushes are serialized, and transactions commit in sequence
 * order, so the highest committed sequence is always a safe pull cursor (SYNC.md "Hub storage").
 * Everything is decided in memory against the state loaded for the batch's rows, then
 * written in multi-row statements.
 */
export async function applyPush(
  sql: Sql,
  forUpdate: string,
  device: PushingDevice,
  request: PushRequest,
  now: number,
): Promise<{ response: PushResponse; replayed: boolean }> {
  const counter = await sql.all<{ value: number }>(
    `SELECT value FROM hub_counters WHERE name = 'seq'${forUpdate}`,
  );
  let seq = Number(counter[0]?.value ?? 0);
  const startSeq = seq;
  const stored = await sql.all<{ response: string }>(
    'SELECT response FROM hub_batches WHERE device_id = ? AND batch_id = ?',
    [device.id, request.batchId],
  );
  if (stored[0]) return { response: JSON.parse(stored[0].response) as PushResponse, replayed: true };

  const changes = request.changes;
  const results: (ChangeResult | null)[] = changes.map(() => null);
  const rows = await loadRows(sql, changes);
  const parentCache = new Map<string, RowKeys | null>();
  const parent = async (table: string, rowId: string): Promise<RowKeys | null> => {
    const inBatch = rows.get(key(table, rowId));
    if (inBatch?.keys) return inBatch.keys;
    const k = key(table, rowId);
    if (!parentCache.has(k)) {
      const r = await sql.all(
        'SELECT org_id, org2_id, product_id, ref_id, status, access, live FROM hub_rows WHERE table_name = ? AND row_id = ?',
        [table, rowId],
      );
      parentCache.set(k, r[0] ? toKeys(r[0]) : null);
    }
    return parentCache.get(k) ?? null;
  };

  // Who is writing and what the hub holds (server/sync/authorize.ts judges every write).
  const actor = await loadActor(sql, device.userId);
  const view = hubView(sql, {
    fields: (table, rowId) => {
      const st = rows.get(key(table, rowId));
      if (!st) return undefined;
      return st.fields.size > 0 ? fieldsOf(st) : null;
    },
    *touched(table) {
      for (const st of rows.values())
        if (st.table === table && st.fields.size > 0) yield [st.rowId, fieldsOf(st)] as [string, Fields];
    },
  });
  const authority: Authority = createAuthority(actor, view);
  /** The device declared a schema newer than this hub's code knows: its new columns may pass. */
  const newerSchema = request.schemaVersion > migrationCount();

  const joiningPeople = membershipsInBatch(changes);
  /** People this batch created: until their membership lands, the batch's memberships judge them. */
  const newPeople = new Set<string>();
  const log: LogEntry[] = [];
  const links: string[] = [];
  /** Invoices whose applied money may now exceed what they ask (./derived.ts). */
  const paidInvoices = new Set<string>();
  let hubCounter = 0;
  const balances = new Map<string, { org: string; currency: string; balance: number; changed: boolean }>();
  let scope: Scope | null = null;
  let flushedLog = 0;
  const flush = async () => {
    await writeState(sql, rows, log.slice(flushedLog), links.splice(0), device.userId, now);
    flushedLog = log.length;
  };
  const currentScope = async () => {
    if (!scope) scope = await scopeOf(sql, device.userId);
    return scope;
  };

  // A change is stamped by the device that pushes it: another device's HLC is a forgery
  // (it would win or lose against that device's own writes in its name).
  changes.forEach((c, i) => {
    if (parseHlc(c.hlc).deviceId !== device.id)
      results[i] = reject('hlc_foreign_device', { hlc: c.hlc, deviceId: device.id });
    else if (oversizedValue(c.value))
      results[i] = reject('value_invalid', { table: c.table, column: c.column, problem: 'too large' });
  });

  // Groups: the changes one device write made to one row (same HLC), in HLC order; changes
  // sharing an HLC keep the device's order, so an organization precedes its memberships.
  const groups = new Map<string, number[]>();
  changes.forEach((c, i) => {
    const g = `${c.hlc}\u0000${c.table}\u0000${c.rowId}`;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  });
  const ordered = [...groups.values()].sort((a, b) => {
    const ha = changes[a[0]!]!.hlc;
    const hb = changes[b[0]!]!.hlc;
    return ha < hb ? -1 : ha > hb ? 1 : a[0]! - b[0]!;
  });

  for (const group of ordered) {
    const first = changes[group[0]!]!;
    const table = first.table;
    const state = rows.get(key(table, first.rowId))!;
    const setAll = (r: ChangeResult) => {
      for (const i of group) results[i] ??= r;
    };
    // One refused change refuses the whole write (it passes or fails as a whole).
    const refusedEarly = group.map((i) => results[i]).find((r) => r);
    if (refusedEarly) {
      setAll(refusedEarly);
      continue;
    }
    if (!SYNCED_TABLES.has(table)) {
      setAll(reject('unknown_table', { table }));
      continue;
    }
    if (isHubOnlyTable(table)) {
      setAll(reject('hub_only_table', { table }));
      continue;
    }
    if (isMoneyTable(table)) {
      for (const i of group) {
        results[i] = await applyMoney(changes[i]!);
      }
      continue;
    }

    // Expand a whole-row change (`*`, invoices written in bulk) into its fields.
    const parts: { index: number; column: string; value: string | null }[] = [];
    for (const i of group) {
      const c = changes[i]!;
      if (c.column === '*') {
        const obj = decode(c.value);
        if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
          results[i] = reject('malformed_value', { column: '*' });
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
        results[i] = reject('malformed_value', { column: c.column });
      } else parts.push({ index: i, column: c.column, value: c.value });
    }
    const hlc = first.hlc;
    // The one authority point: values, scope and who may do what, before last-writer-wins
    // or the issue race answers anything (a replay of this device's own stored write is a
    // duplicate first).
    const replay = parts.length > 0 && parts.every((p) => state.fields.get(p.column)?.hlc === hlc);
    if (parts.length > 0 && !replay) {
      const verdict = await judgeWrite(state, parts);
      if (verdict) {
        setAll(verdict);
        continue;
      }
    }
    // Derived values (totals, paid) never merge: the hub derives them (./derived.ts).
    for (let p = parts.length - 1; p >= 0; p--) {
      const part = parts[p]!;
      if (isDerived(table, part.column)) parts.splice(p, 1);
    }
    let forcedIssue = false;
    if (table === 'invoices') {
      const verdict = await judgeInvoiceGroup({
        rowId: first.rowId,
        hlc,
        deviceId: device.id,
        parts,
        current: state.fields,
        logged: async (column) =>
          (
            await sql.all(
              'SELECT 1 FROM hub_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND hlc = ?',
              [table, first.rowId, column, hlc],
            )
          ).length > 0,
        hubHlc: hubStamp(),
        now,
      });
      if (verdict.kind === 'refuse') {
        // Only the device's own number in an invoice it may write becomes a void: nobody
        // voids another's series or a book outside their scope.
        const sc = await currentScope();
        const k = state.keys;
        if (
          !k ||
          !canWrite(sc, {
            table_name: table,
            row_id: first.rowId,
            org_id: k.orgId,
            org2_id: k.org2Id,
            product_id: k.productId,
          })
        ) {
          setAll(reject('out_of_scope', { table, rowId: first.rowId }));
          continue;
        }
        const code = verdict.voided?.series.split('-').pop() ?? '';
        // Exactly the series the hub assigned this device: never a prefix of its id.
        if (verdict.voided && code !== device.seriesCode) {
          setAll(
            reject('invoice_series_foreign', {
              series: verdict.voided.series,
              deviceSeries: device.seriesCode,
            }),
          );
          continue;
        }
        setAll(verdict.result);
        if (verdict.voided) await recordVoid(verdict.voided);
        continue;
      }
      if (verdict.kind === 'superseded') {
        setAll({ outcome: 'superseded', hubSeq: null, reason: null });
        continue;
      }
      forcedIssue = verdict.kind === 'issue';
      if (forcedIssue) paidInvoices.add(first.rowId);
    }
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
      const seen = await sql.all<{ seq: number }>(
        'SELECT seq FROM hub_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND hlc = ?',
        [table, first.rowId, o.column, hlc],
      );
      if (seen[0]) {
        const t = tally(o.index);
        t.superseded--;
        t.duplicate = seen[0].seq;
      }
    }

    if (winners.size > 0) {
      const verdict = await checkMaster(state, winners, hlc);
      if (verdict) {
        for (const i of group)
          if (!results[i] && (partOutcome.get(i)?.applied ?? 0) > 0) results[i] = verdict;
        for (const i of group) if (!results[i]) results[i] = outcomeOf(partOutcome.get(i));
        continue;
      }
      const seqOfIndex = new Map<number, number>();
      for (const p of parts) {
        if (!winners.has(p.column) || winners.get(p.column) !== p.value) continue;
        const cur = state.fields.get(p.column);
        if (cur && (forcedIssue ? cur.hlc === hlc : cur.hlc >= hlc)) continue;
        seq++;
        state.fields.set(p.column, { value: p.value, hlc, seq });
        log.push({
          seq,
          table,
          rowId: first.rowId,
          column: p.column,
          value: p.value,
          hlc,
          deviceId: device.id,
        });
        if (!seqOfIndex.has(p.index)) seqOfIndex.set(p.index, seq);
      }
      const isNew = state.keys === null;
      state.firstSeq ??= seqOfIndex.values().next().value ?? seq;
      state.keys = await rowKeysOf(table, first.rowId, fieldsOf(state), parent);
      state.dirty = true;
      if (table === 'people' && isNew) newPeople.add(first.rowId);
      if (table === 'organizations' && isNew) {
        links.push(first.rowId);
        (await currentScope()).member.add(first.rowId);
      }
      if (SCOPE_TABLES.has(table)) {
        await flush();
        scope = null;
      }
      if (table === 'invoices') {
        await numberAtSync(state);
        await recordNumber(sql, first.rowId, fieldsOf(state));
        const corrects = decode(state.fields.get('corrects_invoice_id')?.value);
        if (typeof corrects === 'string') paidInvoices.add(corrects);
      }
      if (table === 'memberships') noteMembership(actor, fieldsOf(state));
      if (table === 'organizations' && isNew) {
        actor.created.add(first.rowId);
        actor.linked.add(first.rowId);
      }
      if (table === 'products' && winners.has('organization_id') && !isNew) {
        await flush();
        await rekeyMovedProduct(sql, first.rowId, state.keys.orgId);
      }
      for (const i of group) {
        if (results[i]) continue;
        const t = partOutcome.get(i);
        results[i] =
          t && t.applied > 0
            ? { outcome: 'applied', hubSeq: seqOfIndex.get(i) ?? null, reason: null }
            : outcomeOf(t);
      }
    } else {
      for (const i of group) if (!results[i]) results[i] = outcomeOf(partOutcome.get(i));
    }
  }

  /** A timestamp of the hub's own writes (voids, deposits): its clock, device `hub`. */
  function hubStamp(): string {
    return formatHlc({ wallMs: now, counter: hubCounter++, deviceId: 'hub' });
  }

  /** Appends a row only the hub writes (a void, a deposit) to the log, as one `*` change. */
  async function appendHubRow(table: string, rowId: string, row: Fields, hlc: string): Promise<boolean> {
    const k = key(table, rowId);
    let state = rows.get(k);
    if (!state) {
      const existing = await sql.all('SELECT 1 FROM hub_fields WHERE table_name = ? AND row_id = ?', [
        table,
        rowId,
      ]);
      if (existing.length > 0) return false;
      state = { table, rowId, fields: new Map(), keys: null, firstSeq: null, dirty: false };
      rows.set(k, state);
    } else if (state.fields.has('*')) return false;
    const value = JSON.stringify(row);
    seq++;
    state.fields.set('*', { value, hlc, seq });
    state.keys = await rowKeysOf(table, rowId, row, parent);
    state.firstSeq = seq;
    state.dirty = true;
    log.push({ seq, table, rowId, column: '*', value, hlc, deviceId: 'hub' });
    return true;
  }

  async function recordVoid(v: VoidRow): Promise<void> {
    await appendHubRow('invoice_voids', v.id, { ...v }, v.hlc);
  }

  /** Whether the user may write this row as the hub holds it and as it would be after `overlay`. */
  async function scopeAllows(
    state: RowState,
    overlay: Map<string, string | null>,
    only?: 'before',
  ): Promise<boolean> {
    const sc = await currentScope();
    const before = state.keys;
    const after = await rowKeysOf(state.table, state.rowId, fieldsOf(state, overlay), parent);
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
      (before === null || newPeople.has(state.rowId)) &&
      [...(joiningPeople.get(state.rowId) ?? [])].some((org) => sc.full.has(org));
    if (isNewOrganization || isJoiningPerson) return true;
    if (before && !canWrite(sc, keyed(before))) return false;
    return only === 'before' || canWrite(sc, keyed(after));
  }

  async function judgeWrite(
    state: RowState,
    parts: { column: string; value: string | null }[],
  ): Promise<ChangeResult | null> {
    const values = new Map<string, unknown>();
    for (const p of parts) values.set(p.column, decode(p.value));
    return authority.judge({
      table: state.table,
      rowId: state.rowId,
      current: state.fields.size > 0 ? fieldsOf(state) : null,
      parts: values,
      beforeInScope: await scopeAllows(state, new Map(), 'before'),
      afterInScope: await scopeAllows(state, new Map(parts.map((p) => [p.column, p.value]))),
      newerSchema,
    });
  }

  async function checkMaster(
    state: RowState,
    winners: Map<string, string | null>,
    hlc: string,
  ): Promise<ChangeResult | null> {
    const sc = await currentScope();
    const after = await rowKeysOf(state.table, state.rowId, fieldsOf(state, winners), parent);
    if (!(await scopeAllows(state, winners)))
      return reject('out_of_scope', { table: state.table, rowId: state.rowId });
    // The partner's side invites, withdraws or ends; granting access (an active partnership,
    // its access and payment) is the client's side's answer.
    if (state.table === 'partnerships' && !(after.orgId && sc.full.has(after.orgId))) {
      const status = decode(winners.get('status') ?? null);
      const granting =
        (winners.has('status') && status === 'active') ||
        ((winners.has('access') || winners.has('payment')) && after.status !== 'invited');
      if (granting) return reject('partnership_needs_client', { partnershipId: state.rowId });
    }
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
      if (code !== device.seriesCode)
        return reject('invoice_series_foreign', { series, deviceSeries: device.seriesCode });
    }
    if (winners.has('number') || winners.has('series') || winners.has('sequence')) {
      const problem = await numberProblem(sql, state.rowId, fieldsOf(state, winners));
      if (problem) return problem;
    }
    void hlc;
    return null;
  }

  /** The issuer's invoice code as the hub knows it (its own field, or inside its first write). */
  async function issuerCode(issuerId: string): Promise<string> {
    const inBatch = rows.get(key('organizations', issuerId));
    if (inBatch) {
      const code = fieldsOf(inBatch).invoice_code;
      return issuerCodeOf({ id: issuerId, invoiceCode: typeof code === 'string' ? code : null });
    }
    const stored = await sql.all<{ column_name: string; value: string | null }>(
      "SELECT column_name, value FROM hub_fields WHERE table_name = 'organizations' AND row_id = ? AND column_name IN ('invoice_code', '*')",
      [issuerId],
    );
    const own = stored.find((r) => r.column_name === 'invoice_code');
    const star = stored.find((r) => r.column_name === '*');
    const starCode = star
      ? (decode(star.value) as { invoice_code?: unknown } | null)?.invoice_code
      : undefined;
    const chosen = own ? decode(own.value) : starCode;
    return issuerCodeOf({ id: issuerId, invoiceCode: typeof chosen === 'string' ? chosen : null });
  }

  async function numberAtSync(state: RowState) {
    const f = fieldsOf(state);
    if (f.status === 'draft' || f.status === undefined || (f.number !== null && f.number !== undefined))
      return;
    const issuer = typeof f.issuer_organization_id === 'string' ? f.issuer_organization_id : null;
    if (!issuer) return;
    const setting = await sql.all<{ numbering: string }>(
      'SELECT numbering FROM hub_org_settings WHERE organization_id = ?',
      [issuer],
    );
    if (setting[0]?.numbering !== 'at_sync') return;
    const kind = (String(f.kind) in SERIES_PREFIX ? f.kind : 'invoice') as NumberedKind;
    const year = String(f.issued_on ?? '').slice(0, 4) || String(new Date(now).getUTCFullYear());
    // The counter keeps the name it had before numbers carried the issuer's code: its
    // sequence runs on, so the references minted from it never repeat.
    const name = `series:${issuer}:${SERIES_PREFIX[kind]}-${year}-${HUB_SERIES_CODE}`;
    await sql.run('INSERT INTO hub_counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING', [
      name,
    ]);
    const got = await sql.all<{ value: number }>(
      `SELECT value FROM hub_counters WHERE name = ?${forUpdate}`,
      [name],
    );
    const sequence = Number(got[0]?.value ?? 0) + 1;
    await sql.run('UPDATE hub_counters SET value = ? WHERE name = ?', [sequence, name]);
    // The hub's own timestamp, after every write of the row so far.
    const latest = [...state.fields.values()].reduce((m, x) => (x.hlc > m ? x.hlc : m), '');
    const last = latest ? parseHlc(latest) : { wallMs: 0, counter: 0 };
    const hubHlc =
      now > last.wallMs
        ? formatHlc({ wallMs: now, counter: 0, deviceId: 'hub' })
        : formatHlc({ wallMs: last.wallMs, counter: last.counter + 1, deviceId: 'hub' });
    const { series, number } = numbering(
      kind,
      await issuerCode(issuer),
      Number(year),
      HUB_SERIES_CODE,
      sequence,
    );
    for (const [column, value] of [
      ['series', series],
      ['sequence', sequence],
      ['number', number],
    ] as const) {
      seq++;
      const text = JSON.stringify(value);
      state.fields.set(column, { value: text, hlc: hubHlc, seq });
      log.push({
        seq,
        table: 'invoices',
        rowId: state.rowId,
        column,
        value: text,
        hlc: hubHlc,
        deviceId: 'hub',
      });
    }
    state.dirty = true;
  }

  async function applyMoney(c: WireChange): Promise<ChangeResult> {
    const state = rows.get(key(c.table, c.rowId))!;
    const existing = state.fields.get('*');
    if (existing?.hlc === c.hlc) return { outcome: 'duplicate', hubSeq: existing.seq, reason: null };
    if (c.column !== '*') return reject('money_append_only', { table: c.table, column: c.column });
    const row = decode(c.value);
    if (!row || typeof row !== 'object' || Array.isArray(row))
      return reject('malformed_value', { column: '*' });
    const r = row as Fields;
    const input = { table: c.table, rowId: c.rowId, hlc: c.hlc, row: r, newerSchema };
    const invalid = checkMoneyValues(input);
    if (invalid) return invalid;
    const sc = await currentScope();
    const writable = (k: RowKeys) =>
      !!k.orgId &&
      canWrite(sc, {
        table_name: c.table,
        row_id: c.rowId,
        org_id: k.orgId,
        org2_id: k.org2Id,
        product_id: null,
      });
    const keys = await rowKeysOf(c.table, c.rowId, r, parent);
    // A stored row outside the caller's scope is answered exactly as a row that does not exist.
    if ((existing && (!state.keys || !writable(state.keys))) || !writable(keys))
      return reject('out_of_scope', { table: c.table, rowId: c.rowId });
    if (existing) return reject('money_append_only', { table: c.table, rowId: c.rowId });
    const verdict = await judgeMoney(authority, view, input);
    if (verdict) return verdict;
    const orgId = keys.orgId as string;
    if (c.table === 'ledger_entries') {
      const amount = r.amount_minor;
      const currency = r.currency;
      if (!Number.isSafeInteger(amount) || typeof currency !== 'string')
        return reject('malformed_value', { column: 'amount_minor' });
      const bk = `${orgId}\u0000${currency}`;
      let b = balances.get(bk);
      if (!b) {
        const got = await sql.all<{ balance_minor: number }>(
          'SELECT balance_minor FROM hub_balances WHERE organization_id = ? AND currency = ?',
          [orgId, currency],
        );
        b = { org: orgId, currency, balance: Number(got[0]?.balance_minor ?? 0), changed: false };
        balances.set(bk, b);
      }
      if (b.balance + (amount as number) < 0) {
        return reject('ledger_below_zero', {
          organizationId: orgId,
          currency,
          balanceMinor: b.balance,
          amountMinor: amount,
        });
      }
      b.balance += amount as number;
      b.changed = true;
    }
    if (c.table === 'payments' && keys.refId) paidInvoices.add(keys.refId);
    seq++;
    state.fields.set('*', { value: c.value, hlc: c.hlc, seq });
    state.keys = keys;
    state.firstSeq = seq;
    state.dirty = true;
    log.push({
      seq,
      table: c.table,
      rowId: c.rowId,
      column: '*',
      value: c.value,
      hlc: c.hlc,
      deviceId: device.id,
    });
    return { outcome: 'applied', hubSeq: seq, reason: null };
  }

  await flush();
  // Over-payments found after this merge go to the payer's prepaid account, once, by the hub.
  for (const invoiceId of paidInvoices) {
    const deposit = await overpaymentOf(sql, invoiceId, now, hubStamp());
    if (!deposit) continue;
    if (!(await appendHubRow('ledger_entries', deposit.id, deposit.row, String(deposit.row.hlc)))) continue;
    const org = String(deposit.row.organization_id);
    const currency = String(deposit.row.currency);
    const bk = `${org}\u0000${currency}`;
    let b = balances.get(bk);
    if (!b) {
      const got = await sql.all<{ balance_minor: number }>(
        'SELECT balance_minor FROM hub_balances WHERE organization_id = ? AND currency = ?',
        [org, currency],
      );
      b = { org, currency, balance: Number(got[0]?.balance_minor ?? 0), changed: false };
      balances.set(bk, b);
    }
    b.balance += Number(deposit.row.amount_minor);
    b.changed = true;
  }
  await flush();
  for (const b of balances.values()) {
    if (!b.changed) continue;
    await sql.run(
      'INSERT INTO hub_balances (organization_id, currency, balance_minor) VALUES (?, ?, ?) ON CONFLICT (organization_id, currency) DO UPDATE SET balance_minor = excluded.balance_minor',
      [b.org, b.currency, b.balance],
    );
  }
  if (seq !== startSeq) await sql.run("UPDATE hub_counters SET value = ? WHERE name = 'seq'", [seq]);
  const response: PushResponse = {
    batchId: request.batchId,
    results: results.map((r) => r ?? reject('internal')),
    hubTime: now,
  };
  await sql.run('INSERT INTO hub_batches (device_id, batch_id, response, created_at) VALUES (?, ?, ?, ?)', [
    device.id,
    request.batchId,
    JSON.stringify(response),
    new Date(now).toISOString(),
  ]);
  return { response, replayed: false };
}

/** person id → organizations that live memberships in this batch link them to. */
function membershipsInBatch(changes: readonly WireChange[]): Map<string, Set<string>> {
  const rows = new Map<string, Fields>();
  for (const c of changes) {
    if (c.table !== 'memberships') continue;
    const f = rows.get(c.rowId) ?? {};
    rows.set(c.rowId, f);
    const v = decode(c.value);
    if (c.column === '*') {
      if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(f, v);
    } else f[c.column] = v;
  }
  const out = new Map<string, Set<string>>();
  for (const f of rows.values()) {
    if (typeof f.person_id !== 'string' || typeof f.organization_id !== 'string') continue;
    if (f.deleted_at !== undefined && f.deleted_at !== null) continue;
    const orgs = out.get(f.person_id) ?? new Set<string>();
    out.set(f.person_id, orgs);
    orgs.add(f.organization_id);
  }
  return out;
}

function outcomeOf(
  t: { applied: number; duplicate: number | null; superseded: number } | undefined,
): ChangeResult {
  if (t && t.duplicate !== null && t.superseded === 0)
    return { outcome: 'duplicate', hubSeq: t.duplicate, reason: null };
  return { outcome: 'superseded', hubSeq: null, reason: null };
}

function toKeys(r: Record<string, unknown>): RowKeys {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    orgId: s(r.org_id),
    org2Id: s(r.org2_id),
    productId: s(r.product_id),
    refId: s(r.ref_id),
    status: s(r.status),
    access: s(r.access),
    live: Number(r.live) === 1,
  };
}

async function loadRows(sql: Sql, changes: readonly WireChange[]): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  const byTable = new Map<string, Set<string>>();
  for (const c of changes) {
    const k = key(c.table, c.rowId);
    if (rows.has(k)) continue;
    rows.set(k, {
      table: c.table,
      rowId: c.rowId,
      fields: new Map(),
      keys: null,
      firstSeq: null,
      dirty: false,
    });
    const ids = byTable.get(c.table) ?? new Set<string>();
    byTable.set(c.table, ids);
    ids.add(c.rowId);
  }
  for (const [table, ids] of byTable) {
    for (const part of chunks([...ids], 500)) {
      const marks = part.map(() => '?').join(', ');
      const fields = await sql.all<{
        row_id: string;
        column_name: string;
        value: string | null;
        hlc: string;
        seq: number;
      }>(
        `SELECT row_id, column_name, value, hlc, seq FROM hub_fields WHERE table_name = ? AND row_id IN (${marks})`,
        [table, ...part],
      );
      for (const f of fields)
        rows
          .get(key(table, f.row_id))!
          .fields.set(f.column_name, { value: f.value, hlc: f.hlc, seq: Number(f.seq) });
      const keyed = await sql.all(
        `SELECT row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq FROM hub_rows WHERE table_name = ? AND row_id IN (${marks})`,
        [table, ...part],
      );
      for (const r of keyed) {
        const state = rows.get(key(table, String(r.row_id)))!;
        state.keys = toKeys(r);
        state.firstSeq = Number(r.first_seq);
      }
    }
  }
  return rows;
}

/** Writes the log entries, and the fields and keys of the rows touched since the last flush. */
async function writeState(
  sql: Sql,
  rows: Map<string, RowState>,
  log: LogEntry[],
  links: string[],
  userId: string,
  now: number,
): Promise<void> {
  for (const part of chunks(log, 400)) {
    await sql.run(
      `INSERT INTO hub_log (seq, table_name, row_id, column_name, value, hlc, device_id) VALUES ${placeholders(part.length, 7)}`,
      part.flatMap((e) => [e.seq, e.table, e.rowId, e.column, e.value, e.hlc, e.deviceId]),
    );
  }
  // Only the fields this log slice wrote: the newest write of each wins.
  const fields = new Map<string, LogEntry>();
  for (const e of log) fields.set(`${key(e.table, e.rowId)}\u0000${e.column}`, e);
  for (const part of chunks([...fields.values()], 400)) {
    await sql.run(
      `INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ${placeholders(part.length, 6)}
       ON CONFLICT (table_name, row_id, column_name) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, seq = excluded.seq`,
      part.flatMap((e) => [e.table, e.rowId, e.column, e.value, e.hlc, e.seq]),
    );
  }
  const dirty = [...rows.values()].filter((r) => r.dirty && r.keys);
  for (const part of chunks(dirty, 300)) {
    await sql.run(
      `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq) VALUES ${placeholders(part.length, 10)}
       ON CONFLICT (table_name, row_id) DO UPDATE SET org_id = excluded.org_id, org2_id = excluded.org2_id,
         product_id = excluded.product_id, ref_id = excluded.ref_id, status = excluded.status, access = excluded.access, live = excluded.live`,
      part.flatMap((r): SqlValue[] => {
        const k = r.keys!;
        return [
          r.table,
          r.rowId,
          k.orgId,
          k.org2Id,
          k.productId,
          k.refId,
          k.status,
          k.access,
          k.live ? 1 : 0,
          r.firstSeq ?? 0,
        ];
      }),
    );
    for (const r of part) r.dirty = false;
  }
  for (const org of links) {
    await sql.run(
      'INSERT INTO hub_user_orgs (user_id, organization_id, created_at, created) VALUES (?, ?, ?, 1) ON CONFLICT (user_id, organization_id) DO NOTHING',
      [userId, org, new Date(now).toISOString()],
    );
  }
}
