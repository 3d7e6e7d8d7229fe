import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { StoreError } from './errors';
import { catchUpSearchIndex, indexAtEveryCommit } from './search-index';
import { recoverBulkLoad } from './sync/bulk-load';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export type RawDb = Database.Database;

export interface OpenedStore {
  raw: RawDb;
  db: Db;
  file: string;
  /** Path of the copy taken before migrating an existing file, if one was needed. */
  backupFile: string | null;
  appliedMigrations: number;
  close(): void;
}

export interface OpenOptions {
  migrationsDir?: string;
  /** Skip the pre-migration backup (tests of throw-away files, benchmarks). */
  backupBeforeMigrate?: boolean;
  readonly?: boolean;
}

export function defaultMigrationsDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
}

export function migrationCount(migrationsDir = defaultMigrationsDir()): number {
  return readMigrationFiles({ migrationsFolder: migrationsDir }).length;
}

export function applyPragmas(raw: RawDb): void {
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  // NORMAL in WAL mode: a commit survives the process being killed (it is in the OS's page
  // cache and the WAL), and costs no fsync; only a power cut can lose the last commits.
  // Writes that must survive a power cut (issued invoices, ledger entries) ask for
  // `durable` and are synced at commit (see Ctx.write). FULL everywhere measured 202
  // product creations/s here, one fsync each.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
}

/**
 * Opens (creating if needed) a Kontor database: refuses a file written by a newer Kontor,
 * backs up an existing file before migrating it, migrates with foreign keys off and checks
 * them before committing, then turns them back on.
 */
export function openStore(file: string, options: OpenOptions = {}): OpenedStore {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const migrations = readMigrationFiles({ migrationsFolder: migrationsDir });
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const existed = fs.existsSync(file) && fs.statSync(file).size > 0;

  const raw = new Database(file, { timeout: 5000, readonly: options.readonly ?? false });
  try {
    const version = readSchemaVersion(raw, file);
    if (version > migrations.length) {
      throw new StoreError('database_too_new', { file, version, supported: migrations.length });
    }
    if (options.readonly) {
      raw.pragma('foreign_keys = ON');
      return wrap(raw, file, null, version);
    }
    applyPragmas(raw);
    let backupFile: string | null = null;
    if (version < migrations.length) {
      if (existed) quickCheck(raw, file);
      if (existed && version > 0 && options.backupBeforeMigrate !== false) {
        backupFile = `${file}.before-v${migrations.length}-${timestampForFile()}.bak`;
        // VACUUM INTO writes a consistent, compact copy through SQLite itself (WAL included).
        raw.prepare('VACUUM INTO ?').run(backupFile);
      }
      migrate(raw, migrations, version);
    }
    // The search index follows every transaction (db/search-index.ts); what a migration or a
    // writer outside Kontor noted since is indexed now.
    indexAtEveryCommit(raw);
    // A first sync's bulk load a crash cut: its indexes and search index, built now (./sync/bulk-load.ts).
    recoverBulkLoad(raw);
    catchUpSearchIndex(raw);
    return wrap(raw, file, backupFile, migrations.length);
  } catch (error) {
    raw.close();
    throw error;
  }
}

/**
 * The file's schema version, reading its header and schema: a file that is not a database,
 * or whose first pages are damaged, is refused here as `database_corrupt`.
 *
 * Not a full check on every open: `quick_check` reads every page, which made opening a
 * 100k-invoice book take seconds (the CLI, the web host and the desktop app open it at each
 * start). Damage further in is reported by SQLite when a statement reads that page, and the
 * transaction touching it fails whole; the full check runs where it protects something:
 * before a migration rewrites the file (quickCheck below) and on a backup before it is
 * restored (verifyBackup's integrity_check).
 */
function readSchemaVersion(raw: RawDb, file: string): number {
  try {
    raw.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return raw.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    if (isCorruption(error)) throw new StoreError('database_corrupt', { file, detail: String((error as Error).message) });
    throw error;
  }
}

function quickCheck(raw: RawDb, file: string): void {
  let quick: unknown;
  try {
    quick = raw.pragma('quick_check', { simple: true });
  } catch (error) {
    if (isCorruption(error)) throw new StoreError('database_corrupt', { file, detail: String((error as Error).message) });
    throw error;
  }
  if (quick !== 'ok') throw new StoreError('database_corrupt', { file, detail: String(quick) });
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX';
}

function wrap(raw: RawDb, file: string, backupFile: string | null, applied: number): OpenedStore {
  const db = drizzle(raw, { schema });
  return {
    raw,
    db,
    file,
    backupFile,
    appliedMigrations: applied,
    close: () => {
      if (raw.open) raw.close();
    },
  };
}

type Migration = ReturnType<typeof readMigrationFiles>[number];

function migrate(raw: RawDb, migrations: Migration[], fromVersion: number): void {
  // Must be outside any transaction: inside one SQLite ignores it, and a table rebuild
  // (create new, copy, drop old) would cascade-delete child rows.
  raw.pragma('foreign_keys = OFF');
  // A drizzle-kit table rebuild drops the table, then renames its copy into place. Since
  // SQLite 3.26 a RENAME first re-parses every trigger of the schema and fails while one
  // names the dropped table (the search index's triggers read organizations and billing
  // addresses). Legacy mode renames without that check; the copy takes the old name, so every
  // trigger resolves again once the rename is done.
  raw.pragma('legacy_alter_table = ON');
  try {
    raw.exec(`CREATE TABLE IF NOT EXISTS __drizzle_migrations (
      id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`);
    const record = raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)');
    raw.transaction(() => {
      for (const migration of migrations.slice(fromVersion)) {
        for (const statement of migration.sql) {
          if (statement.trim()) raw.exec(statement);
        }
        record.run(migration.hash, migration.folderMillis);
      }
      const violations = raw.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new StoreError('migration_foreign_keys', { count: violations.length });
      }
      raw.pragma(`user_version = ${migrations.length}`);
    })();
  } finally {
    raw.pragma('legacy_alter_table = OFF');
    raw.pragma('foreign_keys = ON');
  }
}

export function timestampForFile(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
