// The data an invoice document (PDF) is rendered from: a self-contained snapshot, already
// computed by the billing code (amounts in integer minor units, rates in basis points). The
// renderers in ./pdf/ only lay it out; they never recompute a total.

export type DocumentKind = 'invoice' | 'pro_forma' | 'credit_note';
export type DocumentLocale = import('#common/enums').DocumentLocale;

export interface DocumentParty {
  name: string;
  /** Street, line 2, 'postal city', country name: the address block as printed. */
  lines: string[];
  /** ISO 3166 alpha-2. */
  country: string;
  postalCode: string;
  city: string;
  street: string;
  /** Structured street and building number (QR-bill v2.3); absent on older snapshots. */
  streetName?: string | null;
  buildingNumber?: string | null;
  /** The QR-bill's name when the name is longer than 70 characters. */
  shortName?: string | null;
  vatNumber?: string | null;
  uid?: string | null;
  email?: string | null;
}

export interface InvoiceDocumentLine {
  description: string;
  /** 1000 = 1. */
  quantityMilli: number;
  unitPriceMinor: number;
  discountBp: number;
  vatRateBp: number;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
}

export interface InvoiceDocument {
  kind: DocumentKind;
  locale: DocumentLocale;
  currency: 'CHF' | 'EUR';
  /** null for a draft: the PDF carries a DRAFT watermark. */
  number: string | null;
  /** ISO dates (YYYY-MM-DD). */
  issuedOn: string;
  dueOn: string | null;
  issuer: DocumentParty & {
    /** Data URL, PNG or JPEG. */
    logo?: string | null;
    initials: string;
    /** #rrggbb */
    color: string;
    iban?: string | null;
    /** The issuer's footer line as it was when the document was issued. */
    footer?: string | null;
  };
  billTo: DocumentParty;
  lines: InvoiceDocumentLine[];
  vatSummary: { vatRateBp: number; netMinor: number; vatMinor: number }[];
  totals: { netMinor: number; vatMinor: number; grossMinor: number; paidMinor: number; dueMinor: number };
  /** EU B2B cross-border: the reverse-charge legal mention (Art. 196 Directive 2006/112/EC) and both VAT numbers. */
  reverseCharge: boolean;
  paymentReference: { type: 'QRR' | 'SCOR' | 'NON'; value: string | null };
  /** Credit notes: the number of the invoice they correct. */
  correctsNumber?: string | null;
  notes?: string | null;
  /** The QR-bill's message when it is not "Invoice <number>" (a reminder names its level). */
  qrMessage?: string;
}
