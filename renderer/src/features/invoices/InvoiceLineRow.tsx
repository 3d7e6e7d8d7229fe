import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { useFormat } from '../../i18n/format';
import { IconButton } from '../../ui/Button';
import { Select } from '../../ui/Field';
import { IconTrash } from '../../ui/icons';
import { formatRate } from './invoice-ui';
import { LineCell } from './LineCell';
import { LineEinvoiceFields } from './LineEinvoiceFields';
import type { LineDraft, LineErrors, ParsedLine } from './line-state';

/**
 * One line of a draft: description, quantity, price, discount, VAT rate and amount, with its
 * unit / VAT-category row beneath. Every input carries its own label with the line number, as
 * the column titles above are for the eye only.
 */
export function InvoiceLineRow({
  line,
  n,
  errors,
  parsed,
  currency,
  allowedRatesBp,
  submitted,
  onChange,
  onRemove,
}: {
  line: LineDraft;
  /** 1-based position, as people count lines. */
  n: number;
  errors: LineErrors;
  parsed: ParsedLine | null;
  currency: Currency;
  allowedRatesBp: readonly number[];
  /** A missing value is only an error once the person tried to save. */
  submitted: boolean;
  onChange: (patch: Partial<LineDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();

  const lineError = (field: keyof LineErrors, typed: string): string | null => {
    const code = errors[field];
    if (!code || (!submitted && (code === 'required' || !typed.trim()))) return null;
    return t(`invoiceEditor.errors.${field}.${code}` as 'invoiceEditor.errors.price.invalid');
  };

  const rateOptions = (current: number) => {
    const rates = allowedRatesBp.includes(current) ? allowedRatesBp : [...allowedRatesBp, current];
    return rates.map((r) => ({
      value: String(r),
      label: allowedRatesBp.includes(r)
        ? formatRate(r, fmt.locale)
        : t('invoiceEditor.rateNotAllowed', { rate: formatRate(r, fmt.locale) }),
    }));
  };

  const reasonError = errors.exemptionReason && submitted ? t('einvoice.line.reasonRequired') : null;
  const messages = [
    lineError('description', line.description),
    lineError('quantity', line.quantity),
    lineError('price', line.price),
    lineError('discount', line.discount),
    reasonError,
  ].filter(Boolean);
  const errorId = `line-${line.key}-errors`;
  const describedBy = messages.length ? errorId : undefined;

  return (
    <div className="inv-line-wrap" data-line-row data-testid="invoice-line">
      <div className="inv-line">
        <LineCell label={t('invoiceEditor.description')}>
          <input
            className="input"
            value={line.description}
            onChange={(e) => onChange({ description: e.target.value })}
            aria-label={t('invoiceEditor.lineField', {
              field: t('invoiceEditor.description'),
              n,
            })}
            aria-invalid={lineError('description', line.description) ? true : undefined}
            aria-describedby={describedBy}
            maxLength={500}
            placeholder={t('invoiceEditor.descriptionPlaceholder')}
            data-testid="invoice-line-description"
          />
        </LineCell>
        <LineCell label={t('invoiceEditor.quantity')}>
          <input
            className="input input-num"
            value={line.quantity}
            onChange={(e) => onChange({ quantity: e.target.value })}
            inputMode="decimal"
            aria-label={t('invoiceEditor.lineField', { field: t('invoiceEditor.quantity'), n })}
            aria-invalid={lineError('quantity', line.quantity) ? true : undefined}
            aria-describedby={describedBy}
            data-testid="invoice-line-quantity"
          />
        </LineCell>
        <LineCell label={t('invoiceEditor.unitPrice', { currency })}>
          <input
            className="input input-num"
            value={line.price}
            onChange={(e) => onChange({ price: e.target.value })}
            inputMode="decimal"
            placeholder="0.00"
            aria-label={t('invoiceEditor.lineField', {
              field: t('invoiceEditor.unitPrice', { currency }),
              n,
            })}
            aria-invalid={lineError('price', line.price) ? true : undefined}
            aria-describedby={describedBy}
            data-testid="invoice-line-price"
          />
        </LineCell>
        <LineCell label={t('invoiceEditor.discount')}>
          <div className="input-group inv-discount">
            <input
              className="input input-num"
              value={line.discount}
              onChange={(e) => onChange({ discount: e.target.value })}
              inputMode="decimal"
              placeholder="0"
              aria-label={t('invoiceEditor.lineField', { field: t('invoiceEditor.discount'), n })}
              aria-invalid={lineError('discount', line.discount) ? true : undefined}
              aria-describedby={describedBy}
              data-testid="invoice-line-discount"
            />
            <span className="input-affix">%</span>
          </div>
        </LineCell>
        <LineCell label={t('invoiceEditor.vatRate')}>
          <Select
            value={String(line.vatRateBp)}
            // A new rate lets the API decide the category again (S for a rate, else by the parties).
            onChange={(e) => onChange({ vatRateBp: Number(e.target.value), vatCategory: '' })}
            options={rateOptions(line.vatRateBp)}
            aria-label={t('invoiceEditor.lineField', { field: t('invoiceEditor.vatRate'), n })}
            data-testid="invoice-line-vat"
          />
        </LineCell>
        <div className="inv-cell">
          <span className="inv-cell-label num" aria-hidden="true">
            {t('invoiceEditor.amount')}
          </span>
          <span className="inv-line-amount num" data-testid="invoice-line-amount">
            {parsed ? fmt.money(parsed.amounts.netMinor, currency) : '—'}
          </span>
        </div>
        <IconButton
          label={t('invoiceEditor.removeLine', { n })}
          icon={<IconTrash size={14} />}
          size="sm"
          tone="danger"
          onClick={onRemove}
          data-testid="invoice-line-remove"
        />
      </div>
      <LineEinvoiceFields line={line} n={n} reasonError={reasonError} onChange={onChange} />
      {messages.length > 0 && (
        <p className="field-error inv-line-errors" id={errorId}>
          {messages.join(' ')}
        </p>
      )}
    </div>
  );
}
