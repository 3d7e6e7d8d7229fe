import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import { SMTP_SECURITY, type SmtpSecurity } from '#common/enums';
import { call, type MethodOutput } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField, type TextFieldProps } from '../../ui/Field';
import { Card, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { OutboxList } from './OutboxList';
import { TemplateEditor } from './TemplateEditor';
import './mail.css';

/** Settings → E-mail: the firm's SMTP server, the message templates, the outbox. */
export function MailSettingsPage() {
  const { t } = useTranslation();
  const settings = useApi('mail.settings', {});
  return (
    <div className="page">
      <PageHeader title={t('mail.settings.title')} subtitle={t('mail.settings.subtitle')} />
      <div className="page-body page-narrow settings">
        {settings.data ? (
          <ServerCard settings={settings.data} />
        ) : (
          <LoadingBlock label={t('common.loading')} />
        )}
        <TemplateEditor />
        <Card title={t('mail.settings.outbox')} actions={<SendUnsentButton />}>
          <OutboxList showDocument />
        </Card>
      </div>
    </div>
  );
}

type Settings = MethodOutput<'mail.settings'>;

const PORTS: Record<SmtpSecurity, number> = { tls: 465, starttls: 587, none: 25 };
/** The server fields typed as text (the security is chosen, the password kept apart). */
type TextKey = 'host' | 'port' | 'user' | 'fromAddress' | 'fromName' | 'replyTo';

function ServerCard({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const smtp = settings.smtp;
  const [form, setForm] = useState({
    host: smtp?.host ?? '',
    port: String(smtp?.port ?? 587),
    security: (smtp?.security ?? 'starttls') as SmtpSecurity,
    user: smtp?.user ?? '',
    fromAddress: smtp?.fromAddress ?? '',
    fromName: smtp?.fromName ?? '',
    replyTo: smtp?.replyTo ?? '',
  });
  const [password, setPassword] = useState('');
  const [allowUntrusted, setAllowUntrusted] = useState(smtp?.allowUntrustedCertificate ?? false);
  const [error, setError] = useState<string | null>(null);
  const keychain = settings.password.source === 'keychain';
  const save = useApiMutation('mail.saveSettings', {
    onSuccess: () => {
      setError(null);
      setPassword('');
      toast.success(t('mail.settings.saved'));
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  const typed = () => ({
    host: form.host,
    port: Number.parseInt(form.port, 10) || 0,
    security: form.security,
    user: form.user.trim() || null,
    fromAddress: form.fromAddress,
    fromName: form.fromName.trim() || null,
    replyTo: form.replyTo.trim() || null,
    allowUntrustedCertificate: form.security !== 'none' && allowUntrusted,
  });
  // The settings as typed, saved or not: a wrong port or certificate shows here, not on the first invoice.
  const check = useApiMutation('mail.checkServer', {
    onSuccess: (result) => {
      if (result.problem)
        setError(translateError(result.problem.code, result.problem.params, resolveLocale(i18n.language)));
      else {
        setError(null);
        toast.success(t('mail.settings.checked', { server: result.server }));
      }
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const submit = () =>
    save.mutate({
      smtp: typed(),
      // The environment's password is not the page's to change; a keychain password only when typed.
      ...(keychain && password ? { password } : {}),
    });
  const variable = settings.password.variable;
  // One server field: labelled by its key, bound to it.
  const text = (key: TextKey, testId: string, more: Partial<TextFieldProps> = {}) => (
    <TextField label={t(`mail.settings.${key}`)} value={form[key]} onChange={set(key)} testId={testId} {...more} />
  );
  return (
    <Card title={t('mail.settings.server')}>
      <form
        className="mail-template"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="form-grid-2">
          {text('host', 'mail-host')}
          <SelectField
            label={t('mail.settings.security')}
            value={form.security}
            onChange={(e) => {
              const security = e.target.value as SmtpSecurity;
              setForm({ ...form, security, port: String(PORTS[security]) });
            }}
            options={SMTP_SECURITY.map((s) => ({
              value: s,
              label: t(
                `mail.settings.security${s === 'tls' ? 'Tls' : s === 'starttls' ? 'Starttls' : 'None'}`,
              ),
            }))}
            testId="mail-security"
          />
          {text('port', 'mail-port', { inputMode: 'numeric' })}
          {text('user', 'mail-user')}
          {text('fromAddress', 'mail-from-address', { inputMode: 'email' })}
          {text('fromName', 'mail-from-name')}
          {text('replyTo', 'mail-reply-to', { inputMode: 'email' })}
          {keychain ? (
            <TextField
              label={t('mail.settings.password')}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              hint={
                settings.password.present
                  ? t('mail.settings.passwordKept')
                  : t('mail.settings.passwordKeychain')
              }
              testId="mail-password"
            />
          ) : (
            <div className="field">
              <span className="field-label">{t('mail.settings.password')}</span>
              <p className="field-hint" data-testid="mail-password-environment">
                {/* The variable named once: the second sentence only says whether it is set. */}
                {t('mail.settings.passwordEnvironment', { variable })}{' '}
                {settings.password.present
                  ? t('mail.settings.passwordEnvironmentSet')
                  : t('mail.settings.passwordEnvironmentMissing')}
              </p>
            </div>
          )}
        </div>
        {form.security !== 'none' && (
          <Checkbox
            label={t('mail.settings.allowUntrusted')}
            description={t('mail.settings.allowUntrustedHint')}
            checked={allowUntrusted}
            onChange={(e) => setAllowUntrusted(e.target.checked)}
            testId="mail-allow-untrusted"
          />
        )}
        {error && (
          <Alert tone="error" testId="mail-settings-error">
            {error}
          </Alert>
        )}
        <div className="mail-actions">
          <Button
            loading={check.isPending}
            onClick={() => check.mutate({ smtp: typed(), ...(keychain && password ? { password } : {}) })}
            data-testid="mail-settings-check"
          >
            {t('mail.settings.check')}
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending} data-testid="mail-settings-save">
            {t('mail.settings.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** "Send all unsent": what would go (a dry run), asked, then sent in one go. */
function SendUnsentButton() {
  const { t } = useTranslation();
  const toast = useToast();
  const [numbers, setNumbers] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = useApiMutation('mail.sendUnsent', {
    onSuccess: (report) => {
      setNumbers(null);
      toast.success(
        t('mail.settings.unsentDone', {
          sent: report.queued.filter((m) => m.status === 'sent').length,
          waiting: report.queued.filter((m) => m.status === 'queued').length,
          skipped: report.skipped.length,
        }),
      );
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      const dry = await call('mail.sendUnsent', { dryRun: true });
      if (dry.wouldSend.length === 0) toast.info(t('mail.settings.nothingUnsent'));
      else setNumbers(dry.wouldSend);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const shown = numbers ?? [];
  return (
    <>
      <Button size="sm" onClick={() => void ask()} loading={busy} data-testid="mail-send-unsent">
        {t('mail.settings.sendUnsent')}
      </Button>
      <ConfirmDialog
        open={numbers !== null}
        title={t('mail.settings.sendUnsentTitle')}
        body={t('mail.settings.sendUnsentBody', {
          count: shown.length,
          numbers: shown.slice(0, 12).join(', ') + (shown.length > 12 ? ' …' : ''),
        })}
        confirmLabel={t('mail.settings.sendUnsent')}
        tone="primary"
        busy={send.isPending}
        error={error}
        onConfirm={() => send.mutate({})}
        onClose={() => setNumbers(null)}
      />
    </>
  );
}
