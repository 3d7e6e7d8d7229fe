import { backupDatabase } from '#db/backup';
import { migrationCount } from '#db/open';
import { fail } from '#common/errors';
import type { Ctx, RestoreResult } from './context';

export interface SystemInfo {
  appVersion: string;
  databaseFile: string;
  deviceId: string;
  schemaVersion: number;
  backupBeforeMigration: string | null;
}

export function systemInfo(ctx: Ctx): SystemInfo {
  return {
    appVersion: ctx.host?.appVersion ?? 'dev',
    databaseFile: ctx.store.file,
    deviceId: ctx.deviceId,
    schemaVersion: ctx.store.appliedMigrations,
    backupBeforeMigration: ctx.store.backupFile,
  };
}

export async function backup(ctx: Ctx, out: string): Promise<{ file: string; bytes: number }> {
  return backupDatabase(ctx.raw, out);
}

export async function restore(ctx: Ctx, file: string): Promise<RestoreResult> {
  if (!ctx.host) fail('internal', { reason: 'restore needs the hosting process' });
  return ctx.host.restore(file);
}

export { migrationCount };
