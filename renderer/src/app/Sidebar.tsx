import { type ReactNode, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { getConnectionState, isElectron, onConnectionState } from '../api/client';
import { IconBank, IconRefresh } from '../features/billing/icons';
import { IconBell } from '../features/invoices/icons';
import { IconInvoice, IconWallet } from '../features/invoices/icons';
import { IconChart, IconHandshake } from '../features/partners/icons';
import { useFormat } from '../i18n/format';
import {
  IconActivity,
  IconBox,
  IconBuilding,
  IconGlobe,
  IconGrid,
  IconMapPin,
  IconSearch,
  IconSettings,
  IconTag,
  IconTeam,
  IconUpload,
  IconUsers,
} from '../ui/icons';
import { ActingAs } from './ActingAs';
import { useCurrentOrg } from './current-org';
import { href, type Route, useRoute } from './router';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { OrgSwitcher } from './OrgSwitcher';
import { openSearchPalette } from './SearchPalette';

function NavLink({
  to,
  icon,
  children,
  active,
  testId,
  count,
}: {
  to: Route;
  icon: ReactNode;
  children: ReactNode;
  active: boolean;
  testId: string;
  count?: string;
}) {
  return (
    <a
      href={href(to)}
      className={`nav-link${active ? ' nav-link-active' : ''}`}
      aria-current={active ? 'page' : undefined}
      data-testid={testId}
    >
      <span className="nav-icon">{icon}</span>
      <span className="nav-label">{children}</span>
      {count !== undefined && <span className="nav-count">{count}</span>}
    </a>
  );
}

function ConnectionIndicator() {
  const { t } = useTranslation();
  const state = useSyncExternalStore(onConnectionState, getConnectionState);
  if (isElectron() || state === 'live' || state === 'connecting') return null;
  return (
    <p className={`connection connection-${state}`} role="status" data-testid="connection-state">
      <span className="connection-dot" aria-hidden="true" />
      {state === 'refused' ? t('app.connectionRefused') : t('app.reconnecting')}
    </p>
  );
}

export function Sidebar({ onCreateOrganization }: { onCreateOrganization: () => void }) {
  const { t } = useTranslation();
  const route = useRoute();
  const { org, orgId } = useCurrentOrg();
  const fmt = useFormat();
  const tab = route.name === 'org' ? route.tab : null;

  return (
    <aside className="sidebar">
      <div className="sidebar-top">
        <OrgSwitcher onCreate={onCreateOrganization} />
        <button type="button" className="sidebar-search" onClick={openSearchPalette} data-testid="open-search">
          <IconSearch size={14} />
          <span>{t('search.shortcut')}</span>
        </button>
      </div>
      <nav className="sidebar-nav" aria-label={t('nav.label')}>
        <NavLink
          to={{ name: 'organizations' }}
          icon={<IconGrid />}
          active={route.name === 'organizations'}
          testId="nav-organizations"
        >
          {t('nav.organizations')}
        </NavLink>
        <NavLink
          to={{ name: 'import' }}
          icon={<IconUpload />}
          active={route.name === 'import'}
          testId="nav-import"
        >
          {t('nav.import')}
        </NavLink>
        {/* Always here: before a hub is configured, this is where one is connected. */}
        <NavLink to={{ name: 'sync' }} icon={<IconGlobe />} active={route.name === 'sync'} testId="nav-sync">
          {t('nav.sync')}
        </NavLink>
        <p className="nav-section">{t('billing.nav.section')}</p>
        <NavLink
          to={{ name: 'renewals' }}
          icon={<IconRefresh />}
          active={route.name === 'renewals'}
          testId="nav-renewals"
        >
          {t('billing.nav.renewals')}
        </NavLink>
        <NavLink
          to={{ name: 'statements' }}
          icon={<IconBank />}
          active={route.name === 'statements'}
          testId="nav-statements"
        >
          {t('billing.nav.statements')}
        </NavLink>
        <NavLink
          to={{ name: 'dunning' }}
          icon={<IconBell />}
          active={route.name === 'dunning'}
          testId="nav-dunning"
        >
          {t('dunning.nav')}
        </NavLink>
        <p className="nav-section">{t('partners.nav.section')}</p>
        <NavLink
          to={{ name: 'partnerClients' }}
          icon={<IconUsers />}
          active={route.name === 'partnerClients' || route.name === 'partnerClient'}
          testId="nav-partner-clients"
        >
          {t('partners.nav.clients')}
        </NavLink>
        <NavLink
          to={{ name: 'partnerDashboard' }}
          icon={<IconChart />}
          active={route.name === 'partnerDashboard'}
          testId="nav-partner-dashboard"
        >
          {t('partners.nav.dashboard')}
        </NavLink>
        <NavLink
          to={{ name: 'myPartners' }}
          icon={<IconHandshake />}
          active={route.name === 'myPartners'}
          testId="nav-my-partners"
        >
          {t('partners.nav.mine')}
        </NavLink>
        {orgId && (
          <>
            <p className="nav-section" title={org?.name}>
              {org?.name ?? t('nav.organization')}
            </p>
            <NavLink
              to={{ name: 'org', orgId, tab: 'overview' }}
              icon={<IconBuilding />}
              active={tab === 'overview'}
              testId="nav-overview"
            >
              {t('nav.overview')}
            </NavLink>
            <NavLink
              to={{ name: 'products', orgId, tagIds: [] }}
              icon={<IconBox />}
              active={route.name === 'products'}
              testId="nav-products"
              count={org ? fmt.number(org.productCount) : undefined}
            >
              {t('nav.products')}
            </NavLink>
            <NavLink
              to={{ name: 'invoices', orgId }}
              icon={<IconInvoice />}
              active={
                route.name === 'invoices' ||
                route.name === 'invoice' ||
                route.name === 'reminders' ||
                route.name === 'received' ||
                route.name === 'receivedDoc'
              }
              testId="nav-invoices"
            >
              {t('nav.invoices')}
            </NavLink>
            <NavLink
              to={{ name: 'ledger', orgId }}
              icon={<IconWallet />}
              active={route.name === 'ledger'}
              testId="nav-ledger"
            >
              {t('nav.ledger')}
            </NavLink>
            <NavLink
              to={{ name: 'tags', orgId }}
              icon={<IconTag />}
              active={route.name === 'tags'}
              testId="nav-tags"
            >
              {t('nav.tags')}
            </NavLink>
            <NavLink
              to={{ name: 'org', orgId, tab: 'members' }}
              icon={<IconUsers />}
              active={tab === 'members'}
              testId="nav-members"
              count={org ? fmt.number(org.memberCount) : undefined}
            >
              {t('nav.members')}
            </NavLink>
            <NavLink
              to={{ name: 'org', orgId, tab: 'addresses' }}
              icon={<IconMapPin />}
              active={tab === 'addresses'}
              testId="nav-addresses"
            >
              {t('nav.addresses')}
            </NavLink>
            <NavLink
              to={{ name: 'org', orgId, tab: 'teams' }}
              icon={<IconTeam />}
              active={tab === 'teams'}
              testId="nav-teams"
            >
              {t('nav.teams')}
            </NavLink>
            <NavLink
              to={{ name: 'org', orgId, tab: 'activity' }}
              icon={<IconActivity />}
              active={tab === 'activity'}
              testId="nav-activity"
            >
              {t('nav.activity')}
            </NavLink>
          </>
        )}
      </nav>
      <div className="sidebar-bottom">
        <ConnectionIndicator />
        <ActingAs />
        <SyncIndicator />
        <NavLink
          to={{ name: 'settings' }}
          icon={<IconSettings />}
          active={route.name === 'settings' || route.name === 'firm' || route.name === 'mail'}
          testId="nav-settings"
        >
          {t('nav.settings')}
        </NavLink>
      </div>
    </aside>
  );
}
