import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { countryName } from '#common/countries';
import { formatNumber } from '#common/locale-format';
import { formatMoney } from '#common/money';
import { intlLocale } from './index';
import { useFormatPreference } from './regions';

export interface Formatters {
  locale: string;
  /** A calendar day (yyyy-mm-dd): formatted in UTC so it never shifts by a time zone. */
  date(iso: string | null | undefined): string;
  /** An instant (ISO timestamp) in the person's own time zone. */
  dateTime(iso: string | null | undefined): string;
  money(amountMinor: number, currency: Currency): string;
  number(value: number): string;
  country(code: string): string;
}

export function makeFormatters(locale: string): Formatters {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    date: (iso) => {
      if (!iso) return '';
      const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
    },
    dateTime: (iso) => {
      if (!iso) return '';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
    },
    money: (amountMinor, currency) => formatMoney(amountMinor, currency, locale),
    number: (value) => formatNumber(value, locale),
    country: (code) => countryName(code, locale),
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  // Re-read when the person picks another region in Settings.
  useFormatPreference();
  const locale = intlLocale(i18n.language);
  return useMemo(() => makeFormatters(locale), [locale]);
}
