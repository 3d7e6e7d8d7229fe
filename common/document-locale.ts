// Which language a customer's documents are written in when nobody chose one: its own choice,
// else its country's language — in Switzerland its language region, read from the postcode
// (Zürich 8001 is German-speaking, Lausanne 1003 French) — else the firm's default.
import type { DocumentLocale } from './enums';

/**
 * Swiss postcodes of the French-speaking regions (Romandie, the Jura; Biel/Bienne, 25xx, is
 * counted German) and of Ticino with the Italian-speaking valleys of the Grisons (6500–6999).
 */
function swissRegion(postalCode: string | null | undefined): DocumentLocale | null {
  const code = Number((postalCode ?? '').trim().slice(0, 4));
  if (!Number.isInteger(code) || code < 1000 || code > 9999) return null;
  if (code < 2500 || (code >= 2600 && code < 3000)) return 'fr';
  if (code >= 6500 && code < 7000) return 'it';
  return 'de';
}

export function documentLocaleFor(
  customer: { country: string; documentLocale?: DocumentLocale | null },
  postalCode: string | null | undefined,
  firmDefault: DocumentLocale | null | undefined,
): DocumentLocale {
  if (customer.documentLocale) return customer.documentLocale;
  const { country } = customer;
  if (['FR', 'BE', 'LU', 'MC'].includes(country)) return 'fr';
  if (['DE', 'AT', 'LI'].includes(country)) return 'de';
  if (['IT', 'SM', 'VA'].includes(country)) return 'it';
  if (country === 'CH') return swissRegion(postalCode) ?? firmDefault ?? 'de';
  return firmDefault ?? 'en';
}
