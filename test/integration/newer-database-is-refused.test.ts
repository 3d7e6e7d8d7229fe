// SYNC.md: "newer schema on one device (refuse loudly; never drop data)". A file written by a
// newer Kontor must be refused before anything touches it: no migration, no backup, no pragma
// that rewrites the header.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { StoreError } from '#db/errors';
import { migrationCount, openStore } from '#db/open';
import { translateError } from '#common/i18n/errors';
import { openKontor } from '#core/kontor';
import { count, inspect, REPO_ROOT, useTempSpace } from '../helpers/kontor';
import { seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-newer-');

/** A database as a future Kontor would leave it: our schema, plus a higher user_version. */
async function futureDatabase(): Promise<{ file: string; version: number }> {
  const k = space.kontor();
  await seedOrganization(k, { products: 2 });
  const file = k.file;
  k.close();
  const version = migrationCount() + 3;
  inspect(file, (db) => {
    db.exec('CREATE TABLE invoices_v9 (id text PRIMARY KEY)');
    db.pragma(`user_version = ${version}`);
  });
  return { file, version };
}

function snapshot(file: string) {
  const dir = path.dirname(file);
  return {
    bytes: fs.readFileSync(file),
    files: fs.readdirSync(dir).sort(),
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('a database from a newer Kontor', () => {
  it('is refused by openStore with database_too_new, and the file is not touched', async () => {
    const { file, version } = await futureDatabase();
    const before = snapshot(file);

    const error = thrown(() => openStore(file));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('database_too_new');
    expect((error as StoreError).params).toMatchObject({ version, supported: migrationCount() });

    const after = snapshot(file);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    // No backup, no leftover journal: the directory holds exactly what it held.
    expect(after.files).toEqual(before.files);
    inspect(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      expect(count(db, 'organizations')).toBe(1);
    });
  });

  it('is refused by openKontor (the app, the CLI and the web host all start there)', async () => {
    const { file } = await futureDatabase();
    const before = snapshot(file);
    const error = thrown(() => openKontor({ dbFile: file }));
    expect((error as StoreError).code).toBe('database_too_new');
    expect(snapshot(file).bytes.equals(before.bytes)).toBe(true);
  });

  it('is explained in the user’s language', async () => {
    const { file, version } = await futureDatabase();
    const error = thrown(() => openStore(file)) as StoreError;
    const fr = translateError(error.code, error.params, 'fr');
    expect(fr).toContain('version plus récente de Kontor');
    expect(fr).toContain(`schéma ${version}`);
    expect(fr).toContain(String(migrationCount()));
    expect(fr).toContain('le fichier n’a pas été modifié');
    const en = translateError(error.code, error.params, 'en');
    expect(en).not.toBe(fr);
    expect(en).toContain(String(version));
  });

  it('is refused through the router when offered as a backup to restore, with a translated message', async () => {
    const { file: future, version } = await futureDatabase();
    const k = space.kontor();
    const { organizationId } = await seedOrganization(k, { name: 'Société courante', products: 1 });
    const error = await k.fails('system.restore', { file: future }, 'database_too_new', { locale: 'fr-CH' });
    expect(error.message).toContain('version plus récente de Kontor');
    expect(error.message).toContain(`schéma ${version}`);
    expect(error.message).not.toMatch(/at .*\.ts:\d+/); // no stack trace crosses the door
    // Still working on the current data.
    expect((await k.ok('organizations.get', { id: organizationId })).name).toBe('Société courante');
  });

  it('is refused by the CLI with a message in the language of the terminal, exit code 1', async () => {
    const { file, version } = await futureDatabase();
    const before = snapshot(file);
    const run = promisify(execFile);
    const failure = await run(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'kontor.js'), '--db', file, 'call', 'system.info'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LANG: 'fr_CH.UTF-8' },
      },
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe(1);
    expect(failure!.stderr).toContain('version plus récente de Kontor');
    expect(failure!.stderr).toContain(`schéma ${version}`);
    expect(failure!.stderr).not.toMatch(/StoreError|at .*\.ts:\d+/);
    expect(snapshot(file).bytes.equals(before.bytes)).toBe(true);
  });

  it('is still opened read-write when it is exactly our version', async () => {
    const k = space.kontor();
    const file = k.file;
    k.close();
    const store = openStore(file);
    expect(store.appliedMigrations).toBe(migrationCount());
    store.close();
  });
});
