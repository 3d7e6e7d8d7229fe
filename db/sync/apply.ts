import type { Statement } from 'better-sqlite3';
import type { RawDb } from '../open';
import { linesToWire, normalise } from './outbox';
import type { ChangeResult, PulledChange, SnapshotRow, WireChange } from '#common/sync/protocol';
import { InvoiceDeriver } from './derived';
import { IssueRules } from './issue-apply';
// Deletion order for a purge (rows that point at others go first), from the one declaration.
import {
  isDerived,
  LINES_COLUMN,
  LOCAL_COLUMNS,
  PURGE_ORDER,
  SYNC_TABLES,
  type SyncTable,
  toDriver,
  WHOLE_ROW,
} from './tables';

// Applies the hub's changes to the local store, one SQLite transaction per page: all of a
// page or none of it, so a process killed mid-apply resumes from the same cursor. Per field,
// last writer wins against the local field clock — max(hlc) in change_log for that field or
// its row's `*` — which also holds this device's own unpushed edits. Applied changes are
// recorded in change_log with their hub_seq: they are not pushed back, and they are the clock.

export interface ApplyStats {
  applied: number;
  superseded: number;
  duplicate: number;
  deferred: number;
}

export interface PushStats {
  acknowledged: number;
  rejected: number;
  /** Acknowledged, but a newer write of the same field already stood on the hub. */
  superseded: number;
}

const emptyStats = (): ApplyStats => ({ applied: 0, superseded: 0, duplicate: 0, deferred: 0 });

type Fields = Map<string, unknown>;

export class Applier {
  private readonly sameChange: Statement;
  private readonly ackOwn: Statement;
  private readonly fieldClock: Statement;
  private readonly rowClock: Statement;
  private readonly record: Statement;
  private readonly rowLog: Statement;
  private readonly defer: Statement;
  private readonly seen: Statement;
  private readonly markPending: Statement;
  private readonly deleteLines: Statement;
  private readonly insertLine: Statement;
  private readonly cache = new Map<string, Statement>();
  private maxRemoteHlc = '';
  private readonly issues: IssueRules;
  private readonly deriver: InvoiceDeriver;
  /** Invoices whose derived values (totals, paid, status) must be recomputed before commit. */
  private readonly dirtyInvoices = new Set<string>();

  constructor(private readonly raw: RawDb) {
    this.issues = new IssueRules(raw);
    this.deriver = new InvoiceDeriver(raw);
    this.sameChange = raw.prepare(
      'SELECT seq, hub_seq FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND hlc = ?',
    );
    this.ackOwn = raw.prepare('UPDATE change_log SET hub_seq = ? WHERE seq = ?');
    this.fieldClock = raw
      .prepare(
        `SELECT max(hlc) FROM change_log WHERE table_name = ? AND row_id = ? AND column_name IN (?, '*')`,
      )
      .pluck();
    this.rowClock = raw
      .prepare('SELECT max(hlc) FROM change_log WHERE table_name = ? AND row_id = ?')
      .pluck();
    this.record = raw.prepare(
      'INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.rowLog = raw.prepare(
      'SELECT column_name, value FROM change_log WHERE table_name = ? AND row_id = ? ORDER BY hlc, seq',
    );
    this.defer = raw.prepare(
      `INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.markPending = raw.prepare(
      `INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
       SELECT 0, '', @table, @row, '', NULL, 'pending_row', @now
       WHERE NOT EXISTS (SELECT 1 FROM sync_deferred WHERE reason = 'pending_row' AND table_name = @table AND row_id = @row)`,
    );
    this.seen = raw.prepare('INSERT OR IGNORE INTO sync_snapshot_seen (table_name, row_id) VALUES (?, ?)');
    this.deleteLines = raw.prepare('DELETE FROM invoice_lines WHERE invoice_id = ?');
    this.insertLine = raw.prepare(
      `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor,
        discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor, unit_code, vat_category, exemption_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The newest remote timestamp applied so far: the local clock must continue after it. */
  get newestRemoteHlc(): string {
    return this.maxRemoteHlc;
  }

  /** One page of pulled changes, in hub order, in one transaction. */
  applyPage(changes: readonly PulledChange[], now: string): ApplyStats {
    return this.guarded(() => {
      const stats = emptyStats();
      const touched = new Map<string, { table: SyncTable; rowId: string; fields: Fields; seqs: number[] }>();
      this.issues.notePage(changes);
      for (const change of changes) this.applyOne(change, change.seq, now, stats, touched);
      for (const { table, rowId, fields, seqs } of touched.values()) {
        this.flush(table, rowId, fields, now, seqs, stats);
      }
      this.settlePending(now);
      return stats;
    });
  }

  /**
   * Rows of a snapshot: each field carries the HLC of its winning write. A row this device
   * never had goes in whole, with one `*` entry as its clock (1M rows stay 1M log rows).
   */
  applySnapshot(rows: readonly SnapshotRow[], asOf: number, now: string, trackSeen: boolean): ApplyStats {
    return this.guarded(() => {
      const stats = emptyStats();
      for (const row of rows) {
        const table = SYNC_TABLES.get(row.table);
        if (trackSeen) this.seen.run(row.table, row.rowId);
        const entries = expandFields(row.fields);
        if (!table) {
          for (const [column, [value, hlc]] of entries) {
            this.park(
              { table: row.table, rowId: row.rowId, column, value, hlc },
              -asOf,
              'unknown_table',
              now,
            );
          }
          stats.deferred++;
          continue;
        }
        if (table.name === 'invoices') {
          const status = entries.find(([column]) => column === 'status')?.[1][0] ?? null;
          if (status !== null && status !== '"draft"') this.issues.noteIssuedRow(row.rowId);
        }
        const known = this.rowClock.get(row.table, row.rowId) as string | null;
        if (known !== null && table.kind === 'append') {
          // Money records never change: the one here is the one the hub has.
          stats.duplicate++;
          continue;
        }
        if (known === null) {
          // Nothing local: the row as the hub has it, its clock in as few entries as possible.
          let minHlc = entries[0]?.[1][1] ?? '';
          for (const [, [, hlc]] of entries) if (hlc < minHlc) minHlc = hlc;
          const fields: Fields = new Map();
          for (const [column, [value, hlc]] of entries) {
            if (isDerived(table.name, column)) continue;
            if (!this.knownColumn(table, column)) {
              this.park(
                { table: row.table, rowId: row.rowId, column, value, hlc },
                -asOf,
                'unknown_column',
                now,
              );
              continue;
            }
            if (hlc !== minHlc)
              this.record.run(hlc, deviceOf(hlc), row.table, row.rowId, column, value, asOf);
            this.noteRemote(hlc);
            fields.set(column, parseValue(value));
          }
          // One `*` entry with the row as of the snapshot: the clock of its oldest fields, and
          // what the row is rebuilt from if it must wait for what it points at.
          const whole: Record<string, unknown> = {};
          for (const [column, value] of fields)
            if (column !== LINES_COLUMN || table.name === 'invoices') whole[column] = value;
          this.record.run(
            minHlc,
            deviceOf(minHlc),
            row.table,
            row.rowId,
            WHOLE_ROW,
            JSON.stringify(whole),
            asOf,
          );
          this.flush(table, row.rowId, fields, now, [], stats, true);
          stats.applied++;
          continue;
        }
        const touched = new Map<
          string,
          { table: SyncTable; rowId: string; fields: Fields; seqs: number[] }
        >();
        for (const [column, [value, hlc]] of entries) {
          this.applyOne(
            { table: row.table, rowId: row.rowId, column, value, hlc },
            asOf,
            now,
            stats,
            touched,
          );
        }
        for (const t of touched.values()) this.flush(t.table, t.rowId, t.fields, now, t.seqs, stats);
      }
      this.settlePending(now);
      return stats;
    });
  }

  /** Records the hub's answer to a pushed batch; a refused change leaves the store as the hub has it. */
  acknowledge(
    batch: readonly WireChange[],
    seqs: readonly number[],
    results: readonly ChangeResult[],
    now: string,
  ): PushStats {
    return this.guarded(() => {
      const stats: PushStats = { acknowledged: 0, rejected: 0, superseded: 0 };
      const rejectedRows = new Map<string, { table: string; rowId: string; columns: Set<string> }>();
      const insertRejection = this.raw.prepare(
        `INSERT INTO sync_rejections (hlc, table_name, row_id, column_name, value, reason, detail, rejected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const dropFromLog = this.raw.prepare('DELETE FROM change_log WHERE seq = ?');
      results.forEach((result, i) => {
        const seq = seqs[i];
        const change = batch[i];
        if (seq === undefined || !change) return;
        if (result.outcome !== 'rejected') {
          this.ackOwn.run(result.hubSeq ?? 0, seq);
          stats.acknowledged++;
          if (result.outcome === 'superseded') stats.superseded++;
          return;
        }
        stats.rejected++;
        // A draft edit that reached the hub after another device's issue lost a race: told
        // as such, with the number that won (the hub's reason stays the general one).
        const lostToIssue =
          result.reason === 'invoice_issued_immutable' &&
          change.table === 'invoices' &&
          typeof result.detail?.winningNumber === 'string';
        insertRejection.run(
          change.hlc,
          change.table,
          change.rowId,
          change.column,
          change.value,
          lostToIssue ? 'invoice_issued_elsewhere' : (result.reason ?? 'rejected'),
          result.detail
            ? JSON.stringify(lostToIssue ? { ...result.detail, column: change.column } : result.detail)
            : null,
          now,
        );
        dropFromLog.run(seq);
        const key = `${change.table}\u0000${change.rowId}`;
        const entry = rejectedRows.get(key) ?? {
          table: change.table,
          rowId: change.rowId,
          columns: new Set(),
        };
        entry.columns.add(change.column);
        rejectedRows.set(key, entry);
      });
      for (const { table, rowId, columns } of rejectedRows.values()) this.restore(table, rowId, columns, now);
      return stats;
    });
  }

  /** Writes back what the log (without the dropped changes) says a row's fields are. */
  restore(tableName: string, rowId: string, columns: ReadonlySet<string>, now: string): void {
    const table = SYNC_TABLES.get(tableName);
    if (!table) return;
    const folded = this.fold(table, rowId);
    if (!folded) {
      // Nothing of the row is left in the log: it was only ever this device's, and refused.
      // Rows of ours that point at it keep it (their own refusals, if any, come with them).
      if (!this.referenced(table, rowId)) this.deleteRow(table, rowId);
      return;
    }
    const fields: Fields = new Map();
    const all = columns.has(WHOLE_ROW);
    for (const [column, value] of folded) if (all || columns.has(column)) fields.set(column, value);
    // A refused column nobody else ever wrote (a row's creation does not log its empty
    // columns) goes back to empty: else a refused tombstone stayed, and the device kept a row
    // deleted that the hub still holds.
    for (const column of columns) {
      const c = table.columns.get(column);
      if (c && !c.required && !fields.has(column) && this.knownColumn(table, column))
        fields.set(column, null);
    }
    if (fields.size > 0) this.writeFields(table, rowId, fields, now);
  }

  /** After a scope change's snapshot: drop what the device may no longer see, except its unpushed changes. */
  purgeUnseen(): number {
    return this.guarded(() => {
      let purged = 0;
      const keep = `(SELECT row_id FROM sync_snapshot_seen WHERE table_name = @t
        UNION SELECT row_id FROM change_log WHERE table_name = @t AND hub_seq IS NULL)`;
      this.raw
        .prepare(`DELETE FROM invoice_lines WHERE invoice_id NOT IN ${keep.replaceAll('@t', "'invoices'")}`)
        .run();
      for (const name of PURGE_ORDER) {
        const gone = this.raw
          .prepare(`SELECT id FROM "${name}" WHERE id NOT IN ${keep}`)
          .pluck()
          .all({ t: name }) as string[];
        if (gone.length === 0) continue;
        const del = this.raw.prepare(`DELETE FROM "${name}" WHERE id = ?`);
        const delLog = this.raw.prepare('DELETE FROM change_log WHERE table_name = ? AND row_id = ?');
        for (const id of gone) {
          if (name === 'ledger_entries') this.unbook(id);
          del.run(id);
          delLog.run(name, id);
          purged++;
        }
      }
      purged += this.purgeOrphans();
      this.raw.prepare('DELETE FROM sync_snapshot_seen').run();
      return purged;
    });
  }

  /**
   * Rows still in scope that point at a purged row (a taken-back product's tombstoned
   * allocation, which the partner may still see) would fail the foreign keys at commit: they
   * go with what they point at, until nothing points into the void.
   */
  private purgeOrphans(): number {
    let purged = 0;
    const delLog = this.raw.prepare('DELETE FROM change_log WHERE table_name = ? AND row_id = ?');
    for (let changed = true; changed; ) {
      changed = false;
      this.raw.prepare('DELETE FROM invoice_lines WHERE invoice_id NOT IN (SELECT id FROM invoices)').run();
      for (const t of SYNC_TABLES.values()) {
        for (const parent of t.parents) {
          const orphans = this.raw
            .prepare(
              `SELECT id FROM "${t.name}" WHERE "${parent.column}" IS NOT NULL
                 AND "${parent.column}" NOT IN (SELECT id FROM "${parent.table}")`,
            )
            .pluck()
            .all() as string[];
          for (const id of orphans) {
            if (t.name === 'ledger_entries') this.unbook(id);
            this.raw.prepare(`DELETE FROM "${t.name}" WHERE id = ?`).run(id);
            delLog.run(t.name, id);
            purged++;
            changed = true;
          }
        }
      }
    }
    return purged;
  }

  /** Changes parked for a newer version: applied again once this version knows them. */
  retryDeferred(now: string): ApplyStats {
    const parked = this.raw
      .prepare(
        "SELECT hub_seq, hlc, table_name, row_id, column_name, value FROM sync_deferred WHERE reason <> 'pending_row' ORDER BY id",
      )
      .all() as {
      hub_seq: number;
      hlc: string;
      table_name: string;
      row_id: string;
      column_name: string;
      value: string | null;
    }[];
    if (parked.length === 0) return emptyStats();
    this.raw.prepare("DELETE FROM sync_deferred WHERE reason <> 'pending_row'").run();
    return this.applyPage(
      parked.map((p) => ({
        seq: Math.abs(p.hub_seq),
        hlc: p.hlc,
        table: p.table_name,
        rowId: p.row_id,
        column: p.column_name,
        value: p.value,
      })),
      now,
    );
  }

  // ---------------------------------------------------------------------------------------

  private guarded<T>(fn: () => T): T {
    const run = this.raw.transaction(() => {
      this.raw.pragma('defer_foreign_keys = ON');
      this.raw.prepare('INSERT OR IGNORE INTO sync_guard (id) VALUES (1)').run();
      const out = fn();
      for (const id of this.dirtyInvoices) this.deriver.recompute(id);
      this.dirtyInvoices.clear();
      this.raw.prepare('DELETE FROM sync_guard').run();
      return out;
    });
    return this.raw.inTransaction ? run() : run.immediate();
  }

  private applyOne(
    change: WireChange,
    hubSeq: number,
    now: string,
    stats: ApplyStats,
    touched: Map<string, { table: SyncTable; rowId: string; fields: Fields; seqs: number[] }>,
  ): void {
    const table = SYNC_TABLES.get(change.table);
    if (!table) {
      this.park(change, hubSeq, 'unknown_table', now);
      stats.deferred++;
      return;
    }
    // Derived values never merge (db/sync/derived.ts): an old peer's are ignored, not parked.
    if (isDerived(table.name, change.column)) {
      stats.duplicate++;
      return;
    }
    if (change.column !== WHOLE_ROW && !this.knownColumn(table, change.column)) {
      this.park(change, hubSeq, change.column.startsWith('$') ? 'unknown_command' : 'unknown_column', now);
      stats.deferred++;
      return;
    }
    const same = this.sameChange.get(change.table, change.rowId, change.column, change.hlc) as
      | { seq: number; hub_seq: number | null }
      | undefined;
    if (same) {
      // Our own change coming back (its push answer was lost), or a replayed page.
      if (same.hub_seq === null) this.ackOwn.run(hubSeq, same.seq);
      stats.duplicate++;
      return;
    }
    this.noteRemote(change.hlc);
    if (table.kind === 'append') {
      this.appendRow(table, change, hubSeq, now, stats);
      return;
    }
    // An issue applies whole whatever the clocks; anything else on an issued invoice lost to it.
    const forced = this.issues.forced(change);
    if (!forced && this.issues.frozen(change)) {
      stats.superseded++;
      return;
    }
    const clock = this.fieldClock.get(change.table, change.rowId, change.column) as string | null;
    if (
      !forced &&
      clock !== null &&
      clock >= change.hlc &&
      !(clock === change.hlc && this.wholeRowLacks(change))
    ) {
      stats.superseded++;
      return;
    }
    // Only a row this store already had can hold an own write the issue overrides.
    const overrides = forced && this.rowClock.get(change.table, change.rowId) !== null;
    if (overrides && change.column !== WHOLE_ROW)
      this.issues.override(change, change.column, change.value, now);
    this.record.run(
      change.hlc,
      deviceOf(change.hlc),
      change.table,
      change.rowId,
      change.column,
      change.value,
      hubSeq,
    );
    const key = `${change.table}\u0000${change.rowId}`;
    let entry = touched.get(key);
    if (!entry) {
      entry = { table, rowId: change.rowId, fields: new Map(), seqs: [] };
      touched.set(key, entry);
    }
    entry.seqs.push(hubSeq);
    if (change.column === WHOLE_ROW) {
      const whole = parseValue(change.value);
      if (whole && typeof whole === 'object') {
        for (const [column, value] of Object.entries(normalise(table, whole as Record<string, unknown>))) {
          if (column === 'id' || !this.knownColumn(table, column) || isDerived(table.name, column)) continue;
          if (forced) {
            if (overrides) this.issues.override(change, column, JSON.stringify(value ?? null), now);
            entry.fields.set(column, value);
            continue;
          }
          // A newer edit of one field must survive an older whole row.
          const fieldClock = this.fieldClock.get(change.table, change.rowId, column) as string | null;
          if (fieldClock !== null && fieldClock > change.hlc) continue;
          entry.fields.set(column, value);
        }
      }
    } else {
      entry.fields.set(change.column, parseValue(change.value));
    }
    stats.applied++;
  }

  private appendRow(
    table: SyncTable,
    change: WireChange,
    hubSeq: number,
    now: string,
    stats: ApplyStats,
  ): void {
    const whole = parseValue(change.value);
    if (change.column !== WHOLE_ROW || !whole || typeof whole !== 'object') {
      this.park(change, hubSeq, 'unknown_column', now);
      stats.deferred++;
      return;
    }
    const exists = this.statement(`SELECT 1 FROM "${table.name}" WHERE id = ?`).get(change.rowId);
    this.record.run(
      change.hlc,
      deviceOf(change.hlc),
      change.table,
      change.rowId,
      WHOLE_ROW,
      change.value,
      hubSeq,
    );
    if (exists) {
      stats.duplicate++;
      return;
    }
    const fields: Fields = new Map(Object.entries(normalise(table, whole as Record<string, unknown>)));
    fields.delete('id');
    if (this.ready(table, fields, true)) this.insertRow(table, change.rowId, fields, now);
    else this.markPending.run({ table: table.name, row: change.rowId, now });
    stats.applied++;
  }

  private flush(
    table: SyncTable,
    rowId: string,
    fields: Fields,
    now: string,
    seqs: readonly number[],
    stats: ApplyStats,
    isNew = false,
  ): void {
    const write = this.raw.transaction(() => {
      const exists =
        !isNew && this.statement(`SELECT 1 FROM "${table.name}" WHERE id = ?`).get(rowId) !== undefined;
      if (exists) {
        if (this.ready(table, fields)) this.writeFields(table, rowId, fields, now);
        else this.markPending.run({ table: table.name, row: rowId, now });
        return;
      }
      if (isNew && this.ready(table, fields, true)) {
        this.insertRow(table, rowId, fields, now);
        return;
      }
      // Not all of the row (or of what it points at) has arrived yet: a page boundary split
      // a creation. It is in the log; a marker makes sure it goes in when the rest comes.
      if (!this.materialize(table, rowId, now)) this.markPending.run({ table: table.name, row: rowId, now });
    });
    try {
      write();
    } catch (error) {
      // A local constraint (a tag name taken here meanwhile): keep the changes aside, shown
      // in the status, instead of failing the whole page or losing them.
      const reason = error instanceof Error ? `constraint: ${error.message}` : 'constraint';
      const takeBack = this.raw.prepare(
        'DELETE FROM change_log WHERE table_name = ? AND row_id = ? AND hub_seq = ? RETURNING hlc, column_name, value, hub_seq',
      );
      for (const seq of new Set(seqs)) {
        const rows = takeBack.all(table.name, rowId, seq) as {
          hlc: string;
          column_name: string;
          value: string | null;
          hub_seq: number;
        }[];
        for (const r of rows) {
          this.park(
            { table: table.name, rowId, column: r.column_name, value: r.value, hlc: r.hlc },
            r.hub_seq,
            reason,
            now,
          );
        }
      }
      stats.deferred++;
    }
  }

  /** Every column a new row needs is known, and every row it points at is here. */
  private ready(table: SyncTable, fields: Fields, whole = false): boolean {
    if (whole) for (const c of table.columns.values()) if (c.required && !fields.has(c.sql)) return false;
    const lines = table.name === 'invoices' ? fields.get(LINES_COLUMN) : undefined;
    if (Array.isArray(lines)) {
      for (const l of lines as { productId?: unknown }[]) {
        if (
          typeof l.productId === 'string' &&
          this.statement('SELECT 1 FROM "products" WHERE id = ?').get(l.productId) === undefined
        )
          return false;
      }
    }
    for (const { column, table: parent } of table.parents) {
      const value = fields.get(column);
      if (value === null || value === undefined) continue;
      if (this.statement(`SELECT 1 FROM "${parent}" WHERE id = ?`).get(value) === undefined) return false;
    }
    return true;
  }

  /** Writes the row as the log has it, if it can go in now. */
  private materialize(table: SyncTable, rowId: string, now: string): boolean {
    const whole = this.fold(table, rowId);
    if (!whole) return true;
    const exists = this.statement(`SELECT 1 FROM "${table.name}" WHERE id = ?`).get(rowId) !== undefined;
    if (exists && table.kind === 'append') return true;
    if (!this.ready(table, whole, !exists)) return false;
    if (exists) this.writeFields(table, rowId, whole, now);
    else this.insertRow(table, rowId, whole, now);
    return true;
  }

  /** Rows waiting for the rest of themselves: retried at the end of every page. */
  private settlePending(now: string): void {
    const pending = this.raw
      .prepare("SELECT id, table_name, row_id FROM sync_deferred WHERE reason = 'pending_row' ORDER BY id")
      .all() as { id: number; table_name: string; row_id: string }[];
    let progress = true;
    let left = pending;
    while (progress && left.length > 0) {
      progress = false;
      const next: typeof left = [];
      for (const p of left) {
        const table = SYNC_TABLES.get(p.table_name);
        if (!table || this.materialize(table, p.row_id, now)) {
          this.raw.prepare('DELETE FROM sync_deferred WHERE id = ?').run(p.id);
          progress = true;
        } else next.push(p);
      }
      left = next;
    }
  }

  /** The row's fields as the log says: every entry folded in HLC order. */
  private fold(table: SyncTable, rowId: string): Fields | null {
    const entries = this.rowLog.all(table.name, rowId) as { column_name: string; value: string | null }[];
    if (entries.length === 0) return null;
    const fields: Fields = new Map();
    for (const e of entries) {
      if (e.column_name === WHOLE_ROW) {
        const whole = parseValue(e.value);
        if (whole && typeof whole === 'object') {
          for (const [column, value] of Object.entries(normalise(table, whole as Record<string, unknown>))) {
            if (column !== 'id' && this.knownColumn(table, column)) fields.set(column, value);
          }
        }
      } else if (this.knownColumn(table, e.column_name)) {
        fields.set(e.column_name, parseValue(e.value));
      }
    }
    return fields;
  }

  private writeFields(table: SyncTable, rowId: string, fields: Fields, now: string): void {
    this.markDerived(table, rowId, fields);
    const columns = [...fields.keys()].filter((c) => c !== LINES_COLUMN && table.columns.has(c));
    if (fields.has(LINES_COLUMN) && table.name === 'invoices')
      this.writeLines(rowId, fields.get(LINES_COLUMN));
    if (columns.length === 0) return;
    const sets = [...columns.map((c) => `"${c}" = ?`), '"updated_at" = ?'].join(', ');
    const values = columns.map((c) =>
      toDriver(table.columns.get(c) as NonNullable<ReturnType<typeof table.columns.get>>, fields.get(c)),
    );
    this.statement(`UPDATE "${table.name}" SET ${sets} WHERE id = ?`).run(...values, now, rowId);
  }

  private insertRow(table: SyncTable, rowId: string, fields: Fields, now: string): void {
    this.markDerived(table, rowId, fields);
    const columns = [...fields.keys()].filter(
      (c) => c !== LINES_COLUMN && c !== 'id' && table.columns.has(c),
    );
    const values = columns.map((c) =>
      toDriver(table.columns.get(c) as NonNullable<ReturnType<typeof table.columns.get>>, fields.get(c)),
    );
    if (table.columns.has('updated_at')) {
      columns.push('updated_at');
      values.push(now);
    }
    if (table.columns.has('created_at') && !columns.includes('created_at')) {
      columns.push('created_at');
      values.push(now);
    }
    const names = ['id', ...columns].map((c) => `"${c}"`).join(', ');
    const marks = ['?', ...columns.map(() => '?')].join(', ');
    // Lines go in before an issued invoice, as in bulk writes: the row then refuses more.
    if (fields.has(LINES_COLUMN) && table.name === 'invoices')
      this.writeLines(rowId, fields.get(LINES_COLUMN));
    this.statement(`INSERT INTO "${table.name}" (${names}) VALUES (${marks})`).run(rowId, ...values);
  }

  /** What this write changes the derived values of: the invoice itself, or the one paid. */
  private markDerived(table: SyncTable, rowId: string, fields: Fields): void {
    if (table.name === 'invoices') this.dirtyInvoices.add(rowId);
    else if (table.name === 'payments' || table.name === 'ledger_entries') {
      const invoice = fields.get('invoice_id');
      if (typeof invoice === 'string') this.dirtyInvoices.add(invoice);
    }
  }

  private writeLines(invoiceId: string, lines: unknown): void {
    this.deleteLines.run(invoiceId);
    if (!Array.isArray(lines)) return;
    lines.forEach((raw, index) => {
      const l = raw as Record<string, unknown>;
      const position = typeof l.position === 'number' ? l.position : index;
      this.insertLine.run(
        `${invoiceId}:${position}`,
        invoiceId,
        position,
        l.productId ?? null,
        l.description ?? '',
        l.quantityMilli ?? 0,
        l.unitPriceMinor ?? 0,
        l.discountBp ?? 0,
        l.vatRateBp ?? 0,
        l.netMinor ?? 0,
        l.vatMinor ?? 0,
        l.grossMinor ?? 0,
        // A device from before the e-invoice migration sends lines without these.
        l.unitCode ?? 'C62',
        l.vatCategory ?? null,
        l.exemptionReason ?? null,
      );
    });
  }

  private deleteRow(table: SyncTable, rowId: string): void {
    if (table.name === 'invoices') this.deleteLines.run(rowId);
    if (table.name === 'ledger_entries') this.unbook(rowId);
    this.statement(`DELETE FROM "${table.name}" WHERE id = ?`).run(rowId);
  }

  private referenced(table: SyncTable, rowId: string): boolean {
    for (const child of SYNC_TABLES.values()) {
      for (const p of child.parents) {
        if (p.table !== table.name) continue;
        if (this.statement(`SELECT 1 FROM "${child.name}" WHERE "${p.column}" = ? LIMIT 1`).get(rowId))
          return true;
      }
    }
    return false;
  }

  /** The derived balance follows inserts by trigger; a refused entry leaves it by hand. */
  private unbook(entryId: string): void {
    this.raw
      .prepare(
        `UPDATE prepaid_balances SET balance_minor = balance_minor -
           (SELECT amount_minor FROM ledger_entries WHERE id = @id)
         WHERE (organization_id, currency) = (SELECT organization_id, currency FROM ledger_entries WHERE id = @id)`,
      )
      .run({ id: entryId });
  }

  private park(change: WireChange, hubSeq: number, reason: string, now: string): void {
    this.defer.run(hubSeq, change.hlc, change.table, change.rowId, change.column, change.value, reason, now);
  }

  /**
   * A snapshot's `*` entry at this very HLC without this column: the field was parked (a newer
   * schema's) when the row came in, so the entry is no newer value of it.
   */
  private wholeRowLacks(change: WireChange): boolean {
    const text = this.statement(
      "SELECT value FROM change_log WHERE table_name = ? AND row_id = ? AND column_name = '*' AND hlc = ?",
    )
      .pluck()
      .get(change.table, change.rowId, change.hlc) as string | undefined;
    const whole = text ? parseValue(text) : null;
    return whole !== null && typeof whole === 'object' && !Object.hasOwn(whole, change.column);
  }

  private knownColumn(table: SyncTable, column: string): boolean {
    if (column === LINES_COLUMN) return table.name === 'invoices';
    return table.columns.has(column) && !LOCAL_COLUMNS.has(column) && column !== 'id';
  }

  private noteRemote(hlc: string): void {
    if (hlc > this.maxRemoteHlc) this.maxRemoteHlc = hlc;
  }

  private statement(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

export function linesOf(raw: RawDb, invoiceId: string): Record<string, unknown>[] {
  return linesToWire(
    raw
      .prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position')
      .all(invoiceId) as Record<string, unknown>[],
  );
}

/** A snapshot row's fields, a whole-row `*` field (money records, bulk invoices) spread out. */
function expandFields(fields: SnapshotRow['fields']): [string, [string | null, string]][] {
  const out: [string, [string | null, string]][] = [];
  for (const [column, [value, hlc]] of Object.entries(fields)) {
    const whole = column === WHOLE_ROW ? parseValue(value) : undefined;
    if (whole && typeof whole === 'object') {
      for (const [key, v] of Object.entries(whole as Record<string, unknown>)) {
        if (key !== 'id') out.push([key, [JSON.stringify(v ?? null), hlc]]);
      }
    } else if (column !== WHOLE_ROW) out.push([column, [value, hlc]]);
  }
  return out;
}

function parseValue(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function deviceOf(hlc: string): string {
  return hlc.split(':').slice(2).join(':');
}
