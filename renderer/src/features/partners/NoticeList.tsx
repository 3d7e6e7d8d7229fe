import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import type { Notice, Partnership } from './partner-ui';

/** What a notice's before/after say, read defensively: they are stored JSON. */
function field(value: Record<string, unknown> | null, key: string): string | null {
  const v = value?.[key];
  return typeof v === 'string' ? v : null;
}

/** Changes a partner's clients made (payment arrangement, access): seen until marked so. */
export function NoticeList({
  orgId,
  notices,
  partnerships,
}: {
  orgId: string;
  notices: Notice[];
  partnerships: Partnership[];
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const seen = useApiMutation('partners.markNoticesSeen');
  if (notices.length === 0) return null;
  const clientOf = new Map(partnerships.map((p) => [p.id, p.clientName]));

  const describe = (n: Notice): string => {
    const client = clientOf.get(n.partnershipId) ?? '';
    if (n.kind === 'payment_changed') {
      const after = field(n.after, 'payment');
      return t('partners.notices.paymentChanged', {
        client,
        payment: after === 'partner' || after === 'client' ? t(`partners.payment.${after}`) : '',
      });
    }
    if (n.kind === 'access_changed') {
      const access = field(n.after, 'access');
      const payment = field(n.after, 'payment');
      return t('partners.notices.accessChanged', {
        client,
        access: access === 'limited' || access === 'complete' ? t(`partners.access.${access}`) : '',
        payment:
          payment === 'partner' || payment === 'client' ? ` · ${t(`partners.payment.${payment}`)}` : '',
      });
    }
    return t('partners.notices.ended', { client });
  };

  return (
    <Alert
      tone="warning"
      title={t('partners.notices.title', { count: notices.length })}
      testId="partner-notices"
      action={
        <Button
          size="sm"
          loading={seen.isPending}
          onClick={() => seen.mutate({ organizationId: orgId })}
          data-testid="partner-notices-seen"
        >
          {t('partners.notices.markSeen')}
        </Button>
      }
    >
      <ul className="partner-notices">
        {notices.map((n) => (
          <li key={n.id} data-testid="partner-notice" data-kind={n.kind}>
            <span>{describe(n)}</span> <span className="muted">{fmt.dateTime(n.createdAt)}</span>
          </li>
        ))}
      </ul>
      {seen.error && <p className="field-error">{seen.error.message}</p>}
    </Alert>
  );
}
