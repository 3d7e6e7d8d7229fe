// ARCHITECTURE.md: "A test proves row counts survive every migration. Back up the file before
// migrating." drizzle's own migrator runs each migration inside a transaction, where
// `PRAGMA foreign_keys=OFF` is ignored: a table rebuild then drops a parent table with foreign
// keys on, which deletes (or refuses to delete) every child row. These tests fill a database
// with related rows, migrate it, and count.
//
// The parent-table rebuild is a test-only migration generated from the live schema (see
// test/helpers/migrations.ts) and appended after the committed ones, so it never goes stale
// when db/migrations grows.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '#db/errors';
import { migrationCount, openStore } from '#db/open';
import {
  foreignKeyViolations,
  inspect,
  integrity,
  MIGRATIONS_DIR,
  openTestKontor,
  rowCounts,
  userTables,
  useTempSpace,
} from '../helpers/kontor';
import {
  BOOKKEEPING_TABLES,
  columnNames,
  fillEveryTable,
  migrationsPlusRebuild,
  migrationsPrefix,
  readJournal,
  tableContent,
} from '../helpers/migrations';
import { seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-migrations-');

/** The committed migrations plus one that rebuilds `organizations` and `products`. */
let plusDir: string;
beforeAll(() => {
  const scratch = openStore(path.join(space.dir(), 'schema.sqlite'), { backupBeforeMigrate: false });
  try {
    plusDir = migrationsPlusRebuild(MIGRATIONS_DIR, path.join(space.dir(), 'migrations-plus'), scratch.raw, [
      // organizations: parent of almost every table.
      { table: 'organizations', extraColumn: '`website` text' },
      // products: a child (organizations, billing addresses) and a parent (tags on products,
      // teams' products, invoice lines).
      { table: 'products', extraColumn: "`notes` text DEFAULT '' NOT NULL" },
    ]);
  } finally {
    scratch.close();
  }
});

function dataCounts(file: string): Record<string, number> {
  return inspect(file, (db) =>
    rowCounts(
      db,
      userTables(db).filter((t) => !BOOKKEEPING_TABLES.has(t)),
    ),
  );
}

/** A file at the latest committed version, filled through the router like a user would. */
async function filledDatabase() {
  const file = path.join(space.dir(), 'kontor.sqlite');
  const k = openTestKontor({ file });
  const a = await seedOrganization(k, { name: 'Alpha Conseil Sàrl', products: 12, tags: 4 });
  const b = await seedOrganization(k, { name: 'Bêta Hébergement SA', products: 5, tags: 2 });
  // Tombstones are rows too.
  await k.ok('members.remove', { organizationId: a.organizationId, personId: a.personIds[1]! });
  await k.ok('tags.delete', { tagId: b.tagIds[0]! });
  await k.ok('products.delete', { id: a.productIds[11]! });
  k.close();
  return { file, a, b };
}

describe('a migration that rebuilds parent tables keeps every row', () => {
  it('migrates a database full of related rows without losing or orphaning any, after backing it up', async () => {
    const { file, a, b } = await filledDatabase();
    const plusCount = readJournal(plusDir).entries.length;

    const countsBefore = dataCounts(file);
    for (const table of [
      'organizations',
      'people',
      'memberships',
      'billing_addresses',
      'products',
      'tags',
      'product_tags',
      'work_teams',
      'work_team_members',
      'work_team_products',
      'activity',
      'change_log',
      'device',
    ]) {
      expect(countsBefore[table], `${table} has rows before migrating`).toBeGreaterThan(0);
    }
    const contentBefore = inspect(file, (db) => ({
      organizations: tableContent(db, 'organizations', columnNames(db, 'organizations')),
      products: tableContent(db, 'products', columnNames(db, 'products')),
      productTags: tableContent(db, 'product_tags', columnNames(db, 'product_tags')),
    }));

    const store = openStore(file, { migrationsDir: plusDir });
    try {
      expect(store.appliedMigrations).toBe(plusCount);
      expect(store.raw.pragma('user_version', { simple: true })).toBe(plusCount);
      expect(store.raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(foreignKeyViolations(store.raw)).toEqual([]);
      expect(columnNames(store.raw, 'organizations')).toContain('website');
      expect(columnNames(store.raw, 'products')).toContain('notes');
      expect(userTables(store.raw).filter((t) => t.startsWith('__new_'))).toEqual([]);

      // The backup was taken before migrating: it is the previous version, every row in it.
      expect(store.backupFile).not.toBeNull();
      const backup = store.backupFile!;
      expect(backup.startsWith(file)).toBe(true);
      expect(backup.endsWith('.bak')).toBe(true);
      inspect(
        backup,
        (db) => {
          expect(db.pragma('user_version', { simple: true })).toBe(plusCount - 1);
          expect(integrity(db)).toBe('ok');
          expect(columnNames(db, 'organizations')).not.toContain('website');
        },
        { readonly: true },
      );
      expect(dataCounts(backup)).toEqual(countsBefore);
    } finally {
      store.close();
    }

    expect(dataCounts(file)).toEqual(countsBefore);
    inspect(file, (db) => {
      expect(integrity(db)).toBe('ok');
      // Same rows, same values, in the columns both versions have.
      expect(
        tableContent(
          db,
          'organizations',
          columnNames(db, 'organizations').filter((c) => c !== 'website'),
        ),
      ).toEqual(contentBefore.organizations);
      expect(
        tableContent(
          db,
          'products',
          columnNames(db, 'products').filter((c) => c !== 'notes'),
        ),
      ).toEqual(contentBefore.products);
      expect(tableContent(db, 'product_tags', columnNames(db, 'product_tags'))).toEqual(
        contentBefore.productTags,
      );
    });

    // And the app works on the migrated file: products still carry their tags, teams their members.
    const after = openTestKontor({ file, migrationsDir: plusDir });
    try {
      const page = await after.ok('products.list', { organizationId: a.organizationId, limit: 100 });
      expect(page.rows).toHaveLength(11);
      expect(page.rows.filter((p) => p.tags.length > 0).length).toBeGreaterThan(0);
      const teams = await after.ok('teams.list', { organizationId: a.organizationId });
      expect(teams[0]!.productIds).toHaveLength(3);
      expect(teams[0]!.members.length).toBeGreaterThanOrEqual(1);
      expect(await after.ok('tags.list', { organizationId: b.organizationId })).toHaveLength(1);
    } finally {
      after.close();
    }
  });

  it('is a real trap: drizzle’s stock migrator (foreign keys on, inside its transaction) fails on it', async () => {
    const { file } = await filledDatabase();
    const countsBefore = dataCounts(file);
    const raw = new Database(file);
    try {
      raw.pragma('foreign_keys = ON');
      expect(() => drizzleMigrate(drizzle(raw), { migrationsFolder: plusDir })).toThrow();
    } finally {
      raw.close();
    }
    expect(dataCounts(file)).toEqual(countsBefore);
    // The same file through the store's migrator.
    const store = openStore(file, { migrationsDir: plusDir });
    expect(store.appliedMigrations).toBe(readJournal(plusDir).entries.length);
    store.close();
    expect(dataCounts(file)).toEqual(countsBefore);
  });

  it('refuses a migration that would orphan rows, and leaves the file as it was', async () => {
    const { file } = await filledDatabase();
    const countsBefore = dataCounts(file);
    const versionBefore = inspect(file, (db) => db.pragma('user_version', { simple: true }));

    // A broken migration: deletes parents whose children stay behind.
    const broken = migrationsPrefix(
      MIGRATIONS_DIR,
      migrationCount(),
      path.join(space.dir(), 'migrations-broken'),
    );
    const journal = readJournal(broken);
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '9999_orphans' });
    fs.writeFileSync(path.join(broken, 'meta', '_journal.json'), JSON.stringify(journal));
    fs.writeFileSync(path.join(broken, '9999_orphans.sql'), 'DELETE FROM `organizations`;');

    let error: unknown;
    try {
      openStore(file, { migrationsDir: broken }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('migration_foreign_keys');
    expect((error as StoreError).params.count).toBeGreaterThan(0);

    expect(dataCounts(file)).toEqual(countsBefore);
    inspect(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(versionBefore);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(foreignKeyViolations(db)).toEqual([]);
    });
    // The current build still opens it, and foreign keys are back on.
    const store = openStore(file);
    expect(store.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });
});

/**
 * Generic over a migrations folder: starting from an empty file, apply one migration at a
 * time; before each step fill every table that exists with related rows, and check that the
 * step keeps every row of every table and backs the file up first.
 */
function stepThroughMigrations(migrationsDir: string): { steps: number; rowsCarried: number } {
  const dir = space.dir();
  const file = path.join(dir, 'kontor.sqlite');
  const total = readJournal(migrationsDir).entries.length;
  let rowsCarried = 0;
  let expected: Record<string, number> = {};
  for (let version = 1; version <= total; version++) {
    const prefix = migrationsPrefix(migrationsDir, version, path.join(dir, `migrations-${version}`));
    const store = openStore(file, { migrationsDir: prefix });
    try {
      expect(store.raw.pragma('user_version', { simple: true })).toBe(version);
      expect(store.raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(foreignKeyViolations(store.raw), `foreign keys after migration ${version}`).toEqual([]);
      const now = rowCounts(store.raw, Object.keys(expected));
      expect(now, `row counts after migration ${version}`).toEqual(expected);
      rowsCarried += Object.values(now).reduce((sum, n) => sum + n, 0);
      if (version > 1) {
        expect(store.backupFile, `backup before migration ${version}`).not.toBeNull();
        expect(dataCounts(store.backupFile!)).toEqual(expected);
      } else {
        expect(store.backupFile, 'no backup of a new, empty file').toBeNull();
      }
      fillEveryTable(store.raw, 7, `v${version}`);
      expect(foreignKeyViolations(store.raw)).toEqual([]);
      expected = rowCounts(
        store.raw,
        userTables(store.raw).filter((t) => !BOOKKEEPING_TABLES.has(t)),
      );
    } finally {
      store.close();
    }
  }
  // Opening again with every migration applied changes nothing and copies nothing.
  const again = openStore(file, { migrationsDir });
  try {
    expect(again.backupFile).toBeNull();
    expect(rowCounts(again.raw, Object.keys(expected))).toEqual(expected);
  } finally {
    again.close();
  }
  return { steps: total, rowsCarried };
}

describe('every migration, one at a time from an empty file, keeps every row of every table', () => {
  it('holds for the committed migrations (db/migrations)', () => {
    const { steps, rowsCarried } = stepThroughMigrations(MIGRATIONS_DIR);
    expect(steps).toBe(migrationCount());
    if (steps > 1) expect(rowsCarried).toBeGreaterThan(0);
  });

  it('holds for the committed migrations plus the parent-table rebuild', () => {
    const { steps, rowsCarried } = stepThroughMigrations(plusDir);
    expect(steps).toBe(migrationCount() + 1);
    expect(rowsCarried).toBeGreaterThan(0);
  });
});
