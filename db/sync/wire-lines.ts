// An invoice line in the shape a draft's `lines` change carries (outbox.ts linesToWire), written
// back into invoice_lines. The pull's apply and "keep mine" (core/services/sync.service.ts) both
// write lines this way: the second once wrote 12 of the 15 columns, so a copied exempt line lost
// its VAT category and reason, an hourly one its unit.
export const INSERT_WIRE_LINE = `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description,
  quantity_milli, unit_price_minor, discount_bp, vat_rate_bp, net_minor, vat_minor, gross_minor, unit_code,
  vat_category, exemption_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** INSERT_WIRE_LINE's values for one wire line. */
export function wireLineValues(
  id: string,
  invoiceId: string,
  position: number,
  l: Record<string, unknown>,
): unknown[] {
  return [
    id,
    invoiceId,
    position,
    l.productId ?? null,
    l.description ?? '',
    l.quantityMilli ?? 0,
    l.unitPriceMinor ?? 0,
    l.discountBp ?? 0,
    l.vatRateBp ?? 0,
    l.netMinor ?? 0,
    l.vatMinor ?? 0,
    l.grossMinor ?? 0,
    // A device from before the e-invoice migration sends lines without these.
    l.unitCode ?? 'C62',
    l.vatCategory ?? null,
    l.exemptionReason ?? null,
  ];
}
