// The closed vocabularies of the store. No imports: the zod schemas and the renderer read
// them too, so a value added here reaches the database, the API and the screens at once.
export const ORGANIZATION_KINDS = ['company', 'individual'] as const;
export const CURRENCIES = ['CHF', 'EUR'] as const;
export const ROLES = ['legal_representative', 'administrator', 'accountant', 'member'] as const;
export const PRODUCT_KINDS = [
  'web_hosting',
  'mail_hosting',
  'domain',
  'drive',
  'cloud_server',
  'streaming',
  'ticketing',
  'other',
] as const;
export const BILLING_FREQUENCIES = ['monthly', 'quarterly', 'annual'] as const;
export const PRODUCT_STATUSES = ['active', 'expired', 'cancelled'] as const;

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export type Currency = (typeof CURRENCIES)[number];
export type Role = (typeof ROLES)[number];
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
