import { describe, expect, it } from 'vitest';
import { isMoneyParam, moneyParam } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { formatRegion } from '#common/locale-format';

// Amounts in refusals travel as numbers and are written as the reader's region writes money.
// Before, services wrote "2468.80 CHF" into the message whatever the reader's language.

const nb = '\u00a0';
const refusal = { balance: moneyParam(246_880, 'CHF'), amount: moneyParam(1, 'EUR') };

describe('amounts in error messages', () => {
  it('writes them as the language is written in Switzerland when the tag names no region', () => {
    expect(translateError('prepaid_insufficient_balance', refusal, 'en')).toBe(
      `The prepaid account holds CHF${nb}2'468.80; €0.01 cannot be debited. Nothing was written.`,
    );
    expect(translateError('prepaid_insufficient_balance', refusal, 'fr')).toBe(
      `Le compte prépayé contient 2${nb}468.80${nb}CHF ; 0.01${nb}€ ne peut pas être débité. Rien n’a été enregistré.`,
    );
  });

  it("writes them in the tag's region where Kontor knows it", () => {
    expect(translateError('prepaid_insufficient_balance', refusal, 'de-DE')).toBe(
      `Das Guthabenkonto enthält 2.468,80${nb}CHF; 0,01${nb}€ kann nicht belastet werden. Es wurde nichts gebucht.`,
    );
  });

  it('takes a region apart from the language (a French screen set to German-Swiss numbers)', () => {
    const words = translateError(
      'payment_exceeds_due',
      { amount: moneyParam(5811, 'CHF'), due: moneyParam(5810, 'CHF'), number: 'R-1' },
      'fr',
      'de-CH',
    );
    expect(words).toBe(`CHF${nb}58.11 dépasse les CHF${nb}58.10 encore dus sur la facture R-1.`);
  });

  it('maps tags to the regions amounts are written in', () => {
    expect(formatRegion('de')).toBe('de-CH');
    expect(formatRegion('fr_fr')).toBe('fr-FR');
    expect(formatRegion('fr-CA')).toBe('fr-CH');
    expect(formatRegion('ja')).toBe('en-CH');
  });

  it('only takes a whole amount with a currency for an amount', () => {
    expect(isMoneyParam(moneyParam(1, 'CHF'))).toBe(true);
    expect(isMoneyParam({ amountMinor: 1.5, currency: 'CHF' })).toBe(false);
    expect(isMoneyParam({ amountMinor: 1 })).toBe(false);
    expect(isMoneyParam([1, 'CHF'])).toBe(false);
    expect(isMoneyParam('1.00 CHF')).toBe(false);
  });
});
