// The e-invoice part of the organization form: SIREN/SIRET (France), Leitweg-ID (German public
// buyers), Peppol id, the QR-bill short name and what its invoices are sent as. The server
// checks every identifier with its check digits; its refusal shows under the field.

import { useTranslation } from 'react-i18next';
import {
  EINVOICE_FORMATS,
  type EinvoiceFormat,
  OPERATION_CATEGORIES,
  type OperationCategory,
  PAYMENT_MEANS_CODES,
  type PaymentMeansCode,
} from '#common/enums';
import { storedTexts, textFields } from '../../lib/form-text';
import { Checkbox, SelectField, TextField } from '../../ui/Field';

/** The identifiers the form edits as plain text (each optional, stored as null when empty). */
const TEXT_KEYS = ['siren', 'siret', 'leitwegId', 'peppolId', 'shortName', 'bic', 'qrIban'] as const;
type TextKey = (typeof TEXT_KEYS)[number];

export interface EinvoiceState extends Record<TextKey, string> {
  einvoiceFormat: '' | EinvoiceFormat;
  operationCategory: OperationCategory;
  paymentMeansCode: '' | PaymentMeansCode;
  vatOnDebits: boolean;
}

interface StoredEinvoice extends Partial<Record<TextKey, string | null>> {
  einvoiceFormat?: EinvoiceFormat | null;
  operationCategory?: OperationCategory;
  paymentMeansCode?: PaymentMeansCode | null;
  vatOnDebits?: boolean;
}

export function initialEinvoice(org: StoredEinvoice | null): EinvoiceState {
  return {
    ...textFields(org, TEXT_KEYS),
    einvoiceFormat: org?.einvoiceFormat ?? '',
    operationCategory: org?.operationCategory ?? 'services',
    paymentMeansCode: org?.paymentMeansCode ?? '',
    vatOnDebits: org?.vatOnDebits ?? false,
  };
}

/** What the form sends: empty fields clear, French ids only for France. */
export function einvoiceInput(state: EinvoiceState, country: string) {
  const texts = storedTexts(state, TEXT_KEYS);
  return {
    ...texts,
    siren: country === 'FR' ? texts.siren : null,
    siret: country === 'FR' ? texts.siret : null,
    einvoiceFormat: state.einvoiceFormat || null,
    operationCategory: state.operationCategory,
    paymentMeansCode: state.paymentMeansCode || null,
    vatOnDebits: state.vatOnDebits,
  };
}

/** Which field a server refusal belongs to. */
export function einvoiceFieldOf(code: string): keyof EinvoiceState | null {
  if (/^(siren_|french_ids)/.test(code)) return 'siren';
  if (/^siret_/.test(code)) return 'siret';
  if (code.startsWith('leitweg_')) return 'leitwegId';
  if (code.startsWith('peppol_')) return 'peppolId';
  if (code === 'bic_invalid') return 'bic';
  if (code === 'qr_iban_invalid') return 'qrIban';
  return null;
}

export function EinvoiceFields({
  state,
  country,
  errors,
  onChange,
}: {
  state: EinvoiceState;
  country: string;
  errors: Partial<Record<keyof EinvoiceState, string>>;
  onChange: (next: EinvoiceState) => void;
}) {
  const { t } = useTranslation();
  const field = (key: TextKey, placeholder?: string) => (
    <TextField
      label={t(`org.form.einvoice.${key}`)}
      optional={t('common.optional')}
      value={state[key]}
      onChange={(e) => onChange({ ...state, [key]: e.target.value })}
      placeholder={placeholder}
      error={errors[key]}
      testId={`org-form-${key}`}
      spellCheck={false}
      autoComplete="off"
    />
  );
  return (
    <>
      {country === 'FR' && field('siren', '732 829 320')}
      {country === 'FR' && field('siret', '732 829 320 00074')}
      {country === 'DE' && field('leitwegId', '04011000-12345-34')}
      {field('peppolId', '0208:0123456789')}
      {field('shortName')}
      <SelectField
        label={t('org.form.einvoice.format')}
        value={state.einvoiceFormat}
        onChange={(e) =>
          onChange({ ...state, einvoiceFormat: e.target.value as EinvoiceState['einvoiceFormat'] })
        }
        options={[
          { value: '', label: t('org.form.einvoice.formatDefault') },
          ...EINVOICE_FORMATS.map((f) => ({ value: f, label: t(`org.form.einvoice.formats.${f}`) })),
        ]}
        testId="org-form-einvoice-format"
      />
      {field('bic', 'POFICHBEXXX')}
      {country === 'CH' || country === 'LI' ? field('qrIban', 'CH44 3199 9123 0008 8901 2') : null}
      <SelectField
        label={t('org.form.einvoice.operationCategory')}
        value={state.operationCategory}
        onChange={(e) => onChange({ ...state, operationCategory: e.target.value as OperationCategory })}
        options={OPERATION_CATEGORIES.map((c) => ({
          value: c,
          label: t(`org.form.einvoice.operations.${c}`),
        }))}
        testId="org-form-operation-category"
      />
      <SelectField
        label={t('org.form.einvoice.paymentMeans')}
        value={state.paymentMeansCode}
        onChange={(e) =>
          onChange({ ...state, paymentMeansCode: e.target.value as EinvoiceState['paymentMeansCode'] })
        }
        options={[
          { value: '', label: t('org.form.einvoice.paymentMeansDefault') },
          ...PAYMENT_MEANS_CODES.map((c) => ({ value: c, label: t(`org.form.einvoice.means.m${c}`) })),
        ]}
        testId="org-form-payment-means"
      />
      {country === 'FR' && (
        <Checkbox
          label={t('org.form.einvoice.vatOnDebits')}
          checked={state.vatOnDebits}
          onChange={(e) => onChange({ ...state, vatOnDebits: e.target.checked })}
          testId="org-form-vat-on-debits"
        />
      )}
    </>
  );
}
