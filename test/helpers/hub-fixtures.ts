import type { WireChange } from '#common/sync/protocol';
import type { TestDevice } from './hub';

// Rows as a device's change log carries them (SQL column names, every column on creation).

/** The fixtures' creation stamp (the hostile book's rows carry it too). */
export const stamp = {
  created_at: '2026-01-05T10:00:00.000Z',
  updated_at: '2026-01-05T10:00:00.000Z',
  deleted_at: null,
};

export function organization(device: TestDevice, id: string, name = id, hlc?: string): WireChange[] {
  return device.row(
    'organizations',
    id,
    {
      ...stamp,
      kind: 'company',
      name,
      country: 'CH',
      currency: 'CHF',
      color: '#336699',
      payment_term_days: 30,
    },
    hlc,
  );
}

/** A default billing address of an organization: the hub takes the default from an older one. */
export function defaultAddress(
  device: TestDevice,
  id: string,
  organizationId: string,
  names: { label?: string; recipient?: string } = {},
): WireChange[] {
  return device.row('billing_addresses', id, {
    ...stamp,
    organization_id: organizationId,
    label: names.label ?? id,
    recipient: names.recipient ?? 'Compta',
    line1: 'Rue 1',
    line2: null,
    postal_code: '1000',
    city: 'Lausanne',
    country: 'CH',
    email: null,
    is_default: true,
  });
}

/** A product's creation: its eight required columns (1 250 of them fill the protocol's largest batch). */
export function product(device: TestDevice, id: string, organizationId: string, hlc?: string): WireChange[] {
  return device.row(
    'products',
    id,
    {
      created_at: stamp.created_at,
      organization_id: organizationId,
      kind: 'web_hosting',
      name: id,
      billing_frequency: 'monthly',
      public_price_minor: 1500,
      currency: 'CHF',
      next_renewal_on: '2026-02-05',
    },
    hlc,
  );
}

export function partnership(
  device: TestDevice,
  id: string,
  partner: string,
  client: string,
  access: 'limited' | 'complete',
  payment: 'client' | 'partner' | null,
  status = 'active',
  hlc?: string,
): WireChange[] {
  return device.row(
    'partnerships',
    id,
    {
      ...stamp,
      partner_organization_id: partner,
      client_organization_id: client,
      requested_access: access,
      access,
      payment,
      status,
      invited_by: 'partner',
      invited_at: stamp.created_at,
      last_sent_at: stamp.created_at,
      send_count: 1,
    },
    hlc,
  );
}

export function allocation(
  device: TestDevice,
  partnershipId: string,
  productId: string,
  hlc?: string,
): WireChange[] {
  return device.row(
    'partnership_products',
    `${partnershipId}:${productId}`,
    { ...stamp, partnership_id: partnershipId, product_id: productId },
    hlc,
  );
}

export function draftInvoice(
  device: TestDevice,
  id: string,
  payer: string,
  issuer: string,
  productsOrg = payer,
  hlc?: string,
): WireChange[] {
  return device.row(
    'invoices',
    id,
    {
      ...stamp,
      kind: 'invoice',
      status: 'draft',
      organization_id: payer,
      products_organization_id: productsOrg,
      issuer_organization_id: issuer,
      currency: 'CHF',
      locale: 'en',
      series: null,
      sequence: null,
      number: null,
      issued_on: '2026-01-05',
      net_minor: 10000,
      vat_minor: 810,
      gross_minor: 10810,
      paid_minor: 0,
      lines: [{ description: 'Hosting', quantityMilli: 1000, unitPriceMinor: 10000 }],
    },
    hlc,
  );
}

/** The issuing command as the device logs it: field changes in one HLC. */
export function issue(
  device: TestDevice,
  id: string,
  seriesCode: string | null,
  sequence: number | null,
  hlc?: string,
): WireChange[] {
  const series = seriesCode ? `INV-2026-${seriesCode}` : null;
  return device.row(
    'invoices',
    id,
    {
      status: 'unpaid',
      series,
      sequence,
      number: series && sequence ? `${series}-${String(sequence).padStart(6, '0')}` : null,
      issued_on: '2026-01-06',
      updated_at: '2026-01-06T09:00:00.000Z',
    },
    hlc,
  );
}

export function ledger(
  device: TestDevice,
  id: string,
  organizationId: string,
  amountMinor: number,
  hlc?: string,
): WireChange {
  return device.money(
    'ledger_entries',
    id,
    {
      created_at: stamp.created_at,
      organization_id: organizationId,
      kind: amountMinor >= 0 ? 'top_up' : 'withdrawal',
      amount_minor: amountMinor,
      currency: 'CHF',
      booked_on: '2026-01-05',
      invoice_id: null,
      payment_id: null,
      reverses_entry_id: null,
      method: null,
      note: null,
    },
    hlc,
  );
}
