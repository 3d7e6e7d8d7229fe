import { describe, expect, it } from 'vitest';
import { desktopStrings } from '../../electron/app/desktop-strings';
import {
  buildMenuTemplate,
  findMenuItem,
  type MenuItemSpec,
  type MenuState,
} from '../../electron/app/menu-template';
import type { ThemeSource } from '../../electron/app/window-state';

function setup(overrides: Partial<MenuState> = {}) {
  const calls: string[] = [];
  const state: MenuState = {
    platform: 'linux',
    isPackaged: true,
    labels: desktopStrings('en').menu,
    appName: 'Kontor',
    theme: 'system',
    busy: false,
    databaseOpen: true,
    ...overrides,
  };
  const template = buildMenuTemplate(state, {
    backup: () => calls.push('backup'),
    restore: () => calls.push('restore'),
    setTheme: (theme: ThemeSource) => calls.push(`theme:${theme}`),
    about: () => calls.push('about'),
  });
  return { template, calls };
}

const labelsOf = (items: readonly MenuItemSpec[] | undefined) =>
  (items ?? []).filter((i) => i.type !== 'separator').map((i) => i.label);
const rolesOf = (items: readonly MenuItemSpec[] | undefined) =>
  (items ?? []).map((i) => i.role).filter(Boolean);

describe('menu template', () => {
  it('has the standard menus on Windows and Linux', () => {
    const { template } = setup();
    expect(labelsOf(template)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(labelsOf(findMenuItem(template, 'file')?.submenu)).toEqual([
      'Back Up Database…',
      'Restore from Backup…',
      'Quit Kontor',
    ]);
    expect(findMenuItem(template, 'file.quit')?.role).toBe('quit');
    expect(rolesOf(findMenuItem(template, 'edit')?.submenu)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'delete',
      'selectAll',
    ]);
    expect(labelsOf(findMenuItem(template, 'help')?.submenu)).toEqual(['About Kontor']);
  });

  it('has the app menu first on macOS, and Close in File', () => {
    const { template } = setup({ platform: 'darwin' });
    expect(labelsOf(template)).toEqual(['Kontor', 'File', 'Edit', 'View', 'Window']);
    expect(rolesOf(findMenuItem(template, 'app')?.submenu)).toEqual([
      'services',
      'hide',
      'hideOthers',
      'unhide',
      'quit',
    ]);
    expect(findMenuItem(template, 'file.close')?.role).toBe('close');
    expect(findMenuItem(template, 'file.quit')).toBeUndefined();
    expect(rolesOf(findMenuItem(template, 'window')?.submenu)).toEqual(['minimize', 'zoom', 'front']);
    expect(rolesOf(findMenuItem(template, 'edit')?.submenu)).toContain('pasteAndMatchStyle');
  });

  it('offers reload and developer tools only when not packaged', () => {
    const packaged = setup({ isPackaged: true }).template;
    expect(findMenuItem(packaged, 'view.reload')).toBeUndefined();
    expect(findMenuItem(packaged, 'view.devtools')).toBeUndefined();
    expect(rolesOf(findMenuItem(packaged, 'view')?.submenu)).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    const dev = setup({ isPackaged: false }).template;
    expect(findMenuItem(dev, 'view.reload')?.role).toBe('reload');
    expect(findMenuItem(dev, 'view.devtools')?.role).toBe('toggleDevTools');
  });

  it('enables backup and restore only when the database is open and idle', () => {
    const idle = setup().template;
    expect(findMenuItem(idle, 'file.backup')?.enabled).toBe(true);
    expect(findMenuItem(idle, 'file.restore')?.enabled).toBe(true);
    for (const state of [{ busy: true }, { databaseOpen: false }]) {
      const { template } = setup(state);
      expect(findMenuItem(template, 'file.backup')?.enabled, JSON.stringify(state)).toBe(false);
      expect(findMenuItem(template, 'file.restore')?.enabled, JSON.stringify(state)).toBe(false);
    }
  });

  it('checks the current theme and reports a choice', () => {
    const { template, calls } = setup({ theme: 'dark' });
    const theme = findMenuItem(template, 'view.theme')?.submenu ?? [];
    expect(theme.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
    findMenuItem(template, 'view.theme.light')?.click?.();
    expect(calls).toEqual(['theme:light']);
  });

  it('wires backup, restore and about to their actions', () => {
    const { template, calls } = setup();
    findMenuItem(template, 'file.backup')?.click?.();
    findMenuItem(template, 'file.restore')?.click?.();
    findMenuItem(template, 'help.about')?.click?.();
    expect(calls).toEqual(['backup', 'restore', 'about']);
  });

  it('speaks French and German', () => {
    const fr = setup({ labels: desktopStrings('fr-CH').menu }).template;
    expect(labelsOf(fr)).toEqual(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
    expect(findMenuItem(fr, 'file.backup')?.label).toBe('Sauvegarder la base de données…');
    const de = setup({ labels: desktopStrings('de-DE').menu }).template;
    expect(labelsOf(de)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Fenster', 'Hilfe']);
    expect(labelsOf(findMenuItem(de, 'view.theme')?.submenu)).toEqual(['System', 'Hell', 'Dunkel']);
    expect(desktopStrings('it-CH').menu.file).toBe('File');
  });

  it('gives every item a label or a role', () => {
    const walk = (items: readonly MenuItemSpec[]): void => {
      for (const item of items) {
        if (item.type === 'separator') continue;
        expect(item.label ?? item.role).toBeTruthy();
        if (item.submenu) walk(item.submenu);
      }
    };
    for (const platform of ['darwin', 'win32', 'linux'] as const)
      walk(setup({ platform, isPackaged: false }).template);
  });
});
