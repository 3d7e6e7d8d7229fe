import { useSyncExternalStore } from 'react';

// Hash routes: they work unchanged under Electron's app:// protocol and the web host, and
// need no server-side fallback.
export const ORG_TABS = ['overview', 'members', 'addresses', 'teams', 'activity'] as const;
export type OrgTab = (typeof ORG_TABS)[number];

export type Route =
  | { name: 'organizations' }
  | { name: 'org'; orgId: string; tab: OrgTab }
  // productId: one product opened over its list (the activity links a product there).
  | { name: 'products'; orgId: string; tagIds: string[]; productId?: string }
  | { name: 'tags'; orgId: string }
  | { name: 'invoices'; orgId: string }
  | { name: 'invoice'; orgId: string; invoiceId: string }
  // "New invoice" before its first edit: nothing is stored yet.
  | { name: 'newInvoice'; orgId: string; kind: 'invoice' | 'pro_forma' }
  | { name: 'reminders'; orgId: string }
  // Suppliers' e-invoices the organization received (read-only documents).
  | { name: 'received'; orgId: string }
  | { name: 'receivedDoc'; orgId: string; receivedId: string }
  | { name: 'ledger'; orgId: string }
  | { name: 'import' }
  // The billing cycle, firm-wide: the billing run and the bank's statements.
  | { name: 'renewals' }
  | { name: 'statements' }
  // Payment reminders (dunning), firm-wide.
  | { name: 'dunning' }
  | { name: 'settings' }
  // The firm that issues the invoices (first-run set-up and Settings → Firm).
  | { name: 'firm' }
  // Settings → E-mail: the SMTP server, the message templates, the outbox.
  | { name: 'mail' }
  // The partner program, seen from the acting organization (app/acting.ts).
  | { name: 'partnerClients' }
  | { name: 'partnerClient'; clientId: string }
  | { name: 'partnerDashboard' }
  | { name: 'myPartners' }
  | { name: 'sync' };

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  if (parts[0] === 'settings')
    return parts[1] === 'firm' ? { name: 'firm' } : parts[1] === 'mail' ? { name: 'mail' } : { name: 'settings' };
  if (parts[0] === 'sync') return { name: 'sync' };
  if (parts[0] === 'import') return { name: 'import' };
  if (parts[0] === 'renewals') return { name: 'renewals' };
  if (parts[0] === 'statements') return { name: 'statements' };
  if (parts[0] === 'dunning') return { name: 'dunning' };
  if (parts[0] === 'partner') {
    if (parts[1] === 'dashboard') return { name: 'partnerDashboard' };
    return parts[2] ? { name: 'partnerClient', clientId: parts[2] } : { name: 'partnerClients' };
  }
  if (parts[0] === 'partners') return { name: 'myPartners' };
  if (parts[0] === 'org' && parts[1]) {
    const orgId = parts[1];
    const section = parts[2] ?? 'overview';
    if (section === 'products') {
      const tags = query.get('tags');
      const tagIds = tags ? tags.split(',').filter(Boolean) : [];
      return parts[3] ? { name: 'products', orgId, tagIds, productId: parts[3] } : { name: 'products', orgId, tagIds };
    }
    if (section === 'tags') return { name: 'tags', orgId };
    if (section === 'invoices') {
      if (parts[3] === 'new') return { name: 'newInvoice', orgId, kind: parts[4] === 'pro_forma' ? 'pro_forma' : 'invoice' };
      return parts[3] ? { name: 'invoice', orgId, invoiceId: parts[3] } : { name: 'invoices', orgId };
    }
    if (section === 'reminders') return { name: 'reminders', orgId };
    if (section === 'received')
      return parts[3] ? { name: 'receivedDoc', orgId, receivedId: parts[3] } : { name: 'received', orgId };
    if (section === 'ledger') return { name: 'ledger', orgId };
    if ((ORG_TABS as readonly string[]).includes(section))
      return { name: 'org', orgId, tab: section as OrgTab };
    return { name: 'org', orgId, tab: 'overview' };
  }
  return { name: 'organizations' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'organizations':
      return '#/organizations';
    case 'settings':
      return '#/settings';
    case 'firm':
      return '#/settings/firm';
    case 'mail':
      return '#/settings/mail';
    case 'sync':
      return '#/sync';
    case 'import':
      return '#/import';
    case 'renewals':
      return '#/renewals';
    case 'statements':
      return '#/statements';
    case 'dunning':
      return '#/dunning';
    case 'partnerClients':
      return '#/partner/clients';
    case 'partnerClient':
      return `#/partner/clients/${encodeURIComponent(route.clientId)}`;
    case 'partnerDashboard':
      return '#/partner/dashboard';
    case 'myPartners':
      return '#/partners';
    case 'invoices':
      return `#/org/${encodeURIComponent(route.orgId)}/invoices`;
    case 'invoice':
      return `#/org/${encodeURIComponent(route.orgId)}/invoices/${encodeURIComponent(route.invoiceId)}`;
    case 'newInvoice':
      return `#/org/${encodeURIComponent(route.orgId)}/invoices/new/${route.kind}`;
    case 'reminders':
      return `#/org/${encodeURIComponent(route.orgId)}/reminders`;
    case 'ledger':
      return `#/org/${encodeURIComponent(route.orgId)}/ledger`;
    case 'received':
      return `#/org/${encodeURIComponent(route.orgId)}/received`;
    case 'receivedDoc':
      return `#/org/${encodeURIComponent(route.orgId)}/received/${encodeURIComponent(route.receivedId)}`;
    case 'tags':
      return `#/org/${encodeURIComponent(route.orgId)}/tags`;
    case 'products': {
      const query = route.tagIds.length ? `?tags=${route.tagIds.map(encodeURIComponent).join(',')}` : '';
      const product = route.productId ? `/${encodeURIComponent(route.productId)}` : '';
      return `#/org/${encodeURIComponent(route.orgId)}/products${product}${query}`;
    }
    case 'org':
      return `#/org/${encodeURIComponent(route.orgId)}${route.tab === 'overview' ? '' : `/${route.tab}`}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function useRoute(): Route {
  return parseRoute(useHash());
}

export function routeOrgId(route: Route): string | null {
  return 'orgId' in route ? route.orgId : null;
}

/** The same screen for another organization (the switcher keeps you where you were). */
export function withOrg(route: Route, orgId: string): Route {
  switch (route.name) {
    case 'org':
      return { ...route, orgId };
    case 'products':
      return { name: 'products', orgId, tagIds: [] };
    case 'tags':
      return { name: 'tags', orgId };
    // An invoice belongs to one organization: another organization opens its invoice list.
    case 'invoices':
    case 'invoice':
      return { name: 'invoices', orgId };
    case 'reminders':
      return { name: 'reminders', orgId };
    case 'received':
    case 'receivedDoc':
      return { name: 'received', orgId };
    case 'ledger':
      return { name: 'ledger', orgId };
    default:
      return { name: 'org', orgId, tab: 'overview' };
  }
}
