// What a received e-invoice is once read: the same EN 16931 model Kontor writes its own
// documents from (core/export/einvoice/model.ts), widened where a supplier may say more than
// Kontor ever writes (any UN/ECE unit, any payment means code, document-level allowances and
// charges, a price with four decimals, no delivery date). A document Kontor wrote reads back
// as exactly the model it was written from (test/integration/einvoice-receive-roundtrip.test.ts).
export type { RuleBreach } from '#common/i18n/einvoice-rules';
import type { EnInvoice, EnLine, EnParty, EnVatBreakdown } from '../../export/einvoice/model';

export interface ReceivedParty extends Omit<EnParty, 'legalId'> {
  /** A legal id without a scheme (a national register number) keeps scheme null. */
  legalId: { value: string; scheme: string | null } | null;
}

export interface ReceivedLine extends Omit<EnLine, 'unitCode' | 'category'> {
  unitCode: string;
  category: string;
}

export interface ReceivedVat extends Omit<EnVatBreakdown, 'category'> {
  category: string;
}

export interface ReceivedTotals {
  lineNetMinor: number; // BT-106
  taxMinor: number; // BT-110
  grossMinor: number; // BT-112
  prepaidMinor: number; // BT-113
  payableMinor: number; // BT-115
  // Only when the document has them (Kontor never writes them):
  allowanceMinor?: number; // BT-107
  chargeMinor?: number; // BT-108
  roundingMinor?: number; // BT-114
}

export interface ReceivedInvoice
  extends Omit<
    EnInvoice,
    'typeCode' | 'seller' | 'buyer' | 'lines' | 'vat' | 'payment' | 'totals' | 'delivery' | 'paymentTerms'
  > {
  typeCode: string;
  seller: ReceivedParty;
  buyer: ReceivedParty;
  delivery: { date: string | null; country: string | null };
  payment: { code: string; remittance: string | null; iban: string | null; bic: string | null } | null;
  paymentTerms: string | null;
  lines: ReceivedLine[];
  vat: ReceivedVat[];
  totals: ReceivedTotals;
}

/** UNTDID 1001 codes of credit notes (EN 16931 code list): they take money back. */
export const CREDIT_NOTE_TYPES = new Set([
  '81',
  '83',
  '261',
  '262',
  '296',
  '308',
  '381',
  '396',
  '420',
  '458',
  '532',
]);

/** What a syntax's reader gives: the model, BT-24 (the specification) and BT-109 as written. */
export interface ParsedDocument {
  invoice: ReceivedInvoice;
  specification: string | null;
  /** BT-109, kept apart: the model derives it (BT-106 − BT-107 + BT-108), BR-CO-13 checks it. */
  taxExclusiveMinor: number | null;
}
