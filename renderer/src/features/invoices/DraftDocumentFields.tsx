import { useTranslation } from 'react-i18next';
import { DOCUMENT_LOCALES, type DocumentLocale } from '#common/enums';
import { useApi } from '../../api/queries';
import { SelectField, TextArea } from '../../ui/Field';
import { Card } from '../../ui/Layout';

/** What a draft holds besides its lines: where it is billed, its language, its notes. */
export interface DraftDocument {
  /** '' is the organization's default address (sent to the API as null). */
  billingAddressId: string;
  locale: DocumentLocale;
  notes: string;
}

/** The draft editor's "Document" card: billing address, document language and notes. */
export function DraftDocumentFields({
  organizationId,
  value,
  onChange,
}: {
  organizationId: string;
  value: DraftDocument;
  onChange: (patch: Partial<DraftDocument>) => void;
}) {
  const { t } = useTranslation();
  const addresses = useApi('addresses.list', { organizationId });
  const defaultAddress = addresses.data?.find((a) => a.isDefault);
  const addressOptions = [
    {
      value: '',
      label: defaultAddress
        ? t('products.form.addressDefaultNamed', { label: defaultAddress.label })
        : t('products.form.addressDefault'),
    },
    ...(addresses.data ?? []).map((a) => ({ value: a.id, label: `${a.label} — ${a.city}` })),
  ];
  return (
    <Card title={t('invoiceEditor.document')}>
      <div className="form-grid-2">
        <SelectField
          label={t('invoiceEditor.address')}
          value={value.billingAddressId}
          onChange={(e) => onChange({ billingAddressId: e.target.value })}
          options={addressOptions}
          hint={t('invoiceEditor.addressHint')}
          testId="invoice-address"
        />
        <SelectField
          label={t('invoiceEditor.locale')}
          value={value.locale}
          onChange={(e) => onChange({ locale: e.target.value as DocumentLocale })}
          options={DOCUMENT_LOCALES.map((l) => ({ value: l, label: t(`invoiceEditor.locales.${l}`) }))}
          hint={t('invoiceEditor.localeHint')}
          testId="invoice-locale"
        />
        <TextArea
          label={t('invoiceEditor.notes')}
          value={value.notes}
          onChange={(e) => onChange({ notes: e.target.value })}
          maxLength={2000}
          optional={t('common.optional')}
          testId="invoice-notes"
          fieldClassName="span-2"
        />
      </div>
      <p className="field-hint">{t('invoiceEditor.dateHint')}</p>
    </Card>
  );
}
