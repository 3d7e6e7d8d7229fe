// Tools for migration tests: a migrations folder cut at any version, and a filler that puts
// rows in every table of whatever schema a version has (parents before children, every
// foreign key pointing at a real row), so a test does not go stale when the schema grows.
import fs from 'node:fs';
import path from 'node:path';
import type { RawDb } from '#db/open';
import { isLocalDerivedTable } from '#db/sync/tables';

interface Journal {
  entries: { idx: number; tag: string; when: number; version: string; breakpoints: boolean }[];
  [key: string]: unknown;
}

export function readJournal(migrationsDir: string): Journal {
  return JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as Journal;
}

/** Writes into `outDir` a migrations folder holding only the first `count` migrations of `sourceDir`. */
export function migrationsPrefix(sourceDir: string, count: number, outDir: string): string {
  const journal = readJournal(sourceDir);
  if (count > journal.entries.length)
    throw new Error(`${sourceDir} has only ${journal.entries.length} migrations`);
  fs.mkdirSync(path.join(outDir, 'meta'), { recursive: true });
  const entries = journal.entries.slice(0, count);
  for (const entry of entries) {
    fs.copyFileSync(path.join(sourceDir, `${entry.tag}.sql`), path.join(outDir, `${entry.tag}.sql`));
  }
  fs.writeFileSync(
    path.join(outDir, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries }, null, 2),
  );
  return outDir;
}

/** Tables whose row count a migration is allowed to change (the migrator's own bookkeeping). */
export const BOOKKEEPING_TABLES = new Set(['__drizzle_migrations', 'sqlite_sequence']);

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface ForeignKey {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

function dataTables(db: RawDb): string[] {
  return (
    (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all() as { name: string }[]
    )
      .map((r) => r.name)
      // The search index and the glance sums are derived (their triggers fill them from the rows
      // inserted here); rows written straight into an FTS5 shadow table would only corrupt it.
      .filter((name) => !BOOKKEEPING_TABLES.has(name) && !isLocalDerivedTable(name))
  );
}

/** Parents before children, following the declared foreign keys. */
function parentsFirst(db: RawDb, tables: string[]): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table)) return;
    if (visiting.has(table)) throw new Error(`foreign-key cycle through ${table}`);
    visiting.add(table);
    for (const fk of db.pragma(`foreign_key_list("${table}")`) as ForeignKey[]) {
      if (fk.table !== table && tables.includes(fk.table)) visit(fk.table);
    }
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/**
 * Inserts `rowsPerTable` rows in every data table, with distinct values in every column (so
 * unique indexes hold) and foreign keys pointing at existing parent rows. Returns the tables
 * it filled. `salt` keeps values distinct across repeated calls on the same file.
 */
export function fillEveryTable(db: RawDb, rowsPerTable: number, salt: string): string[] {
  const tables = parentsFirst(db, dataTables(db));
  db.transaction(() => {
    for (const table of tables) {
      const columns = db.pragma(`table_info("${table}")`) as ColumnInfo[];
      const fks = db.pragma(`foreign_key_list("${table}")`) as ForeignKey[];
      const pkColumns = columns.filter((c) => c.pk > 0);
      // INTEGER PRIMARY KEY is the rowid: SQLite numbers it.
      // Columns with a default keep it: defaults are what triggers expect of a fresh row (an
      // invoice starts as a draft, so lines may be added to it).
      const filled = columns.filter(
        (c) => !(c.pk > 0 && pkColumns.length === 1 && /^integer$/i.test(c.type)) && c.dflt_value === null,
      );
      // A table of nothing but its rowid (sync_guard) takes its rows as DEFAULT VALUES.
      const insert = db.prepare(
        filled.length === 0
          ? `INSERT INTO "${table}" DEFAULT VALUES`
          : `INSERT INTO "${table}" (${filled.map((c) => `"${c.name}"`).join(', ')}) VALUES (${filled.map(() => '?').join(', ')})`,
      );
      for (let i = 0; i < rowsPerTable; i++) {
        const values = filled.map((column) => {
          const fk = fks.find((f) => f.from === column.name);
          if (fk && fk.table === table) {
            // A row pointing at another row of its own table (a credit note at its invoice):
            // the previous row, or none for the first.
            if (i === 0) return null;
          }
          if (fk) {
            const target = fk.to ?? 'rowid';
            const parents = db.prepare(`SELECT "${target}" AS v FROM "${fk.table}" ORDER BY rowid`).all() as {
              v: unknown;
            }[];
            if (parents.length === 0) {
              if (column.notnull) throw new Error(`no ${fk.table} row for ${table}.${column.name}`);
              return null;
            }
            return fk.table === table ? parents.at(-1)!.v : parents[i % parents.length]!.v;
          }
          if (/int|bool/i.test(column.type)) {
            // Booleans live in integer columns; 0 keeps "one default per organization"-style
            // partial unique indexes satisfied whatever the row count.
            return column.name.startsWith('is_') || column.name === 'current' ? 0 : i;
          }
          if (/real|floa|doub/i.test(column.type)) return i + 0.5;
          // Nullable columns are filled too (a migration must carry them), except the tombstone,
          // left null on half the rows so live-row unique indexes are exercised.
          if (column.name === 'deleted_at' && i % 2 === 0) return null;
          return `${table}.${column.name}.${salt}.${i}`;
        });
        insert.run(...values);
      }
    }
  })();
  return tables;
}

/** Every row of a table as sorted JSON lines, restricted to the given columns. */
export function tableContent(db: RawDb, table: string, columns: string[]): string[] {
  const list = columns.map((c) => `"${c}"`).join(', ');
  return (db.prepare(`SELECT ${list} FROM "${table}"`).raw().all() as unknown[][])
    .map((r) => JSON.stringify(r))
    .sort();
}

export function columnNames(db: RawDb, table: string): string[] {
  return (db.pragma(`table_info("${table}")`) as ColumnInfo[]).map((c) => c.name);
}

/**
 * What drizzle-kit emits for SQLite when a column change needs a table rebuild: create the new
 * shape, copy, drop the old table, rename, re-create its indexes and triggers; wrapped in the
 * PRAGMA foreign_keys lines drizzle-kit writes (which SQLite ignores inside the migrator's
 * transaction: the trap). Generated from the live schema so it never goes stale.
 */
export function rebuildTableSql(db: RawDb, table: string, extraColumn: string): string {
  const columns = db.pragma(`table_info("${table}")`) as ColumnInfo[];
  const fks = db.pragma(`foreign_key_list("${table}")`) as ForeignKey[];
  if (fks.some((fk) => fk.seq > 0))
    throw new Error(`${table}: composite foreign keys are not generated here`);
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const defs = columns.map((c) => {
    let def = `\t\`${c.name}\` ${c.type}`;
    if (pk.length === 1 && c.pk) def += ' PRIMARY KEY';
    if (c.dflt_value !== null) def += ` DEFAULT ${c.dflt_value}`;
    if (c.notnull) def += ' NOT NULL';
    return def;
  });
  defs.push(`\t${extraColumn}`);
  if (pk.length > 1) defs.push(`\tPRIMARY KEY(${pk.map((c) => `\`${c.name}\``).join(', ')})`);
  for (const fk of fks) {
    defs.push(
      `\tFOREIGN KEY (\`${fk.from}\`) REFERENCES \`${fk.table}\`(\`${fk.to ?? 'rowid'}\`) ON UPDATE ${fk.on_update.toLowerCase()} ON DELETE ${fk.on_delete.toLowerCase()}`,
    );
  }
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const dependents = (
    db
      .prepare(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
      )
      .all(table) as { sql: string }[]
  ).map((r) => r.sql);
  const newName = `__new_${table}`;
  return [
    'PRAGMA foreign_keys=OFF;',
    `CREATE TABLE \`${newName}\` (\n${defs.join(',\n')}\n);\n`,
    `INSERT INTO \`${newName}\`(${names}) SELECT ${names} FROM \`${table}\`;`,
    `DROP TABLE \`${table}\`;`,
    `ALTER TABLE \`${newName}\` RENAME TO \`${table}\`;`,
    'PRAGMA foreign_keys=ON;',
    ...dependents.map((sql) => `${sql};`),
  ].join('--> statement-breakpoint\n');
}

/**
 * A migrations folder holding every migration of `sourceDir` plus one test-only migration
 * that rebuilds the given parent tables (adding a column to each). Returns the folder.
 */
export function migrationsPlusRebuild(
  sourceDir: string,
  outDir: string,
  schemaAtLatest: RawDb,
  tables: { table: string; extraColumn: string }[],
): string {
  const journal = readJournal(sourceDir);
  migrationsPrefix(sourceDir, journal.entries.length, outDir);
  const last = journal.entries.at(-1)!;
  const tag = `${String(last.idx + 1).padStart(4, '0')}_test_rebuild_parents`;
  const sql = [
    '-- Test-only migration (generated by test/helpers/migrations.ts, never shipped): parent tables rebuilt.',
    ...tables.map(({ table, extraColumn }) => rebuildTableSql(schemaAtLatest, table, extraColumn)),
  ].join('--> statement-breakpoint\n');
  fs.writeFileSync(path.join(outDir, `${tag}.sql`), sql);
  const entries = [...journal.entries, { ...last, idx: last.idx + 1, when: last.when + 1, tag }];
  fs.writeFileSync(
    path.join(outDir, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries }, null, 2),
  );
  return outDir;
}
