import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organization, OrganizationStats } from '../../api/types';
import { href, type Route } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { IconArrowRight, IconBox, IconMapPin, IconTag, IconUsers } from '../../ui/icons';
import { Card } from '../../ui/Layout';
import { BillingSettingsCard } from './BillingSettingsCard';
import { ReminderLevelsCard } from './ReminderLevelsCard';

function Stat({
  label,
  value,
  icon,
  to,
  testId,
}: {
  label: string;
  value: string;
  icon: ReactNode;
  to: Route;
  testId: string;
}) {
  return (
    <a className="stat" href={href(to)} data-testid={testId}>
      <span className="stat-icon">{icon}</span>
      <span className="stat-value">{value}</span>
      <span className="stat-label">
        {label}
        <IconArrowRight size={12} />
      </span>
    </a>
  );
}

export function OverviewPanel({ org, stats }: { org: Organization; stats: OrganizationStats | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const n = (v: number | undefined) => (v === undefined ? '–' : fmt.number(v));
  const rows: [string, ReactNode][] = [
    [t('org.overview.kind'), t(`kinds.${org.kind}`)],
    [t('org.overview.country'), `${fmt.country(org.country)} (${org.country})`],
    [t('org.overview.currency'), org.currency],
    [
      org.country === 'CH' ? t('org.overview.uid') : t('org.overview.vatNumber'),
      org.uid ?? org.vatNumber ?? <span className="muted">{t('org.overview.noTaxId')}</span>,
    ],
    [
      t('org.overview.reminders'),
      org.renewalReminderDays
        ? t('org.form.remindersDays', { count: org.renewalReminderDays })
        : t('org.form.remindersOff'),
    ],
    [t('org.overview.createdAt'), fmt.dateTime(org.createdAt)],
    [t('org.overview.updatedAt'), fmt.dateTime(org.updatedAt)],
  ];
  return (
    <div className="overview">
      <div className="stats">
        <Stat
          label={t('org.overview.products')}
          value={n(stats?.products)}
          icon={<IconBox />}
          to={{ name: 'products', orgId: org.id, tagIds: [] }}
          testId="stat-products"
        />
        <Stat
          label={t('org.overview.tags')}
          value={n(stats?.tags)}
          icon={<IconTag />}
          to={{ name: 'tags', orgId: org.id }}
          testId="stat-tags"
        />
        <Stat
          label={t('org.overview.members')}
          value={n(stats?.members)}
          icon={<IconUsers />}
          to={{ name: 'org', orgId: org.id, tab: 'members' }}
          testId="stat-members"
        />
        <Stat
          label={t('org.overview.addresses')}
          value={n(stats?.addresses)}
          icon={<IconMapPin />}
          to={{ name: 'org', orgId: org.id, tab: 'addresses' }}
          testId="stat-addresses"
        />
      </div>
      <Card title={t('org.overview.details')}>
        <dl className="details">
          {rows.map(([label, value]) => (
            <div className="details-row" key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <BillingSettingsCard key={org.updatedAt} org={org} />
      <ReminderLevelsCard key={org.id} org={org} />
    </div>
  );
}
