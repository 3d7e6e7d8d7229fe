import { useTranslation } from 'react-i18next';
import { UNIT_CODES, VAT_CATEGORIES } from '#common/enums';
import { Select } from '../../ui/Field';
import { LineCell } from './LineCell';
import type { LineDraft } from './line-state';

/**
 * What an e-invoice says of a line beyond its amounts: the unit (UN/ECE Rec 20), the VAT
 * category (UNCL 5305; automatic lets the API decide from the rate and the parties) and, for a
 * line without VAT, the exemption reason (required for E).
 */
export function LineEinvoiceFields({
  line,
  n,
  reasonError,
  onChange,
}: {
  line: LineDraft;
  n: number;
  reasonError: string | null;
  onChange: (patch: Partial<LineDraft>) => void;
}) {
  const { t } = useTranslation();
  const label = (field: string) => t('invoiceEditor.lineField', { field, n });
  const needsReason = line.vatCategory !== '' && line.vatCategory !== 'S';
  return (
    <div className="inv-line-einvoice" data-testid="invoice-line-einvoice">
      <LineCell always label={t('einvoice.line.unit')}>
        <Select
          value={line.unitCode}
          onChange={(e) => onChange({ unitCode: e.target.value as LineDraft['unitCode'] })}
          options={UNIT_CODES.map((u) => ({ value: u, label: t(`einvoice.units.${u}`) }))}
          aria-label={label(t('einvoice.line.unit'))}
          data-testid="invoice-line-unit"
        />
      </LineCell>
      <LineCell always label={t('einvoice.line.category')}>
        <Select
          value={line.vatCategory}
          onChange={(e) => onChange({ vatCategory: e.target.value as LineDraft['vatCategory'] })}
          options={[
            { value: '', label: t('einvoice.categories.auto') },
            ...VAT_CATEGORIES.map((c) => ({ value: c, label: t(`einvoice.categories.${c}`) })),
          ]}
          aria-label={label(t('einvoice.line.category'))}
          title={line.vatCategory === '' ? t('einvoice.line.autoHint') : undefined}
          data-testid="invoice-line-category"
        />
      </LineCell>
      {needsReason && (
        <LineCell always label={t('einvoice.line.reason')}>
          <input
            className="input"
            value={line.exemptionReason}
            onChange={(e) => onChange({ exemptionReason: e.target.value })}
            maxLength={300}
            placeholder={t('einvoice.line.reasonPlaceholder')}
            aria-label={label(t('einvoice.line.reason'))}
            aria-invalid={reasonError ? true : undefined}
            data-testid="invoice-line-reason"
          />
        </LineCell>
      )}
    </div>
  );
}
