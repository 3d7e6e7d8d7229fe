import { checkTaxId, EU_VAT_COUNTRIES, type VatCheck } from '#common/vat';
import type { OrganizationKind } from '#common/enums';

export type TaxIdKind = 'vat' | 'uid' | null;

/** The seeds' rule, as the form applies it: Swiss companies carry a UID, EU companies may carry a VAT number, individuals none. */
export function taxIdKind(kind: OrganizationKind, country: string): TaxIdKind {
  if (kind !== 'company') return null;
  if (country === 'CH') return 'uid';
  if (EU_VAT_COUNTRIES.includes(country)) return 'vat';
  return null;
}

export function checkTaxNumber(value: string, country: string): VatCheck | null {
  return value.trim() ? checkTaxId(value, country) : null;
}
