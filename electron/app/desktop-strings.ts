import { interpolate, type Locale, resolveLocale } from '#core/i18n/locale';

/**
 * Every word the desktop shell itself shows (menus, native dialogs), in the three languages
 * the app speaks. The interface makes a missing translation a compile error.
 */
export interface MenuLabels {
  file: string;
  backup: string;
  restore: string;
  quit: string;
  edit: string;
  undo: string;
  redo: string;
  cut: string;
  copy: string;
  paste: string;
  pasteAndMatchStyle: string;
  delete: string;
  selectAll: string;
  view: string;
  reload: string;
  forceReload: string;
  toggleDevTools: string;
  resetZoom: string;
  zoomIn: string;
  zoomOut: string;
  toggleFullScreen: string;
  theme: string;
  themeSystem: string;
  themeLight: string;
  themeDark: string;
  window: string;
  minimize: string;
  zoom: string;
  close: string;
  front: string;
  help: string;
  about: string;
  hide: string;
  hideOthers: string;
  unhide: string;
  services: string;
}

export interface DialogStrings {
  ok: string;
  cancel: string;
  databaseFilter: string;
  allFilesFilter: string;
  backupTitle: string;
  backupButton: string;
  /** {{date}} */
  backupDefaultName: string;
  /** {{file}} */
  backupDone: string;
  backupFailed: string;
  backupSameFile: string;
  restoreTitle: string;
  restoreButton: string;
  restoreConfirm: string;
  /** {{file}} */
  restoreConfirmDetail: string;
  /** {{file}} */
  restoreDone: string;
  restoreFailed: string;
  openFailedTitle: string;
  /** {{file}} */
  openFailedDetail: string;
  /** {{version}} {{file}} */
  aboutDetail: string;
  forbiddenSender: string;
}

export interface DesktopStrings {
  menu: MenuLabels;
  dialog: DialogStrings;
}

const en: DesktopStrings = {
  menu: {
    file: 'File',
    backup: 'Back Up Database…',
    restore: 'Restore from Backup…',
    quit: 'Quit Kontor',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    pasteAndMatchStyle: 'Paste and Match Style',
    delete: 'Delete',
    selectAll: 'Select All',
    view: 'View',
    reload: 'Reload',
    forceReload: 'Force Reload',
    toggleDevTools: 'Toggle Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    toggleFullScreen: 'Toggle Full Screen',
    theme: 'Theme',
    themeSystem: 'System',
    themeLight: 'Light',
    themeDark: 'Dark',
    window: 'Window',
    minimize: 'Minimize',
    zoom: 'Zoom',
    close: 'Close Window',
    front: 'Bring All to Front',
    help: 'Help',
    about: 'About Kontor',
    hide: 'Hide Kontor',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    services: 'Services',
  },
  dialog: {
    ok: 'OK',
    cancel: 'Cancel',
    databaseFilter: 'Kontor database',
    allFilesFilter: 'All files',
    backupTitle: 'Back up the database',
    backupButton: 'Back Up',
    backupDefaultName: 'kontor-backup-{{date}}.sqlite',
    backupDone: 'The backup was saved to {{file}}.',
    backupFailed: 'The backup failed',
    backupSameFile: 'Choose a file other than the database Kontor has open.',
    restoreTitle: 'Restore from a backup',
    restoreButton: 'Restore',
    restoreConfirm: 'Replace all current data with this backup?',
    restoreConfirmDetail:
      'Everything in Kontor is replaced by the backup {{file}}. The current database is first kept aside as a copy, so nothing is lost.',
    restoreDone: 'The backup was restored. The previous data was kept in {{file}}.',
    restoreFailed: 'The restore failed',
    openFailedTitle: 'Kontor cannot open its database',
    openFailedDetail: 'Database file: {{file}}\nNothing was changed or deleted.',
    aboutDetail: 'Version {{version}}\nDatabase: {{file}}',
    forbiddenSender: 'This request did not come from the Kontor window and was refused.',
  },
};

const fr: DesktopStrings = {
  menu: {
    file: 'Fichier',
    backup: 'Sauvegarder la base de données…',
    restore: 'Restaurer depuis une sauvegarde…',
    quit: 'Quitter Kontor',
    edit: 'Édition',
    undo: 'Annuler',
    redo: 'Rétablir',
    cut: 'Couper',
    copy: 'Copier',
    paste: 'Coller',
    pasteAndMatchStyle: 'Coller et adapter le style',
    delete: 'Supprimer',
    selectAll: 'Tout sélectionner',
    view: 'Affichage',
    reload: 'Recharger',
    forceReload: 'Forcer le rechargement',
    toggleDevTools: 'Outils de développement',
    resetZoom: 'Taille réelle',
    zoomIn: 'Zoom avant',
    zoomOut: 'Zoom arrière',
    toggleFullScreen: 'Plein écran',
    theme: 'Thème',
    themeSystem: 'Système',
    themeLight: 'Clair',
    themeDark: 'Sombre',
    window: 'Fenêtre',
    minimize: 'Réduire',
    zoom: 'Zoom',
    close: 'Fermer la fenêtre',
    front: 'Tout ramener au premier plan',
    help: 'Aide',
    about: 'À propos de Kontor',
    hide: 'Masquer Kontor',
    hideOthers: 'Masquer les autres',
    unhide: 'Tout afficher',
    services: 'Services',
  },
  dialog: {
    ok: 'OK',
    cancel: 'Annuler',
    databaseFilter: 'Base de données Kontor',
    allFilesFilter: 'Tous les fichiers',
    backupTitle: 'Sauvegarder la base de données',
    backupButton: 'Sauvegarder',
    backupDefaultName: 'kontor-sauvegarde-{{date}}.sqlite',
    backupDone: 'La sauvegarde a été enregistrée dans {{file}}.',
    backupFailed: 'La sauvegarde a échoué',
    backupSameFile: 'Choisissez un autre fichier que la base de données ouverte par Kontor.',
    restoreTitle: 'Restaurer depuis une sauvegarde',
    restoreButton: 'Restaurer',
    restoreConfirm: 'Remplacer toutes les données actuelles par cette sauvegarde ?',
    restoreConfirmDetail:
      'Tout le contenu de Kontor est remplacé par la sauvegarde {{file}}. La base de données actuelle est d’abord mise de côté, rien n’est perdu.',
    restoreDone: 'La sauvegarde a été restaurée. Les données précédentes sont conservées dans {{file}}.',
    restoreFailed: 'La restauration a échoué',
    openFailedTitle: 'Kontor ne peut pas ouvrir sa base de données',
    openFailedDetail: 'Fichier de base de données : {{file}}\nRien n’a été modifié ni supprimé.',
    aboutDetail: 'Version {{version}}\nBase de données : {{file}}',
    forbiddenSender: 'Cette requête ne provient pas de la fenêtre de Kontor et a été refusée.',
  },
};

const de: DesktopStrings = {
  menu: {
    file: 'Datei',
    backup: 'Datenbank sichern…',
    restore: 'Aus Sicherung wiederherstellen…',
    quit: 'Kontor beenden',
    edit: 'Bearbeiten',
    undo: 'Widerrufen',
    redo: 'Wiederholen',
    cut: 'Ausschneiden',
    copy: 'Kopieren',
    paste: 'Einfügen',
    pasteAndMatchStyle: 'Einfügen und Stil anpassen',
    delete: 'Löschen',
    selectAll: 'Alles auswählen',
    view: 'Ansicht',
    reload: 'Neu laden',
    forceReload: 'Neu laden erzwingen',
    toggleDevTools: 'Entwicklerwerkzeuge',
    resetZoom: 'Originalgröße',
    zoomIn: 'Vergrößern',
    zoomOut: 'Verkleinern',
    toggleFullScreen: 'Vollbild',
    theme: 'Erscheinungsbild',
    themeSystem: 'System',
    themeLight: 'Hell',
    themeDark: 'Dunkel',
    window: 'Fenster',
    minimize: 'Minimieren',
    zoom: 'Zoomen',
    close: 'Fenster schließen',
    front: 'Alle nach vorne bringen',
    help: 'Hilfe',
    about: 'Über Kontor',
    hide: 'Kontor ausblenden',
    hideOthers: 'Andere ausblenden',
    unhide: 'Alle einblenden',
    services: 'Dienste',
  },
  dialog: {
    ok: 'OK',
    cancel: 'Abbrechen',
    databaseFilter: 'Kontor-Datenbank',
    allFilesFilter: 'Alle Dateien',
    backupTitle: 'Datenbank sichern',
    backupButton: 'Sichern',
    backupDefaultName: 'kontor-sicherung-{{date}}.sqlite',
    backupDone: 'Die Sicherung wurde unter {{file}} gespeichert.',
    backupFailed: 'Die Sicherung ist fehlgeschlagen',
    backupSameFile: 'Wählen Sie eine andere Datei als die von Kontor geöffnete Datenbank.',
    restoreTitle: 'Aus Sicherung wiederherstellen',
    restoreButton: 'Wiederherstellen',
    restoreConfirm: 'Alle aktuellen Daten durch diese Sicherung ersetzen?',
    restoreConfirmDetail:
      'Der gesamte Inhalt von Kontor wird durch die Sicherung {{file}} ersetzt. Die aktuelle Datenbank wird vorher als Kopie beiseitegelegt, es geht nichts verloren.',
    restoreDone: 'Die Sicherung wurde wiederhergestellt. Die bisherigen Daten liegen in {{file}}.',
    restoreFailed: 'Die Wiederherstellung ist fehlgeschlagen',
    openFailedTitle: 'Kontor kann seine Datenbank nicht öffnen',
    openFailedDetail: 'Datenbankdatei: {{file}}\nEs wurde nichts geändert oder gelöscht.',
    aboutDetail: 'Version {{version}}\nDatenbank: {{file}}',
    forbiddenSender: 'Diese Anfrage kam nicht aus dem Kontor-Fenster und wurde abgelehnt.',
  },
};

const catalogs: Record<Locale, DesktopStrings> = { en, fr, de };

/** Strings for an OS locale tag such as 'de-CH' (anything unknown → English). */
export function desktopStrings(localeTag: string | null | undefined): DesktopStrings {
  return catalogs[resolveLocale(localeTag)];
}

export function fill(template: string, params: Record<string, unknown>): string {
  return interpolate(template, params);
}
