import { useTranslation } from 'react-i18next';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { useToast } from '../../ui/Toast';
import { MAIL_STATUS_TONES, type OutboxMessage, problemText } from './mail-ui';
import './mail.css';

/**
 * What this computer sent, or waits to send: of one document (its page) or of all (Settings →
 * E-mail). A waiting or refused message says why in words and can be tried again.
 */
export function OutboxList({
  documentId,
  showDocument = false,
}: {
  documentId?: string;
  showDocument?: boolean;
}) {
  const { t } = useTranslation();
  const outbox = useApi('mail.outbox', documentId ? { documentId, limit: 20 } : { limit: 100 }, {
    keepPrevious: true,
  });
  const rows = outbox.data ?? [];
  if (outbox.isPending) return null;
  if (rows.length === 0)
    return (
      <p className="field-hint" data-testid="mail-outbox-empty">
        {documentId ? t('mail.historyEmpty') : t('mail.settings.outboxEmpty')}
      </p>
    );
  return (
    <ul className="mail-outbox" data-testid="mail-outbox">
      {rows.map((m) => (
        <OutboxRow key={m.id} message={m} showDocument={showDocument} />
      ))}
    </ul>
  );
}

function OutboxRow({ message, showDocument }: { message: OutboxMessage; showDocument: boolean }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const retry = useApiMutation('mail.retry', {
    onSuccess: (m) => {
      if (m.status === 'sent')
        toast.success(t('mail.sent', { number: m.documentLabel, to: m.recipients.join(', ') }));
      else toast.info(t('mail.queued', { number: m.documentLabel, reason: problemText(m, i18n.language) }));
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const to = message.recipients.join(', ');
  const reason = problemText(message, i18n.language);
  return (
    <li className="mail-outbox-row" data-testid="mail-outbox-row" data-status={message.status}>
      <div className="mail-outbox-head">
        <Badge tone={MAIL_STATUS_TONES[message.status]} testId="mail-outbox-status">
          {t(`mail.status.${message.status}`)}
        </Badge>
        {showDocument && <strong className="mail-outbox-doc">{message.documentLabel}</strong>}
        <span className="mail-outbox-when">
          {message.status === 'sent'
            ? t('mail.sentAt', { when: fmt.dateTime(message.sentAt), to })
            : t('mail.queuedAt', { when: fmt.dateTime(message.createdAt), to })}
        </span>
        {message.status !== 'sent' && (
          <Button
            size="sm"
            onClick={() => retry.mutate({ id: message.id })}
            loading={retry.isPending}
            data-testid="mail-outbox-retry"
          >
            {t('mail.retry')}
          </Button>
        )}
      </div>
      <div className="mail-outbox-subject">{message.subject}</div>
      {reason && (
        <div
          className={`mail-outbox-reason mail-outbox-reason-${message.status}`}
          data-testid="mail-outbox-reason"
        >
          {reason}
          {message.status === 'queued' && message.nextAttemptAt
            ? ` (${t('mail.nextAttempt', { when: fmt.dateTime(message.nextAttemptAt) })})`
            : ''}
        </div>
      )}
    </li>
  );
}
