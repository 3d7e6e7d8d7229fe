import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DOCUMENT_LOCALES,
  type DocumentLocale,
  MAIL_DOCUMENT_KINDS,
  type MailDocumentKind,
} from '#common/enums';
import type { MethodOutput } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { SelectField, TextArea, TextField } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';

/** The message each document kind is sent with, per language: the firm's own text or Kontor's. */
export function TemplateEditor() {
  const { t } = useTranslation();
  const templates = useApi('mail.templates', {});
  const [kind, setKind] = useState<MailDocumentKind>('invoice');
  const [locale, setLocale] = useState<DocumentLocale>('de');
  const current = templates.data?.templates.find((x) => x.kind === kind && x.locale === locale);
  return (
    <Card title={t('mail.settings.templates')}>
      <div className="form-grid-2">
        <SelectField
          label={t('mail.settings.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as MailDocumentKind)}
          options={MAIL_DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`mail.settings.kinds.${k}`) }))}
          testId="mail-template-kind"
        />
        <SelectField
          label={t('mail.settings.language')}
          value={locale}
          onChange={(e) => setLocale(e.target.value as DocumentLocale)}
          options={DOCUMENT_LOCALES.map((l) => ({ value: l, label: t(`mail.settings.languages.${l}`) }))}
          testId="mail-template-locale"
        />
      </div>
      {current && (
        // Keyed by kind and language: switching starts from that template's stored text.
        <TemplateForm
          key={`${kind}/${locale}/${current.custom}/${current.subject}`}
          template={current}
          placeholders={templates.data?.placeholders ?? []}
        />
      )}
    </Card>
  );
}

type Template = MethodOutput<'mail.templates'>['templates'][number];

function TemplateForm({ template, placeholders }: { template: Template; placeholders: readonly string[] }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [error, setError] = useState<string | null>(null);
  const save = useApiMutation('mail.saveTemplate', {
    onSuccess: () => {
      setError(null);
      toast.success(t('mail.settings.templateSaved'));
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const reset = useApiMutation('mail.resetTemplate', { onError: (e) => setError(errorMessage(e)) });
  const key = { kind: template.kind, locale: template.locale };
  return (
    <form
      className="mail-template"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ ...key, subject, body });
      }}
    >
      <p className="field-hint">
        <Badge tone={template.custom ? 'blue' : 'neutral'} testId="mail-template-origin">
          {template.custom ? t('mail.settings.custom') : t('mail.settings.default')}
        </Badge>{' '}
        {t('mail.settings.templatesHint', { placeholders: placeholders.map((p) => `{${p}}`).join(' ') })}
      </p>
      <TextField
        label={t('mail.subject')}
        value={subject}
        onChange={(e) => setSubject(e.target.value)}
        maxLength={300}
        testId="mail-template-subject"
      />
      <TextArea
        label={t('mail.body')}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        rows={9}
        maxLength={20_000}
        testId="mail-template-body"
      />
      {error && (
        <Alert tone="error" testId="mail-template-error">
          {error}
        </Alert>
      )}
      <div className="mail-actions">
        {template.custom && (
          <Button
            onClick={() => reset.mutate(key)}
            loading={reset.isPending}
            data-testid="mail-template-reset"
          >
            {t('mail.settings.reset')}
          </Button>
        )}
        <Button type="submit" variant="primary" loading={save.isPending} data-testid="mail-template-save">
          {t('mail.settings.saveTemplate')}
        </Button>
      </div>
    </form>
  );
}
