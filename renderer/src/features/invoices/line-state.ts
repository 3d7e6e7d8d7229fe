import type { Currency, UnitCode, VatCategory } from '#common/enums';
import { invoiceTotals, type LineAmounts, lineAmounts } from '#common/invoice-math';
import { minorToDecimal, parseAmount } from '#common/money';
import type { MethodInput } from '../../api/client';
import { type InvoiceLine, parseScaled, scaledToText } from './invoice-ui';

export type LineInput = NonNullable<MethodInput<'invoices.updateDraft'>['lines']>[number];

/** A line as typed: text in, integers out (quantity in thousandths, price in minor units). */
export interface LineDraft {
  key: string;
  productId: string | null;
  description: string;
  quantity: string;
  price: string;
  discount: string;
  vatRateBp: number;
  /** UN/ECE Rec 20 unit (BT-130). */
  unitCode: UnitCode;
  /** UNCL 5305 category (BT-151); '' lets the API decide from the rate and the parties. */
  vatCategory: VatCategory | '';
  /** Why the line carries no VAT (BT-120): required for E, optional otherwise. */
  exemptionReason: string;
}

export interface LineErrors {
  description?: 'required' | 'tooLong';
  quantity?: 'required' | 'invalid';
  price?: 'required' | 'invalid';
  discount?: 'invalid';
  exemptionReason?: 'required';
}

export interface ParsedLine {
  input: LineInput;
  amounts: LineAmounts;
}

let keys = 0;
export function newKey(): string {
  keys += 1;
  return `line-${keys}`;
}

export function emptyLine(vatRateBp: number): LineDraft {
  return {
    key: newKey(),
    productId: null,
    description: '',
    quantity: '1',
    price: '',
    discount: '',
    vatRateBp,
    unitCode: 'C62',
    vatCategory: '',
    exemptionReason: '',
  };
}

export function lineFromInvoice(line: InvoiceLine, currency: Currency): LineDraft {
  return {
    key: newKey(),
    productId: line.productId,
    description: line.description,
    quantity: scaledToText(line.quantityMilli, 3),
    price: minorToDecimal(line.unitPriceMinor, currency),
    discount: line.discountBp ? scaledToText(line.discountBp, 2) : '',
    vatRateBp: line.vatRateBp,
    unitCode: line.unitCode,
    vatCategory: line.vatCategory ?? '',
    exemptionReason: line.exemptionReason ?? '',
  };
}

/** The line's errors and, when it has none, what the API takes and what the line amounts to. */
export function parseLine(
  line: LineDraft,
  currency: Currency,
): { errors: LineErrors; parsed: ParsedLine | null } {
  const errors: LineErrors = {};
  const description = line.description.trim();
  if (!description) errors.description = 'required';
  else if (description.length > 500) errors.description = 'tooLong';
  const quantityMilli = parseScaled(line.quantity, 3);
  if (!line.quantity.trim()) errors.quantity = 'required';
  else if (quantityMilli === null || quantityMilli < 1 || quantityMilli > 1_000_000_000)
    errors.quantity = 'invalid';
  const unitPriceMinor = parseAmount(line.price, currency);
  if (!line.price.trim()) errors.price = 'required';
  else if (unitPriceMinor === null || Math.abs(unitPriceMinor) > 100_000_000_00) errors.price = 'invalid';
  const discountBp = line.discount.trim() ? parseScaled(line.discount, 2) : 0;
  if (discountBp === null || discountBp > 10_000) errors.discount = 'invalid';
  // The API refuses an exempt line without its reason (vat-category.ts): said here first.
  const exemptionReason = line.exemptionReason.trim();
  if (line.vatCategory === 'E' && !exemptionReason) errors.exemptionReason = 'required';
  if (
    Object.keys(errors).length > 0 ||
    quantityMilli === null ||
    unitPriceMinor === null ||
    discountBp === null
  )
    return { errors, parsed: null };
  const input: LineInput = {
    productId: line.productId,
    description,
    quantityMilli,
    unitPriceMinor,
    discountBp,
    vatRateBp: line.vatRateBp,
    unitCode: line.unitCode,
    vatCategory: line.vatCategory || null,
    exemptionReason: exemptionReason || null,
  };
  try {
    return {
      errors,
      parsed: { input, amounts: lineAmounts({ ...input, discountBp, vatRateBp: line.vatRateBp }) },
    };
  } catch {
    // Beyond exact integer arithmetic: the API refuses it too.
    return { errors: { price: 'invalid' }, parsed: null };
  }
}

/** Live totals of the lines that parse, computed exactly as the API will. */
export function totalsOf(parsed: readonly (ParsedLine | null)[]) {
  return invoiceTotals(
    parsed
      .filter((p): p is ParsedLine => p !== null)
      .map((p) => ({ ...p.amounts, vatRateBp: p.input.vatRateBp ?? 0 })),
  );
}
