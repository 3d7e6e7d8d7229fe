// The invoice columns of every export (the invoice list and a partner's client exports), once:
// a change of header, width or order reaches both files. The exports differ only in who the
// invoice is about: the invoice list names the paying organization after the dates, a client
// export puts the managed client first (callers add those columns).
import { exportWords } from '#common/i18n/exports';
import { inEveryLanguage } from '#common/i18n/translate';
import type { CellValue, Column, ExportCurrency, ExportLocale } from './csv/columns';

type HeaderKey = keyof (typeof exportWords)['en'];

/** A column header in every language, from common/i18n/exports.ts. */
export const header = (key: HeaderKey): Record<ExportLocale, string> => inEveryLanguage(exportWords, key);

export const text = <Row>(
  key: string,
  head: HeaderKey,
  value: (r: Row) => CellValue,
  width: number,
): Column<Row> => ({
  key,
  header: header(head),
  type: 'text',
  value,
  width,
});

export const date = <Row>(key: HeaderKey, value: (r: Row) => string | null): Column<Row> => ({
  key,
  header: header(key),
  type: 'date',
  value,
  width: 12,
});

export const money = <Row extends { currency: ExportCurrency }>(
  key: string,
  head: HeaderKey,
  value: (r: Row) => number,
  width = 14,
): Column<Row> => ({ key, header: header(head), type: 'money', value, currency: (r) => r.currency, width });

export const currencyColumn = <Row extends { currency: ExportCurrency }>(): Column<Row> =>
  text('currency', 'currency', (r) => r.currency, 8);

/** The invoice number a payment or a cashback entry belongs to. */
export const invoiceNumberColumn = <Row extends { invoiceNumber: string }>(): Column<Row> =>
  text('invoice', 'invoice', (r) => r.invoiceNumber, 26);

/**
 * An invoice's amounts as a list of documents shows them: a credit note takes money back, so
 * it counts negative and a column's sum is what was really invoiced; nothing is due on a
 * credit note, a pro forma or a cancelled or refunded invoice.
 */
export function listedAmounts(r: {
  kind: string;
  status: string;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  paidMinor: number;
}): Pick<InvoiceColumnsRow, 'netMinor' | 'vatMinor' | 'grossMinor' | 'paidMinor' | 'dueMinor'> {
  const sign = r.kind === 'credit_note' ? -1 : 1;
  return {
    netMinor: sign * r.netMinor,
    vatMinor: sign * r.vatMinor,
    grossMinor: sign * r.grossMinor,
    paidMinor: r.kind === 'credit_note' ? 0 : r.paidMinor,
    dueMinor:
      r.kind === 'invoice' && r.status !== 'cancelled' && r.status !== 'refunded'
        ? Math.max(0, r.grossMinor - r.paidMinor)
        : 0,
  };
}

/** What an invoice row must carry for the shared columns. */
export interface InvoiceColumnsRow {
  number: string;
  kind: string;
  status: string;
  overdue: boolean;
  issuedOn: string;
  dueOn: string | null;
  currency: ExportCurrency;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  paidMinor: number;
  dueMinor: number;
  paymentReference: string;
}

/** The invoice columns, with `party` (who the invoice is about) between the dates and the amounts. */
export function invoiceColumns<Row extends InvoiceColumnsRow>(party: Column<Row>[] = []): Column<Row>[] {
  return [
    text('number', 'number', (r) => r.number, 26),
    text('kind', 'kind', (r) => r.kind, 12),
    text('status', 'status', (r) => (r.overdue ? `${r.status} (overdue)` : r.status), 18),
    date('issuedOn', (r) => r.issuedOn),
    date('dueOn', (r) => r.dueOn),
    ...party,
    currencyColumn(),
    money('net', 'net', (r) => r.netMinor),
    money('vat', 'vat', (r) => r.vatMinor, 12),
    money('gross', 'gross', (r) => r.grossMinor),
    money('paid', 'paid', (r) => r.paidMinor),
    money('due', 'due', (r) => r.dueMinor),
    text('reference', 'paymentReference', (r) => r.paymentReference, 32),
  ];
}
