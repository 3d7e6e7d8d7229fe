import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_LOCALES, type DocumentLocale } from '#common/enums';
import { call, inRegion, save } from '../../api/client';
import { errorMessage, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog, DialogForm } from '../../ui/Dialog';
import { Select } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { IconDownload, IconPackage } from './icons';
import {
  CSV_PROFILES,
  type CsvProfile,
  documentLocale,
  type InvoiceFilterInput,
  type Job,
} from './invoice-ui';

type Format = 'csv' | 'xlsx';

/** Each language by its own name: a person looks for "Italiano", not for its translation. */
const HEADER_LANGUAGES: Record<DocumentLocale, string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  it: 'Italiano',
};

/**
 * Export the filtered invoices: CSV in a chosen profile, XLSX, or a period pack (every PDF,
 * both spreadsheets and a manifest) that runs as a background job with progress.
 */
export function ExportControls({ filters, disabled }: { filters: InvoiceFilterInput; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [profile, setProfile] = useState<CsvProfile>('spreadsheet');
  const [busy, setBusy] = useState<Format | null>(null);
  const [packOpen, setPackOpen] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  // The column headings' language: the app's own by default, Italian too (a Ticino firm's
  // accountant) though the app itself speaks only English, French and German.
  const [locale, setLocale] = useState<DocumentLocale>(() => documentLocale(i18n.language));

  // Polled every 400 ms while the pack runs, also when its dialog is closed.
  const job = useQuery({
    queryKey: ['jobs.get', { jobId }],
    queryFn: () => call('jobs.get', { jobId: jobId ?? '', locale: i18n.language }),
    enabled: jobId !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 400 : false),
  });
  const running = job.data?.state === 'running';

  // The page never names a path: the browser saves the download, the desktop shell asks
  // where in its native save dialog.
  const run = async (format: Format) => {
    setBusy(format);
    try {
      const result = await save('exports.invoicesFile', { format, profile, locale, filters });
      if (result.saved) toast.success(t('invoices.export.saved', { file: result.fileName }));
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const start = (format: Format) => void run(format);

  return (
    <div className="inv-export" role="group" aria-label={t('invoices.export.label')}>
      <Select
        aria-label={t('invoices.export.profile')}
        title={t('invoices.export.profile')}
        value={profile}
        onChange={(e) => setProfile(e.target.value as CsvProfile)}
        options={CSV_PROFILES.map((p) => ({ value: p, label: t(`invoices.export.profiles.${p}`) }))}
        data-testid="invoices-export-profile"
        className="inv-profile"
      />
      <Select
        aria-label={t('invoices.export.language')}
        title={t('invoices.export.language')}
        value={locale}
        onChange={(e) => setLocale(e.target.value as DocumentLocale)}
        options={DOCUMENT_LOCALES.map((l) => ({ value: l, label: HEADER_LANGUAGES[l] }))}
        data-testid="invoices-export-language"
        className="inv-profile"
      />
      <Button
        size="sm"
        icon={<IconDownload size={14} />}
        onClick={() => start('csv')}
        loading={busy === 'csv'}
        disabled={disabled || busy !== null}
        data-testid="invoices-export-csv"
      >
        {t('invoices.export.csv')}
      </Button>
      <Button
        size="sm"
        icon={<IconDownload size={14} />}
        onClick={() => start('xlsx')}
        loading={busy === 'xlsx'}
        disabled={disabled || busy !== null}
        data-testid="invoices-export-xlsx"
      >
        {t('invoices.export.xlsx')}
      </Button>
      <Button
        size="sm"
        icon={<IconPackage size={14} />}
        onClick={() => setPackOpen(true)}
        loading={running}
        data-testid="invoices-export-pack"
      >
        {running && job.data?.total
          ? t('invoices.pack.buttonProgress', { percent: Math.floor((100 * job.data.done) / job.data.total) })
          : t('invoices.pack.button')}
      </Button>
      <PackDialog
        open={packOpen}
        onClose={() => setPackOpen(false)}
        job={job.data ?? null}
        onStarted={setJobId}
        onReset={() => setJobId(null)}
        input={{ profile, locale, filters }}
      />
    </div>
  );
}

function PackDialog({
  open,
  onClose,
  job,
  onStarted,
  onReset,
  input,
}: {
  open: boolean;
  onClose: () => void;
  job: Job | null;
  onStarted: (jobId: string) => void;
  onReset: () => void;
  input: { profile: CsvProfile; locale: DocumentLocale; filters: InvoiceFilterInput };
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('invoices.pack.title')}
      description={t('invoices.pack.description')}
      size="md"
      testId="invoices-pack-dialog"
      bare
      // An export keeps nothing: closing it loses no work, so Escape never asks.
      dirty={false}
    >
      {open && <PackBody job={job} onStarted={onStarted} onReset={onReset} onClose={onClose} input={input} />}
    </Dialog>
  );
}

function PackBody({
  job,
  onStarted,
  onReset,
  onClose,
  input,
}: {
  job: Job | null;
  onStarted: (jobId: string) => void;
  onReset: () => void;
  onClose: () => void;
  input: { profile: CsvProfile; locale: DocumentLocale; filters: InvoiceFilterInput };
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [saving, setSaving] = useState(false);
  const cancel = useApiMutation('jobs.cancel');

  // The pack is made in the job's own folder; saving it is a file like any other export.
  const begin = async () => {
    setError(null);
    setStarting(true);
    try {
      const started = await call('exports.packJob', input);
      onStarted(started.id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  if (job) {
    const percent = job.total ? Math.min(100, Math.floor((100 * job.done) / job.total)) : null;
    const result = job.result as { out?: string; manifest?: { invoices?: number } } | null;
    const saveFile = async () => {
      setSaving(true);
      try {
        const saved = await save('jobs.file', { jobId: job.id });
        if (saved.saved) toast.success(t('invoices.export.saved', { file: saved.fileName }));
      } catch (e) {
        toast.error(errorMessage(e));
      } finally {
        setSaving(false);
      }
    };
    return (
      <>
        <div className="dialog-body" data-testid="invoices-pack-job" data-state={job.state}>
          <div className="inv-progress-label">
            <span>{t(`invoices.pack.states.${job.state}`)}</span>
            {percent !== null && <span className="inv-tabular">{fmt.number(percent)} %</span>}
          </div>
          <div
            className={`inv-progress inv-progress-${job.state}`}
            role="progressbar"
            aria-label={t('invoices.pack.progress')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
            data-testid="invoices-pack-progress"
          >
            <span style={{ width: `${job.state === 'done' ? 100 : (percent ?? 0)}%` }} />
          </div>
          {job.state === 'done' && result?.out && (
            <Alert tone="success" title={t('invoices.pack.done')} testId="invoices-pack-result">
              {result.manifest?.invoices !== undefined && (
                <p>{t('invoices.pack.doneCount', { count: result.manifest.invoices })}</p>
              )}
            </Alert>
          )}
          {job.state === 'cancelled' && (
            <Alert tone="warning" testId="invoices-pack-cancelled">
              {t('invoices.pack.cancelled')}
            </Alert>
          )}
          {job.state === 'failed' && (
            // jobs.get reports a failure as a code without a message (see the report): the
            // screen can only say that it failed and show the code.
            <Alert tone="error" title={t('invoices.pack.failed')} testId="invoices-pack-error">
              {job.error?.message !== undefined ? (
                inRegion(job.error.code, job.error.message, job.error.params)
              ) : (
                <span className="mono">{job.error?.code ?? 'internal'}</span>
              )}
            </Alert>
          )}
          {cancel.error && <Alert tone="error">{cancel.error.message}</Alert>}
        </div>
        <div className="dialog-footer">
          {job.state === 'running' ? (
            <>
              <Button onClick={onClose}>{t('invoices.pack.background')}</Button>
              <Button
                variant="danger"
                loading={cancel.isPending}
                onClick={() => cancel.mutate({ jobId: job.id })}
                data-testid="invoices-pack-cancel"
              >
                {t('common.cancel')}
              </Button>
            </>
          ) : (
            <>
              <Button onClick={onReset} data-testid="invoices-pack-again">
                {t('invoices.pack.again')}
              </Button>
              {job.state === 'done' ? (
                <Button
                  variant="primary"
                  loading={saving}
                  onClick={() => void saveFile()}
                  data-testid="invoices-pack-save"
                >
                  {t('invoices.export.write')}
                </Button>
              ) : (
                <Button variant="primary" onClick={onClose}>
                  {t('common.close')}
                </Button>
              )}
            </>
          )}
        </div>
      </>
    );
  }

  return (
    <DialogForm
      onSubmit={() => {
        void begin();
      }}
      onCancel={onClose}
      error={error}
      errorTestId="invoices-pack-error"
      submit={{ label: t('invoices.pack.start'), loading: starting, testId: 'invoices-pack-start' }}
    >
      <p className="field-hint">
        {t('invoices.pack.profileHint', { profile: t(`invoices.export.profiles.${input.profile}`) })}
      </p>
    </DialogForm>
  );
}
