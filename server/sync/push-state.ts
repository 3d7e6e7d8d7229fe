import { formatHlc } from '#db/sync/hlc';
import type { ChangeResult, PushRequest, WireChange } from '#common/sync/protocol';
import { migrationCount } from '#db/open';
import { type Scope, type ScopeRead, scopeOf } from '../scope';
import type { Positions, Sql } from '../store/types';
import { type HubActor, loadActor } from './actor';
import { type Authority, createAuthority, type HubView } from './authorize';
import { hubView } from './hub-view';
import { readParents } from './push-parents';
import type { Preread } from './push-opening';
import type { VoidRow } from './issue-race';
import { type Closing, key, loadRows, toKeys, writeState } from './push-store';
import { type Fields, type RowKeys, rowKeysOf } from './tables';
import { shallowJson } from './validate';
import { parseJson } from './stored-json';

// The state one push batch shares between its stages (server/sync/push*.ts): the rows as the
// hub holds them plus what the batch wrote so far, the log and its sequence, the balances,
// the caller's scope. Everything is decided in memory against it, then flushed in
// multi-row statements (./push-store.ts).

export interface PushingDevice {
  id: string;
  userId: string;
  seriesCode: string;
}

export interface Field {
  value: string | null;
  hlc: string;
  seq: number;
}

export interface RowState {
  table: string;
  rowId: string;
  fields: Map<string, Field>;
  keys: RowKeys | null;
  firstSeq: number | null;
  dirty: boolean;
  /**
   * Whether hub_rows holds the row: read at the push's start, or written by an earlier flush.
   * A row it does not hold is inserted, never upserted (./push-store.ts writeAtOnce).
   */
  stored: boolean;
}

export interface LogEntry {
  seq: number;
  table: string;
  rowId: string;
  column: string;
  value: string | null;
  hlc: string;
  deviceId: string;
}

export interface Balance {
  org: string;
  currency: string;
  balance: number;
  changed: boolean;
}

// The row key lives with the loader (./push-store.ts), so the two modules import no value in a circle.
export { key } from './push-store';

// The schema this hub's code knows: its migration files, read once (they cannot change under a
// running process; reading the folder on every push was 1.3 of a loaded hub's 4.7 CPU seconds).
let schemaOfCode: number | undefined;
const codeSchemaVersion = () => (schemaOfCode ??= migrationCount());

export function decode(value: string | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  // Too deeply nested to be any column's value: malformed, before anything walks it.
  return shallowJson(value) ? parseJson(value) : undefined;
}

export function fieldsOf(state: RowState, overlay?: Map<string, string | null>): Fields {
  const out: Fields = {};
  for (const [c, f] of state.fields) out[c] = decode(f.value);
  if (overlay) for (const [c, v] of overlay) out[c] = decode(v);
  const star = out['*'];
  if (star && typeof star === 'object') Object.assign(out, star as Fields);
  return out;
}

export const reject = (reason: string, detail?: Record<string, unknown>): ChangeResult => ({
  outcome: 'rejected',
  hubSeq: null,
  reason,
  detail: detail ?? null,
});

export class PushBatch {
  readonly results: (ChangeResult | null)[];
  readonly log: LogEntry[] = [];
  /** Organizations this batch created: linked to the caller at the next flush. */
  readonly links: string[] = [];
  /** Invoices whose applied money may now exceed what they ask (./derived.ts). */
  readonly paidInvoices = new Set<string>();
  /** Invoices whose reminder fees paid may now exceed every fee charged (./derived.ts). */
  readonly feeInvoices = new Set<string>();
  /** People this batch created: until their membership lands, the batch's memberships judge them. */
  readonly newPeople = new Set<string>();
  readonly balances = new Map<string, Balance>();
  /** person id → the live memberships this batch writes for them (their fields, as pushed). */
  readonly joiningPeople: Map<string, Fields[]>;
  /** The device declared a schema newer than this hub's code knows: its new columns may pass. */
  readonly newerSchema: boolean;
  private hubCounter = 0;
  private scope: Scope | null = null;
  private flushedLog = 0;
  private flushed = false;

  private constructor(
    readonly sql: Sql,
    readonly forUpdate: string,
    readonly device: PushingDevice,
    readonly request: PushRequest,
    readonly now: number,
    /** Where the batch's positions come from (the store: counter or sequence, HUB.md "No global lock"). */
    readonly positions: Positions,
    readonly rows: Map<string, RowState>,
    readonly actor: HubActor,
    readonly view: HubView,
    readonly authority: Authority,
    joiningPeople: Map<string, Fields[]>,
    /** The scope's first reads over the actor's links, when the opening read them: used once. */
    private scopeFirst: ScopeRead[] | null,
    /** The keys of rows the batch's rows point at: read at its start, then when first asked. */
    private readonly parentCache: Map<string, RowKeys | null>,
  ) {
    this.results = request.changes.map(() => null);
    this.newerSchema = request.schemaVersion > codeSchemaVersion();
    this.joiningPeople = joiningPeople;
  }

  static async load(
    sql: Sql,
    forUpdate: string,
    device: PushingDevice,
    request: PushRequest,
    now: number,
    positions: Positions,
    preread: Preread | null,
  ): Promise<PushBatch> {
    // What the store's opening read (PostgreSQL: ./push-opening.ts), else read here.
    const rows = preread?.rows ?? (await loadRows(sql, request.changes));
    // Who is writing and what the hub holds (server/sync/authorize.ts judges every write).
    const actor = preread?.actor ?? (await loadActor(sql, device.userId));
    const joining = membershipsInBatch(request.changes);
    // The rows the batch's rows point at, read at once (./push-parents.ts).
    const parents = await readParents(sql, rows, request.changes);
    const view = hubView(sql, {
      joining: (personId) => joining.get(personId) ?? [],
      fields: (table, rowId) => {
        const st = rows.get(key(table, rowId));
        if (!st) return undefined;
        return st.fields.size > 0 ? fieldsOf(st) : null;
      },
      *touched(table) {
        for (const st of rows.values())
          if (st.table === table && st.fields.size > 0) yield [st.rowId, fieldsOf(st)] as [string, Fields];
      },
    }, parents.fields);
    const authority: Authority = createAuthority(actor, view);
    return new PushBatch(
      sql,
      forUpdate,
      device,
      request,
      now,
      positions,
      rows,
      actor,
      view,
      authority,
      joining,
      preread?.scopeFirst ?? null,
      parents.keys,
    );
  }

  /** The next position (hub_log sequence number) of what this batch writes, in order. */
  position(): Promise<number> {
    return this.positions.next();
  }

  get changes(): readonly WireChange[] {
    return this.request.changes;
  }

  /** The keys of a row another points at: from this batch if it wrote them, else as stored. */
  parent = async (table: string, rowId: string): Promise<RowKeys | null> => {
    const inBatch = this.rows.get(key(table, rowId));
    if (inBatch?.keys) return inBatch.keys;
    const k = key(table, rowId);
    if (!this.parentCache.has(k)) {
      const r = await this.sql.all(
        'SELECT org_id, org2_id, product_id, ref_id, status, access, live FROM hub_rows WHERE table_name = ? AND row_id = ?',
        [table, rowId],
      );
      this.parentCache.set(k, r[0] ? toKeys(r[0]) : null);
    }
    return this.parentCache.get(k) ?? null;
  };

  /**
   * Writes what the batch decided since the last flush (the scope reads the stored rows); the
   * last flush (`closing`) also writes the balances moved and the batch's answer.
   */
  async flush(closing?: Closing): Promise<void> {
    await writeState(
      this.sql,
      this.rows,
      this.log.slice(this.flushedLog),
      this.links.splice(0),
      this.device.userId,
      this.now,
      closing,
    );
    this.flushedLog = this.log.length;
    this.flushed = true;
  }

  async currentScope(): Promise<Scope> {
    // Until the batch writes anything, the links are those its actor read at its start (in this
    // transaction, one statement earlier); once it flushed or created an organization, the store's.
    const untouched = !this.flushed && this.links.length === 0;
    if (!this.scope) {
      const first = this.scopeFirst ?? undefined;
      this.scopeFirst = null;
      this.scope = untouched
        ? await scopeOf(this.sql, this.device.userId, this.actor.linked, first)
        : await scopeOf(this.sql, this.device.userId);
    }
    return this.scope;
  }

  /** A write changed who sees what: the scope is read again (after a flush) when next needed. */
  forgetScope(): void {
    this.scope = null;
  }

  /** The scope as last read, if still current (null: forgotten, or never read). */
  get knownScope(): Scope | null {
    return this.scope;
  }

  /** A timestamp of the hub's own writes (voids, deposits): its clock, device `hub`. */
  hubStamp(): string {
    return formatHlc({ wallMs: this.now, counter: this.hubCounter++, deviceId: 'hub' });
  }

  /** The balance of an organization's prepaid account in a currency, as this batch leaves it. */
  async balanceOf(org: string, currency: string): Promise<Balance> {
    const bk = `${org}\u0000${currency}`;
    let b = this.balances.get(bk);
    if (!b) {
      const got = await this.sql.all<{ balance_minor: number }>(
        'SELECT balance_minor FROM hub_balances WHERE organization_id = ? AND currency = ?',
        [org, currency],
      );
      b = { org, currency, balance: Number(got[0]?.balance_minor ?? 0), changed: false };
      this.balances.set(bk, b);
    }
    return b;
  }

  /** Appends a row only the hub writes (a void, a deposit) to the log, as one `*` change. */
  async appendHubRow(table: string, rowId: string, row: Fields, hlc: string): Promise<boolean> {
    const k = key(table, rowId);
    let state = this.rows.get(k);
    if (!state) {
      const existing = await this.sql.all('SELECT 1 FROM hub_fields WHERE table_name = ? AND row_id = ?', [
        table,
        rowId,
      ]);
      if (existing.length > 0) return false;
      state = { table, rowId, fields: new Map(), keys: null, firstSeq: null, dirty: false, stored: false };
      this.rows.set(k, state);
    } else if (state.fields.has('*')) return false;
    const value = JSON.stringify(row);
    const seq = await this.positions.next();
    state.fields.set('*', { value, hlc, seq });
    state.keys = await rowKeysOf(table, rowId, row, this.parent);
    state.firstSeq = seq;
    state.dirty = true;
    this.log.push({ seq, table, rowId, column: '*', value, hlc, deviceId: 'hub' });
    return true;
  }

  async recordVoid(v: VoidRow): Promise<void> {
    await this.appendHubRow('invoice_voids', v.id, { ...v }, v.hlc);
  }
}

/** person id → the live memberships this batch writes for them (whole, as pushed). */
function membershipsInBatch(changes: readonly WireChange[]): Map<string, Fields[]> {
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
  const out = new Map<string, Fields[]>();
  for (const f of rows.values()) {
    if (typeof f.person_id !== 'string' || typeof f.organization_id !== 'string') continue;
    if (f.deleted_at !== undefined && f.deleted_at !== null) continue;
    out.set(f.person_id, [...(out.get(f.person_id) ?? []), f]);
  }
  return out;
}
