import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { readBase64 } from '../../api/files';
import { useApiMutation } from '../../api/queries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, Select, SelectField } from '../../ui/Field';
import { IconUpload } from '../../ui/icons';
import { Card, PageHeader } from '../../ui/Layout';
import { LoadingBlock, Spinner } from '../../ui/Spinner';
import { documentLocale } from '../invoices/invoice-ui';
import { ImportOverrides, NO_OVERRIDES, type Overrides } from './ImportOverrides';
import '../invoices/invoices.css';
import './imports.css';
import {
  type DateFormat,
  type Decimal,
  type Delimiter,
  dateOptions,
  delimiterKey,
  FormatSelect,
  ImportReport,
  type Kind,
  type Options,
  type Report,
  ValueCell,
} from './ImportParts';

const KINDS: readonly Kind[] = ['organizations', 'products', 'invoices'];
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

interface LoadedFile {
  name: string;
  size: number;
  base64: string;
  /** Changes with every file chosen, so the same file chosen again is read again. */
  token: number;
}

let tokens = 0;

/**
 * CSV import: the file is read here and sent as base64; the API detects the encoding and the
 * delimiter, suggests a mapping, and lists every error with its line. Dates are never
 * guessed: when the file allows several readings, the person chooses.
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const fileId = useId();
  const [kind, setKind] = useState<Kind>('organizations');
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [options, setOptions] = useState<Options>({});
  const [onlyValid, setOnlyValid] = useState(false);
  const [overrides, setOverrides] = useState<Overrides>(NO_OVERRIDES);
  const [report, setReport] = useState<Report | null>(null);
  const locale = documentLocale(i18n.language);

  const preview = useQuery({
    // The boxes the run will use are the preview's too: its errors are the dry run's.
    queryKey: ['imports.preview', { kind, file: file?.token ?? null, options, locale, overrides }],
    queryFn: () =>
      call('imports.preview', { kind, contentBase64: file?.base64 ?? '', locale, ...options, ...overrides }),
    enabled: file !== null,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const run = useApiMutation('imports.run', { onSuccess: (value) => setReport(value) });
  const p = preview.data;

  const chooseKind = (next: Kind) => {
    setKind(next);
    setOptions({});
    setReport(null);
    run.reset();
  };
  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setReport(null);
    setReadError(null);
    run.reset();
    if (!chosen) return;
    try {
      const base64 = await readBase64(chosen);
      tokens += 1;
      setOptions({});
      setFile({ name: chosen.name, size: chosen.size, base64, token: tokens });
    } catch {
      setReadError(t('imports.readError', { name: chosen.name }));
    }
  };
  // A change of reading (delimiter) changes the columns: the mapping is suggested again.
  const setOption = <K extends keyof Options>(key: K, value: Options[K]) => {
    setReport(null);
    setOptions((o) => (key === 'delimiter' ? { delimiter: value as Delimiter } : { ...o, [key]: value }));
  };

  const needsDate = p ? p.dateFormat === null : false;
  const needsDecimal = p ? p.decimal === null : false;
  const missingRequired = p?.unmappedRequired ?? [];
  const canRun = p !== undefined && !needsDate && !needsDecimal && !preview.isFetching;

  const start = (dryRun: boolean) => {
    if (!file || !p?.dateFormat || !p.decimal) return;
    setReport(null);
    run.mutate({
      kind,
      contentBase64: file.base64,
      locale,
      delimiter: p.delimiter as Delimiter,
      // Exactly what the preview showed: the mapping and formats it used.
      mapping: p.mapping,
      dateFormat: p.dateFormat,
      decimal: p.decimal,
      dryRun,
      onlyValid,
      ...overrides,
    });
  };

  const fieldLabel = (key: string) => t(`imports.fields.${kind}.${key}` as 'imports.fields.invoices.number');

  return (
    <div className="page">
      <PageHeader title={t('imports.title')} subtitle={t('imports.subtitle')} />
      <div className="page-body imp-body">
        <Card title={t('imports.source')}>
          <div className="imp-source">
            <SelectField
              label={t('imports.kind')}
              value={kind}
              onChange={(e) => chooseKind(e.target.value as Kind)}
              options={KINDS.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
              hint={t(`imports.kindHints.${kind}`)}
              testId="import-kind"
            />
            <div className="field">
              <label className="field-label" htmlFor={fileId}>
                {t('imports.file')}
              </label>
              <input
                id={fileId}
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                className="imp-file"
                onChange={(e) => void chooseFile(e)}
                data-testid="import-file"
              />
              <p className="field-hint">{t('imports.fileHint')}</p>
            </div>
          </div>
          {readError && <Alert tone="error">{readError}</Alert>}
        </Card>

        {file && preview.isLoading && <LoadingBlock label={t('imports.reading')} />}
        {preview.isError && (
          <Alert tone="error" testId="import-preview-error">
            {preview.error.message}
          </Alert>
        )}

        {file && p && (
          <>
            <Card
              title={t('imports.reading')}
              actions={preview.isFetching ? <Spinner size={14} label={t('common.loading')} /> : undefined}
            >
              <dl className="imp-facts" data-testid="import-detected">
                <div>
                  <dt>{t('imports.fileName')}</dt>
                  <dd className="break">{file.name}</dd>
                </div>
                <div>
                  <dt>{t('imports.encoding')}</dt>
                  <dd data-testid="import-encoding">{t(`imports.encodings.${p.encoding}`)}</dd>
                </div>
                <div>
                  <dt>{t('imports.rows')}</dt>
                  <dd data-testid="import-total-rows">{p.totalRows}</dd>
                </div>
              </dl>
              <div className="imp-formats">
                <FormatSelect
                  label={t('imports.delimiter')}
                  value={p.delimiter}
                  options={DELIMITERS.map((d) => ({
                    value: d,
                    label: t(`imports.delimiters.${delimiterKey(d)}`),
                  }))}
                  onChange={(v) => setOption('delimiter', v as Delimiter)}
                  testId="import-delimiter"
                />
                <FormatSelect
                  label={t('imports.dateFormat')}
                  value={p.dateFormat ?? ''}
                  required={needsDate}
                  placeholder={needsDate ? t('imports.choose') : undefined}
                  options={dateOptions(p).map((f) => ({ value: f, label: t(`imports.dateFormats.${f}`) }))}
                  onChange={(v) => setOption('dateFormat', (v || undefined) as DateFormat | undefined)}
                  testId="import-date-format"
                  error={needsDate ? t('imports.dateFormatNeeded') : null}
                />
                <FormatSelect
                  label={t('imports.decimal')}
                  value={p.decimal ?? ''}
                  required={needsDecimal}
                  placeholder={needsDecimal ? t('imports.choose') : undefined}
                  options={(['.', ','] as const).map((d) => ({
                    value: d,
                    label: t(d === '.' ? 'imports.decimals.dot' : 'imports.decimals.comma'),
                  }))}
                  onChange={(v) => setOption('decimal', (v || undefined) as Decimal | undefined)}
                  testId="import-decimal"
                  error={needsDecimal ? t('imports.decimalNeeded') : null}
                />
              </div>
            </Card>

            <Card title={t('imports.mapping')}>
              <p className="field-hint">{t('imports.mappingHint')}</p>
              <div className="table-card inv-inner-table">
                <table className="table imp-mapping" data-testid="import-mapping">
                  <thead>
                    <tr>
                      <th scope="col">{t('imports.field')}</th>
                      <th scope="col">{t('imports.column')}</th>
                      <th scope="col">{t('imports.sample')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(p.mapping).map(([key, index]) => {
                      const missing = missingRequired.includes(key);
                      const sample = p.rows[0]?.values[key];
                      return (
                        <tr key={key} data-testid="import-mapping-row" data-field={key}>
                          <th scope="row" className="imp-field">
                            {fieldLabel(key)}
                            {missing && (
                              <span className="field-error imp-missing">{t('imports.requiredMissing')}</span>
                            )}
                          </th>
                          <td>
                            <Select
                              value={index === null || index === undefined ? '' : String(index)}
                              onChange={(e) =>
                                setOption('mapping', {
                                  ...p.mapping,
                                  [key]: e.target.value === '' ? null : Number(e.target.value),
                                })
                              }
                              options={[
                                { value: '', label: t('imports.notImported') },
                                ...p.headers.map((h, i) => ({
                                  value: String(i),
                                  label: h || t('imports.columnN', { n: i + 1 }),
                                })),
                              ]}
                              aria-label={t('imports.columnFor', { field: fieldLabel(key) })}
                              aria-invalid={missing ? true : undefined}
                              data-testid={`import-map-${key}`}
                            />
                          </td>
                          <td className="muted imp-sample">
                            {sample === undefined ? (
                              ''
                            ) : (
                              <ValueCell field={key} value={sample} currency={p.rows[0]?.values.currency} />
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </Card>

            <Card title={t('imports.previewTitle', { count: p.rows.length })}>
              {p.rows.length === 0 ? (
                <p className="muted">{t('imports.previewNone')}</p>
              ) : (
                <div className="table-card inv-inner-table imp-preview">
                  <table className="table" data-testid="import-preview">
                    <thead>
                      <tr>
                        <th scope="col">{t('imports.line')}</th>
                        {Object.keys(p.mapping)
                          .filter((k) => p.mapping[k] !== null)
                          .map((k) => (
                            <th scope="col" key={k}>
                              {fieldLabel(k)}
                            </th>
                          ))}
                      </tr>
                    </thead>
                    <tbody>
                      {p.rows.map((row) => (
                        <tr key={row.line} data-testid="import-preview-row">
                          <td className="muted">{row.line}</td>
                          {Object.keys(p.mapping)
                            .filter((k) => p.mapping[k] !== null)
                            .map((k) => (
                              <td key={k} className="nowrap">
                                <ValueCell
                                  field={k}
                                  value={row.values[k] ?? null}
                                  currency={row.values.currency}
                                />
                              </td>
                            ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {p.messages.length > 0 ? (
                <Alert
                  tone="error"
                  title={t('imports.errorsTitle', { count: p.messages.length })}
                  testId="import-errors"
                >
                  <ul className="imp-errors">
                    {p.messages.map((m, i) => (
                      <li
                        key={`${p.errors[i]?.line ?? 0}-${i}`}
                        data-testid="import-error"
                        data-line={p.errors[i]?.line}
                      >
                        {m}
                      </li>
                    ))}
                  </ul>
                </Alert>
              ) : p.checked === 'all' ? (
                <Alert tone="success" testId="import-no-errors">
                  {t('imports.noErrors', { count: p.totalRows })}
                </Alert>
              ) : (
                <Alert tone="info" testId="import-rows-only">
                  {t('imports.rowsOnly', { count: p.totalRows })}
                </Alert>
              )}
            </Card>

            <Card title={t('imports.runTitle')}>
              <Checkbox
                label={t('imports.onlyValid')}
                description={t('imports.onlyValidHint')}
                checked={onlyValid}
                onChange={(e) => setOnlyValid(e.target.checked)}
                testId="import-only-valid"
              />
              <ImportOverrides kind={kind} value={overrides} onChange={setOverrides} />
              {(needsDate || needsDecimal) && <p className="field-error">{t('imports.chooseFirst')}</p>}
              <div className="imp-actions">
                <Button
                  onClick={() => start(true)}
                  disabled={!canRun || run.isPending}
                  loading={run.isPending && run.variables?.dryRun === true}
                  data-testid="import-dry-run"
                >
                  {t('imports.dryRun')}
                </Button>
                <Button
                  variant="primary"
                  icon={<IconUpload size={14} />}
                  onClick={() => start(false)}
                  disabled={!canRun || run.isPending}
                  loading={run.isPending && run.variables?.dryRun === false}
                  data-testid="import-run"
                >
                  {t('imports.run')}
                </Button>
              </div>
              {run.error && (
                <Alert tone="error" testId="import-run-error">
                  {run.error.message}
                </Alert>
              )}
              {report && <ImportReport report={report} />}
            </Card>
          </>
        )}
      </div>
    </div>
  );
}
