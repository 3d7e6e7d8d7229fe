import type { Currency, OrganizationKind } from '#common/enums';
import { COUNTRY_CODES } from '#common/countries';
import { ApiCallError } from '../../api/client';
import type { Organization } from '../../api/types';
import { einvoiceFieldOf } from './EinvoiceFields';

/** The renewal-reminder lead times offered (an organization's own value is added when it differs). */
export const REMINDER_DAYS = [7, 14, 30, 45, 60];

function guessCountry(): string {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const region = tag.split('-')[1]?.toUpperCase();
    if (region && COUNTRY_CODES.includes(region)) return region;
  }
  return 'CH';
}

export const currencyFor = (country: string): Currency => (country === 'CH' || country === 'LI' ? 'CHF' : 'EUR');

/** What the organization form edits; the tax number is one field (UID or VAT by country). */
export interface OrganizationFormState {
  kind: OrganizationKind;
  name: string;
  country: string;
  currency: Currency;
  taxId: string;
  color: string | null;
  logo: string | null;
  reminderDays: string;
  invoiceCode: string;
}

/** The organization as the form shows it, or a new company in the browser's region. */
export function initialState(org: Organization | null): OrganizationFormState {
  if (org) {
    return {
      kind: org.kind,
      name: org.name,
      country: org.country,
      currency: org.currency,
      taxId: org.uid ?? org.vatNumber ?? '',
      color: org.color,
      logo: org.logo,
      reminderDays: org.renewalReminderDays ? String(org.renewalReminderDays) : '',
      invoiceCode: org.invoiceCode ?? '',
    };
  }
  const country = guessCountry();
  return {
    kind: 'company',
    name: '',
    country,
    currency: currencyFor(country),
    taxId: '',
    color: null,
    logo: null,
    reminderDays: '',
    invoiceCode: '',
  };
}

/**
 * The server's refusal laid on the fields it concerns: invalid_input issues by path, a tax-number
 * refusal on the tax field, an invoice-code refusal on the code, an e-invoice one on its field.
 */
export function fieldErrorsOf(serverError: ApiCallError | Error | null): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!(serverError instanceof ApiCallError)) return fields;
  const issues = serverError.params.issues;
  if (Array.isArray(issues)) {
    for (const issue of issues as { path?: string; message?: string }[]) {
      if (issue.path && issue.message) fields[issue.path] = issue.message;
    }
  }
  if (/^(vat_|uid_)/.test(serverError.code)) fields.taxId = serverError.message;
  if (serverError.code.startsWith('issuer_code_')) fields.invoiceCode = serverError.message;
  const einvoiceField = einvoiceFieldOf(serverError.code);
  if (einvoiceField) fields[einvoiceField] = serverError.message;
  return fields;
}
