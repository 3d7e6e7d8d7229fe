import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { save } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { DateField } from '../../ui/DateField';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { Checkbox, Select } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { CSV_PROFILES, type CsvProfile, documentLocale } from '../invoices/invoice-ui';
import { type Partnership, thisMonth } from './partner-ui';

const HISTORY = ['invoices', 'payments', 'cashback'] as const;
type History = (typeof HISTORY)[number];
type Format = 'csv' | 'xlsx';

/**
 * The partner exports its managed clients' billing history for a period: CSV holds one history
 * type (in a spreadsheet profile), XLSX a sheet per type; all clients or a selection.
 */
export function ClientExportDialog({
  open,
  partnerOrganizationId,
  clients,
  onClose,
}: {
  open: boolean;
  partnerOrganizationId: string;
  clients: Partnership[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('partners.export.title')}
      description={t('partners.export.description')}
      size="md"
      testId="partner-export-dialog"
      // An export keeps nothing: closing it loses no work, so Escape never asks.
      dirty={false}
    >
      <ExportForm partnerOrganizationId={partnerOrganizationId} clients={clients} onClose={onClose} />
    </FormDialog>
  );
}

function ExportForm({
  partnerOrganizationId,
  clients,
  onClose,
}: {
  partnerOrganizationId: string;
  clients: Partnership[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const month = thisMonth();
  const [from, setFrom] = useState(month.from);
  const [to, setTo] = useState(month.to);
  const [format, setFormat] = useState<Format>('csv');
  const [profile, setProfile] = useState<CsvProfile>('spreadsheet');
  const [history, setHistory] = useState<History[]>(['invoices']);
  const [everyClient, setEveryClient] = useState(true);
  const [picked, setPicked] = useState<string[]>([]);
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);

  const dateError = from && to && from > to ? t('partners.export.periodBackwards') : null;
  const ready =
    from !== '' && to !== '' && !dateError && history.length > 0 && (everyClient || picked.length > 0);

  const toggleHistory = (h: History) => {
    // A CSV file holds one history type; a workbook a sheet per type.
    if (format === 'csv') setHistory([h]);
    else setHistory(history.includes(h) ? history.filter((x) => x !== h) : [...history, h]);
  };

  const run = async (which: Format) => {
    setBusy(which);
    setError(null);
    try {
      const result = await save('exports.clientsFile', {
        partnerOrganizationId,
        history: which === 'csv' ? history.slice(0, 1) : history,
        from,
        to,
        format: which,
        profile,
        clientIds: everyClient ? [] : picked,
        locale: documentLocale(i18n.language),
      });
      if (result.saved) toast.success(t('partners.export.saved', { file: result.fileName }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <DialogForm
      onSubmit={() => {
        if (ready) void run(format);
      }}
      onCancel={onClose}
      cancelLabel={t('common.close')}
      error={error}
      errorTestId="partner-export-error"
      submit={{
        label: format === 'csv' ? t('partners.export.downloadCsv') : t('partners.export.downloadXlsx'),
        loading: busy !== null,
        disabled: !ready || busy !== null,
        testId: 'partner-export-submit',
      }}
    >
      <div className="form-grid-2">
        <DateField
          label={t('partners.export.from')}
          value={from}
          onChange={setFrom}
          testId="partner-export-from"
        />
        <DateField
          label={t('partners.export.to')}
          value={to}
          onChange={setTo}
          error={dateError}
          testId="partner-export-to"
        />
      </div>
      <fieldset className="partner-fieldset">
        <legend className="field-label">{t('partners.export.format')}</legend>
        <div className="partner-inline">
          <span className="segmented" data-testid="partner-export-format">
            {(['csv', 'xlsx'] as const).map((f) => (
              <label key={f} className={`segment${format === f ? ' segment-on' : ''}`}>
                <input
                  type="radio"
                  name="client-export-format"
                  checked={format === f}
                  onChange={() => {
                    setFormat(f);
                    if (f === 'csv')
                      setHistory(history.slice(0, 1).length ? history.slice(0, 1) : ['invoices']);
                  }}
                  data-testid={`partner-export-format-${f}`}
                />
                {f.toUpperCase()}
              </label>
            ))}
          </span>
          {format === 'csv' && (
            <Select
              aria-label={t('invoices.export.profile')}
              value={profile}
              onChange={(e) => setProfile(e.target.value as CsvProfile)}
              options={CSV_PROFILES.map((p) => ({ value: p, label: t(`invoices.export.profiles.${p}`) }))}
              data-testid="partner-export-profile"
            />
          )}
        </div>
      </fieldset>
      <fieldset className="partner-fieldset">
        <legend className="field-label">{t('partners.export.history')}</legend>
        <p className="field-hint">
          {format === 'csv' ? t('partners.export.historyCsv') : t('partners.export.historyXlsx')}
        </p>
        <div className="partner-inline">
          {HISTORY.map((h) =>
            format === 'csv' ? (
              <label key={h} className="partner-radio">
                <input
                  type="radio"
                  name="client-export-history"
                  checked={history[0] === h}
                  onChange={() => toggleHistory(h)}
                  data-testid={`partner-export-history-${h}`}
                />
                {t(`partners.export.types.${h}`)}
              </label>
            ) : (
              <Checkbox
                key={h}
                label={t(`partners.export.types.${h}`)}
                checked={history.includes(h)}
                onChange={() => toggleHistory(h)}
                testId={`partner-export-history-${h}`}
              />
            ),
          )}
        </div>
      </fieldset>
      <fieldset className="partner-fieldset">
        <legend className="field-label">{t('partners.export.clients')}</legend>
        <Checkbox
          label={t('partners.export.everyClient', { count: clients.length })}
          checked={everyClient}
          onChange={(e) => setEveryClient(e.target.checked)}
          testId="partner-export-every-client"
        />
        {!everyClient && (
          <div className="partner-client-pick" data-testid="partner-export-clients">
            {clients.map((c) => (
              <Checkbox
                key={c.clientOrganizationId}
                label={c.clientName}
                checked={picked.includes(c.clientOrganizationId)}
                onChange={(e) =>
                  setPicked(
                    e.target.checked
                      ? [...picked, c.clientOrganizationId]
                      : picked.filter((id) => id !== c.clientOrganizationId),
                  )
                }
                testId="partner-export-client"
              />
            ))}
          </div>
        )}
      </fieldset>
    </DialogForm>
  );
}
