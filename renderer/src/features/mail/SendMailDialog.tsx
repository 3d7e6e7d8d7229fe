import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi } from '../../api/queries';
import { href } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Dialog, DialogForm } from '../../ui/Dialog';
import { TextArea, TextField } from '../../ui/Field';
import { LoadingBlock } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { type MailTarget, problemText, splitAddresses } from './mail-ui';
import './mail.css';

/**
 * "Send by e-mail" on an issued document: the message the template makes (recipient from the
 * billing e-mail it was issued to), editable, with the files it will carry. Sending queues it
 * and tries at once; a server that cannot be reached leaves it waiting in the outbox.
 */
export function SendMailDialog({
  target,
  number,
  open,
  onClose,
}: {
  /** An issued invoice or credit note by id, or a payment reminder. */
  target: MailTarget;
  /** How the dialog's title names it (the number, or the reminder's). */
  number: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('mail.dialogTitle', { number })}
      description={t('mail.dialogDescription')}
      size="lg"
      testId="send-mail-dialog"
      bare
    >
      {open && <SendMailForm target={target} number={number} onClose={onClose} />}
    </Dialog>
  );
}

function SendMailForm({
  target,
  number,
  onClose,
}: {
  target: MailTarget;
  number: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const client = useQueryClient();
  const preview = useApi('mail.preview', target, { staleTime: 0 });
  const [edits, setEdits] = useState<{ to?: string; subject?: string; body?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (preview.isPending) return <LoadingBlock label={t('common.loading')} />;
  if (preview.error || !preview.data)
    return (
      <div className="dialog-body">
        <Alert tone="error" testId="send-mail-error">
          {errorMessage(preview.error)}
        </Alert>
      </div>
    );
  const draft = preview.data;
  const to = edits.to ?? draft.to.join(', ');
  const subject = edits.subject ?? draft.subject;
  const body = edits.body ?? draft.body;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const message = await call('mail.send', { ...target, to: splitAddresses(to), subject, body });
      invalidateAfter(client, 'mail.send');
      const reason = problemText(message, i18n.language);
      if (message.status === 'sent') {
        toast.success(t('mail.sent', { number, to: message.recipients.join(', ') }));
        onClose();
      } else if (message.status === 'queued') {
        toast.info(t('mail.queued', { number, reason }));
        onClose();
      } else setError(t('mail.notSent', { number, reason }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <DialogForm
      onSubmit={() => {
        void submit();
      }}
      onCancel={onClose}
      error={error}
      errorTestId="send-mail-error"
      bodyClassName="mail-form"
      submit={{
        label: t('mail.submit'),
        loading: busy,
        disabled: !draft.configured,
        testId: 'send-mail-submit',
      }}
    >
      {!draft.configured && (
        <Alert
          tone="warning"
          testId="send-mail-no-server"
          action={
            <a className="btn btn-secondary btn-sm" href={href({ name: 'mail' })} onClick={onClose}>
              {t('mail.setUpServer')}
            </a>
          }
        >
          {t('mail.noServer')}
        </Alert>
      )}
      <TextField
        label={t('mail.to')}
        hint={t('mail.toHint')}
        value={to}
        onChange={(e) => setEdits({ ...edits, to: e.target.value })}
        type="text"
        inputMode="email"
        autoComplete="off"
        testId="send-mail-to"
      />
      <TextField
        label={t('mail.subject')}
        value={subject}
        onChange={(e) => setEdits({ ...edits, subject: e.target.value })}
        maxLength={300}
        testId="send-mail-subject"
      />
      <TextArea
        label={t('mail.body')}
        value={body}
        onChange={(e) => setEdits({ ...edits, body: e.target.value })}
        rows={9}
        maxLength={20_000}
        testId="send-mail-body"
      />
      <div className="mail-attachments" data-testid="send-mail-attachments">
        <span className="field-label">{t('mail.attachments')}</span>
        <ul>
          {draft.attachments.map((a) => (
            <li key={a.fileName}>
              <span className="mail-file">{a.fileName}</span>
              <span className="muted"> · {Math.max(1, Math.round(a.bytes / 1024))} KB</span>
            </li>
          ))}
        </ul>
      </div>
    </DialogForm>
  );
}
