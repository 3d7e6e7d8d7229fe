import type { MenuLabels } from './desktop-strings';
import type { ThemeSource } from './window-state';

/**
 * The application menu as data. A pure function of the platform, the labels and the state,
 * with the actions passed in, so the structure (and what is enabled) is unit-tested; main.ts
 * hands the result to Menu.buildFromTemplate and rebuilds it when the state changes.
 * MenuItemSpec is a structural subset of Electron's MenuItemConstructorOptions.
 */
export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'window'
  | 'minimize'
  | 'close'
  | 'help'
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'zoom'
  | 'front';

export interface MenuItemSpec {
  id?: string;
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface MenuActions {
  backup(): void;
  restore(): void;
  setTheme(theme: ThemeSource): void;
  about(): void;
}

export interface MenuState {
  platform: NodeJS.Platform;
  /** Developer items (reload, devtools) only when running unpackaged. */
  isPackaged: boolean;
  labels: MenuLabels;
  appName: string;
  theme: ThemeSource;
  /** A backup or restore is running: both stay disabled until it ends. */
  busy: boolean;
  /** The database is open (false while a restore swaps the file). */
  databaseOpen: boolean;
}

const separator: MenuItemSpec = { type: 'separator' };

export function buildMenuTemplate(state: MenuState, actions: MenuActions): MenuItemSpec[] {
  const { labels: l, platform } = state;
  const mac = platform === 'darwin';
  const dataActionsEnabled = state.databaseOpen && !state.busy;

  const appMenu: MenuItemSpec = {
    id: 'app',
    label: state.appName,
    submenu: [
      { id: 'app.about', label: l.about, click: actions.about },
      separator,
      { role: 'services', label: l.services },
      separator,
      { role: 'hide', label: l.hide },
      { role: 'hideOthers', label: l.hideOthers },
      { role: 'unhide', label: l.unhide },
      separator,
      { id: 'app.quit', role: 'quit', label: l.quit },
    ],
  };

  const fileMenu: MenuItemSpec = {
    id: 'file',
    label: l.file,
    submenu: [
      { id: 'file.backup', label: l.backup, enabled: dataActionsEnabled, click: actions.backup },
      { id: 'file.restore', label: l.restore, enabled: dataActionsEnabled, click: actions.restore },
      separator,
      mac
        ? { id: 'file.close', role: 'close', label: l.close }
        : { id: 'file.quit', role: 'quit', label: l.quit },
    ],
  };

  const editMenu: MenuItemSpec = {
    id: 'edit',
    label: l.edit,
    submenu: [
      { role: 'undo', label: l.undo },
      { role: 'redo', label: l.redo },
      separator,
      { role: 'cut', label: l.cut },
      { role: 'copy', label: l.copy },
      { role: 'paste', label: l.paste },
      ...(mac ? [{ role: 'pasteAndMatchStyle', label: l.pasteAndMatchStyle } satisfies MenuItemSpec] : []),
      { role: 'delete', label: l.delete },
      separator,
      { role: 'selectAll', label: l.selectAll },
    ],
  };

  const themeItem = (id: ThemeSource, label: string): MenuItemSpec => ({
    id: `view.theme.${id}`,
    label,
    type: 'radio',
    checked: state.theme === id,
    click: () => actions.setTheme(id),
  });

  const viewMenu: MenuItemSpec = {
    id: 'view',
    label: l.view,
    submenu: [
      ...(state.isPackaged
        ? []
        : [
            { id: 'view.reload', role: 'reload', label: l.reload } satisfies MenuItemSpec,
            { id: 'view.forceReload', role: 'forceReload', label: l.forceReload } satisfies MenuItemSpec,
            { id: 'view.devtools', role: 'toggleDevTools', label: l.toggleDevTools } satisfies MenuItemSpec,
            separator,
          ]),
      { role: 'resetZoom', label: l.resetZoom },
      { role: 'zoomIn', label: l.zoomIn },
      { role: 'zoomOut', label: l.zoomOut },
      separator,
      { role: 'togglefullscreen', label: l.toggleFullScreen },
      separator,
      {
        id: 'view.theme',
        label: l.theme,
        submenu: [
          themeItem('system', l.themeSystem),
          themeItem('light', l.themeLight),
          themeItem('dark', l.themeDark),
        ],
      },
    ],
  };

  const windowMenu: MenuItemSpec = {
    id: 'window',
    label: l.window,
    role: 'window',
    submenu: mac
      ? [
          { role: 'minimize', label: l.minimize },
          { role: 'zoom', label: l.zoom },
          separator,
          { role: 'front', label: l.front },
        ]
      : [
          { role: 'minimize', label: l.minimize },
          { role: 'close', label: l.close },
        ],
  };

  const helpMenu: MenuItemSpec = {
    id: 'help',
    label: l.help,
    role: 'help',
    submenu: mac ? [] : [{ id: 'help.about', label: l.about, click: actions.about }],
  };

  return [
    ...(mac ? [appMenu] : []),
    fileMenu,
    editMenu,
    viewMenu,
    windowMenu,
    ...(mac && helpMenu.submenu?.length === 0 ? [] : [helpMenu]),
  ];
}

/** Depth-first lookup by id (for tests and for main.ts). */
export function findMenuItem(items: readonly MenuItemSpec[], id: string): MenuItemSpec | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const found = item.submenu ? findMenuItem(item.submenu, id) : undefined;
    if (found) return found;
  }
  return undefined;
}
