import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { href } from '../../app/router';

/** Invoices | Reminders | Received: three addresses under one page header. */
export function InvoicesTabs({
  orgId,
  current,
}: {
  orgId: string;
  current: 'invoices' | 'reminders' | 'received';
}) {
  const { t } = useTranslation();
  const overdue = useApi('invoices.overdue', { organizationId: orgId });
  const items = [
    { id: 'invoices' as const, label: t('invoices.tabs.invoices'), count: undefined },
    { id: 'reminders' as const, label: t('invoices.tabs.reminders'), count: overdue.data?.length },
    { id: 'received' as const, label: t('einvoice.received.tab'), count: undefined },
  ];
  return (
    <nav className="tabs" aria-label={t('invoices.tabs.label')}>
      {items.map((item) => (
        <a
          key={item.id}
          href={href({ name: item.id, orgId })}
          className={`tab${item.id === current ? ' tab-active' : ''}`}
          aria-current={item.id === current ? 'page' : undefined}
          data-testid={`invoices-tab-${item.id}`}
        >
          {item.label}
          {item.count !== undefined && item.count > 0 && <span className="tab-count">{item.count}</span>}
        </a>
      ))}
    </nav>
  );
}
