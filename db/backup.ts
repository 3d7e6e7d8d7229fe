import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import type { RawDb } from './open';

/**
 * Copies a live database with SQLite's online backup API: consistent even while the app
 * keeps writing, because the copy restarts pages that change under it.
 */
export async function backupDatabase(raw: RawDb, outFile: string): Promise<{ file: string; bytes: number }> {
  // An existing target is replaced, but never the live database or its WAL: the connection
  // would go on writing into a deleted file and every later change would be lost on close.
  if (['', '-wal', '-shm', '-journal'].some((suffix) => sameFile(`${raw.name}${suffix}`, outFile))) {
    throw new StoreError('invalid_input', { details: outFile }, 'the backup target is the live database');
  }
  if (fs.existsSync(outFile)) fs.rmSync(outFile);
  await raw.backup(outFile);
  return { file: outFile, bytes: fs.statSync(outFile).size };
}

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const [sa, sb] = [fs.statSync(a), fs.statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Checks that a file is a readable, intact Kontor database no newer than this build. */
export function verifyBackup(file: string, supportedVersion: number): { version: number } {
  if (!fs.existsSync(file)) throw new StoreError('backup_not_found', { file });
  let probe: RawDb;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new StoreError('backup_unreadable', { file });
  }
  try {
    const integrity = probe.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new StoreError('backup_corrupt', { file });
    const hasOrgs = probe
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'organizations'")
      .get();
    if (!hasOrgs) throw new StoreError('backup_not_kontor', { file });
    const version = probe.pragma('user_version', { simple: true }) as number;
    if (version > supportedVersion) {
      throw new StoreError('database_too_new', { file, version, supported: supportedVersion });
    }
    return { version };
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError('backup_unreadable', { file });
  } finally {
    probe.close();
  }
}

/** Replaces `targetFile` with a copy of `backupFile`. The target must be closed. */
export function replaceDatabaseFile(backupFile: string, targetFile: string): void {
  const staging = `${targetFile}.restoring`;
  fs.copyFileSync(backupFile, staging);
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${targetFile}${suffix}`, { force: true });
  // rename is atomic on one filesystem: a crash leaves either the old file or the new one.
  fs.renameSync(staging, targetFile);
}
