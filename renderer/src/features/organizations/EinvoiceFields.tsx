// The e-invoice part of the organization form: SIREN/SIRET (France), Leitweg-ID (German public
// buyers), Peppol id, the QR-bill short name and what its invoices are sent as. The server
// checks every identifier with its check digits; its refusal shows under the field.
import { useTranslation } from 'react-i18next';
import { EINVOICE_FORMATS, type EinvoiceFormat } from '#common/enums';
import { SelectField, TextField } from '../../ui/Field';

export interface EinvoiceState {
  siren: string;
  siret: string;
  leitwegId: string;
  peppolId: string;
  shortName: string;
  einvoiceFormat: '' | EinvoiceFormat;
}

export function initialEinvoice(
  org: Partial<Record<keyof EinvoiceState, string | null>> | null,
): EinvoiceState {
  return {
    siren: org?.siren ?? '',
    siret: org?.siret ?? '',
    leitwegId: org?.leitwegId ?? '',
    peppolId: org?.peppolId ?? '',
    shortName: org?.shortName ?? '',
    einvoiceFormat: (org?.einvoiceFormat as EinvoiceFormat | null | undefined) ?? '',
  };
}

/** What the form sends: empty fields clear, French ids only for France. */
export function einvoiceInput(state: EinvoiceState, country: string) {
  const v = (s: string) => s.trim() || null;
  return {
    siren: country === 'FR' ? v(state.siren) : null,
    siret: country === 'FR' ? v(state.siret) : null,
    leitwegId: v(state.leitwegId),
    peppolId: v(state.peppolId),
    shortName: v(state.shortName),
    einvoiceFormat: state.einvoiceFormat || null,
  };
}

/** Which field a server refusal belongs to. */
export function einvoiceFieldOf(code: string): keyof EinvoiceState | null {
  if (/^(siren_|french_ids)/.test(code)) return 'siren';
  if (/^siret_/.test(code)) return 'siret';
  if (code.startsWith('leitweg_')) return 'leitwegId';
  if (code.startsWith('peppol_')) return 'peppolId';
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
  const field = (key: Exclude<keyof EinvoiceState, 'einvoiceFormat'>, placeholder?: string) => (
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
    </>
  );
}
