import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { hasToken, subscribeChanges } from './api/client';
import { invalidateAfter } from './api/queries';
import { useCurrentOrg } from './app/current-org';
import { useRoute } from './app/router';
import { SearchPalette } from './app/SearchPalette';
import { Sidebar } from './app/Sidebar';
import { RenewalsPage } from './features/billing/RenewalsPage';
import { DunningPage } from './features/dunning/DunningPage';
import { StatementsPage } from './features/billing/StatementsPage';
import { ImportPage } from './features/imports/ImportPage';
import { InvoicePage, pageKeyOf } from './features/invoices/InvoicePage';
import { InvoicesPage } from './features/invoices/InvoicesPage';
import { RemindersPage } from './features/invoices/RemindersPage';
import { LedgerPage } from './features/ledger/LedgerPage';
import { OrganizationDetail } from './features/organizations/OrganizationDetail';
import {
  OrganizationDialogsProvider,
  useOrganizationDialogs,
} from './features/organizations/OrganizationDialogs';
import { OrganizationsPage } from './features/organizations/OrganizationsPage';
import { ClientDetail } from './features/partners/ClientDetail';
import { ClientPartners } from './features/partners/ClientPartners';
import { Dashboard } from './features/partners/Dashboard';
import { PartnerArea } from './features/partners/PartnerArea';
import { ProductsPage } from './features/products/ProductsPage';
import { ReceivedPage } from './features/received/ReceivedPage';
import { ReceivedView } from './features/received/ReceivedView';
import { FirmPage } from './features/settings/FirmPage';
import { MailSettingsPage } from './features/mail/MailSettingsPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { SyncPage } from './features/sync/SyncPage';
import { TagsPage } from './features/tags/TagsPage';
import { IconAlert, IconBuilding } from './ui/icons';
import { EmptyState } from './ui/Layout';
import { LoadingBlock } from './ui/Spinner';

function useChangeEvents(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      subscribeChanges(
        (event) => invalidateAfter(client, event.method),
        () => void client.invalidateQueries(),
      ),
    [client],
  );
}

function Screen() {
  const route = useRoute();
  const { t } = useTranslation();
  const { orgs, isLoading } = useCurrentOrg();
  if (route.name === 'organizations') return <OrganizationsPage />;
  if (route.name === 'settings') return <SettingsPage />;
  if (route.name === 'firm') return <FirmPage />;
  if (route.name === 'mail') return <MailSettingsPage />;
  if (route.name === 'sync') return <SyncPage />;
  if (route.name === 'import') return <ImportPage />;
  if (route.name === 'renewals') return <RenewalsPage />;
  if (route.name === 'dunning') return <DunningPage />;
  if (route.name === 'statements') return <StatementsPage />;
  if (route.name === 'partnerClients') return <PartnerArea />;
  if (route.name === 'partnerClient') return <ClientDetail key={route.clientId} clientId={route.clientId} />;
  if (route.name === 'partnerDashboard') return <Dashboard />;
  if (route.name === 'myPartners') return <ClientPartners />;
  if (isLoading) return <LoadingBlock label={t('common.loading')} />;
  const exists = orgs?.some((o) => o.id === route.orgId);
  if (!exists) {
    return (
      <EmptyState
        icon={<IconBuilding size={22} />}
        title={t('org.notFound')}
        action={<a href="#/organizations">{t('switcher.all')}</a>}
        testId="org-not-found"
      />
    );
  }
  // Keyed by organization: switching starts each screen from fresh state (filters, selection).
  if (route.name === 'products')
    return (
      <ProductsPage
        key={`${route.orgId}:${route.tagIds.join(',')}`}
        orgId={route.orgId}
        initialTagIds={route.tagIds}
        productId={route.productId}
      />
    );
  if (route.name === 'tags') return <TagsPage key={route.orgId} orgId={route.orgId} />;
  if (route.name === 'invoices') return <InvoicesPage key={route.orgId} orgId={route.orgId} />;
  if (route.name === 'invoice' || route.name === 'newInvoice') {
    const invoiceId = route.name === 'invoice' ? route.invoiceId : null;
    // A new invoice keeps its page when its first edit stores it and the address takes its id.
    return (
      <InvoicePage
        key={pageKeyOf(route)}
        orgId={route.orgId}
        invoiceId={invoiceId}
        kind={route.name === 'newInvoice' ? route.kind : 'invoice'}
      />
    );
  }
  if (route.name === 'reminders') return <RemindersPage key={route.orgId} orgId={route.orgId} />;
  if (route.name === 'ledger') return <LedgerPage key={route.orgId} orgId={route.orgId} />;
  if (route.name === 'received') return <ReceivedPage key={route.orgId} orgId={route.orgId} />;
  if (route.name === 'receivedDoc')
    return <ReceivedView key={route.receivedId} orgId={route.orgId} receivedId={route.receivedId} />;
  return <OrganizationDetail key={route.orgId} orgId={route.orgId} tab={route.tab} />;
}

function Shell() {
  const { t } = useTranslation();
  const dialogs = useOrganizationDialogs();
  return (
    <div className="app-shell">
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t('app.skipToContent')}
      </button>
      <Sidebar onCreateOrganization={dialogs.openCreate} />
      <SearchPalette />
      <main id="main" className="main" tabIndex={-1}>
        <Screen />
      </main>
    </div>
  );
}

export function App() {
  const { t } = useTranslation();
  useChangeEvents();
  if (!hasToken()) {
    return (
      <div className="blocking-screen">
        <EmptyState
          icon={<IconAlert size={22} />}
          title={t('app.tokenMissingTitle')}
          body={t('app.tokenMissingBody')}
          testId="token-missing"
        />
      </div>
    );
  }
  return (
    <OrganizationDialogsProvider>
      <Shell />
    </OrganizationDialogsProvider>
  );
}
