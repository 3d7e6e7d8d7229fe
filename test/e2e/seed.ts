import type { Kontor } from '#core/kontor';

// The worlds the browser tests walk through are built through the router, as a person's
// clicks would build them; a refusal while seeding stops the test with the method's name.

export type Call = <T>(method: string, input: unknown) => Promise<T>;

export function caller(kontor: Kontor): Call {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
}

/** A Swiss company in CHF with its seat as billing address (issuing to it needs one). */
export async function swissCompany(
  call: Call,
  name: string,
  city: string,
  postalCode: string,
  extra: object = {},
): Promise<string> {
  const o = await call<{ id: string }>('organizations.create', {
    kind: 'company',
    name,
    country: 'CH',
    currency: 'CHF',
    ...extra,
  });
  await call('addresses.create', {
    organizationId: o.id,
    label: 'Siège',
    recipient: name,
    line1: 'Rue du Marché 1',
    postalCode,
    city,
    country: 'CH',
  });
  return o.id;
}

/** The firm that issues the invoices: UID, a QR-IBAN (QR references), set as provider. */
export async function hostingFirm(call: Call, extra: object = {}): Promise<string> {
  const id = await swissCompany(call, 'Kontor Hébergement SA', 'Les Acacias', '1227', {
    uid: 'CHE-116.281.710',
    iban: 'CH44 3199 9123 0008 8901 2',
    ...extra,
  });
  await call('settings.setProvider', { organizationId: id });
  return id;
}
