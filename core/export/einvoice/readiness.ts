// Before a document is issued: would its e-invoice or its QR-bill be refused? Issuing then
// stops with the whole list (einvoice_not_ready, translated in core/i18n/einvoice-problems.ts)
// instead of giving out a number for a document nobody can send. Also lists what the QR-bill
// will write differently (transliterations into its character set), to show before issuing.
import type { EinvoiceFormat } from '#common/enums';
import type { EinvoiceProblem } from '#common/i18n/einvoice-problems';
import type { DocumentParty, InvoiceDocument } from '../invoice-document';
import { toSpsText } from '../pdf/charset';
import { QR_BILL_LIMITS, qrName, wantsQrBill } from '../pdf/qr-bill-rules';
import type { EinvoiceSource } from './model';

export interface Transliteration {
  field: string;
  from: string;
  to: string;
}

export interface Readiness {
  problems: EinvoiceProblem[];
  transliterations: Transliteration[];
}

const E_INVOICE_FORMATS: readonly EinvoiceFormat[] = ['factur_x', 'cii', 'ubl', 'xrechnung'];

/** The EN 16931 side: what the rules (and the receiving platforms) refuse. */
function einvoiceProblems(
  src: EinvoiceSource,
  format: EinvoiceFormat,
  buyerKind: 'company' | 'individual',
): EinvoiceProblem[] {
  if (!E_INVOICE_FORMATS.includes(format)) return [];
  const problems: EinvoiceProblem[] = [];
  const taxed = src.lines.some((l) => (l.vatCategory ?? (l.vatRateBp > 0 ? 'S' : 'Z')) !== 'O');
  // BR-S-02, BR-Z-02, BR-E-02, BR-AE-02, BR-IC-02, BR-G-02: the seller's VAT identifier.
  if (taxed && !src.issuer.vatNumber && !src.issuer.uid)
    problems.push({ code: 'seller_vat_missing', params: { name: src.issuer.name }, party: 'issuer' });
  // BR-09/BR-11 need only the country, which every snapshot has: an address without postal
  // code or town stays sendable (the writers leave the empty elements out).
  // France: the customer's SIREN is a mandatory mention of a B2B e-invoice.
  if (src.billTo.country === 'FR' && buyerKind === 'company' && !src.billTo.siren)
    problems.push({ code: 'buyer_siren_missing', params: { name: src.billTo.name }, party: 'payer' });
  // BR-AE-02, BR-IC-02: reverse charge and intra-EU supplies name the buyer's VAT number.
  if (src.lines.some((l) => l.vatCategory === 'AE' || l.vatCategory === 'K') && !src.billTo.vatNumber)
    problems.push({ code: 'buyer_vat_missing', params: { name: src.billTo.name }, party: 'payer' });
  if (format === 'xrechnung' && !src.billTo.leitwegId)
    problems.push({ code: 'buyer_leitweg_missing', params: { name: src.billTo.name }, party: 'payer' });
  src.lines.forEach((l, i) => {
    if (l.vatCategory === 'E' && !l.exemptionReason?.trim())
      problems.push({ code: 'exemption_reason_missing', params: { line: i + 1 } });
  });
  return problems;
}

function qrParty(p: DocumentParty, role: string, party: 'issuer' | 'payer', out: Readiness): void {
  const name = qrName(p);
  if ([...name.trim()].length > QR_BILL_LIMITS.name)
    out.problems.push({
      code: 'qr_name_too_long',
      params: { name: p.name, length: [...p.name.trim()].length },
      party,
    });
  // Type S: street and building number apart. A line nobody split is refused rather than guessed.
  if (p.street.trim() && !p.streetName)
    out.problems.push({ code: 'address_unstructured', params: { name: p.name, line: p.street }, party });
  const fields: [string, string | null | undefined, number][] = [
    ['name', name, QR_BILL_LIMITS.name],
    ['street', p.streetName ?? p.street, QR_BILL_LIMITS.street],
    ['buildingNumber', p.buildingNumber, QR_BILL_LIMITS.buildingNumber],
    ['postalCode', p.postalCode, QR_BILL_LIMITS.postalCode],
    ['city', p.city, QR_BILL_LIMITS.city],
  ];
  for (const [field, value, max] of fields) {
    if (!value) continue;
    const sps = toSpsText(value);
    const label = `${role}.${field} (${p.name})`;
    if (sps.rejected.length) {
      out.problems.push({
        code: 'qr_character',
        params: { field: label, characters: sps.rejected.join(' ') },
        party,
      });
      continue;
    }
    if (field !== 'name' && [...sps.text].length > max)
      out.problems.push({
        code: 'qr_field_too_long',
        params: { field: label, length: [...sps.text].length, max },
        party,
      });
    if (sps.text !== value.trim().replace(/\s+/g, ' '))
      out.transliterations.push({ field: label, from: value, to: sps.text });
  }
}

/**
 * Everything that would make the document's e-invoice (in the customer's format) or its QR-bill
 * be refused (`src` null: a pro forma, never an e-invoice). `doc` is the document as it will be printed (its payment part decides the QR-bill).
 */
export function readiness(
  src: EinvoiceSource | null,
  doc: InvoiceDocument,
  format: EinvoiceFormat,
  buyerKind: 'company' | 'individual',
): Readiness {
  // A pro forma (src null) is never an e-invoice; its QR-bill is checked all the same.
  const out: Readiness = {
    problems: src ? einvoiceProblems(src, format, buyerKind) : [],
    transliterations: [],
  };
  if (wantsQrBill(doc)) {
    qrParty(doc.issuer, 'creditor', 'issuer', out);
    // The debtor is printed only when its address is complete (qr-bill.ts): check it then.
    if (doc.billTo.postalCode.trim() && doc.billTo.city.trim()) qrParty(doc.billTo, 'debtor', 'payer', out);
  }
  return out;
}
