// The hub's storage, one interface over two engines. SQL is written once, with `?`
// placeholders, in the subset both SQLite and PostgreSQL accept (server/migrations/).

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

export interface Sql {
  all<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
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
  /** Reads outside a write transaction (each statement sees committed data). */
  read<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** One transaction: committed when fn resolves, rolled back when it throws. */
  write<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
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
