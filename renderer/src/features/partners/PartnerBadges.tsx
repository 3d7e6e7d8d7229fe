import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '../../ui/Badge';
import type { Access, Payment, Status } from './partner-ui';

const STATUS_TONE: Record<Status, BadgeTone> = {
  invited: 'amber',
  active: 'green',
  refused: 'red',
  withdrawn: 'neutral',
  ended: 'neutral',
};

export function AccessBadge({ access }: { access: Access }) {
  const { t } = useTranslation();
  return (
    <Badge tone={access === 'complete' ? 'violet' : 'blue'} testId="partner-access">
      {t(`partners.access.${access}`)}
    </Badge>
  );
}

/** Whose payment methods pay; limited access has no arrangement, so no badge. */
export function PaymentBadge({ payment }: { payment: Payment | null }) {
  const { t } = useTranslation();
  if (!payment) return null;
  return (
    <Badge tone="accent" testId="partner-payment">
      {t(`partners.payment.${payment}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge tone={STATUS_TONE[status]} testId="partner-status">
      {t(`partners.status.${status}`)}
    </Badge>
  );
}
