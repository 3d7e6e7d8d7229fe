// The hub's storage, one interface over two engines. SQL is written once, with `?`
// placeholders, in the subset both SQLite and PostgreSQL accept (server/migrations/).

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

export interface Sql {
  all<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * The settled head: the highest position below which every position is committed or will
   * never be. A pull, a snapshot's `asOf` and an epoch's base never go past it (HUB.md "No
   * global lock"): a change committing later always has a higher position.
   */
  settledHead(): Promise<number>;
  /**
   * In an upsert of hub_rows, the stored `fields_json` (`hub_rows.fields_json`, not NULL) with
   * the push's patch (`excluded.fields_json`: an object of the fields it wrote) merged in, the
   * patch's entries replacing the stored ones. The database merges into the row as it stands
   * when the upsert holds its lock, so two pushes writing other fields of one row at once both
   * land (a whole object the push built from what it had read would drop the other's fields).
   */
  readonly mergeFieldsJson: string;
}

/** Where one push takes the positions (hub_log sequence numbers) of what it writes, in order. */
export interface Positions {
  next(): Promise<number>;
  /** The last position handed out; before the first, one no higher than any this push takes. */
  readonly last: number;
}

export type Engine = 'sqlite' | 'postgres';

export interface HubStore {
  readonly engine: Engine;
  /** ` FOR UPDATE` where the engine has row locks; SQLite's write transaction is already exclusive. */
  readonly forUpdate: string;
  /**
   * A subquery over the values of one `?` parameter holding a JSON array of strings: the
   * caller's scope sets join in SQL (`x IN <inSet>`), however many ids they hold.
   */
  readonly inSet: string;
  /**
   * A scalar subquery on hub_rows (alias r): the row's fields as one JSON object text,
   * `{"column": [value, hlc], …}` (SnapshotRow.fields), NULL when it has none. The database
   * assembles the snapshot's rows: one value a row reaches JavaScript instead of one a field.
   */
  readonly fieldsJson: string;
  /** Reads outside a write transaction (each statement sees committed data). */
  read<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** One transaction: committed when fn resolves, rolled back when it throws. */
  write<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * A push's transaction, with its source of positions. SQLite: the write transaction is
   * exclusive, positions follow the 'seq' counter. PostgreSQL: no global lock; positions come
   * from a sequence, the push is registered in hub_inflight meanwhile (HUB.md "No global lock").
   */
  push<T>(fn: (sql: Sql, positions: Positions) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Rows of `values` as `(?, ?, …), (?, ?, …)` for a multi-row INSERT. */
export function placeholders(rows: number, columns: number): string {
  const one = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
