// The hub's storage, one interface over two engines. SQL is written once, with `?`
// placeholders, in the subset both SQLite and PostgreSQL accept (server/migrations/).

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;
/** A parameter: a value, or (PostgreSQL only: `?::text[]`, expanded by unnest) an array of them. */
export type SqlParam = SqlValue | readonly SqlValue[];

export interface Sql {
  /** Which engine runs the statements: the few engine-specific ones are chosen by it. */
  readonly engine: Engine;
  /**
   * `keyLookup`: a read by a unique key that runs on every request (a device's token), which
   * PostgreSQL may plan once per connection outside a transaction too (reads outside one are
   * otherwise planned each time: a generic plan of a keyset range may sort a whole table).
   */
  all<T = SqlRow>(sql: string, params?: readonly SqlParam[], options?: { keyLookup?: boolean }): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * The settled head: the highest position below which every position is committed or will
   * never be. A pull, a snapshot's `asOf` and an epoch's base never go past it (HUB.md "No
   * global lock"): a change committing later always has a higher position.
   */
  settledHead(): Promise<number>;
  /**
   * A write nothing reads back before the transaction ends, sent with its COMMIT (PostgreSQL,
   * a push: one round trip fewer); false when the store runs it now (the caller then awaits
   * `run`). A failure of the write fails the commit: the transaction rolls back as it would.
   */
  deferToCommit?(text: string, params: readonly SqlParam[]): boolean;
  /**
   * PostgreSQL, outside a transaction: a SELECT of two text columns (key, line) whose lines
   * reach the hub as UTF-8 bytes, never decoded into strings (server/store/postgres-copy.ts).
   * Null when a parameter cannot be written into the statement's text (a NUL): the caller
   * reads with `all`.
   */
  copyLines?(text: string, params: readonly SqlParam[]): Promise<CopiedLines | null>;
}

/**
 * Rows of (key, line), the lines as UTF-8 bytes: `lines` holds each row's line followed by a
 * newline, row after row (a row whose line is NULL has none); `ends[i]` is where row i's part
 * ends (after its newline), `keys[i]` its key.
 */
export interface CopiedLines {
  lines: Buffer;
  ends: Int32Array;
  keys: string[];
}

/** Where one push takes the positions (hub_log sequence numbers) of what it writes, in order. */
export interface Positions {
  next(): Promise<number>;
  /** The last position handed out; before the first, one no higher than any this push takes. */
  readonly last: number;
}

/**
 * What a push asks its store to do first, where that saves round trips (PostgreSQL: in the
 * registration's round trip): lock the device's row, read its earlier answer to this batch,
 * take the first `positions` positions.
 */
export interface PushOpening {
  deviceId: string;
  /**
   * The hash of the token the request came with: the device's row is locked only while it
   * still carries that token and is not revoked (server/http/known-devices.ts).
   */
  tokenHash: string;
  batchId: string;
  positions: number;
  /**
   * The batch's first reads, in order, each a statement of its own (READ COMMITTED: each sees
   * what committed before it, a lock's holder included), run after the device's row is locked.
   */
  reads: readonly Statement[];
  /**
   * A read right after the push commits (PostgreSQL: in the COMMIT's round trip), its rows given
   * to `take`; not taken when the store did not run it (the caller reads for itself).
   */
  afterCommit?: { statement: Statement; take(rows: SqlRow[]): void };
}

/** A statement and its `?` parameters. */
export interface Statement {
  text: string;
  params: readonly SqlParam[];
}

/** The opening done: the device's row is locked, and its earlier answer to the batch, if any. */
export interface Opened {
  deviceId: string;
  batchId: string;
  stored: string | null;
  /** False when the device's row no longer carries the token or is revoked: nothing was locked. */
  deviceHeld: boolean;
  /** The rows of each of the opening's `reads`, in order; null when the store did not run them. */
  reads: SqlRow[][] | null;
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
   * `opened` is null when the store did not do the opening (SQLite: no round trips to save).
   */
  push<T>(
    fn: (sql: Sql, positions: Positions, opened: Opened | null) => Promise<T>,
    opening?: PushOpening,
  ): Promise<T>;
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
