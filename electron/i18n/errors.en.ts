import type { ErrorCode } from '../domain/errors';

export const errorsEn: Record<ErrorCode, string> = {
  invalid_input: 'Please check what you entered: {{details}}',
  internal: 'Something went wrong inside Kontor. Nothing was changed. Please try again.',
  unknown_method: 'Kontor does not know the action “{{method}}”.',
  not_found: 'That item no longer exists.',
  database_too_new:
    'This database was made by a newer version of Kontor (schema {{version}}, this version knows {{supported}}). Update Kontor to open it; the file was not changed.',
  database_corrupt: 'The database file {{file}} is damaged. Restore it from a backup.',
  migration_foreign_keys:
    'Updating the database would break {{count}} links between records, so the update was undone. The file is unchanged.',
  backup_not_found: 'No backup file at {{file}}.',
  backup_unreadable: 'The file {{file}} is not a database Kontor can read.',
  backup_corrupt: 'The backup {{file}} is damaged and was not restored.',
  backup_not_kontor: 'The file {{file}} is not a Kontor backup.',
  organization_not_found: 'That organization does not exist (any more).',
  person_not_found: 'That person does not exist (any more).',
  product_not_found: 'That product does not exist (any more).',
  tag_not_found: 'That tag does not exist (any more).',
  team_not_found: 'That work team does not exist (any more).',
  address_not_found: 'That billing address does not exist (any more).',
  membership_not_found: 'That person is not a member of this organization.',
  vat_invalid: 'The VAT number {{number}} is not valid: {{reason}}.',
  vat_not_for_country:
    'Only companies in the European Union carry an EU VAT number; a company in {{country}} cannot have one.',
  uid_invalid: 'The Swiss UID {{number}} is not valid: {{reason}}. It looks like CHE-123.456.789.',
  uid_only_swiss_companies: 'Only Swiss companies have a UID (CHE-…).',
  vat_only_companies: 'Only companies carry a VAT number or UID; an individual has none.',
  email_taken: 'Someone already uses the e-mail address {{email}}.',
  tag_name_taken: 'A tag named “{{existing}}” already exists in this organization.',
  last_legal_representative:
    'An organization must keep at least one legal representative. Appoint another one first.',
  already_member: '{{name}} is already a member of this organization.',
  team_member_not_in_organization: 'Team members must be members of the organization first.',
  product_wrong_organization: 'That product belongs to another organization.',
  address_wrong_organization: 'That billing address belongs to another organization.',
  default_address_required: 'Choose another default billing address before deleting this one.',
  currency_mismatch:
    'This organization already has products priced in {{from}}; its currency cannot change to {{to}}.',
  no_acting_person: 'Choose who you are acting as first.',
  frequency_change_rebills:
    'Switching to monthly billing now would bill the {{remainingMonths}} remaining month(s) of the current term again. It is safe from {{safeFrom}} (the term ends on {{termEndsOn}}). Confirm to switch anyway.',
  organization_has_products: 'Delete or move this organization’s products first.',
  conflict: 'This change conflicts with existing data ({{detail}}). Nothing was saved.',
  busy: 'The database is busy with another task. Try again in a moment.',
  invoice_not_found: 'That invoice does not exist (any more).',
  invoice_not_draft:
    'Invoice {{number}} is already issued and can no longer be edited. To correct it, create a credit note.',
  invoice_issued_immutable:
    'An issued invoice cannot be changed or deleted. To correct it, create a credit note.',
  invoice_status_backwards: 'An invoice status only moves forward (draft → unpaid → paid).',
  invoice_empty: 'Add at least one line before issuing.',
  invoice_not_payable: 'Invoice {{number}} cannot take payments (it is {{status}}).',
  invoice_wrong_organization: 'That invoice belongs to another organization.',
  vat_rate_not_allowed: 'A VAT rate of {{rate}} is not possible on this invoice (allowed: {{allowed}}).',
  issuer_missing: 'Choose which organization issues invoices (Settings → Issuer) first.',
  issuer_iban_invalid: 'The issuer’s IBAN {{iban}} is not valid.',
  billing_address_missing: '{{name}} has no billing address yet. Add one first.',
  money_record_immutable:
    'Payments and prepaid-account entries are never changed or deleted; record a reversing entry instead.',
  prepaid_insufficient_balance:
    'The prepaid account holds {{balance}}; {{amount}} cannot be debited. Nothing was written.',
  pro_forma_only: 'Only a pro forma can be turned into an invoice.',
  credit_note_exceeds_invoice:
    'A credit note cannot exceed what remains of invoice {{number}} ({{remaining}}).',
  credit_note_of_credit_note: 'A credit note corrects an invoice, not another credit note.',
  payment_exceeds_due: '{{amount}} is more than the {{due}} still due on invoice {{number}}.',
  backup_onto_database:
    'A backup cannot be written over the open database itself ({{file}}). Choose another file.',
  qr_bill_invalid: 'The Swiss QR-bill cannot be made: {{detail}} ({{field}}).',
  import_date_format_needed: `The file's dates could be read several ways ({{candidates}}): choose the date format.`,
  import_number_exists: `Invoice number {{number}} already exists; it is not imported again.`,
  pro_forma_closed: `Pro forma {{number}} is already converted or closed; it cannot be invoiced again.`,
  credit_note_of_pro_forma: `A pro forma has no fiscal value and needs no credit note: just do not convert it.`,
  import_decimal_needed: `The file's amounts could use either decimal mark ({{candidates}}): choose one.`,
};

export const vatReasonsEn: Record<string, string> = {
  empty: 'it is empty',
  unknown_country: 'the country prefix is unknown',
  bad_format: 'its format does not match the country',
  bad_checksum: 'its check digit is wrong (a typo?)',
  not_eu: 'it is not an EU VAT number',
};
