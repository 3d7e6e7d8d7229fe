// When a document carries a Swiss QR-bill and the field limits of the Implementation Guidelines
// QR-bill v2.3 (structured addresses, type S). Apart from qr-bill.ts so that the check before
// issuing (core/export/einvoice/readiness.ts) does not load swissqrbill and pdfkit.
import type { DocumentParty, InvoiceDocument } from '../invoice-document';
import { compactIdentifier } from '#common/payment-reference';

/** Largest amount of a QR-bill: 999,999,999.99. */
export const QR_BILL_MAX_AMOUNT_MINOR = 99_999_999_999;

export const QR_BILL_LIMITS = {
  name: 70,
  street: 70,
  buildingNumber: 16,
  postalCode: 16,
  city: 35,
  message: 140,
} as const;

/** Whether the renderer appends a payment part to this document (see qr-bill.ts). */
export function wantsQrBill(doc: InvoiceDocument): boolean {
  if (doc.kind === 'credit_note') return false;
  if (doc.currency !== 'CHF' && doc.currency !== 'EUR') return false;
  if (!doc.issuer.iban) return false;
  if (!/^(CH|LI)/.test(compactIdentifier(doc.issuer.iban))) return false;
  return doc.totals.dueMinor > 0;
}

/** The name on the payment part: the short name when the name is longer than the field. */
export function qrName(p: Pick<DocumentParty, 'name' | 'shortName'>): string {
  return [...p.name.trim()].length > QR_BILL_LIMITS.name && p.shortName?.trim() ? p.shortName.trim() : p.name;
}
