// The Swiss QR-bill payment part (swissqrbill 4.x, rendered into the invoice's pdfkit document).
//
// When a document gets one (`wantsQrBill`): an invoice or a pro forma (a pro forma is a
// request for payment, often a prepayment, so it carries the slip too; a credit note never
// does), in CHF or EUR, with a CH or LI IBAN for the issuer, and something left to pay
// (dueMinor > 0: a settled invoice gets no payment slip).
//
// `qrBillData` checks what swissqrbill does not before anything is drawn and throws a
// QrBillError with a stable code: the reference's check digits, QRR only with a QR-IBAN and
// SCOR/NON only with an ordinary IBAN, the amount range, the SPS character set (names and
// addresses are transliterated, see charset.ts) and the field lengths. `prepareQrBill` then
// runs swissqrbill's own validation too, so that nothing can fail once drawing has begun.

import { SwissQRBill } from 'swissqrbill/pdf';
import type { Data, Debtor, Language } from 'swissqrbill/types';
import type { DocumentParty, InvoiceDocument } from '../invoice-document';
import { toSpsText } from './charset';
import { QR_BILL_LIMITS, QR_BILL_MAX_AMOUNT_MINOR, qrName, wantsQrBill } from './qr-bill-rules';
import { FONT_FAMILY } from './fonts';
import { minorToDecimalString } from './format';
import { documentLabels } from './labels';
import { compactIdentifier, isQrIban, isValidIban, isValidQrr, isValidScor } from '#common/payment-reference';

export {
  compactIdentifier,
  formatIban,
  formatPaymentReference,
  isQrIban,
  isValidIban,
  isValidQrr,
  isValidScor,
  mod10RecursiveCheckDigit,
  qrrReference,
  scorReference,
} from '#common/payment-reference';

export type QrBillErrorCode =
  | 'IBAN_INVALID'
  | 'IBAN_COUNTRY_NOT_CH_LI'
  | 'QRR_REQUIRES_QR_IBAN'
  | 'QR_IBAN_REQUIRES_QRR'
  | 'REFERENCE_MISSING'
  | 'QRR_INVALID'
  | 'SCOR_INVALID'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'CURRENCY_NOT_SUPPORTED'
  | 'FIELD_REQUIRED'
  | 'FIELD_TOO_LONG'
  | 'COUNTRY_INVALID'
  | 'CHARACTER_NOT_ALLOWED'
  | 'REJECTED_BY_SWISSQRBILL';

export class QrBillError extends Error {
  override readonly name = 'QrBillError';
  constructor(
    readonly code: QrBillErrorCode,
    message: string,
    /** The data field at fault, e.g. "creditor.name", "reference". */
    readonly field?: string,
  ) {
    super(message);
  }
}

export { QR_BILL_LIMITS, QR_BILL_MAX_AMOUNT_MINOR, qrName, wantsQrBill } from './qr-bill-rules';

/** A text field in the SPS character set, within its length limit. */
function spsField(value: string | null | undefined, field: string, max: number, required: boolean): string {
  const { text, rejected } = toSpsText(value ?? '');
  if (rejected.length > 0) {
    throw new QrBillError(
      'CHARACTER_NOT_ALLOWED',
      `${field}: ${rejected.map((c) => JSON.stringify(c)).join(', ')} cannot be written in a QR-bill (Swiss Payment Standards Latin character set); change the text`,
      field,
    );
  }
  if (required && text === '')
    throw new QrBillError('FIELD_REQUIRED', `${field} is required on a QR-bill`, field);
  const length = [...text].length;
  if (length > max) {
    throw new QrBillError(
      'FIELD_TOO_LONG',
      `${field} has ${length} characters; a QR-bill allows ${max}`,
      field,
    );
  }
  return text;
}

function country(value: string, field: string): string {
  const c = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c))
    throw new QrBillError('COUNTRY_INVALID', `${field} must be an ISO 3166 alpha-2 code`, field);
  return c;
}

function party(p: DocumentParty, role: 'creditor' | 'debtor'): Debtor {
  // v2.3: structured addresses only (type S), street and building number in their own fields;
  // an address stored before they were split keeps its whole line as the street. An optional
  // element is left out rather than written empty.
  const street = spsField(p.streetName ?? p.street, `${role}.street`, QR_BILL_LIMITS.street, false);
  const number = spsField(p.buildingNumber, `${role}.buildingNumber`, QR_BILL_LIMITS.buildingNumber, false);
  return {
    name: spsField(qrName(p), `${role}.name`, QR_BILL_LIMITS.name, true),
    address: street,
    ...(street && number ? { buildingNumber: number } : {}),
    zip: spsField(p.postalCode, `${role}.postalCode`, QR_BILL_LIMITS.postalCode, true),
    city: spsField(p.city, `${role}.city`, QR_BILL_LIMITS.city, true),
    country: country(p.country, `${role}.country`),
  };
}

/** A debtor is printed when its address is complete; otherwise the slip shows the blank "Payable by" box. */
function debtorOf(p: DocumentParty): Debtor | undefined {
  if (!p.name.trim() || !p.postalCode.trim() || !p.city.trim() || !/^[A-Za-z]{2}$/.test(p.country.trim())) {
    return undefined;
  }
  return party(p, 'debtor');
}

/**
 * The swissqrbill data of a document, validated. Throws QrBillError. Does not decide whether
 * the document should carry a QR-bill: see wantsQrBill.
 */
export function qrBillData(doc: InvoiceDocument): Data {
  if (doc.currency !== 'CHF' && doc.currency !== 'EUR') {
    throw new QrBillError('CURRENCY_NOT_SUPPORTED', 'A QR-bill is in CHF or EUR', 'currency');
  }
  const iban = compactIdentifier(doc.issuer.iban ?? '');
  if (!isValidIban(iban))
    throw new QrBillError('IBAN_INVALID', `Invalid IBAN "${doc.issuer.iban ?? ''}"`, 'account');
  if (!/^(CH|LI)/.test(iban)) {
    throw new QrBillError(
      'IBAN_COUNTRY_NOT_CH_LI',
      'A QR-bill needs a Swiss or Liechtenstein IBAN',
      'account',
    );
  }
  const qrIban = isQrIban(iban);
  const { type } = doc.paymentReference;
  const value = compactIdentifier(doc.paymentReference.value ?? '');
  let reference: string | undefined;
  if (type === 'QRR') {
    if (!value) throw new QrBillError('REFERENCE_MISSING', 'A QR reference is required', 'reference');
    if (!isValidQrr(value))
      throw new QrBillError('QRR_INVALID', `Invalid QR reference "${value}"`, 'reference');
    if (!qrIban) {
      throw new QrBillError(
        'QRR_REQUIRES_QR_IBAN',
        'A QR reference can only be used with a QR-IBAN',
        'reference',
      );
    }
    reference = value;
  } else {
    if (qrIban) {
      throw new QrBillError('QR_IBAN_REQUIRES_QRR', 'A QR-IBAN requires a QR reference (QRR)', 'reference');
    }
    if (type === 'SCOR') {
      if (!value) throw new QrBillError('REFERENCE_MISSING', 'A creditor reference is required', 'reference');
      if (!isValidScor(value))
        throw new QrBillError('SCOR_INVALID', `Invalid creditor reference "${value}"`, 'reference');
      reference = value;
    }
  }
  const due = doc.totals.dueMinor;
  if (!Number.isSafeInteger(due) || due <= 0 || due > QR_BILL_MAX_AMOUNT_MINOR) {
    throw new QrBillError(
      'AMOUNT_OUT_OF_RANGE',
      'The amount of a QR-bill must be between 0.01 and 999,999,999.99',
      'amount',
    );
  }
  const labels = documentLabels(doc.locale);
  const message = doc.number
    ? spsField(
        doc.qrMessage ?? labels.qrMessage[doc.kind](doc.number),
        'message',
        QR_BILL_LIMITS.message,
        false,
      )
    : '';
  const creditor = party(doc.issuer, 'creditor');
  const debtor = debtorOf(doc.billTo);
  return {
    currency: doc.currency,
    // A number for swissqrbill, which prints it with toFixed(2); the decimal string is exact
    // and any amount up to 999,999,999.99 survives the round trip through a double.
    amount: Number(minorToDecimalString(due)),
    creditor: { ...creditor, account: iban },
    ...(debtor ? { debtor } : {}),
    ...(reference ? { reference } : {}),
    ...(message ? { message } : {}),
  };
}

const LANGUAGE: Record<InvoiceDocument['locale'], Language> = { en: 'EN', fr: 'FR', de: 'DE', it: 'IT' };

/** Height of the payment part (105 mm) in points. */
export const QR_BILL_HEIGHT = SwissQRBill.height;

/** A validated payment part, ready to draw. */
export interface PreparedQrBill {
  data: Data;
  bill: SwissQRBill;
}

/**
 * Validates a document's payment part completely (ours, then swissqrbill's own checks, which
 * run in its constructor), so nothing can fail once drawing has started. Null when the
 * document gets no payment part (wantsQrBill). Throws QrBillError.
 */
export function prepareQrBill(doc: InvoiceDocument): PreparedQrBill | null {
  if (!wantsQrBill(doc)) return null;
  const data = qrBillData(doc);
  try {
    const bill = new SwissQRBill(data, {
      language: LANGUAGE[doc.locale],
      // Kontor Sans is Liberation Sans (one of the four fonts the standard allows) under
      // another name; swissqrbill selects `${fontName}` and `${fontName}-Bold`.
      fontName: FONT_FAMILY as 'Liberation Sans',
      // Dashed separation lines with scissors symbols: the form for a QR-bill sent as a PDF.
      scissors: true,
      outlines: true,
    });
    return { data, bill };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new QrBillError(
      'REJECTED_BY_SWISSQRBILL',
      `swissqrbill refused the payment part${typeof code === 'string' ? ` (${code})` : ''}: ${(error as Error).message}`,
    );
  }
}

/** Draws the payment part (receipt and payment part, 210 × 105 mm) with its top edge at `y` on the current page. */
export function drawQrBill(pdf: PDFKit.PDFDocument, prepared: PreparedQrBill, y: number): void {
  // attachTo adds a page when pdf.y + height exceeds the page: the caller has made room.
  pdf.y = y;
  prepared.bill.attachTo(pdf, 0, y);
  pdf.undash();
}
