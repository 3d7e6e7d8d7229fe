import type { ReactNode } from 'react';
import { I18nProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

/**
 * React Aria speaks its few words of its own (a hidden "Dismiss" in every popover and dialog,
 * "Clear search", list announcements) in the interface's language, not the browser's.
 */
export function AriaLocale({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <I18nProvider locale={i18n.language}>{children}</I18nProvider>;
}
