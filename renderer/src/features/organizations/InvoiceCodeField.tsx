import { useTranslation } from 'react-i18next';
import { derivedIssuerCode, ISSUER_CODE_PATTERN } from '#common/invoice-numbering';
import { TextField } from '../../ui/Field';

/** What the person typed, as the store keeps it: trimmed, upper-case, empty meaning "derived". */
export const invoiceCodeInput = (typed: string): string | null => typed.trim().toUpperCase() || null;

/** The form's check (the store checks again, and alone knows which other issuer holds a code). */
export function invoiceCodeError(typed: string): 'invalid' | null {
  const code = invoiceCodeInput(typed);
  return code && !ISSUER_CODE_PATTERN.test(code) ? 'invalid' : null;
}

/**
 * The invoice code: the issuer's short code inside every number it issues
 * (INV-ACME-2026-…), so two issuers of one book never draw the same number. Left empty, the
 * organization numbers with a code derived from its id (shown as the placeholder). A new code
 * applies to the numbers issued from now on; numbers already issued keep theirs — issued
 * documents are never renumbered.
 */
export function InvoiceCodeField({
  organizationId,
  value,
  onChange,
  showError,
  serverError,
}: {
  organizationId: string | null;
  value: string;
  onChange: (value: string) => void;
  showError: boolean;
  serverError: string | undefined;
}) {
  const { t } = useTranslation();
  const local = invoiceCodeError(value);
  return (
    <TextField
      label={t('org.form.invoiceCode')}
      optional={t('common.optional')}
      value={value}
      onChange={(e) => onChange(e.target.value.toUpperCase())}
      placeholder={organizationId ? derivedIssuerCode(organizationId) : t('org.form.invoiceCodeAuto')}
      error={(showError && local ? t('org.form.invoiceCodeInvalid') : null) || serverError}
      hint={organizationId ? t('org.form.invoiceCodeKept') : t('org.form.invoiceCodeHint')}
      maxLength={6}
      spellCheck={false}
      autoComplete="off"
      testId="org-form-invoice-code"
    />
  );
}
