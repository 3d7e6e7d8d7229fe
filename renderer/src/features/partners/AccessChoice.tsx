import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCESS, type Access, PAYMENT, type Payment } from './partner-ui';

/** Two radio cards, each saying what the choice means: the seeds' wording, briefly. */
function Choice<T extends string>({
  legend,
  options,
  value,
  onChange,
  label,
  description,
  testId,
}: {
  legend: string;
  options: readonly T[];
  value: T;
  onChange: (next: T) => void;
  label: (v: T) => string;
  description: (v: T) => string;
  testId: string;
}) {
  const name = useId();
  return (
    <fieldset className="partner-choice" data-testid={testId}>
      <legend className="field-label">{legend}</legend>
      <div className="partner-choice-options">
        {options.map((v) => (
          <label key={v} className={`partner-choice-card${value === v ? ' partner-choice-on' : ''}`}>
            <input
              type="radio"
              name={name}
              value={v}
              checked={value === v}
              onChange={() => onChange(v)}
              data-testid={`${testId}-${v}`}
            />
            <span className="partner-choice-text">
              <span className="partner-choice-title">{label(v)}</span>
              <span className="partner-choice-description">{description(v)}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function AccessChoice({
  value,
  onChange,
  testId,
}: {
  value: Access;
  onChange: (next: Access) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Choice
      legend={t('partners.access.legend')}
      options={ACCESS}
      value={value}
      onChange={onChange}
      label={(v) => t(`partners.access.${v}`)}
      description={(v) => t(`partners.access.${v}_hint`)}
      testId={testId}
    />
  );
}

export function PaymentChoice({
  value,
  onChange,
  testId,
}: {
  value: Payment;
  onChange: (next: Payment) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Choice
      legend={t('partners.payment.legend')}
      options={PAYMENT}
      value={value}
      onChange={onChange}
      label={(v) => t(`partners.payment.${v}`)}
      description={(v) => t(`partners.payment.${v}_hint`)}
      testId={testId}
    />
  );
}
