import type { Router } from '../api/router';

export const DEMO_PROVIDER = {
  kind: 'company',
  name: 'Kontor Hébergement SA',
  country: 'CH',
  currency: 'CHF',
  uid: 'CHE-116.281.710',
  // A QR-IBAN (institution id 30000–31999): its invoices carry QR references.
  iban: 'CH44 3199 9123 0008 8901 2',
  paymentTermDays: 30,
} as const;

/** The organization that issues the demo's invoices, created once and chosen in settings. */
export async function ensureDemoProvider(router: Router): Promise<{ id: string }> {
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await router.invoke(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  };
  const settings = await call<{ providerOrganizationId: string | null }>('settings.get', {});
  if (settings.providerOrganizationId) return { id: settings.providerOrganizationId };
  const provider = await call<{ id: string }>('organizations.create', DEMO_PROVIDER);
  await call('addresses.create', {
    organizationId: provider.id,
    label: 'Siège',
    recipient: DEMO_PROVIDER.name,
    line1: 'Rue Eugène-Marziano 25',
    postalCode: '1227',
    city: 'Les Acacias',
    country: 'CH',
    email: 'facturation@example.ch',
  });
  await call('settings.setProvider', { organizationId: provider.id });
  return provider;
}
