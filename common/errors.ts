// Every failure a user can act on is a code with parameters; each door translates it.
// The union keeps the catalogue of messages and the codes in step at compile time.
import { REJECT_REASONS } from './sync/protocol';

export const ERROR_CODES = [
  'invalid_input',
  'internal',
  'unknown_method',
  'method_kind',
  'disk_full',
  'cancelled',
  'not_found',
  'database_too_new',
  'database_corrupt',
  'migration_foreign_keys',
  'backup_not_found',
  'backup_unreadable',
  'backup_corrupt',
  'backup_not_kontor',
  'backup_onto_database',
  'organization_not_found',
  'person_not_found',
  'product_not_found',
  'tag_not_found',
  'team_not_found',
  'address_not_found',
  'membership_not_found',
  'vat_invalid',
  'vat_not_for_country',
  'uid_invalid',
  'uid_only_swiss_companies',
  'vat_only_companies',
  'email_taken',
  'tag_name_taken',
  'last_legal_representative',
  'already_member',
  'team_member_not_in_organization',
  'product_wrong_organization',
  'address_wrong_organization',
  'default_address_required',
  'currency_mismatch',
  'no_acting_person',
  'frequency_change_rebills',
  'organization_has_products',
  'conflict',
  'invoice_not_found',
  'invoice_number_taken',
  'invoice_number_ambiguous',
  'issuer_code_invalid',
  'issuer_code_taken',
  'invoice_not_draft',
  'invoice_empty',
  'invoice_not_payable',
  'invoice_wrong_organization',
  'vat_rate_not_allowed',
  'issuer_missing',
  'reminder_not_found',
  'reminder_levels_order',
  'issuer_iban_invalid',
  'billing_address_missing',
  'money_record_immutable',
  'prepaid_insufficient_balance',
  'pro_forma_only',
  'credit_note_exceeds_invoice',
  'credit_note_of_credit_note',
  'payment_exceeds_due',
  'qr_bill_invalid',
  'import_date_format_needed',
  'import_number_exists',
  'import_status_mismatch',
  'import_decimal_needed',
  'import_not_text',
  'import_empty',
  'import_header_only',
  'import_header_repeated',
  'import_delimiter_wrong',
  'import_organization_unknown',
  'import_tax_id_exists',
  'import_tax_id_form',
  'import_tax_id_twice',
  'import_totals_mismatch',
  'import_negative_amount',
  'import_currency_mismatch',
  'import_vat_rate_not_allowed',
  'import_corrected_unknown',
  'export_path_invalid',
  'pro_forma_closed',
  'credit_note_of_pro_forma',
  'busy',
  'partnership_not_found',
  'partner_not_legal_representative',
  'partner_not_administrator',
  'partnership_self',
  'partnership_already_open',
  'partner_complete_taken',
  'partner_product_taken',
  'partnership_closed',
  'partnership_not_pending',
  'partnership_not_active',
  'partnership_wrong_side',
  'partnership_confirm_required',
  'partner_payment_complete_only',
  'partner_payment_required',
  'partner_limited_only',
  'partner_cannot_order',
  'partner_invitee_unknown',
  'partner_invitee_ambiguous',
  'partner_payment_mismatch',
  'price_unknown',
  'partner_no_cashback',
  'not_visible',
  'not_managed_client',
  'export_csv_one_history',
  'export_period_invalid',
  'cli_option_missing',
  'cli_option_invalid',
  'cli_amount_invalid',
  'cli_percent_invalid',
  'acting_not_member',
  'device_revoked',
  'sync_hub_unreachable',
  'sync_hub_busy',
  'sync_unauthorized',
  'sync_clock_ahead',
  'sync_schema_newer',
  'sync_not_configured',
  'sync_device_changed',
  'sync_failed',
  'sync_cancelled',
  'sync_enroll_refused',
  'sync_changes_deferred',
  'sync_deferred_full',
  'sync_rejection_not_found',
  'sync_hub_url_invalid',
  // The hub's reasons for refusing one change, shown on the Sync page and refused by the device
  // before writing (the authority model): declared once, in the wire contract.
  ...REJECT_REASONS,
  // E-invoicing (EN 16931, Factur-X, Peppol, XRechnung) and the Swiss QR-bill v2.3.
  // Bank statements (camt.053 / camt.054): refused whole.
  'statement_too_large',
  'statement_malformed',
  'statement_hostile',
  'statement_unknown',
  'statement_entry_not_found',
  'siren_invalid',
  'siret_invalid',
  'siret_not_of_siren',
  'french_ids_only_fr',
  'leitweg_invalid',
  'peppol_id_invalid',
  'bic_invalid',
  'qr_iban_invalid',
  'vat_category_invalid',
  'einvoice_not_ready',
  'einvoice_not_available',
  'demo_not_empty',
  'pack_only_drafts',
  'einvoice_too_large',
  'einvoice_hostile',
  'einvoice_malformed',
  'einvoice_unknown_syntax',
  'einvoice_pdf_without_xml',
  'einvoice_rules_failed',
  'einvoice_currency_unsupported',
  'received_duplicate',
  'received_no_organization',
  'received_buyer_mismatch',
  'received_not_found',
  'mail_not_configured',
  'mail_address_invalid',
  'mail_no_recipient',
  'mail_draft',
  'mail_template_placeholder',
  'mail_password_in_environment',
  'mail_keychain_unavailable',
  'mail_message_not_found',
  'mail_auth_failed',
  'mail_tls_failed',
  'mail_certificate_untrusted',
  'mail_recipient_refused',
  'mail_rejected',
  'mail_deferred',
  'mail_server_unreachable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
/**
 * An amount in a refusal. It travels as a number with its currency and becomes text only where
 * the message is translated, in the reader's region (CHF 2’468.80, 2 468,80 CHF, 2.468,80 €):
 * a service knows the reader's language at best, never how they write numbers.
 */
export interface MoneyParam {
  readonly amountMinor: number;
  readonly currency: string;
}

export const moneyParam = (amountMinor: number, currency: string): MoneyParam => ({ amountMinor, currency });

export function isMoneyParam(value: unknown): value is MoneyParam {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const m = value as Partial<MoneyParam>;
  return Number.isSafeInteger(m.amountMinor) && typeof m.currency === 'string';
}

export type ErrorParams = Record<
  string,
  string | number | boolean | null | undefined | MoneyParam | readonly unknown[]
>;

export class KontorError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
  ) {
    super(code);
    this.name = 'KontorError';
  }
}

export function fail(code: ErrorCode, params: ErrorParams = {}): never {
  throw new KontorError(code, params);
}
