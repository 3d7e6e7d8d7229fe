import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { minorToDecimal } from '#common/money';
import type { MethodInput, MethodOutput } from '../../api/client';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Select } from '../../ui/Field';
import { formatRate } from '../invoices/invoice-ui';

export type Kind = MethodInput<'imports.preview'>['kind'];
export type Options = Pick<
  MethodInput<'imports.preview'>,
  'delimiter' | 'mapping' | 'dateFormat' | 'decimal'
>;
export type DateFormat = NonNullable<Options['dateFormat']>;
export type Delimiter = NonNullable<Options['delimiter']>;
export type Decimal = NonNullable<Options['decimal']>;
export type Preview = MethodOutput<'imports.preview'>;
export type Report = MethodOutput<'imports.run'>;
type Value = Preview['rows'][number]['values'][string];

const ALL_DATE_FORMATS: readonly DateFormat[] = ['yyyy-mm-dd', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy'];
// How the preview's normalized values read (amounts arrive in minor units, rates in basis
// points): the preview does not say which field has which type (see the report).
const MONEY_FIELDS = new Set(['price', 'netAmount', 'vatAmount', 'grossAmount']);
const RATE_FIELDS = new Set(['vatRate']);

export function delimiterKey(d: string): 'comma' | 'semicolon' | 'tab' | 'pipe' {
  return d === ';' ? 'semicolon' : d === '\t' ? 'tab' : d === '|' ? 'pipe' : 'comma';
}

/** The date formats to offer: the ones the data allows (all of them when it allows none). */
export function dateOptions(p: Preview): DateFormat[] {
  const candidates = p.dateFormatCandidates.length > 0 ? p.dateFormatCandidates : ALL_DATE_FORMATS;
  return p.dateFormat && !candidates.includes(p.dateFormat) ? [p.dateFormat, ...candidates] : [...candidates];
}

export function FormatSelect({
  label,
  value,
  options,
  onChange,
  testId,
  required,
  placeholder,
  error,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  testId: string;
  required?: boolean;
  placeholder?: string;
  error?: string | null;
}) {
  const id = useId();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <Select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        options={placeholder ? [{ value: '', label: placeholder, disabled: true }, ...options] : options}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-msg` : undefined}
        data-testid={testId}
      />
      {error && (
        <p className="field-error" id={`${id}-msg`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ValueCell({ field, value, currency }: { field: string; value: Value; currency?: Value }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (value === null || value === '') return <span className="muted">—</span>;
  if (typeof value === 'number' && MONEY_FIELDS.has(field)) {
    return currency === 'CHF' || currency === 'EUR'
      ? fmt.money(value, currency as Currency)
      : minorToDecimal(value);
  }
  if (typeof value === 'number' && RATE_FIELDS.has(field)) return <>{formatRate(value, fmt.locale)}</>;
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return <>{fmt.date(value)}</>;
  return <>{String(value)}</>;
}

export function ImportReport({ report }: { report: Report }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tone = report.refused ? 'error' : report.errors.length > 0 ? 'warning' : 'success';
  const title = report.refused
    ? t('imports.report.refused')
    : report.dryRun
      ? t('imports.report.dryRun')
      : t('imports.report.done');
  return (
    <div
      className="imp-report"
      data-testid="import-report"
      data-refused={report.refused}
      data-dry-run={report.dryRun}
    >
      <Alert tone={tone} title={title}>
        {report.refused ? t('imports.report.refusedBody', { count: report.errors.length }) : null}
        {report.dryRun && !report.refused ? t('imports.report.dryRunBody') : null}
      </Alert>
      <dl className="imp-counts">
        <div>
          <dt>{report.dryRun ? t('imports.report.wouldImport') : t('imports.report.imported')}</dt>
          <dd data-testid="import-report-imported">{fmt.number(report.imported)}</dd>
        </div>
        <div>
          <dt>{t('imports.report.skipped')}</dt>
          <dd data-testid="import-report-skipped">{fmt.number(report.skipped)}</dd>
        </div>
        <div>
          <dt>{t('imports.report.total')}</dt>
          <dd>{fmt.number(report.totalRows)}</dd>
        </div>
      </dl>
      {report.errors.length > 0 && (
        <ul
          className="imp-errors imp-report-errors"
          aria-label={t('imports.errorsTitle', { count: report.errors.length })}
        >
          {report.errors.map((e, i) => (
            <li key={`${e.line}-${i}`} data-testid="import-report-error" data-line={e.line}>
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
