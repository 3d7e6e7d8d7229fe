// Every failure a user can act on is a code with parameters; each door translates it.
// The union keeps the catalogue of messages and the codes in step at compile time.
export const ERROR_CODES = [
  'invalid_input',
  'internal',
  'unknown_method',
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
  'invoice_not_draft',
  'invoice_issued_immutable',
  'invoice_status_backwards',
  'invoice_empty',
  'invoice_not_payable',
  'invoice_wrong_organization',
  'vat_rate_not_allowed',
  'issuer_missing',
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
  'import_decimal_needed',
  'pro_forma_closed',
  'credit_note_of_pro_forma',
  'busy',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type ErrorParams = Record<string, string | number | boolean | null | undefined | readonly unknown[]>;

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
