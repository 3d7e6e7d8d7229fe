import i18n from 'i18next';
import { useSyncExternalStore } from 'react';
import { initReactI18next } from 'react-i18next';
import { setApiLocale } from '../api/client';
import { regionFor } from './regions';
import billingDe from './billing.de.json';
import billingEn from './billing.en.json';
import billingFr from './billing.fr.json';
import de from './de.json';
import dunningDe from './dunning.de.json';
import dunningEn from './dunning.en.json';
import dunningFr from './dunning.fr.json';
import en from './en.json';
import einvoiceDe from './einvoice.de.json';
import einvoiceEn from './einvoice.en.json';
import einvoiceFr from './einvoice.fr.json';
import fr from './fr.json';
import mailDe from './mail.de.json';
import mailEn from './mail.en.json';
import mailFr from './mail.fr.json';
import partnersDe from './partners.de.json';
import partnersEn from './partners.en.json';
import partnersFr from './partners.fr.json';

export const LANGUAGES = ['en', 'fr', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LanguagePreference = Language | 'system';

const KEY = 'kontor.language';

function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

export function systemLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function languagePreference(): LanguagePreference {
  const stored = localStorage.getItem(KEY);
  return isLanguage(stored) ? stored : 'system';
}

export function resolveLanguage(preference: LanguagePreference): Language {
  return preference === 'system' ? systemLanguage() : preference;
}

/** The locale Intl formats with (i18n/regions.ts: the chosen region, the browser's, or Swiss). */
export function intlLocale(language: string): string {
  return regionFor(language);
}

const listeners = new Set<() => void>();
let preference: LanguagePreference = 'system';

export function initI18n(): typeof i18n {
  preference = languagePreference();
  const language = resolveLanguage(preference);
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
    setApiLocale(lng, i18n.t('app.unreachable'));
  });
  void i18n.use(initReactI18next).init({
    // The partner program's, the e-invoices' and the billing cycle's strings live in their
    // own files, under `partners`, `einvoice` and `billing`.
    resources: {
      en: { translation: { ...en, partners: partnersEn, einvoice: einvoiceEn, billing: billingEn, mail: mailEn, dunning: dunningEn } },
      fr: { translation: { ...fr, partners: partnersFr, einvoice: einvoiceFr, billing: billingFr, mail: mailFr, dunning: dunningFr } },
      de: { translation: { ...de, partners: partnersDe, einvoice: einvoiceDe, billing: billingDe, mail: mailDe, dunning: dunningDe } },
    },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18n;
}

export function setLanguagePreference(next: LanguagePreference): void {
  preference = next;
  if (next === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, next);
  void i18n.changeLanguage(resolveLanguage(next));
  for (const listener of listeners) listener();
}

export function useLanguagePreference(): LanguagePreference {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => preference,
  );
}

export { i18n };
