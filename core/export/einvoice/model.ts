// The one EN 16931 model of a Kontor document. Every business term (BT-…) and group (BG-…) is
// mapped here, once, from what the store holds about an issued invoice or credit note (its
// snapshots of the issuer and the customer, its lines and totals); cii.ts and ubl.ts only
// spell this model in their syntax, and readiness.ts checks it before a document is issued.
// Amounts stay integer minor units until the writers format them.
import type { PartySnapshot } from '#db/schema/index';
import type { PaymentMeansCode, UnitCode, VatCategory } from '#common/enums';
import { compactIban } from '#common/payment-reference';
import { parsePeppolId } from '#common/einvoice-ids';
import { EXEMPTION_CODES, EXEMPTION_TEXTS } from '#common/vat-category';
import { EU_VAT_COUNTRIES } from '#common/vat';

/** What the model is built from: an issued document (or one about to be issued). */
export interface EinvoiceSource {
  kind: 'invoice' | 'credit_note';
  number: string;
  issuedOn: string;
  dueOn: string | null;
  currency: 'CHF' | 'EUR';
  notes: string | null;
  issuer: PartySnapshot;
  billTo: PartySnapshot;
  lines: SourceLine[];
  paidMinor: number;
  paymentReference: string | null;
  reverseCharge: boolean;
  /** A credit note: the invoice it corrects (BG-3). */
  corrects: { number: string; issuedOn: string } | null;
}

export interface SourceLine {
  description: string;
  quantityMilli: number;
  unitPriceMinor: number;
  discountBp: number;
  vatRateBp: number;
  netMinor: number;
  vatMinor: number;
  unitCode?: UnitCode | null;
  vatCategory?: VatCategory | null;
  exemptionReason?: string | null;
}

export interface EnAddress {
  line1: string | null; // BT-35 / BT-50
  line2: string | null; // BT-36 / BT-51
  city: string; // BT-37 / BT-52
  postalCode: string; // BT-38 / BT-53
  country: string; // BT-40 / BT-55
}

export interface EnParty {
  name: string; // BT-27 / BT-44
  /** BT-30 / BT-47 with its ISO 6523 scheme (0002 SIREN, 0183 Swiss UID). */
  legalId: { value: string; scheme: string } | null;
  vatId: string | null; // BT-31 / BT-48
  /** BT-34 / BT-49 (EAS scheme: 0208, 0009, EM for an e-mail…). */
  endpoint: { value: string; scheme: string } | null;
  address: EnAddress; // BG-5 / BG-8
  email: string | null; // BT-43 / BT-58
}

export interface EnLine {
  id: string; // BT-126
  name: string; // BT-153
  quantityMilli: number; // BT-129 (negative for a negative line: the price stays positive, BR-27)
  unitCode: UnitCode; // BT-130
  netMinor: number; // BT-131
  priceMinor: number; // BT-146
  /** BG-27, a discount: BT-136 amount, BT-137 base, BT-138 percentage (basis points). */
  allowance: { amountMinor: number; baseMinor: number; percentBp: number } | null;
  category: VatCategory; // BT-151
  rateBp: number; // BT-152
}

export interface EnVatBreakdown {
  category: VatCategory; // BT-118
  rateBp: number; // BT-119
  taxableMinor: number; // BT-116
  taxMinor: number; // BT-117
  exemptionReason: string | null; // BT-120
  exemptionCode: string | null; // BT-121
}

export interface EnInvoice {
  number: string; // BT-1
  issueDate: string; // BT-2
  typeCode: '380' | '381'; // BT-3
  currency: 'CHF' | 'EUR'; // BT-5
  /** BT-8: VAT due on issue (debits) or on payment (France's services). */
  vatPoint: 'issue' | 'payment' | null;
  dueDate: string | null; // BT-9
  buyerReference: string | null; // BT-10
  preceding: { number: string; issueDate: string } | null; // BG-3
  notes: string[]; // BG-1
  seller: EnParty; // BG-4
  buyer: EnParty; // BG-7
  /** BG-13: BT-72 and, for intra-EU supplies, BT-80. */
  delivery: { date: string; country: string | null };
  /** BG-16 */
  payment: {
    code: PaymentMeansCode;
    remittance: string | null;
    iban: string | null;
    bic: string | null;
  } | null;
  paymentTerms: string; // BT-20
  lines: EnLine[]; // BG-25
  vat: EnVatBreakdown[]; // BG-23
  totals: {
    lineNetMinor: number; // BT-106 (= BT-109: no document-level allowances or charges)
    taxMinor: number; // BT-110
    grossMinor: number; // BT-112
    prepaidMinor: number; // BT-113
    payableMinor: number; // BT-115
  };
}

// ── formatting shared by both syntaxes ──────────────────────────────────────────────────────

/** Minor units → "1234.50" (CHF and EUR have two decimals). */
export function amount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Thousandths → "1.5". */
export function quantity(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  const frac = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ''}`;
}

/** Basis points → "8.1", "20". */
export function percent(bp: number): string {
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${Math.floor(bp / 100)}${frac ? `.${frac}` : ''}`;
}

/** yyyy-mm-dd → yyyymmdd (CII format 102). */
export function date102(iso: string): string {
  return iso.replaceAll('-', '');
}

// ── mapping ─────────────────────────────────────────────────────────────────────────────────

const SEPA = new Set([...EU_VAT_COUNTRIES, 'CH', 'LI', 'NO', 'IS', 'GB', 'MC', 'SM', 'AD', 'VA']);

/** The Swiss UID as a VAT identifier: CHE-123.456.789 → CHE123456789MWST. */
function swissVatId(uid: string): string {
  return `${uid.replace(/[^A-Z0-9]/gi, '').toUpperCase()}MWST`;
}

/** BT-34/BT-49: the recorded Peppol id; else a Belgian VAT number as 0208; else the e-mail (EAS "EM"). */
export function endpointOf(p: PartySnapshot): { value: string; scheme: string } | null {
  if (p.peppolId) {
    const { scheme, value } = parsePeppolId(p.peppolId);
    return { scheme, value };
  }
  if (p.vatNumber?.startsWith('BE')) return { scheme: '0208', value: p.vatNumber.slice(2) };
  if (p.email) return { scheme: 'EM', value: p.email };
  return null;
}

function party(p: PartySnapshot): EnParty {
  const legalId = p.siren
    ? { value: p.siren, scheme: '0002' }
    : p.uid
      ? { value: p.uid.replace(/[^A-Z0-9]/gi, '').toUpperCase(), scheme: '0183' }
      : null;
  return {
    name: p.name,
    legalId,
    vatId: p.vatNumber ?? (p.uid ? swissVatId(p.uid) : null),
    endpoint: endpointOf(p),
    address: {
      line1: p.street?.trim() || null,
      line2: p.line2?.trim() || null,
      city: p.city,
      postalCode: p.postalCode,
      country: p.country,
    },
    email: p.email,
  };
}

/** A line stored before categories existed: S when taxed, AE under reverse charge, else Z. */
function categoryOf(line: SourceLine, reverseCharge: boolean): VatCategory {
  if (line.vatCategory) return line.vatCategory;
  if (line.vatRateBp > 0) return 'S';
  return reverseCharge ? 'AE' : 'Z';
}

function enLine(line: SourceLine, index: number, reverseCharge: boolean): EnLine {
  // BR-27: a price is never negative; a negative line has a negative quantity instead.
  const sign = line.unitPriceMinor < 0 ? -1 : 1;
  const base = line.netMinor + (line.discountBp ? discountOf(line) : 0);
  return {
    id: String(index + 1),
    name: line.description,
    quantityMilli: sign * line.quantityMilli,
    unitCode: line.unitCode ?? 'C62',
    netMinor: line.netMinor,
    priceMinor: sign * line.unitPriceMinor,
    allowance: line.discountBp
      ? { amountMinor: discountOf(line), baseMinor: base, percentBp: line.discountBp }
      : null,
    category: categoryOf(line, reverseCharge),
    rateBp: line.vatRateBp,
  };
}

/** The discount of a line as lineAmounts() took it: the rounded base minus the net. */
function discountOf(line: SourceLine): number {
  const product = line.quantityMilli * line.unitPriceMinor;
  const base = Math.sign(product) * Math.round(Math.abs(product) / 1000);
  return base - line.netMinor;
}

function breakdown(lines: EnLine[], source: SourceLine[]): EnVatBreakdown[] {
  const groups = new Map<string, EnVatBreakdown>();
  lines.forEach((line, i) => {
    const key = `${line.category}:${line.rateBp}`;
    let group = groups.get(key);
    if (!group) {
      const needsReason = line.category !== 'S' && line.category !== 'Z';
      group = {
        category: line.category,
        rateBp: line.rateBp,
        taxableMinor: 0,
        taxMinor: 0,
        exemptionReason: needsReason
          ? source[i]?.exemptionReason?.trim() || EXEMPTION_TEXTS[line.category] || null
          : null,
        exemptionCode: needsReason ? (EXEMPTION_CODES[line.category] ?? null) : null,
      };
      groups.set(key, group);
    }
    group.taxableMinor += line.netMinor;
    // The document's VAT is the sum of its rounded line VATs (invoice-math.ts); BR-CO-17
    // accepts a breakdown within one unit of taxable × rate.
    group.taxMinor += source[i]?.vatMinor ?? 0;
  });
  return [...groups.values()].sort((a, b) => b.rateBp - a.rateBp || a.category.localeCompare(b.category));
}

export function buildEinvoice(src: EinvoiceSource): EnInvoice {
  const lines = src.lines.map((l, i) => enLine(l, i, src.reverseCharge));
  const vat = breakdown(lines, src.lines);
  const lineNetMinor = lines.reduce((n, l) => n + l.netMinor, 0);
  const taxMinor = vat.reduce((n, v) => n + v.taxMinor, 0);
  const grossMinor = lineNetMinor + taxMinor;
  const prepaidMinor = src.kind === 'invoice' ? Math.min(src.paidMinor, grossMinor) : 0;
  const seller = party(src.issuer);
  const buyer = party(src.billTo);
  const iban = src.issuer.iban ? compactIban(src.issuer.iban) : null;
  const code: PaymentMeansCode | null =
    src.issuer.paymentMeansCode ??
    (iban ? (src.currency === 'EUR' && SEPA.has(iban.slice(0, 2)) ? '58' : '30') : null);
  const hasIntraEu = lines.some((l) => l.category === 'K');
  const services = (src.issuer.operationCategory ?? 'services') !== 'goods';
  return {
    number: src.number,
    issueDate: src.issuedOn,
    typeCode: src.kind === 'credit_note' ? '381' : '380',
    currency: src.currency,
    // France: VAT on services falls due on payment unless the issuer opted for debits.
    vatPoint: src.issuer.country === 'FR' && services ? (src.issuer.vatOnDebits ? 'issue' : 'payment') : null,
    dueDate: src.kind === 'invoice' ? src.dueOn : null,
    buyerReference: src.billTo.leitwegId ?? src.number,
    preceding: src.corrects ? { number: src.corrects.number, issueDate: src.corrects.issuedOn } : null,
    notes: src.notes?.trim() ? [src.notes.trim()] : [],
    seller,
    buyer,
    delivery: { date: src.issuedOn, country: hasIntraEu ? buyer.address.country : null },
    payment:
      code && (iban || code === '48' || code === '49')
        ? { code, remittance: src.paymentReference ?? src.number, iban, bic: src.issuer.bic ?? null }
        : null,
    paymentTerms:
      src.kind === 'credit_note'
        ? `Credit note ${src.number}: nothing to pay.`
        : src.dueOn
          ? `Payable by ${src.dueOn}.`
          : 'Payable on receipt.',
    lines,
    vat,
    totals: { lineNetMinor, taxMinor, grossMinor, prepaidMinor, payableMinor: grossMinor - prepaidMinor },
  };
}
