// The EN 16931 VAT category of a line (UNCL 5305, BT-151), decided once when the line is priced
// and stored with it, so the PDF, the e-invoice and the VAT breakdown (BG-23) all say the same.
import type { OperationCategory, VatCategory } from './enums';
import type { VatDecision } from './vat-rates';

export interface CategoryChoice {
  vatCategory: VatCategory;
  exemptionReason: string | null;
}

/** Why a 0 % line carries no VAT, per category (VATEX code list), when the person gave no reason. */
export const EXEMPTION_CODES: Partial<Record<VatCategory, string>> = {
  AE: 'VATEX-EU-AE',
  K: 'VATEX-EU-IC',
  G: 'VATEX-EU-G',
  O: 'VATEX-EU-O',
};

/** Default texts of those reasons (the XML carries the code and this text). */
export const EXEMPTION_TEXTS: Partial<Record<VatCategory, string>> = {
  AE: 'Reverse charge',
  K: 'Intra-Community supply',
  G: 'Export outside the EU',
  O: 'Not subject to VAT',
};

export type CategoryProblem = 'category_rate_mismatch' | 'category_not_for_rule' | 'exemption_reason_missing';

/**
 * The category a line gets: what the person chose, checked against the rate and the VAT rule,
 * or else: a positive rate is S; a reverse-charge invoice is AE for services and K (intra-EU
 * supply) for goods; an export is G; any other 0 % line is Z (zero-rated).
 */
export function decideVatCategory(
  rateBp: number,
  decision: Pick<VatDecision, 'rule' | 'reverseCharge'>,
  operation: OperationCategory,
  requested?: { vatCategory?: VatCategory | null; exemptionReason?: string | null },
): CategoryChoice | { problem: CategoryProblem } {
  const reason = requested?.exemptionReason?.trim() || null;
  const chosen = requested?.vatCategory ?? null;
  if (chosen) {
    if ((chosen === 'S') !== rateBp > 0) return { problem: 'category_rate_mismatch' };
    if ((chosen === 'AE' || chosen === 'K') && !decision.reverseCharge)
      return { problem: 'category_not_for_rule' };
    if (chosen === 'G' && decision.rule !== 'export') return { problem: 'category_not_for_rule' };
    if (chosen === 'E' && !reason) return { problem: 'exemption_reason_missing' };
    return { vatCategory: chosen, exemptionReason: reason };
  }
  if (rateBp > 0) return { vatCategory: 'S', exemptionReason: null };
  if (decision.reverseCharge)
    return { vatCategory: operation === 'goods' ? 'K' : 'AE', exemptionReason: reason };
  if (decision.rule === 'export') return { vatCategory: 'G', exemptionReason: reason };
  return { vatCategory: 'Z', exemptionReason: reason };
}
