// The Electron main process. With preload.ts, the only file that imports 'electron': every
// decision it takes (paths, security policy, IPC checks, window placement, menu) lives in a
// plain module under electron/app/ with its own tests; this file wires them to Electron.
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  type MessageBoxOptions,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { defaultDatabaseFile, PRODUCT_NAME, userDataDir } from '#core/app-paths';
import { setFontDirectory } from '#core/export/pdf/font-directory';
import { type Kontor, openKontor } from '#core/kontor';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app/app-protocol';
import { fill } from '#common/i18n/translate';
import { INVOKE_CHANNEL, SAVE_CHANNEL } from './app/channels';
import { desktopStrings } from './app/desktop-strings';
import { createInvokeHandler, createSaveHandler, forwardChanges } from './app/ipc';
import { buildMenuTemplate } from './app/menu-template';
import { guardWebContents, hardenSession, serveRenderer } from './app/guards';
import { secureWebPreferences } from './app/security';
import { keychainSecrets, SECRETS_FILE_NAME } from './app/secrets';
import { databaseActions, type ShellDialogs } from './app/database-actions';
import { appLayout, describeOpenFailure } from './app/startup';
import {
  createSettingsStore,
  MIN_WINDOW_SIZE,
  placeWindow,
  SETTINGS_FILE_NAME,
  type SettingsStore,
  type ThemeSource,
  type WindowState,
} from './app/window-state';

const log = (message: string) => console.error(message);

// ── Before 'ready' ───────────────────────────────────────────────────────────────────────
app.setName(PRODUCT_NAME);
// The CLI and the web host compute the same folder without Electron (paths.ts), so all
// three open one database. Set before anything reads userData (the single-instance lock does).
app.setPath('userData', userDataDir());
// Every renderer sandboxed, whatever a webPreferences object says.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

if (!app.requestSingleInstanceLock()) {
  // Another Kontor owns the database; it is told through 'second-instance' and takes focus.
  app.quit();
} else {
  start();
}

function start(): void {
  let kontor: Kontor | null = null;
  let mainWindow: BrowserWindow | null = null;
  let locale = 'en';
  let busy = false;
  let quitWhenIdle = false;
  let stopForwarding: (() => void) | null = null;
  let settings: SettingsStore | null = null;
  const layout = appLayout(app.getAppPath());

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      if (kontor) createWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  guardWebContents(app, shell);

  app
    .whenReady()
    .then(() => {
      locale = app.getLocale() || 'en';
      const strings = desktopStrings(locale);

      // The database first: migrations run (with their backup) before any window exists.
      const dbFile = defaultDatabaseFile();
      setFontDirectory(layout.fontsDir);
      try {
        kontor = openKontor({
          dbFile,
          migrationsDir: layout.migrationsDir,
          appVersion: app.getVersion(),
          log,
          // The SMTP password: the OS keychain, in a file of its own beside the settings.
          secrets: keychainSecrets(safeStorage, path.join(app.getPath('userData'), SECRETS_FILE_NAME)),
        });
      } catch (error) {
        log(
          `[kontor] cannot open ${dbFile}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        const failure = describeOpenFailure(error, locale, dbFile);
        dialog.showMessageBoxSync({
          type: 'error',
          title: failure.title,
          message: failure.message,
          detail: failure.detail,
          buttons: [strings.dialog.ok],
        });
        app.exit(1);
        return;
      }
      const opened = kontor;
      // Background sync (plain Node, electron/sync/engine.ts): idle until a hub is configured.
      opened.sync.start();
      // The mail outbox retries what could not leave while offline.
      opened.mail.start();

      settings = createSettingsStore(path.join(app.getPath('userData'), SETTINGS_FILE_NAME), { log });
      nativeTheme.themeSource = settings.get().theme;

      hardenSession(session.defaultSession);
      serveRenderer(protocol, layout.rendererRoot, log);

      ipcMain.handle(
        INVOKE_CHANNEL,
        createInvokeHandler({
          router: opened.router,
          trustedWebContentsId: () =>
            mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null,
          fallbackLocale: () => locale,
          log,
        }),
      );
      ipcMain.handle(
        SAVE_CHANNEL,
        createSaveHandler({
          router: opened.router,
          trustedWebContentsId: () =>
            mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null,
          fallbackLocale: () => locale,
          log,
          chooseFile: (suggestedName) =>
            chooseSaveFile(opened.file, { defaultPath: path.join(app.getPath('documents'), suggestedName) }),
        }),
      );
      stopForwarding = forwardChanges(opened.router, (channel, message) => {
        if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, message);
      });

      rebuildMenu();
      createWindow();

      app.on('activate', () => {
        // macOS: the app stays alive without windows; the dock icon brings one back.
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    })
    .catch((error: unknown) => {
      log(
        `[kontor] startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    // Never close the database under a running backup or restore: finish it, then quit.
    if (busy) {
      event.preventDefault();
      quitWhenIdle = true;
    }
  });

  app.on('will-quit', () => {
    settings?.flush();
    stopForwarding?.();
    stopForwarding = null;
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeHandler(SAVE_CHANNEL);
    if (kontor) {
      try {
        kontor.close();
      } catch (error) {
        log(
          `[kontor] closing the database failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      kontor = null;
    }
  });

  function workAreas() {
    const primary = screen.getPrimaryDisplay();
    return [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)].map(
      (d) => d.workArea,
    );
  }

  function createWindow(): void {
    if (!settings) return;
    const store = settings;
    const placement = placeWindow(store.get().window, workAreas());
    const win = new BrowserWindow({
      width: placement.width,
      height: placement.height,
      ...(placement.x !== undefined && placement.y !== undefined
        ? { x: placement.x, y: placement.y }
        : { center: true }),
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      title: PRODUCT_NAME,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff',
      webPreferences: secureWebPreferences(layout.preload, { devTools: !app.isPackaged }),
    });
    mainWindow = win;
    if (placement.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());

    const capture = (): WindowState => ({ bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    const remember = () => {
      if (!win.isDestroyed() && !win.isMinimized() && !win.isFullScreen())
        store.update({ window: capture() });
    };
    win.on('resize', remember);
    win.on('move', remember);
    win.on('maximize', remember);
    win.on('unmaximize', remember);
    win.on('close', () => {
      remember();
      store.flush();
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    win.webContents.on('render-process-gone', (_event, details) =>
      log(`[kontor] renderer gone: ${details.reason}`),
    );

    void win.loadURL(APP_ENTRY_URL);
  }

  function rebuildMenu(): void {
    const template = buildMenuTemplate(
      {
        platform: process.platform,
        isPackaged: app.isPackaged,
        labels: desktopStrings(locale).menu,
        appName: PRODUCT_NAME,
        theme: settings?.get().theme ?? 'system',
        busy,
        databaseOpen: kontor !== null,
      },
      {
        backup: () => void backUp().catch(reportUnexpected),
        restore: () => void restore().catch(reportUnexpected),
        setTheme,
        about: () => void about().catch(reportUnexpected),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  function setBusy(value: boolean): void {
    busy = value;
    rebuildMenu();
    if (!value && quitWhenIdle) app.quit();
  }

  function setTheme(theme: ThemeSource): void {
    nativeTheme.themeSource = theme;
    settings?.update({ theme });
    rebuildMenu();
  }

  function reportUnexpected(error: unknown): void {
    log(`[kontor] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  async function showMessage(options: MessageBoxOptions): Promise<number> {
    const result =
      mainWindow && !mainWindow.isDestroyed()
        ? await dialog.showMessageBox(mainWindow, options)
        : await dialog.showMessageBox(options);
    return result.response;
  }

  const fileDialogs: ShellDialogs = {
    async save(options) {
      const o = {
        ...options,
        properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<
          'createDirectory' | 'showOverwriteConfirmation'
        >,
      };
      const choice = mainWindow ? await dialog.showSaveDialog(mainWindow, o) : await dialog.showSaveDialog(o);
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
    async open(options) {
      const o = { ...options, properties: ['openFile' as const] };
      const choice = mainWindow ? await dialog.showOpenDialog(mainWindow, o) : await dialog.showOpenDialog(o);
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
    message: showMessage,
  };
  const { chooseSaveFile, backUp, restore } = databaseActions({
    dialogs: fileDialogs,
    documentsDir: () => app.getPath('documents'),
    kontor: () => kontor,
    locale: () => locale,
    busy: () => busy,
    setBusy,
    reloadPage: () => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.reload();
    },
  });

  async function about(): Promise<void> {
    const d = desktopStrings(locale).dialog;
    await showMessage({
      type: 'info',
      title: desktopStrings(locale).menu.about,
      message: PRODUCT_NAME,
      detail: fill(d.aboutDetail, { version: app.getVersion(), file: kontor?.file ?? '' }),
      buttons: [d.ok],
    });
  }
}
