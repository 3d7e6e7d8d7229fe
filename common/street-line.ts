// Structured street addresses (Swiss QR-bill v2.3: type S only, street and building number in
// their own fields; EN 16931 BT-35/BT-50 take the printed line). The store keeps the street
// and the building number; the printed line is composed from them in the country's order.
//
// The rule below is also written in SQL in migration 0010 (which split the one-line streets
// already in the store): test/unit/street-line.test.ts runs both on the same corpus.

/** Countries that print the building number before the street ("12 rue de la Paix"). */
const NUMBER_FIRST = new Set(['FR', 'BE', 'LU', 'MC', 'GB', 'IE', 'US', 'CA', 'AU', 'NZ']);

/** A building number: starts with a digit, letters, digits, '/' and '-' only (12, 12a, 12bis, 3/5, 4-6). */
const BUILDING_NUMBER = /^[0-9][0-9A-Za-z/-]{0,15}$/;
// A street part with a digit, a comma or a slash is more than a street (c/o, P.O. box, two numbers).
const NOT_A_STREET = /[0-9,/]/;

export interface StreetParts {
  street: string;
  buildingNumber: string | null;
}

/**
 * Splits a one-line street when it is unambiguous: a number at the end ("Bahnhofstrasse 12")
 * or at the start ("12, rue de la Paix"), the rest without digits; a line without any digit
 * (comma or slash) is a street without a building number. Anything else (a P.O. box, "c/o", two numbers) is null:
 * a person has to say which part is which.
 */
export function splitStreetLine(line: string): StreetParts | null {
  const s = line.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  if (!NOT_A_STREET.test(s)) return { street: s, buildingNumber: null };
  const lastSpace = s.lastIndexOf(' ');
  if (lastSpace > 0) {
    const head = s.slice(0, lastSpace).replace(/,$/, '').trim();
    const tail = s.slice(lastSpace + 1);
    if (BUILDING_NUMBER.test(tail) && head && !NOT_A_STREET.test(head))
      return { street: head, buildingNumber: tail };
  }
  const firstSpace = s.indexOf(' ');
  if (firstSpace > 0) {
    const head = s.slice(0, firstSpace).replace(/,$/, '');
    const rest = s.slice(firstSpace + 1).trim();
    if (BUILDING_NUMBER.test(head) && rest && !NOT_A_STREET.test(rest))
      return { street: rest, buildingNumber: head };
  }
  return null;
}

/** The printed street line of a structured address. */
export function composeStreetLine(
  street: string,
  buildingNumber: string | null | undefined,
  country: string,
): string {
  const number = buildingNumber?.trim();
  if (!number) return street.trim();
  return NUMBER_FIRST.has(country.toUpperCase())
    ? `${number} ${street.trim()}`
    : `${street.trim()} ${number}`;
}
