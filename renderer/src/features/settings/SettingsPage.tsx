import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isElectron, save } from '../../api/client';
import { readBase64 } from '../../api/files';
import { useApi, useApiMutation } from '../../api/queries';
import { type LanguagePreference, setLanguagePreference, useLanguagePreference } from '../../i18n';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import {
  FORMAT_REGIONS,
  type FormatPreference,
  setFormatPreference,
  useFormatPreference,
} from '../../i18n/regions';
import { setThemePreference, type ThemePreference, useThemePreference } from '../../theme/theme';
import { Alert } from '../../ui/Alert';
import { QueryState } from '../../ui/QueryState';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { IconDatabase } from '../../ui/icons';
import { Card, PageHeader } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <div className="page-body page-narrow settings">
        <AppearanceCard />
        <ActingPersonCard />
        <IssuerCard />
        <MailCard />
        <DatabaseCard />
      </div>
    </div>
  );
}

function AppearanceCard() {
  const { t } = useTranslation();
  const language = useLanguagePreference();
  const theme = useThemePreference();
  const formats = useFormatPreference();
  const fmt = useFormat();
  return (
    <Card title={t('settings.appearance')}>
      <div className="form-grid-2">
        <SelectField
          label={t('settings.language')}
          value={language}
          onChange={(e) => setLanguagePreference(e.target.value as LanguagePreference)}
          options={[
            { value: 'system', label: t('settings.languageSystem') },
            { value: 'en', label: 'English' },
            { value: 'fr', label: 'Français' },
            { value: 'de', label: 'Deutsch' },
          ]}
          hint={t('settings.languageHint')}
          testId="settings-language"
        />
        <SelectField
          label={t('settings.theme')}
          value={theme}
          onChange={(e) => setThemePreference(e.target.value as ThemePreference)}
          options={[
            { value: 'system', label: t('settings.themeSystem') },
            { value: 'light', label: t('settings.themeLight') },
            { value: 'dark', label: t('settings.themeDark') },
          ]}
          hint={t('settings.themeHint')}
          testId="settings-theme"
        />
        <SelectField
          label={t('settings.formats')}
          value={formats}
          onChange={(e) => setFormatPreference(e.target.value as FormatPreference)}
          options={[
            { value: 'auto', label: t('settings.formatsAuto') },
            ...FORMAT_REGIONS.map((r) => ({ value: r, label: regionName(r, fmt.locale) })),
          ]}
          hint={t('settings.formatsHint', { money: fmt.money(180_000, 'CHF'), date: fmt.date('2026-12-07') })}
          testId="settings-formats"
        />
      </div>
    </Card>
  );
}

/** "Deutsch (Schweiz)", in the interface's language. */
function regionName(region: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(region) ?? region;
  } catch {
    return region;
  }
}

function ActingPersonCard() {
  const { t } = useTranslation();
  const toast = useToast();
  const settings = useApi('settings.get', {});
  const people = useApi('people.list', {});
  const set = useApiMutation('settings.setActingPerson', {
    onSuccess: (s) => {
      const person = people.data?.find((p) => p.id === s.actingPersonId);
      toast.success(person ? t('settings.actingSet', { name: person.name }) : t('settings.actingCleared'));
    },
    onError: (e) => toast.error(e.message),
  });
  return (
    <Card title={t('settings.acting')}>
      <SelectField
        label={t('settings.actingLabel')}
        value={settings.data?.actingPersonId ?? ''}
        disabled={!settings.data || set.isPending}
        onChange={(e) => set.mutate({ personId: e.target.value || null })}
        options={[
          { value: '', label: t('settings.actingNobody') },
          ...(people.data ?? []).map((p) => ({ value: p.id, label: `${p.name} — ${p.email}` })),
        ]}
        hint={t('settings.actingHint')}
        testId="settings-acting-person"
      />
    </Card>
  );
}

/** The way to Settings → E-mail (features/mail). */
function MailCard() {
  const { t } = useTranslation();
  return (
    <Card
      title={t('mail.settings.title')}
      actions={
        <a className="btn btn-secondary btn-sm" href={href({ name: 'mail' })} data-testid="settings-mail">
          {t('mail.settings.open')}
        </a>
      }
    >
      <p className="field-hint">{t('mail.settings.cardHint')}</p>
    </Card>
  );
}

/** The firm that issues the invoices: what it lacks, and the way to its form. */
function IssuerCard() {
  const { t } = useTranslation();
  const firm = useApi('firm.get', {});
  const data = firm.data;
  return (
    <Card
      title={t('firm.card')}
      actions={
        <a className="btn btn-secondary btn-sm" href={href({ name: 'firm' })} data-testid="settings-firm">
          {data?.organization ? t('firm.cardEdit') : t('firm.cardSetUp')}
        </a>
      }
    >
      {!data ? null : !data.organization ? (
        <p className="field-hint">{t('firm.cardNone')}</p>
      ) : (
        <p data-testid="settings-firm-summary">
          <strong>{data.organization.name}</strong>
          {' · '}
          {data.gaps.length === 0
            ? t('firm.cardReady')
            : `${t('firm.gapsIntro')} ${data.gaps.map((g) => t(`firm.gaps.${g}`)).join(', ')}`}
        </p>
      )}
    </Card>
  );
}

function DatabaseCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const info = useApi('system.info', {});
  const [restoreFile, setRestoreFile] = useState<File | null>(null);
  const [confirmRestore, setConfirmRestore] = useState(false);
  const [backingUp, setBackingUp] = useState(false);
  const [backupError, setBackupError] = useState<string | null>(null);
  // A file like any export: the browser saves it, the desktop shell asks where.
  const backup = async () => {
    setBackingUp(true);
    setBackupError(null);
    try {
      const result = await save('system.backupFile', {});
      if (result.saved)
        toast.success(
          t('settings.backupDone', {
            file: result.fileName,
            size: fmt.number(Math.round(result.bytes / 1024)),
          }),
        );
    } catch (e) {
      setBackupError(e instanceof Error ? e.message : String(e));
    } finally {
      setBackingUp(false);
    }
  };
  const restore = useApiMutation('system.restoreUpload', {
    onSuccess: (r) => {
      setConfirmRestore(false);
      toast.success(t('settings.restoreDone', { file: r.restoredFrom, safety: r.safetyCopy }));
      // Everything on screen came from the previous file.
      void client.invalidateQueries();
    },
  });

  return (
    <Card title={t('settings.database')}>
      <QueryState query={info}>
        {(data) => (
          <dl className="details" data-testid="settings-info">
            <div className="details-row">
              <dt>{t('settings.file')}</dt>
              <dd className="mono break">{data.databaseFile}</dd>
            </div>
            <div className="details-row">
              <dt>{t('settings.appVersion')}</dt>
              <dd>{data.appVersion}</dd>
            </div>
            <div className="details-row">
              <dt>{t('settings.schemaVersion')}</dt>
              <dd>{data.schemaVersion}</dd>
            </div>
            <div className="details-row">
              <dt>{t('settings.device')}</dt>
              <dd className="mono break">{data.deviceId}</dd>
            </div>
            <div className="details-row">
              <dt>{t('settings.runningIn')}</dt>
              <dd>{isElectron() ? t('settings.desktop') : t('settings.browser')}</dd>
            </div>
            {data.backupBeforeMigration && (
              <div className="details-row">
                <dt>{t('settings.migrationBackup')}</dt>
                <dd className="mono break">{data.backupBeforeMigration}</dd>
              </div>
            )}
          </dl>
        )}
      </QueryState>

      <div className="settings-section">
        <h3 className="settings-section-title">
          <IconDatabase size={14} /> {t('settings.backup')}
        </h3>
        <p className="field-hint">{t('settings.backupHint')}</p>
        <div className="inline-form">
          <Button loading={backingUp} onClick={() => void backup()} data-testid="settings-backup">
            {t('settings.backupNow')}
          </Button>
        </div>
        {backupError && (
          <Alert tone="error" testId="settings-backup-error">
            {backupError}
          </Alert>
        )}
      </div>

      <div className="settings-section">
        <h3 className="settings-section-title">{t('settings.restore')}</h3>
        <p className="field-hint">{t('settings.restoreHint')}</p>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!restoreFile) return;
            restore.reset();
            setConfirmRestore(true);
          }}
        >
          <TextField
            label={t('settings.restorePath')}
            type="file"
            onChange={(e) => setRestoreFile(e.target.files?.[0] ?? null)}
            testId="settings-restore-path"
            fieldClassName="grow"
          />
          <Button type="submit" variant="danger" disabled={!restoreFile} data-testid="settings-restore">
            {t('settings.restoreNow')}
          </Button>
        </form>
      </div>
      <ConfirmDialog
        open={confirmRestore}
        title={t('settings.restoreTitle')}
        body={t('settings.restoreBody', { file: restoreFile?.name ?? '' })}
        confirmLabel={t('settings.restoreNow')}
        busy={restore.isPending}
        error={restore.error?.message}
        onConfirm={() => {
          if (!restoreFile) return;
          void readBase64(restoreFile).then((contentBase64) =>
            restore.mutate({ fileName: restoreFile.name, contentBase64 }),
          );
        }}
        onClose={() => setConfirmRestore(false)}
      />
    </Card>
  );
}
