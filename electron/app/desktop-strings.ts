// The desktop shell's words for the OS language (the catalogs are in common/i18n/desktop.ts).
import { desktopDialogs, desktopMenu } from '#common/i18n/desktop';
import { resolveLocale } from '#common/i18n/locale';

export type MenuLabels = (typeof desktopMenu)['en'];
export type DialogStrings = (typeof desktopDialogs)['en'];

export interface DesktopStrings {
  menu: MenuLabels;
  dialog: DialogStrings;
}

/** Strings for an OS locale tag such as 'de-CH' (anything unknown → English). */
export function desktopStrings(localeTag: string | null | undefined): DesktopStrings {
  const locale = resolveLocale(localeTag);
  return { menu: desktopMenu[locale], dialog: desktopDialogs[locale] };
}
