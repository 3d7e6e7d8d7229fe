// Payment identifiers (IBAN, SCOR, QRR) and the QR-bill validation that runs before a PDF is drawn.
import fc from 'fast-check';
import * as swissUtils from 'swissqrbill/utils';
import { describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '#core/export/invoice-document';
import { invoicePdfBuffer } from '#core/export/pdf/invoice-pdf';
import {
  formatIban,
  formatPaymentReference,
  isQrIban,
  isValidIban,
  isValidQrr,
  isValidScor,
  mod10RecursiveCheckDigit,
  QR_BILL_MAX_AMOUNT_MINOR,
  QrBillError,
  type QrBillErrorCode,
  qrBillData,
  qrrReference,
  scorReference,
  wantsQrBill,
} from '#core/export/pdf/qr-bill';
import {
  party,
  SAMPLE_ISSUER_CH,
  SAMPLE_ISSUER_CH_IBAN,
  SAMPLE_ISSUER_EU,
  sampleInvoice,
} from '../helpers/sample-documents';

const QR_IBAN = 'CH44 3199 9123 0008 8901 2'; // IID 31999
const IBAN = 'CH93 0076 2011 6238 5295 7';

/** Changes one character of `s` at `index` to another one of the same class. */
function corrupt(s: string, index: number, by: number): string {
  const ch = s[index] as string;
  const next = /\d/.test(ch)
    ? String((Number(ch) + by) % 10)
    : String.fromCharCode(((ch.charCodeAt(0) - 65 + by) % 26) + 65);
  return s.slice(0, index) + next + s.slice(index + 1);
}

describe('IBAN', () => {
  it('accepts valid IBANs with or without spaces, in any case', () => {
    for (const iban of [
      IBAN,
      QR_IBAN,
      'LI21 0881 0000 2324 013A A',
      'DE89370400440532013000',
      'fr14 2004 1010 0505 0001 3m02 606',
    ]) {
      expect(isValidIban(iban), iban).toBe(true);
    }
  });

  it('refuses corrupted IBANs, wrong lengths and garbage', () => {
    expect(isValidIban('CH93 0076 2011 6238 5295 8')).toBe(false);
    expect(isValidIban('CH39 0076 2011 6238 5295 7')).toBe(false); // check digits swapped
    expect(isValidIban('CH93 0076 2011 6238 5295')).toBe(false);
    expect(isValidIban('DE89 3704 0044 0532 0130 001')).toBe(false);
    expect(isValidIban('')).toBe(false);
    expect(isValidIban('CH93-0076-2011')).toBe(false);
  });

  it('detects every single-digit error (property)', () => {
    const compact = IBAN.replace(/ /g, '');
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: compact.length - 1 }),
        fc.integer({ min: 1, max: 9 }),
        (i, by) => {
          expect(isValidIban(corrupt(compact, i, by))).toBe(false);
        },
      ),
    );
  });

  it('tells a QR-IBAN (IID 30000–31999) from an ordinary one', () => {
    expect(isQrIban(QR_IBAN)).toBe(true);
    expect(isQrIban(SAMPLE_ISSUER_CH.iban as string)).toBe(true);
    expect(isQrIban(IBAN)).toBe(false);
    expect(isQrIban('DE89370400440532013000')).toBe(false);
    expect(isQrIban('CH44 3199 9123 0008 8901 3')).toBe(false); // invalid checksum
    expect(formatIban('ch9300762011623852957')).toBe('CH93 0076 2011 6238 5295 7');
  });
});

describe('SCOR creditor reference (ISO 11649)', () => {
  it('mints the reference of the standard’s example and agrees with swissqrbill', () => {
    expect(scorReference('539007547034')).toBe('RF18539007547034');
    expect(isValidScor('RF18 5390 0754 7034')).toBe(true);
    expect(scorReference('inv 2026 42')).toBe(scorReference('INV202642'));
    expect(formatPaymentReference('SCOR', 'RF18539007547034')).toBe('RF18 5390 0754 7034');
  });

  it('round-trips any base of 1–21 letters and digits, and agrees with swissqrbill (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,21}$/), (base) => {
        const ref = scorReference(base);
        expect(ref).toMatch(/^RF\d{2}/);
        expect(ref.slice(4)).toBe(base);
        expect(isValidScor(ref)).toBe(true);
        expect(swissUtils.isSCORReferenceValid(ref)).toBe(true);
      }),
    );
  });

  it('refuses corrupted references (any changed character, property) and bad shapes', () => {
    const ref = scorReference('K2026000042');
    fc.assert(
      fc.property(fc.integer({ min: 2, max: ref.length - 1 }), fc.integer({ min: 1, max: 9 }), (i, by) => {
        expect(isValidScor(corrupt(ref, i, by))).toBe(false);
      }),
    );
    expect(isValidScor('RF00539007547034')).toBe(false);
    expect(isValidScor('RF18')).toBe(false);
    expect(isValidScor('RX18539007547034')).toBe(false);
    expect(isValidScor(`RF18${'1'.repeat(22)}`)).toBe(false);
    expect(() => scorReference('')).toThrow(RangeError);
    expect(() => scorReference('1'.repeat(22))).toThrow(RangeError);
    expect(() => scorReference('ÄBC')).toThrow(RangeError);
  });
});

describe('QR reference (QRR, mod 10 recursive)', () => {
  it('computes the check digit of the published example and agrees with swissqrbill', () => {
    expect(mod10RecursiveCheckDigit('21000000000313947143000901')).toBe(7);
    expect(qrrReference('21000000000313947143000901')).toBe('210000000003139471430009017');
    expect(isValidQrr('21 00000 00003 13947 14300 09017')).toBe(true);
    expect(formatPaymentReference('QRR', '210000000003139471430009017')).toBe(
      '21 00000 00003 13947 14300 09017',
    );
  });

  it('pads short numbers to 26 digits and always validates (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,26}$/).filter((s) => /[1-9]/.test(s)),
        (digits) => {
          const ref = qrrReference(digits);
          expect(ref).toHaveLength(27);
          expect(ref.slice(0, 26)).toBe(digits.padStart(26, '0'));
          expect(isValidQrr(ref)).toBe(true);
          expect(swissUtils.isQRReferenceValid(ref)).toBe(true);
          expect(swissUtils.calculateQRReferenceChecksum(ref.slice(0, 26))).toBe(ref.slice(26));
        },
      ),
    );
  });

  it('detects every single-digit error and refuses bad shapes', () => {
    const ref = qrrReference('2026000042');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 26 }), fc.integer({ min: 1, max: 9 }), (i, by) => {
        expect(isValidQrr(corrupt(ref, i, by))).toBe(false);
      }),
    );
    expect(isValidQrr('0'.repeat(27))).toBe(false);
    expect(isValidQrr(ref.slice(1))).toBe(false);
    expect(isValidQrr(`${ref}0`)).toBe(false);
    expect(() => qrrReference('')).toThrow(RangeError);
    expect(() => qrrReference('0')).toThrow(RangeError);
    expect(() => qrrReference('1'.repeat(27))).toThrow(RangeError);
    expect(() => qrrReference('12a')).toThrow(RangeError);
  });
});

// ── QR-bill validation ──────────────────────────────────────────────────────────────────────

function chInvoice(overrides: Partial<InvoiceDocument> = {}, iban: string = QR_IBAN): InvoiceDocument {
  const base = sampleInvoice({
    seed: 11,
    lines: 3,
    issuer: { ...SAMPLE_ISSUER_CH, iban },
    paymentReference: isQrIban(iban)
      ? { type: 'QRR', value: qrrReference('2026000042') }
      : { type: 'SCOR', value: scorReference('INV2026000042') },
  });
  return { ...base, ...overrides };
}

function expectCode(doc: InvoiceDocument, code: QrBillErrorCode, field?: string): void {
  try {
    qrBillData(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(QrBillError);
    expect((error as QrBillError).code).toBe(code);
    if (field) expect((error as QrBillError).field).toBe(field);
    return;
  }
  throw new Error(`expected QrBillError ${code}`);
}

describe('QR-bill data', () => {
  it('builds the creditor, debtor, amount, currency and reference of a valid document', () => {
    const doc = chInvoice();
    const data = qrBillData(doc);
    expect(data.creditor.account).toBe('CH4431999123000889012');
    expect(data.creditor.name).toBe('Helvetia Hosting Sàrl');
    expect(data.creditor.address).toBe('Rue du Lac 12');
    expect(data.debtor?.name).toBe(doc.billTo.name);
    expect(data.currency).toBe('CHF');
    expect(data.reference).toBe(qrrReference('2026000042'));
    expect((data.amount as number).toFixed(2)).toBe(
      `${Math.trunc(doc.totals.dueMinor / 100)}.${String(doc.totals.dueMinor % 100).padStart(2, '0')}`,
    );
    expect(data.message).toBe(`Invoice ${doc.number}`);
  });

  it('accepts SCOR and NON with an ordinary IBAN, and EUR', () => {
    expect(qrBillData(chInvoice({}, IBAN)).reference).toBe(scorReference('INV2026000042'));
    const non = qrBillData(
      chInvoice({ paymentReference: { type: 'NON', value: null }, currency: 'EUR' }, IBAN),
    );
    expect(non.reference).toBeUndefined();
    expect(non.currency).toBe('EUR');
  });

  it('checks reference check digits', () => {
    const badQrr = corrupt(qrrReference('2026000042'), 20, 3);
    expectCode(chInvoice({ paymentReference: { type: 'QRR', value: badQrr } }), 'QRR_INVALID', 'reference');
    const badScor = corrupt(scorReference('INV2026000042'), 8, 1);
    expectCode(
      chInvoice({ paymentReference: { type: 'SCOR', value: badScor } }, IBAN),
      'SCOR_INVALID',
      'reference',
    );
    expectCode(chInvoice({ paymentReference: { type: 'SCOR', value: null } }, IBAN), 'REFERENCE_MISSING');
    expectCode(chInvoice({ paymentReference: { type: 'QRR', value: '' } }), 'REFERENCE_MISSING');
  });

  it('pairs QRR with a QR-IBAN only, and SCOR/NON with an ordinary IBAN only', () => {
    expectCode(
      chInvoice({ paymentReference: { type: 'QRR', value: qrrReference('42') } }, IBAN),
      'QRR_REQUIRES_QR_IBAN',
    );
    expectCode(
      chInvoice({ paymentReference: { type: 'SCOR', value: scorReference('42') } }, QR_IBAN),
      'QR_IBAN_REQUIRES_QRR',
    );
    expectCode(
      chInvoice({ paymentReference: { type: 'NON', value: null } }, QR_IBAN),
      'QR_IBAN_REQUIRES_QRR',
    );
  });

  it('checks the IBAN and its country', () => {
    expectCode(chInvoice({}, 'CH93 0076 2011 6238 5295 8'), 'IBAN_INVALID', 'account');
    const de = chInvoice({ paymentReference: { type: 'NON', value: null } }, IBAN);
    expectCode({ ...de, issuer: { ...de.issuer, iban: SAMPLE_ISSUER_EU.iban } }, 'IBAN_COUNTRY_NOT_CH_LI');
  });

  it('keeps the amount within 0.01 … 999,999,999.99', () => {
    const doc = chInvoice();
    const withDue = (dueMinor: number): InvoiceDocument => ({ ...doc, totals: { ...doc.totals, dueMinor } });
    expect(qrBillData(withDue(1)).amount).toBe(0.01);
    expect((qrBillData(withDue(QR_BILL_MAX_AMOUNT_MINOR)).amount as number).toFixed(2)).toBe('999999999.99');
    expectCode(withDue(0), 'AMOUNT_OUT_OF_RANGE', 'amount');
    expectCode(withDue(-500), 'AMOUNT_OUT_OF_RANGE');
    expectCode(withDue(QR_BILL_MAX_AMOUNT_MINOR + 1), 'AMOUNT_OUT_OF_RANGE');
    expectCode(withDue(12.5), 'AMOUNT_OUT_OF_RANGE');
  });

  it('keeps letters of the SPS Latin set (v2.3) and transliterates the rest of names and addresses', () => {
    const doc = chInvoice({
      billTo: party('Łukasz Żółć', 'ul. Świętokrzyska 31/33', '00-049', 'Warszawa', 'PL', 'Polska'),
    });
    expect(qrBillData(doc).debtor?.name).toBe('Łukasz Żółć');
    const typographic = chInvoice({
      billTo: party('Nguyễn “Café” – Zürich', 'Straße 1', '8001', 'Zürich', 'CH', 'Schweiz'),
    });
    expect(qrBillData(typographic).debtor?.name).toBe('Nguyên "Café" - Zürich');
  });

  it('refuses characters with no Latin equivalent, naming the field', () => {
    expectCode(
      chInvoice({ billTo: party('Rocket 🚀 AG', 'Weg 1', '3000', 'Bern', 'CH', 'Schweiz') }),
      'CHARACTER_NOT_ALLOWED',
      'debtor.name',
    );
    const doc = chInvoice();
    expectCode(
      { ...doc, issuer: { ...doc.issuer, city: 'Москва' } },
      'CHARACTER_NOT_ALLOWED',
      'creditor.city',
    );
  });

  it('checks field lengths: name 70, street 70, postal code 16, city 35', () => {
    const doc = chInvoice();
    const debtor = (p: Partial<InvoiceDocument['billTo']>): InvoiceDocument => ({
      ...doc,
      billTo: { ...doc.billTo, ...p },
    });
    expect(qrBillData(debtor({ name: 'N'.repeat(70) })).debtor?.name).toHaveLength(70);
    expectCode(debtor({ name: 'N'.repeat(71) }), 'FIELD_TOO_LONG', 'debtor.name');
    expectCode(debtor({ street: 'S'.repeat(71) }), 'FIELD_TOO_LONG', 'debtor.street');
    expectCode(debtor({ postalCode: '1'.repeat(17) }), 'FIELD_TOO_LONG', 'debtor.postalCode');
    expect(qrBillData(debtor({ city: 'C'.repeat(35) })).debtor?.city).toHaveLength(35);
    expectCode(debtor({ city: 'C'.repeat(36) }), 'FIELD_TOO_LONG', 'debtor.city');
    // Lengths count characters, not UTF-8 bytes.
    expect(qrBillData(debtor({ city: 'Ż'.repeat(35) })).debtor?.city).toHaveLength(35);
    expectCode({ ...doc, issuer: { ...doc.issuer, name: '  ' } }, 'FIELD_REQUIRED', 'creditor.name');
    expectCode(
      { ...doc, issuer: { ...doc.issuer, country: 'Suisse' } },
      'COUNTRY_INVALID',
      'creditor.country',
    );
  });

  it('leaves the debtor out (blank box) when its address is incomplete', () => {
    const doc = chInvoice();
    expect(qrBillData({ ...doc, billTo: { ...doc.billTo, city: '' } }).debtor).toBeUndefined();
  });

  it('decides which documents carry a payment part', () => {
    const doc = chInvoice();
    expect(wantsQrBill(doc)).toBe(true);
    expect(wantsQrBill({ ...doc, kind: 'pro_forma' })).toBe(true);
    expect(wantsQrBill({ ...doc, kind: 'credit_note' })).toBe(false);
    expect(wantsQrBill({ ...doc, totals: { ...doc.totals, dueMinor: 0 } })).toBe(false);
    expect(wantsQrBill({ ...doc, issuer: { ...doc.issuer, iban: null } })).toBe(false);
    expect(wantsQrBill({ ...doc, issuer: { ...doc.issuer, iban: SAMPLE_ISSUER_EU.iban } })).toBe(false);
    expect(wantsQrBill({ ...doc, issuer: { ...doc.issuer, iban: SAMPLE_ISSUER_CH_IBAN } })).toBe(true);
  });

  it('makes the renderer fail before writing anything', async () => {
    const bad = chInvoice({ paymentReference: { type: 'QRR', value: corrupt(qrrReference('42'), 26, 1) } });
    await expect(invoicePdfBuffer(bad)).rejects.toMatchObject({ name: 'QrBillError', code: 'QRR_INVALID' });
  });
});
