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
// The billing run (core/services/billing): a year-overdue product gets every missed period as
// its own line ('each') or one catch-up line for all of them ('single'); never silence.
export const CATCH_UP_MODES = ['each', 'single'] as const;
// What pays a renewal at issue: the prepaid balance first when it covers it (the seeds'
// default payment profile), or always an invoice to pay.
export const PAYMENT_PROFILES = ['prepaid_first', 'invoice_only'] as const;
export const RENEWAL_ORIGINS = ['renewal', 'order'] as const;
export const MONEY_CASES = ['cashback', 'discount', 'none'] as const;

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export type Currency = (typeof CURRENCIES)[number];
export type Role = (typeof ROLES)[number];
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export type CatchUpMode = (typeof CATCH_UP_MODES)[number];
export type PaymentProfile = (typeof PAYMENT_PROFILES)[number];
export type RenewalOrigin = (typeof RENEWAL_ORIGINS)[number];

export const INVOICE_KINDS = ['invoice', 'pro_forma', 'credit_note'] as const;
// Forward-only: draft → unpaid → partially_paid → paid → refunded; unpaid/partially_paid →
// cancelled (only through a credit note once issued).
export const INVOICE_STATUSES = [
  'draft',
  'unpaid',
  'partially_paid',
  'paid',
  'refunded',
  'cancelled',
] as const;
export const PAYMENT_METHODS = ['prepaid', 'card', 'bank_transfer', 'paypal', 'standing_order'] as const;
export const LEDGER_ENTRY_KINDS = [
  'top_up',
  'invoice_payment',
  'withdrawal',
  'cashback',
  'deposit',
  'reversal',
] as const;
// What a payment is: applied to its invoice; deposited to the payer's prepaid account (it did
// not match the invoice); or the reminder fees of its invoice paid — the firm's fee income,
// owed beside the invoice and never the customer's prepaid money (billing/reminder-fees.ts).
export const PAYMENT_OUTCOMES = ['applied', 'deposited', 'fee'] as const;
export const REFERENCE_TYPES = ['QRR', 'SCOR', 'NON'] as const;
// Italian documents for Ticino and Italy (issue 14); the interface itself speaks en, fr and de.
export const DOCUMENT_LOCALES = ['en', 'fr', 'de', 'it'] as const;

export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];
export type ReferenceType = (typeof REFERENCE_TYPES)[number];
export type DocumentLocale = (typeof DOCUMENT_LOCALES)[number];

// E-invoicing (EN 16931). The codes are the standard's own, so they go into the XML as stored.
/** France's mandatory mention (and EXTENDED-CTC-FR): what the invoice is for. */
export const OPERATION_CATEGORIES = ['goods', 'services', 'mixed'] as const;
/** UNTDID 4461 payment means: 58 SEPA credit transfer, 30 credit transfer, 48 card, 49 direct debit. */
export const PAYMENT_MEANS_CODES = ['58', '30', '48', '49'] as const;
/** UNCL 5305 VAT categories EN 16931 accepts: standard, zero, exempt, reverse charge, intra-EU, export, outside scope. */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
/** UN/ECE Recommendation 20 units Kontor bills in: one, day, month, quarter, year, hour. */
export const UNIT_CODES = ['C62', 'DAY', 'MON', 'QAN', 'ANN', 'HUR'] as const;
/**
 * What a customer receives: a Factur-X PDF (CII inside), CII or UBL (Peppol BIS Billing 3.0)
 * files, XRechnung (UBL, for German public buyers) or a plain PDF (with a QR-bill in Switzerland).
 */
export const EINVOICE_FORMATS = ['factur_x', 'cii', 'ubl', 'xrechnung', 'pdf'] as const;

export type OperationCategory = (typeof OPERATION_CATEGORIES)[number];
export type PaymentMeansCode = (typeof PAYMENT_MEANS_CODES)[number];
export type VatCategory = (typeof VAT_CATEGORIES)[number];
export type UnitCode = (typeof UNIT_CODES)[number];
export type EinvoiceFormat = (typeof EINVOICE_FORMATS)[number];

// E-mail (core/services/mail): what a message carries, how it travels, where it stands.
/** The documents Kontor sends by e-mail; each has its template per document language. */
export const MAIL_DOCUMENT_KINDS = ['invoice', 'credit_note', 'reminder', 'statement'] as const;
/** queued: waits for its (next) attempt; sent: the server accepted it; failed: refused, not retried. */
export const MAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
/** tls: TLS from the first byte (port 465); starttls: upgraded, required (587); none: plain (a relay on this machine). */
export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
export type MailDocumentKind = (typeof MAIL_DOCUMENT_KINDS)[number];
export type MailStatus = (typeof MAIL_STATUSES)[number];
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];
