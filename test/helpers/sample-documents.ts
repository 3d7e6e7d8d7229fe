// Deterministic sample documents: previews, the PDF tests and the PDF benchmark. Amounts are
// computed like the billing code does (integer minor units, half away from zero).
import type {
  DocumentKind,
  DocumentLocale,
  DocumentParty,
  InvoiceDocument,
  InvoiceDocumentLine,
} from '#core/export/invoice-document';
import { prng } from '#core/demo/prng';
import { isQrIban, qrrReference, scorReference } from '#common/payment-reference';

/** round(a × b / d), half away from zero, exact (BigInt). */
function mulDivRound(a: number, b: number, d: number): number {
  const p = BigInt(a) * BigInt(b);
  const D = BigInt(d);
  const neg = p < 0n;
  const abs = neg ? -p : p;
  const q = (abs * 2n + D) / (2n * D);
  return Number(neg ? -q : q);
}

export interface SampleLineInput {
  description: string;
  quantityMilli: number;
  unitPriceMinor: number;
  discountBp?: number;
  vatRateBp: number;
}

export function sampleLine(input: SampleLineInput): InvoiceDocumentLine {
  const discountBp = input.discountBp ?? 0;
  const gross = mulDivRound(input.quantityMilli, input.unitPriceMinor, 1000);
  const netMinor = gross - mulDivRound(gross, discountBp, 10_000);
  const vatMinor = mulDivRound(netMinor, input.vatRateBp, 10_000);
  return {
    description: input.description,
    quantityMilli: input.quantityMilli,
    unitPriceMinor: input.unitPriceMinor,
    discountBp,
    vatRateBp: input.vatRateBp,
    netMinor,
    vatMinor,
    grossMinor: netMinor + vatMinor,
  };
}

/** VAT summary and totals from the lines (what the billing code stores with the invoice). */
export function withTotals(
  doc: Omit<InvoiceDocument, 'vatSummary' | 'totals'>,
  paidMinor = 0,
): InvoiceDocument {
  const byRate = new Map<number, { vatRateBp: number; netMinor: number; vatMinor: number }>();
  for (const line of doc.lines) {
    const s = byRate.get(line.vatRateBp) ?? { vatRateBp: line.vatRateBp, netMinor: 0, vatMinor: 0 };
    s.netMinor += line.netMinor;
    s.vatMinor += line.vatMinor;
    byRate.set(line.vatRateBp, s);
  }
  const vatSummary = [...byRate.values()].sort((a, b) => b.vatRateBp - a.vatRateBp);
  const netMinor = vatSummary.reduce((t, s) => t + s.netMinor, 0);
  const vatMinor = vatSummary.reduce((t, s) => t + s.vatMinor, 0);
  const grossMinor = netMinor + vatMinor;
  return {
    ...doc,
    vatSummary,
    totals: { netMinor, vatMinor, grossMinor, paidMinor, dueMinor: grossMinor - paidMinor },
  };
}

export const SAMPLE_ISSUER_CH: InvoiceDocument['issuer'] = {
  name: 'Helvetia Hosting Sàrl',
  street: 'Rue du Lac 12',
  postalCode: '1003',
  city: 'Lausanne',
  country: 'CH',
  lines: ['Rue du Lac 12', '1003 Lausanne', 'Suisse'],
  uid: 'CHE-123.456.788',
  vatNumber: 'CHE-123.456.788 TVA',
  email: 'billing@helvetia-hosting.ch',
  initials: 'HH',
  color: '#1f6f5c',
  logo: null,
  // A QR-IBAN (IID 30808): QR references only.
  iban: 'CH21 3080 8001 2345 6782 7',
};

export const SAMPLE_ISSUER_CH_IBAN = 'CH93 0076 2011 6238 5295 7';

export const SAMPLE_ISSUER_EU: InvoiceDocument['issuer'] = {
  name: 'Kontor Cloud GmbH',
  street: 'Friedrichstraße 123',
  postalCode: '10117',
  city: 'Berlin',
  country: 'DE',
  lines: ['Friedrichstraße 123', '10117 Berlin', 'Deutschland'],
  vatNumber: 'DE136695976',
  email: 'rechnung@kontor-cloud.de',
  initials: 'KC',
  color: '#8a3b12',
  logo: null,
  iban: 'DE89 3704 0044 0532 0130 00',
};

export function party(
  name: string,
  street: string,
  postalCode: string,
  city: string,
  country: string,
  countryName: string,
  extra: Partial<DocumentParty> = {},
): DocumentParty {
  return {
    name,
    street,
    postalCode,
    city,
    country,
    lines: [street, `${postalCode} ${city}`, countryName],
    ...extra,
  };
}

const DESCRIPTIONS = [
  'Web hosting Pro, annual plan',
  'Mail hosting, 25 mailboxes',
  'Domain example.ch, renewal 1 year',
  'kDrive 2 TB',
  'Cloud server 4 vCPU / 16 GB RAM, monthly',
  'Streaming radio, 500 listeners',
  'Ticketing: 120 tickets sold, commission',
  'SSL certificate, wildcard',
  'Public cloud: object storage 1 TB, traffic included, billed per hour of use over the month',
  'Setup fee',
  'Domain privacy',
  'Backup to a second data centre',
  'Priority support',
  'Jelastic cloud: 2 cloudlets reserved, 6 dynamic',
  'Migration of 3 websites and 40 mailboxes, including DNS changes and a rollback plan',
];

export interface SampleOptions {
  seed?: number;
  lines?: number;
  locale?: DocumentLocale;
  kind?: DocumentKind;
  currency?: 'CHF' | 'EUR';
  number?: string | null;
  billTo?: DocumentParty;
  issuer?: InvoiceDocument['issuer'];
  paymentReference?: InvoiceDocument['paymentReference'];
  reverseCharge?: boolean;
  paidMinor?: number;
  notes?: string | null;
  correctsNumber?: string | null;
}

export const SAMPLE_CUSTOMERS: DocumentParty[] = [
  party('Zoë Müller-Lüdenscheidt', 'Bahnhofstrasse 7', '8001', 'Zürich', 'CH', 'Schweiz', {
    email: 'zoe@example.ch',
  }),
  party('Łukasz Żółć', 'ul. Świętokrzyska 31/33', '00-049', 'Warszawa', 'PL', 'Polska', {
    vatNumber: 'PL5260250274',
  }),
  party('Ørsted & Søn ApS', 'Nørregade 14', '1165', 'København K', 'DK', 'Danmark', {
    vatNumber: 'DK13585628',
  }),
  party('Śląsk Sp. z o.o.', 'ul. Żeromskiego 3', '40-001', 'Katowice', 'PL', 'Polska', {
    vatNumber: 'PL6340197432',
  }),
  party('Boulangerie Fémé SA', 'Place de la Gare 2', '1950', 'Sion', 'CH', 'Suisse', {
    uid: 'CHE-109.322.551',
  }),
];

/** QRR with a QR-IBAN, otherwise a creditor reference (SCOR). */
function defaultReference(iban: string | null, seed: number): InvoiceDocument['paymentReference'] {
  if (iban && isQrIban(iban)) return { type: 'QRR', value: qrrReference(String(2026_000_000 + seed)) };
  return { type: 'SCOR', value: scorReference(`INV2026${String(seed).padStart(6, '0')}`) };
}

/** A plausible invoice with `lines` lines (3–15 by default, from the seed). */
export function sampleInvoice(options: SampleOptions = {}): InvoiceDocument {
  const rand = prng(options.seed ?? 1);
  const count = options.lines ?? 3 + Math.floor(rand() * 13);
  const currency = options.currency ?? 'CHF';
  const vatRates = currency === 'CHF' ? [810, 810, 810, 260] : [1900, 1900, 700];
  const reverseCharge = options.reverseCharge ?? false;
  const lines: InvoiceDocumentLine[] = [];
  for (let i = 0; i < count; i++) {
    const description = DESCRIPTIONS[Math.floor(rand() * DESCRIPTIONS.length)] as string;
    lines.push(
      sampleLine({
        description: count > 15 ? `${i + 1}. ${description}` : description,
        quantityMilli: [1000, 1000, 2000, 12_000, 1500, 250][Math.floor(rand() * 6)] as number,
        unitPriceMinor: Math.round(500 + rand() * 50_000),
        discountBp: rand() < 0.3 ? [500, 1000, 1250][Math.floor(rand() * 3)] : 0,
        vatRateBp: reverseCharge ? 0 : (vatRates[Math.floor(rand() * vatRates.length)] as number),
      }),
    );
  }
  const seq = String(options.seed ?? 1).padStart(6, '0');
  const number = options.number === undefined ? `INV-2026-${seq}` : options.number;
  const issuer = options.issuer ?? (currency === 'CHF' ? SAMPLE_ISSUER_CH : SAMPLE_ISSUER_EU);
  return withTotals(
    {
      kind: options.kind ?? 'invoice',
      locale: options.locale ?? 'en',
      currency,
      number,
      issuedOn: '2026-11-23',
      dueOn: options.kind === 'credit_note' ? null : '2026-12-23',
      issuer,
      billTo:
        options.billTo ?? (SAMPLE_CUSTOMERS[(options.seed ?? 1) % SAMPLE_CUSTOMERS.length] as DocumentParty),
      lines,
      reverseCharge,
      paymentReference: options.paymentReference ?? defaultReference(issuer.iban ?? null, options.seed ?? 1),
      correctsNumber: options.correctsNumber ?? null,
      notes: options.notes ?? null,
    },
    options.paidMinor ?? 0,
  );
}
