import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, download, isElectron } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Select, TextField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { IconDownload, IconPackage } from './icons';
import {
  CSV_PROFILES,
  type CsvProfile,
  documentLocale,
  type InvoiceFilterInput,
  type Job,
  today,
} from './invoice-ui';

type Format = 'csv' | 'xlsx';

/** A path beside the database, dated: where exports land unless the person says otherwise. */
function besideDatabase(databaseFile: string | undefined, name: string): string {
  if (!databaseFile) return '';
  const cut = Math.max(databaseFile.lastIndexOf('/'), databaseFile.lastIndexOf('\\'));
  return `${cut >= 0 ? databaseFile.slice(0, cut + 1) : ''}${name}`;
}

/**
 * Export the filtered invoices: CSV in a chosen profile, XLSX, or a period pack (every PDF,
 * both spreadsheets and a manifest) that runs as a background job with progress.
 */
export function ExportControls({ filters, disabled }: { filters: InvoiceFilterInput; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [profile, setProfile] = useState<CsvProfile>('spreadsheet');
  const [busy, setBusy] = useState<Format | null>(null);
  const [askPath, setAskPath] = useState<Format | null>(null);
  const [packOpen, setPackOpen] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const locale = documentLocale(i18n.language);

  // Polled every 400 ms while the pack runs, also when its dialog is closed.
  const job = useQuery({
    queryKey: ['jobs.get', { jobId }],
    queryFn: () => call('jobs.get', { jobId: jobId ?? '', locale: i18n.language }),
    enabled: jobId !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.state === 'running' || !query.state.data ? 400 : false),
  });
  const running = job.data?.state === 'running';

  const run = async (format: Format, out?: string) => {
    setBusy(format);
    try {
      const result = await download('invoices', { format, profile, locale, filters }, out);
      toast.success(t('invoices.export.saved', { file: result.saved }));
      setAskPath(null);
    } catch (e) {
      toast.error(errorMessage(e));
      throw e;
    } finally {
      setBusy(null);
    }
  };

  const start = (format: Format) => {
    // The desktop app has no browser download: the person chooses where the file goes.
    if (isElectron()) setAskPath(format);
    else void run(format).catch(() => {});
  };

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
      <PathDialog
        format={askPath}
        busy={busy !== null}
        onSubmit={(format, out) => run(format, out)}
        onClose={() => setAskPath(null)}
      />
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

function PathDialog({
  format,
  busy,
  onSubmit,
  onClose,
}: {
  format: Format | null;
  busy: boolean;
  onSubmit: (format: Format, out: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={format !== null}
      onClose={onClose}
      title={format === 'xlsx' ? t('invoices.export.xlsx') : t('invoices.export.csv')}
      size="sm"
      testId="invoices-export-path-dialog"
      bare
      // An export keeps nothing: closing it loses no work, so Escape never asks.
      dirty={false}
    >
      {format && <PathForm format={format} busy={busy} onSubmit={onSubmit} onClose={onClose} />}
    </Dialog>
  );
}

function PathForm({
  format,
  busy,
  onSubmit,
  onClose,
}: {
  format: Format;
  busy: boolean;
  onSubmit: (format: Format, out: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const info = useApi('system.info', {});
  const suggested = besideDatabase(info.data?.databaseFile, `invoices-${today()}.${format}`);
  const [out, setOut] = useState('');
  const [error, setError] = useState<string | null>(null);
  const path = out.trim() || suggested;
  return (
    <form
      className="dialog-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!path) return;
        setError(null);
        onSubmit(format, path).catch((err: unknown) => setError(errorMessage(err)));
      }}
    >
      <div className="dialog-body">
        <TextField
          label={t('invoices.export.path')}
          hint={t('invoices.export.pathHint')}
          value={out}
          placeholder={suggested}
          onChange={(e) => setOut(e.target.value)}
          spellCheck={false}
          autoFocus
          testId="invoices-export-path"
        />
        {error && (
          <Alert tone="error" testId="invoices-export-error">
            {error}
          </Alert>
        )}
      </div>
      <div className="dialog-footer">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          type="submit"
          variant="primary"
          loading={busy}
          disabled={!path}
          data-testid="invoices-export-submit"
        >
          {t('invoices.export.write')}
        </Button>
      </div>
    </form>
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
  input: { profile: CsvProfile; locale: 'en' | 'fr' | 'de'; filters: InvoiceFilterInput };
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
  input: { profile: CsvProfile; locale: 'en' | 'fr' | 'de'; filters: InvoiceFilterInput };
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const info = useApi('system.info', {});
  const suggested = besideDatabase(info.data?.databaseFile, `invoices-pack-${today()}.zip`);
  const [out, setOut] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const cancel = useApiMutation('jobs.cancel');
  const path = out.trim() || suggested;

  const begin = async () => {
    if (!path) return;
    setError(null);
    setStarting(true);
    try {
      const started = await call('exports.start', { kind: 'pack', input: { ...input, out: path } });
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
              <span className="mono break">{result.out}</span>
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
              {job.error?.message ?? <span className="mono">{job.error?.code ?? 'internal'}</span>}
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
              <Button variant="primary" onClick={onClose}>
                {t('common.close')}
              </Button>
            </>
          )}
        </div>
      </>
    );
  }

  return (
    <form
      className="dialog-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void begin();
      }}
    >
      <div className="dialog-body">
        <TextField
          label={t('invoices.pack.path')}
          hint={t('invoices.pack.pathHint')}
          value={out}
          placeholder={suggested}
          onChange={(e) => setOut(e.target.value)}
          spellCheck={false}
          autoFocus
          testId="invoices-pack-path"
        />
        <p className="field-hint">
          {t('invoices.pack.profileHint', { profile: t(`invoices.export.profiles.${input.profile}`) })}
        </p>
        {error && (
          <Alert tone="error" testId="invoices-pack-error">
            {error}
          </Alert>
        )}
      </div>
      <div className="dialog-footer">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          type="submit"
          variant="primary"
          loading={starting}
          disabled={!path}
          data-testid="invoices-pack-start"
        >
          {t('invoices.pack.start')}
        </Button>
      </div>
    </form>
  );
}
