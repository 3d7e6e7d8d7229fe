import { replaceDatabaseFile, verifyBackup } from '#db/backup';
import { migrationCount, type OpenedStore, openStore, timestampForFile } from '#db/open';
import { ensureDeviceIdentity } from '#db/sync/device';
import { Gate } from './api/gate';
import { createRouter, type Router } from './api/router';
import { type Clock, type Ctx, createContext, type Ids, type RestoreResult } from './services/context';
import { Jobs } from './services/jobs.service';
import { MailRunner } from './services/mail/runner';
import { environmentSecrets, type SecretStore } from './services/mail/secrets';
import { getSettings } from './services/settings.service';
import { SyncEngine, type SyncEngineOptions } from './sync/engine';

export interface KontorOptions {
  dbFile: string;
  migrationsDir?: string;
  clock?: Clock;
  ids?: Ids;
  appVersion?: string;
  log?: (message: string) => void;
  /** Options of the sync engine (tests shorten its interval, point it at a proxy). */
  sync?: Omit<SyncEngineOptions, 'ctx'>;
  /** The SMTP password's keeper: the desktop shell passes the OS keychain; elsewhere the environment. */
  secrets?: SecretStore;
  /** Options of the mail outbox's background loop (tests shorten its interval). */
  mail?: { intervalMs?: number };
}

export interface Kontor {
  readonly router: Router;
  /** Background sync: started by the hosts that run for long (desktop app, web host). */
  readonly sync: SyncEngine;
  /** The mail outbox's retries: started by the hosts that run for long, like sync. */
  readonly mail: MailRunner;
  ctx(): Ctx;
  readonly file: string;
  close(): void;
}

/**
 * Opens the database and wires the one router over it: what the Electron main process, the
 * web host, the CLI and the tests all start from.
 */
export function openKontor(options: KontorOptions): Kontor {
  let store: OpenedStore = openStore(options.dbFile, { migrationsDir: options.migrationsDir });
  // The gate and the jobs belong to this open store, not to the process.
  const gate = new Gate();
  const jobs = new Jobs();
  // Reads the current context on every round, so a restore swapping the store is followed.
  const sync = new SyncEngine({
    log: options.log,
    ...options.sync,
    ctx: () => ctx,
    around: (round) => gate.runSharedUnlessExclusive(round),
  });
  const secrets = options.secrets ?? environmentSecrets();
  const mail = new MailRunner({
    ctx: () => ctx,
    around: (round) => gate.runSharedUnlessExclusive(round),
    intervalMs: options.mail?.intervalMs,
    log: options.log,
  });
  let ctx = makeCtx(store);

  function makeCtx(s: OpenedStore): Ctx {
    const c = createContext(s, { clock: options.clock, ids: options.ids });
    c.actor.personId = getSettings(c).actingPersonId;
    c.host = { appVersion: options.appVersion ?? 'dev', restore, sync, jobs, secrets };
    return c;
  }

  async function restore(file: string): Promise<RestoreResult> {
    verifyBackup(file, migrationCount(options.migrationsDir));
    // Keep the current file aside first: a restore must never be the way data is lost.
    const safetyCopy = `${store.file}.before-restore-${timestampForFile()}.bak`;
    store.raw.prepare('VACUUM INTO ?').run(safetyCopy);
    // Timestamps issued here since the backup was taken (maybe synced already) must stay in
    // the past of the restored copy's clock, whatever the wall clock says.
    const issued = store.raw.prepare('SELECT last_hlc FROM device WHERE current = 1').pluck().get() as
      | string
      | undefined;
    if (issued) ctx.hlc.observeOwn(issued);
    const hlcFloor = ctx.hlc.lastIssued.split(':').slice(0, 2).join(':');
    store.close();
    try {
      replaceDatabaseFile(file, store.file);
      store = openStore(store.file, { migrationsDir: options.migrationsDir });
    } catch (error) {
      replaceDatabaseFile(safetyCopy, store.file);
      store = openStore(store.file, { migrationsDir: options.migrationsDir });
      ctx = makeCtx(store);
      throw error;
    }
    // A restored copy must not write under the identity it had when it was backed up: the
    // original device may have issued numbers in its series since.
    const identity = ensureDeviceIdentity(
      store.raw,
      store.file,
      (options.clock ?? { now: () => new Date() }).now(),
      'restored',
    );
    const carried = `${hlcFloor}:${identity.id}`;
    if (carried > identity.lastHlc) {
      store.raw.prepare('UPDATE device SET last_hlc = ? WHERE id = ?').run(carried, identity.id);
    }
    ctx = makeCtx(store);
    return { restoredFrom: file, safetyCopy, deviceId: identity.id };
  }

  const router = createRouter(() => ctx, { log: options.log, gate, jobs });
  return {
    router,
    sync,
    mail,
    ctx: () => ctx,
    get file() {
      return store.file;
    },
    close: () => {
      sync.stop();
      mail.stop();
      // Running jobs stop at their next step (they read a closed store otherwise).
      void jobs.close({ cancel: true });
      store.close();
    },
  };
}
