// What the File menu's Back up… and Restore… do, and where a file the page asked for goes: what
// to ask, what to refuse, what to say. Electron's dialogs come in as functions (main.ts wires
// them), so every decision here stays plain and is driven by the main-bundle test.
import path from 'node:path';
import { fill } from '#common/i18n/translate';
import type { Kontor } from '#core/kontor';
import { desktopStrings } from './desktop-strings';
import { defaultBackupName, isDatabaseFileOrCompanion } from './startup';

export interface MessageOptions {
  type: 'info' | 'error' | 'warning';
  title?: string;
  message: string;
  detail?: string;
  buttons: string[];
  defaultId?: number;
  cancelId?: number;
  noLink?: boolean;
}

interface FileDialogOptions {
  title?: string;
  buttonLabel?: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
}

/** The native dialogs, as the shell shows them over its window: null when the person cancels. */
export interface ShellDialogs {
  save(options: FileDialogOptions): Promise<string | null>;
  open(options: FileDialogOptions): Promise<string | null>;
  message(options: MessageOptions): Promise<number>;
}

export interface DatabaseActionDeps {
  dialogs: ShellDialogs;
  documentsDir(): string;
  kontor(): Kontor | null;
  locale(): string;
  busy(): boolean;
  setBusy(value: boolean): void;
  /** Every screen shows the old file's data after a restore: the page starts afresh. */
  reloadPage(): void;
}

export function databaseActions(deps: DatabaseActionDeps) {
  const strings = () => desktopStrings(deps.locale()).dialog;
  const databaseFilters = () => [
    { name: strings().databaseFilter, extensions: ['sqlite', 'db', 'bak'] },
    { name: strings().allFilesFilter, extensions: ['*'] },
  ];

  /**
   * Where a file goes (an export, a PDF, a backup): the person's choice in the save dialog. The
   * page never names a path; the live database and its companions are never a target.
   */
  async function chooseSaveFile(
    databaseFile: string,
    options: FileDialogOptions & { defaultPath: string },
  ): Promise<string | null> {
    const file = await deps.dialogs.save(options);
    if (!file) return null;
    if (isDatabaseFileOrCompanion(file, databaseFile)) {
      const d = strings();
      await deps.dialogs.message({
        type: 'error',
        message: d.backupFailed,
        detail: d.backupSameFile,
        buttons: [d.ok],
      });
      return null;
    }
    return file;
  }

  /** Runs one exclusive call with the menu held busy, and says how it went. */
  async function exclusive(
    run: (
      current: Kontor,
    ) => Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>,
    done: (value: unknown) => string,
    failed: string,
  ): Promise<void> {
    const current = deps.kontor();
    if (!current) return;
    const d = strings();
    deps.setBusy(true);
    try {
      const result = await run(current);
      if (result.ok)
        await deps.dialogs.message({ type: 'info', message: done(result.value), buttons: [d.ok] });
      else
        await deps.dialogs.message({
          type: 'error',
          message: failed,
          detail: result.error.message,
          buttons: [d.ok],
        });
    } finally {
      deps.setBusy(false);
    }
  }

  async function backUp(): Promise<void> {
    const current = deps.kontor();
    if (!current || deps.busy()) return;
    const d = strings();
    const out = await chooseSaveFile(current.file, {
      title: d.backupTitle,
      buttonLabel: d.backupButton,
      defaultPath: path.join(deps.documentsDir(), defaultBackupName(deps.locale(), new Date())),
      filters: databaseFilters(),
    });
    if (!out) return;
    await exclusive(
      (k) => k.router.invoke('system.backup', { out }, { locale: deps.locale() }),
      () => fill(d.backupDone, { file: out }),
      d.backupFailed,
    );
  }

  async function restore(): Promise<void> {
    if (!deps.kontor() || deps.busy()) return;
    const d = strings();
    const file = await deps.dialogs.open({
      title: d.restoreTitle,
      buttonLabel: d.restoreButton,
      filters: databaseFilters(),
    });
    if (!file) return;
    const confirmed = await deps.dialogs.message({
      type: 'warning',
      title: d.restoreTitle,
      message: d.restoreConfirm,
      detail: fill(d.restoreConfirmDetail, { file }),
      buttons: [d.restoreButton, d.cancel],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    if (confirmed !== 0) return;
    await exclusive(
      async (k) => {
        const result = await k.router.invoke('system.restore', { file }, { locale: deps.locale() });
        if (result.ok) deps.reloadPage();
        return result;
      },
      (value) => fill(d.restoreDone, { file: String((value as { safetyCopy?: unknown }).safetyCopy ?? '') }),
      d.restoreFailed,
    );
  }

  return { chooseSaveFile, backUp, restore };
}
