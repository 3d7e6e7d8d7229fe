import { useSyncExternalStore } from 'react';

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

const KEY = 'kontor.theme';
const listeners = new Set<() => void>();

function read(): ThemePreference {
  const stored = localStorage.getItem(KEY);
  return (THEME_PREFERENCES as readonly string[]).includes(stored ?? '')
    ? (stored as ThemePreference)
    : 'system';
}

let current: ThemePreference = 'system';

/**
 * The palette lives in CSS: with no `data-theme` attribute, `prefers-color-scheme` decides
 * (so the system setting, and Electron's nativeTheme behind it, is followed live); an
 * override pins light or dark.
 */
export function applyTheme(preference: ThemePreference): void {
  const root = document.documentElement;
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
}

export function initTheme(): void {
  current = read();
  applyTheme(current);
}

export function setThemePreference(preference: ThemePreference): void {
  current = preference;
  if (preference === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, preference);
  applyTheme(preference);
  for (const listener of listeners) listener();
}

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
