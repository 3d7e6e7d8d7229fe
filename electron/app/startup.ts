import path from 'node:path';
import { StoreError } from '#db/errors';
import { KontorError } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import { fill } from '#common/i18n/translate';
import { desktopStrings } from './desktop-strings';

/** Where the built pieces live relative to app.getAppPath() (the project in dev, app.asar packaged). */
export function appLayout(appPath: string) {
  return {
    rendererRoot: path.join(appPath, 'build', 'renderer'),
    preload: path.join(appPath, 'build', 'electron', 'preload.cjs'),
    // Shipped inside the app by electron-builder's `files`; passed explicitly rather than
    // letting db/open.ts find them relative to its own (bundled) module URL.
    migrationsDir: path.join(appPath, 'db', 'migrations'),
    // The invoice font ships with the app (inside app.asar, which Electron's fs reads).
    fontsDir: path.join(appPath, 'assets', 'fonts'),
  };
}

export interface FailureDialog {
  title: string;
  message: string;
  detail: string;
}

/**
 * The native error dialog shown when the database cannot be opened (a file from a newer
 * Kontor, a damaged file, a native module built for the wrong runtime…). The message is the
 * translated one the other doors show; the technical detail goes underneath. The app then
 * quits: nothing is ever deleted or recreated to "fix" it.
 */
export function describeOpenFailure(error: unknown, localeTag: string, file: string): FailureDialog {
  const locale = resolveLocale(localeTag);
  const strings = desktopStrings(locale).dialog;
  const known = error instanceof StoreError || error instanceof KontorError;
  const code = known ? error.code : 'internal';
  const params = known ? { file, ...error.params } : {};
  const message = translateError(code, params, locale);
  const lines = [fill(strings.openFailedDetail, { file })];
  if (!known) lines.push('', error instanceof Error ? error.message : String(error));
  return { title: strings.openFailedTitle, message, detail: lines.join('\n') };
}

/** 'kontor-backup-2026-03-01.sqlite' in the user's language. */
export function defaultBackupName(localeTag: string, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  return fill(desktopStrings(localeTag).dialog.backupDefaultName, { date });
}

/**
 * The backup must not overwrite the open database or its WAL/SHM companions (the backup
 * service deletes the target first). Compared case-insensitively where the file system is.
 */
export function isDatabaseFileOrCompanion(
  candidate: string,
  databaseFile: string,
  platform = process.platform,
): boolean {
  const norm = (p: string) => {
    const resolved = path.resolve(p);
    return platform === 'win32' || platform === 'darwin' ? resolved.toLowerCase() : resolved;
  };
  const target = norm(candidate);
  const db = norm(databaseFile);
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].includes(target);
}
