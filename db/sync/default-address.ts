import type { Statement } from 'better-sqlite3';
import type { RawDb } from '../open';
import type { Fields } from './apply-values';
import type { SyncTable } from './tables';

// An organization has one default billing address (the store's billing_addresses_one_default_uq;
// renewals bill to it). Two devices offline may each choose one — the first address each
// created, or an explicit choice — so the flag has its own merge rule: the organization's
// choice made last wins, the newest clock of the is_default field, the larger row id breaking
// a tie. The device (below, as it applies what it pulls) and the hub (server/sync/
// default-address.ts, as it takes a push) apply this one rule, so both clear the same loser;
// the hub's clearing write then reaches every device as an ordinary change.

export interface DefaultChoice {
  rowId: string;
  /** The clock of the row's is_default field (or of its whole row). */
  hlc: string;
}

/** Whether choice `a` wins over `b`: made later, or at the same instant with the larger id. */
export function defaultWins(a: DefaultChoice, b: DefaultChoice): boolean {
  return a.hlc !== b.hlc ? a.hlc > b.hlc : a.rowId > b.rowId;
}

/** The device's side: before a pulled write makes a second default, the older choice yields. */
export class DefaultAddresses {
  private readonly current: Statement;
  private readonly otherDefault: Statement;
  private readonly clock: Statement;
  private readonly clear: Statement;

  constructor(raw: RawDb) {
    this.current = raw.prepare(
      'SELECT organization_id, is_default, deleted_at FROM billing_addresses WHERE id = ?',
    );
    this.otherDefault = raw
      .prepare(
        'SELECT id FROM billing_addresses WHERE organization_id = ? AND is_default = 1 AND deleted_at IS NULL AND id <> ?',
      )
      .pluck();
    this.clock = raw.prepare(
      "SELECT hlc, column_name, value FROM change_log WHERE table_name = 'billing_addresses' AND row_id = ? AND column_name IN ('is_default', '*') ORDER BY hlc DESC LIMIT 1",
    );
    this.clear = raw.prepare('UPDATE billing_addresses SET is_default = 0 WHERE id = ?');
  }

  /**
   * Called with the fields about to be written to a row (the change already in the log, so
   * its clock counts): a losing incoming flag is written as false, a losing local default is
   * cleared. Neither is logged: the hub clears the same loser and its write follows.
   */
  settle(table: SyncTable, rowId: string, fields: Fields): void {
    if (table.name !== 'billing_addresses') return;
    const flag = fields.get('is_default');
    const revived = fields.has('deleted_at') && fields.get('deleted_at') === null;
    if (!(flag === true || flag === 1 || (revived && !fields.has('is_default')))) return;
    const row = this.current.get(rowId) as
      | { organization_id: string; is_default: number; deleted_at: string | null }
      | undefined;
    const isDefault = fields.has('is_default') ? flag === true || flag === 1 : row?.is_default === 1;
    const deleted = fields.has('deleted_at') ? fields.get('deleted_at') : row?.deleted_at;
    const org = fields.get('organization_id') ?? row?.organization_id;
    if (!isDefault || (deleted !== null && deleted !== undefined) || typeof org !== 'string') return;
    const other = this.otherDefault.get(org, rowId) as string | undefined;
    if (!other) return;
    const theirs = this.choiceOf(other);
    // The other's newest flag is already false (the hub's clearing write, in this very page,
    // not yet written to its row): it is no choice to weigh.
    if (!theirs || defaultWins(this.choiceOf(rowId) ?? { rowId, hlc: '' }, theirs)) this.clear.run(other);
    else fields.set('is_default', false);
  }

  /** A row's default choice as its log has it: the newest write of its flag, if that says true. */
  private choiceOf(rowId: string): DefaultChoice | null {
    const last = this.clock.get(rowId) as
      | { hlc: string; column_name: string; value: string | null }
      | undefined;
    if (!last) return { rowId, hlc: '' };
    const value = last.value === null ? null : (JSON.parse(last.value) as unknown);
    const flag =
      last.column_name === 'is_default'
        ? value
        : value && typeof value === 'object'
          ? (value as Record<string, unknown>).is_default
          : undefined;
    // A whole row without the flag (an old snapshot entry) leaves the row's choice as it stands.
    return flag === false || flag === 0 ? null : { rowId, hlc: last.hlc };
  }
}
