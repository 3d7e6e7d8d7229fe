import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BackupInput, Empty, RestoreInput, RestoreUpload } from '#common/system.schema';
import { backup, restore, systemInfo } from '../services/system.service';
import { mutation, query, stream } from './method';

const DB_MIME = 'application/vnd.sqlite3';

/** A folder of our own for a backup or an upload on its way (removed afterwards). */
async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-system-'));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const systemApi = {
  'system.info': query(Empty, 'Version, database file, device identity', (ctx) => systemInfo(ctx)),
  'system.backupFile': stream(
    Empty,
    'A copy of the database as a file (SQLite online backup: safe while writing)',
    (ctx) => ({
      fileName: `kontor-backup-${ctx.clock.now().toISOString().slice(0, 10)}.sqlite`,
      mime: DB_MIME,
      write: (out, signal) =>
        withTempDir(async (dir) => {
          const copy = await backup(ctx, path.join(dir, 'backup.sqlite'));
          await pipeline(fs.createReadStream(copy.file), out, { signal });
        }),
    }),
  ),
  'system.restoreUpload': mutation(
    RestoreUpload,
    'Replace the database with an uploaded backup (the current file is kept aside)',
    (ctx, i) =>
      withTempDir(async (dir) => {
        const file = path.join(dir, 'upload.sqlite');
        fs.writeFileSync(file, Buffer.from(i.contentBase64, 'base64'));
        return { ...(await restore(ctx, file)), restoredFrom: i.fileName };
      }),
    { exclusive: true },
  ),
  'system.backup': query(
    BackupInput,
    'Copy the database to a path with SQLite online backup (safe while writing)',
    (ctx, i) => backup(ctx, i.out),
    { doors: ['local'] },
  ),
  'system.restore': mutation(
    RestoreInput,
    'Replace the database with a backup file (the current file is kept aside)',
    (ctx, i) => restore(ctx, i.file),
    { doors: ['local'], exclusive: true },
  ),
};
