import type { Statement } from 'better-sqlite3';
import type { WireChange } from '#common/sync/protocol';
import type { RawDb } from '../open';
import { WHOLE_ROW } from './tables';

// Issuing is a command whose result is final (SYNC.md "Issued documents"). On the device:
// - an issue (an invoice change whose status leaves draft, with the rest of the document under
//   the same timestamp) and the hub's own completions of it (numbering at sync, HLC device
//   `hub`) apply whole, whatever the local field clocks say: the hub relays only the issue
//   that won (server/sync/issue-race.ts: the first it received);
// - any other change to an invoice this store holds as issued is superseded: the hub ordered
//   it before the issue, which overrides it;
// - this device's own draft edit or delete that an incoming issue overrides is a lost race:
//   recorded as a refusal (`invoice_issued_elsewhere`, with keep mine / accept theirs), and if
//   it was not pushed yet it leaves the outbox (the hub would refuse it anyway). Its own
//   losing issue stays in the outbox: the hub refuses it and records the number as void.

const key = (rowId: string, hlc: string) => `${rowId}\u0000${hlc}`;

/**
 * What the issue itself decides (number, dates, parties' snapshots, references): a draft
 * never chose these, so the issue overriding them is no one's lost work. The draft's own
 * content (lines, notes, locale, its tombstone) is what a lost race can take from someone.
 */
const ISSUE_DEFINED = new Set([
  'status',
  'series',
  'sequence',
  'number',
  'issued_on',
  'due_on',
  'billing_address_id',
  'bill_to',
  'issuer',
  'reverse_charge',
  'reference_type',
  'payment_reference',
  'created_at',
]);

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether this change (of `invoices`) carries an issued status: it is (part of) an issue. */
export function issuesInvoice(change: WireChange): boolean {
  if (change.table !== 'invoices') return false;
  if (change.column === 'status') {
    const v = parse(change.value);
    return typeof v === 'string' && v !== 'draft';
  }
  if (change.column === WHOLE_ROW) {
    const v = parse(change.value) as { status?: unknown } | null | undefined;
    return typeof v?.status === 'string' && v.status !== 'draft';
  }
  return false;
}

export class IssueRules {
  /** (row, hlc) of issues in the changes being applied, with the number each gives. */
  private readonly issues = new Map<string, string | null>();
  /** Invoices a snapshot brings as issued: the hub's version is final. */
  private readonly issuedRows = new Set<string>();
  private readonly localStatus: Statement;
  private readonly latest: Statement;
  private readonly ownIssueAt: Statement;
  private readonly dropOwnPending: Statement;
  private readonly dropNewer: Statement;
  private readonly refuse: Statement;
  private readonly ownDevices: Set<string>;
  /** The row's creation: the issuer had the draft, so it saw how it was created. */
  private readonly created: Statement;

  constructor(raw: RawDb) {
    this.localStatus = raw.prepare('SELECT status FROM invoices WHERE id = ?').pluck();
    this.latest = raw.prepare(
      `SELECT seq, hlc, device_id, value, hub_seq FROM change_log
       WHERE table_name = 'invoices' AND row_id = ? AND column_name = ? ORDER BY hlc DESC, seq DESC LIMIT 1`,
    );
    this.ownIssueAt = raw
      .prepare(
        `SELECT value FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND hlc = ?
           AND column_name IN ('status', '*')`,
      )
      .pluck();
    this.dropOwnPending = raw.prepare(
      `DELETE FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND column_name = ?
         AND hub_seq IS NULL AND hlc <= ?`,
    );
    this.dropNewer = raw.prepare(
      `DELETE FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND column_name = ?
         AND hlc > ? AND hub_seq IS NOT NULL`,
    );
    this.refuse = raw.prepare(
      `INSERT INTO sync_rejections (hlc, table_name, row_id, column_name, value, reason, detail, rejected_at)
       VALUES (?, 'invoices', ?, ?, ?, 'invoice_issued_elsewhere', ?, ?)`,
    );
    this.ownDevices = new Set(raw.prepare('SELECT id FROM device').pluck().all() as string[]);
    this.created = raw
      .prepare("SELECT min(hlc) FROM change_log WHERE table_name = 'invoices' AND row_id = ?")
      .pluck();
  }

  /** Notes the issues among a page's changes (all of an issue comes in one page: pull.ts). */
  notePage(changes: readonly WireChange[]): void {
    for (const c of changes) if (issuesInvoice(c)) this.issues.set(key(c.rowId, c.hlc), null);
    for (const c of changes) {
      if (c.table !== 'invoices') continue;
      const k = key(c.rowId, c.hlc);
      if (!this.issues.has(k)) continue;
      if (c.column === 'number') this.issues.set(k, parse(c.value) as string | null);
      if (c.column === WHOLE_ROW)
        this.issues.set(k, ((parse(c.value) as { number?: string } | null)?.number ?? null) as string | null);
    }
  }

  /** A snapshot row of an issued invoice: the hub's fields are final. */
  noteIssuedRow(rowId: string): void {
    this.issuedRows.add(rowId);
  }

  /** Applied whole, whatever the local clocks: part of an issue or the hub's completion of one. */
  forced(change: WireChange): boolean {
    if (change.table !== 'invoices') return false;
    if (change.hlc.endsWith(':hub')) return true;
    return this.issuedRows.has(change.rowId) || this.issues.has(key(change.rowId, change.hlc));
  }

  /** A non-issue change to an invoice this store holds as issued: the issue overrides it. */
  frozen(change: WireChange): boolean {
    if (change.table !== 'invoices') return false;
    const status = this.localStatus.get(change.rowId) as string | undefined;
    return status !== undefined && status !== 'draft';
  }

  /**
   * Before a forced change of one column goes in: this device's own winning write of that
   * column, if the issue changes it, lost a race; newer entries the issue overrides leave the
   * field clock, so the column's clock is the issue's as on the hub.
   */
  override(change: WireChange, column: string, value: string | null, now: string): void {
    const latest = this.latest.get(change.rowId, column) as
      | { seq: number; hlc: string; device_id: string; value: string | null; hub_seq: number | null }
      | undefined;
    if (
      latest &&
      this.ownDevices.has(latest.device_id) &&
      latest.hlc !== change.hlc &&
      !ISSUE_DEFINED.has(column) &&
      latest.hlc !== this.created.get(change.rowId)
    ) {
      const ownIssue = this.isOwnIssue(change.rowId, latest.hlc);
      if (!ownIssue && !sameJson(latest.value, value)) {
        const number = this.issues.get(key(change.rowId, change.hlc)) ?? null;
        this.refuse.run(
          latest.hlc,
          change.rowId,
          column,
          latest.value,
          JSON.stringify({ column, winningNumber: number ?? '', invoiceId: change.rowId }),
          now,
        );
        if (latest.hub_seq === null) this.dropOwnPending.run(change.rowId, column, latest.hlc);
      }
    }
    this.dropNewer.run(change.rowId, column, change.hlc);
  }

  private isOwnIssue(rowId: string, hlc: string): boolean {
    const values = this.ownIssueAt.all(rowId, hlc) as (string | null)[];
    return values.some((v) => {
      const p = parse(v) as unknown;
      if (typeof p === 'string') return p !== 'draft';
      const s = (p as { status?: unknown } | null)?.status;
      return typeof s === 'string' && s !== 'draft';
    });
  }
}

function sameJson(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  return JSON.stringify(parse(a)) === JSON.stringify(parse(b));
}
