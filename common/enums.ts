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

export const INVOICE_KINDS = ['invoice', 'pro_forma', 'credit_note'] as const;
// Forward-only: draft → unpaid → partially_paid → paid → refunded; unpaid/partially_paid →
// cancelled (only through a credit note once issued).
export const INVOICE_STATUSES = ['draft', 'unpaid', 'partially_paid', 'paid', 'refunded', 'cancelled'] as const;
export const PAYMENT_METHODS = ['prepaid', 'card', 'bank_transfer', 'paypal', 'standing_order'] as const;
export const LEDGER_ENTRY_KINDS = ['top_up', 'invoice_payment', 'withdrawal', 'cashback', 'deposit', 'reversal'] as const;
export const REFERENCE_TYPES = ['QRR', 'SCOR', 'NON'] as const;
export const DOCUMENT_LOCALES = ['en', 'fr', 'de'] as const;

export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];
export type ReferenceType = (typeof REFERENCE_TYPES)[number];
export type DocumentLocale = (typeof DOCUMENT_LOCALES)[number];
