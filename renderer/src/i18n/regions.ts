// How amounts and dates are written on screen: the person's region, chosen in Settings or
// taken from the browser — the Swiss and European conventions Kontor's users work in.
import { useSyncExternalStore } from 'react';
import { FORMAT_REGIONS, type FormatRegion } from '#common/locale-format';

export { FORMAT_REGIONS, type FormatRegion };
export type FormatPreference = FormatRegion | 'auto';

const KEY = 'kontor.formats';
const listeners = new Set<() => void>();

function isRegion(value: string | null): value is FormatRegion {
  return (FORMAT_REGIONS as readonly string[]).includes(value ?? '');
}

let preference: FormatPreference = (() => {
  try {
    const stored = localStorage.getItem(KEY);
    return isRegion(stored) ? stored : 'auto';
  } catch {
    return 'auto';
  }
})();

export function formatPreference(): FormatPreference {
  return preference;
}

export function setFormatPreference(next: FormatPreference): void {
  preference = next;
  if (next === 'auto') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, next);
  for (const listener of listeners) listener();
}

export function useFormatPreference(): FormatPreference {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => preference,
  );
}

/**
 * The locale Intl formats with: the region chosen in Settings; else the browser's own variant of
 * the interface language when Kontor knows it (de-CH, fr-BE…); else the language as written in
 * Switzerland, where Kontor's books are kept (CHF 1'800.00, 07.12.2026).
 */
export function regionFor(language: string, chosen: FormatPreference = preference): string {
  if (chosen !== 'auto') return chosen;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const [base, region] = tag.split('-');
    const candidate = `${base?.toLowerCase()}-${region?.toUpperCase()}`;
    if (base?.toLowerCase() === language && isRegion(candidate)) return candidate;
  }
  return isRegion(`${language}-CH`) ? `${language}-CH` : language;
}
