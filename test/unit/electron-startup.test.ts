import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '#db/errors';
import { desktopStrings } from '../../electron/app/desktop-strings';
import {
  appLayout,
  defaultBackupName,
  describeOpenFailure,
  isDatabaseFileOrCompanion,
} from '../../electron/app/startup';
import { KontorError } from '#common/errors';

describe('appLayout', () => {
  it('finds the built pieces and the migrations under the app path', () => {
    const layout = appLayout(path.join('/opt', 'Kontor', 'resources', 'app.asar'));
    expect(layout.rendererRoot).toBe(
      path.join('/opt', 'Kontor', 'resources', 'app.asar', 'build', 'renderer'),
    );
    expect(layout.preload).toBe(
      path.join('/opt', 'Kontor', 'resources', 'app.asar', 'build', 'electron', 'preload.cjs'),
    );
    expect(layout.migrationsDir).toBe(
      path.join('/opt', 'Kontor', 'resources', 'app.asar', 'db', 'migrations'),
    );
  });
});

describe('describeOpenFailure', () => {
  const file = '/home/anna/.config/Kontor/kontor.sqlite';

  it('translates a database from a newer Kontor and says nothing was deleted', () => {
    const error = new StoreError('database_too_new', { file, version: 9, supported: 3 });
    const en = describeOpenFailure(error, 'en-US', file);
    expect(en.title).toBe(desktopStrings('en').dialog.openFailedTitle);
    expect(en.message).toContain('newer version of Kontor');
    expect(en.message).toContain('9');
    expect(en.detail).toContain(file);
    expect(en.detail).toMatch(/Nothing was changed or deleted/);
    const de = describeOpenFailure(error, 'de-CH', file);
    expect(de.title).toBe('Kontor kann seine Datenbank nicht öffnen');
    expect(de.detail).toMatch(/nichts geändert oder gelöscht/);
  });

  it('translates a damaged file', () => {
    const failure = describeOpenFailure(
      new StoreError('database_corrupt', { file, detail: 'x' }),
      'fr',
      file,
    );
    expect(failure.message).toContain(file);
    expect(failure.title).toBe('Kontor ne peut pas ouvrir sa base de données');
  });

  it('keeps the technical reason of an unexpected error underneath a generic message', () => {
    const error = new Error('The module better_sqlite3.node was compiled against NODE_MODULE_VERSION 115');
    const failure = describeOpenFailure(error, 'en', file);
    expect(failure.message).toMatch(/Something went wrong inside Kontor/);
    expect(failure.detail).toContain('NODE_MODULE_VERSION 115');
    expect(describeOpenFailure('plain string', 'en', file).detail).toContain('plain string');
  });

  it('translates a Kontor error code', () => {
    const failure = describeOpenFailure(new KontorError('busy'), 'en', file);
    expect(failure.message).not.toMatch(/Something went wrong/);
  });
});

describe('defaultBackupName', () => {
  it('is dated and in the user language', () => {
    const day = new Date('2026-03-01T10:00:00Z');
    expect(defaultBackupName('en', day)).toBe('kontor-backup-2026-03-01.sqlite');
    expect(defaultBackupName('fr-CH', day)).toBe('kontor-sauvegarde-2026-03-01.sqlite');
    expect(defaultBackupName('de', day)).toBe('kontor-sicherung-2026-03-01.sqlite');
  });
});

describe('isDatabaseFileOrCompanion', () => {
  const db = '/data/Kontor/kontor.sqlite';
  it('refuses the open database and its WAL/SHM files as a backup target', () => {
    expect(isDatabaseFileOrCompanion(db, db, 'linux')).toBe(true);
    expect(isDatabaseFileOrCompanion('/data/Kontor/../Kontor/kontor.sqlite', db, 'linux')).toBe(true);
    expect(isDatabaseFileOrCompanion(`${db}-wal`, db, 'linux')).toBe(true);
    expect(isDatabaseFileOrCompanion(`${db}-shm`, db, 'linux')).toBe(true);
    expect(isDatabaseFileOrCompanion('/data/Kontor/KONTOR.sqlite', db, 'darwin')).toBe(true);
    expect(isDatabaseFileOrCompanion('/data/Kontor/KONTOR.sqlite', db, 'linux')).toBe(false);
    expect(isDatabaseFileOrCompanion('/backups/kontor.sqlite', db, 'linux')).toBe(false);
  });
});
