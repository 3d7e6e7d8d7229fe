// A damaged database file is refused with `database_corrupt`, and nothing is written into it.
// Opening no longer reads every page (a full quick_check at each start cost seconds on a large
// book): a file that is not a database, or whose header or schema is damaged, is caught at open;
// damage anywhere is caught by the full check that runs before a migration rewrites the file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '#db/errors';
import { migrationCount, openStore } from '#db/open';
import { inspect, useTempSpace } from '../helpers/kontor';
import { seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-damaged-');

function refusal(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('the damaged file was opened');
}

function folder(file: string): Record<string, Buffer> {
  const dir = path.dirname(file);
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]));
}

/** A migrated database with a few rows, its write-ahead log folded into the main file. */
async function populated(): Promise<string> {
  const k = space.kontor();
  for (let i = 0; i < 3; i++) await seedOrganization(k, { products: 5 });
  const file = k.file;
  k.close();
  inspect(file, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

/** Overwrites the root B-tree page of the products table with garbage (its header included). */
function damageProductsPage(file: string): void {
  const { pageSize, rootPage } = inspect(file, (db) => ({
    pageSize: db.pragma('page_size', { simple: true }) as number,
    rootPage: db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'products'").pluck().get() as number,
  }));
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootPage - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

describe('a damaged database file', () => {
  it('is refused at open when it is not a database at all, and left as it was', () => {
    const file = space.file();
    fs.writeFileSync(file, Buffer.alloc(64 * 1024, 0x5a));
    const before = folder(file);
    expect(refusal(() => openStore(file)).code).toBe('database_corrupt');
    expect(folder(file)).toEqual(before);
  });

  it('is refused at open when its header is damaged', async () => {
    const file = await populated();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from('not the SQLite header'), 0, 16, 0);
    fs.closeSync(fd);
    expect(refusal(() => openStore(file)).code).toBe('database_corrupt');
  });

  it('is refused before a migration touches it: no migration, no backup copy', async () => {
    const file = await populated();
    // As an older Kontor left it: one migration behind.
    inspect(file, (db) => db.pragma(`user_version = ${migrationCount() - 1}`));
    damageProductsPage(file);
    const before = folder(file);
    expect(refusal(() => openStore(file)).code).toBe('database_corrupt');
    const after = folder(file);
    expect(Object.keys(after).filter((name) => name.includes('.bak'))).toEqual([]);
    expect(after[path.basename(file)]).toEqual(before[path.basename(file)]);
  });
});
