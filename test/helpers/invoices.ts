// Invoicing worlds for the integration tests, built through the router the way a user builds
// them: a provider organization that issues invoices (with an IBAN, chosen in settings) and
// payer organizations with billing addresses, in any country the VAT rules care about.
import type { MethodInput, MethodOutput } from '#core/api/contract';
import type { TestKontor } from './kontor';

/** A plain Swiss IBAN (institution 00762): invoices carry an ISO 11649 creditor reference (SCOR). */
export const CH_IBAN = 'CH93 0076 2011 6238 5295 7';
/** A Swiss QR-IBAN (institution 31999, the QR range): invoices carry a QR reference (QRR). */
export const CH_QR_IBAN = 'CH44 3199 9123 0008 8901 2';

/** Valid tax numbers (check digits included) for the organizations the tests create. */
export const TAX_IDS = {
  chUid: 'CHE-116.281.710',
  deVat: 'DE136695976',
  frVat: 'FR40303265045',
  frSiren: '303265045',
} as const;

export type InvoiceDetail = MethodOutput<'invoices.get'>;
export type InvoiceRow = MethodOutput<'invoices.list'>['rows'][number];
export type LineInput = NonNullable<MethodInput<'invoices.create'>['lines']>[number];

export interface ProviderOptions {
  name?: string;
  iban?: string | null;
  paymentTermDays?: number;
}

/** The organization that issues the invoices: a Swiss company with an IBAN and an address, set as provider. */
export async function setUpProvider(k: TestKontor, options: ProviderOptions = {}): Promise<string> {
  const name = options.name ?? 'Infomaniak Hosting SA';
  const provider = await k.ok('organizations.create', {
    kind: 'company',
    name,
    country: 'CH',
    currency: 'CHF',
    uid: TAX_IDS.chUid,
    iban: options.iban === undefined ? CH_IBAN : options.iban,
    paymentTermDays: options.paymentTermDays ?? 30,
  });
  await k.ok('addresses.create', {
    organizationId: provider.id,
    label: 'Siège',
    recipient: name,
    line1: 'Rue Eugène-Marziano 25',
    postalCode: '1227',
    city: 'Les Acacias',
    country: 'CH',
  });
  await k.ok('settings.setProvider', { organizationId: provider.id });
  return provider.id;
}

export interface PayerOptions {
  name?: string;
  kind?: 'company' | 'individual';
  country?: string;
  currency?: 'CHF' | 'EUR';
  vatNumber?: string | null;
  uid?: string | null;
  siren?: string | null;
  /** false: no billing address (issuing to it fails with billing_address_missing). */
  address?: boolean;
  city?: string;
}

const CITY: Record<string, [string, string]> = {
  CH: ['1003', 'Lausanne'],
  LI: ['9490', 'Vaduz'],
  DE: ['10115', 'Berlin'],
  FR: ['75002', 'Paris'],
  US: ['10001', 'New York'],
};

let payerCount = 0;

/** A payer organization with (by default) one billing address, its default. */
export async function createPayer(
  k: TestKontor,
  options: PayerOptions = {},
): Promise<{ id: string; name: string; addressId: string | null }> {
  const country = options.country ?? 'CH';
  const name = options.name ?? `Client ${country} ${++payerCount}`;
  const org = await k.ok('organizations.create', {
    kind: options.kind ?? 'company',
    name,
    country,
    currency: options.currency ?? (country === 'CH' || country === 'LI' ? 'CHF' : 'EUR'),
    vatNumber: options.vatNumber ?? null,
    uid: options.uid ?? null,
    // A French company's e-invoice names its SIREN (issuing refuses one without).
    siren:
      country === 'FR' && (options.kind ?? 'company') === 'company'
        ? (options.siren ?? TAX_IDS.frSiren)
        : null,
  });
  let addressId: string | null = null;
  if (options.address !== false) {
    const [postalCode, city] = CITY[country] ?? ['1000', 'Capital'];
    const address = await k.ok('addresses.create', {
      organizationId: org.id,
      label: 'Facturation',
      recipient: `${name}, comptabilité`,
      line1: 'Rue du Marché 4',
      postalCode,
      city: options.city ?? city,
      country,
    });
    addressId = address.id;
  }
  return { id: org.id, name, addressId };
}

/** One line: quantity in units (1 by default), unit price in minor units. */
export function line(unitPriceMinor: number, extra: Partial<LineInput> = {}): LineInput {
  return { description: `Service à ${unitPriceMinor}`, quantityMilli: 1000, unitPriceMinor, ...extra };
}

export async function createDraft(
  k: TestKontor,
  organizationId: string,
  lines: LineInput[] = [line(10_000)],
  extra: Partial<MethodInput<'invoices.create'>> = {},
): Promise<InvoiceDetail> {
  return k.ok('invoices.create', { organizationId, lines, ...extra });
}

/** Creates a draft and issues it. */
export async function issueInvoice(
  k: TestKontor,
  organizationId: string,
  lines: LineInput[] = [line(10_000)],
  extra: Partial<MethodInput<'invoices.create'>> = {},
): Promise<InvoiceDetail> {
  const draft = await createDraft(k, organizationId, lines, extra);
  return k.ok('invoices.issue', { id: draft.id });
}

export interface ParsedNumber {
  prefix: string;
  /** The issuer's code (common/invoice-numbering.ts). */
  issuer: string;
  year: number;
  code: string;
  sequence: number;
  series: string;
}

/** `INV-ACME-2026-1A2B3C-000042` → its parts. Throws on anything else: a malformed number is a failure. */
export function parseNumber(number: string | null): ParsedNumber {
  const match = /^(INV|CN|PRO)-([A-Z0-9]{2,6})-(\d{4})-([0-9A-F]{6})-(\d{6,})$/.exec(number ?? '');
  if (!match) throw new Error(`not a Kontor invoice number: ${number}`);
  const [, prefix, issuer, year, code, sequence] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    prefix,
    issuer,
    year: Number(year),
    code,
    sequence: Number(sequence),
    series: `${prefix}-${issuer}-${year}-${code}`,
  };
}

/** Groups numbers by series and returns each series' sequences, sorted. */
export function sequencesBySeries(numbers: readonly (string | null)[]): Map<string, number[]> {
  const bySeries = new Map<string, number[]>();
  for (const n of numbers) {
    const parsed = parseNumber(n);
    const list = bySeries.get(parsed.series) ?? [];
    list.push(parsed.sequence);
    bySeries.set(parsed.series, list);
  }
  for (const list of bySeries.values()) list.sort((a, b) => a - b);
  return bySeries;
}

/** 1, 2, …, n: what a gapless series without duplicates looks like. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Every row of a list, page after page, following the cursor. */
export async function listAll(
  k: TestKontor,
  input: MethodInput<'invoices.list'>,
): Promise<{ rows: InvoiceRow[]; pages: number }> {
  const rows: InvoiceRow[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: MethodOutput<'invoices.list'> = await k.ok('invoices.list', { ...input, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor;
    pages++;
    if (pages > 10_000) throw new Error('the cursor never ends');
  } while (cursor);
  return { rows, pages };
}
