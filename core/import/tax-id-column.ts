// One column holding both kinds of tax number ("MWST-Nr", "VAT/UID"): a Swiss firm's customer
// list mixes Swiss UIDs (CHE-123.456.789, with or without MWST/TVA/IVA) and EU VAT numbers
// (DE136695976, FR40303265045) in one column. Each value is recognized by its form — the CHE
// prefix, or an EU country prefix — and only a bare number falls back on the row's country.
// The number itself is then checked by the same rules as a typed one (organizations.service).
import { EU_VAT_COUNTRIES } from '#common/vat';
import { fail } from '#common/errors';

export type TaxIdField = 'uid' | 'vatNumber';

/** The number without spaces, dots, dashes or slashes, in capitals: how two spellings are compared. */
const compactOf = (value: string): string => value.replace(/[\s./-]/g, '').toUpperCase();

/** Which field a value of the mixed column belongs to, from its form; null when the form does not say. */
export function taxIdFieldOf(value: string, country: string): TaxIdField | null {
  const compact = compactOf(value);
  if (/^CHE\d/.test(compact)) return 'uid';
  const prefix = compact.slice(0, 2);
  // Greece writes EL in VAT numbers; Northern Ireland XI.
  if (/^[A-Z]{2}/.test(prefix) && (EU_VAT_COUNTRIES.includes(prefix) || prefix === 'EL' || prefix === 'XI'))
    return 'vatNumber';
  if (/^\d/.test(compact))
    return country === 'CH' ? 'uid' : EU_VAT_COUNTRIES.includes(country) ? 'vatNumber' : null;
  return null;
}

/**
 * The row's VAT number and UID once the mixed column's value went where its form says. A value
 * the form does not place is refused with what it looks for; one that lands on a field the file
 * already fills with another number is refused too (nothing is dropped without a word).
 */
export function placeTaxId(
  mixed: string | null,
  country: string,
  given: { vatNumber: string | null; uid: string | null },
): { vatNumber: string | null; uid: string | null } {
  if (!mixed) return given;
  const field = taxIdFieldOf(mixed, country);
  if (!field) fail('import_tax_id_form', { number: mixed });
  const present = given[field];
  if (present && compactOf(present) !== compactOf(mixed))
    fail('import_tax_id_twice', { number: mixed, other: present });
  return { ...given, [field]: mixed };
}
