// The invoice columns of every export (the invoice list and a partner's client exports), once:
// a change of header, width or order reaches both files. The exports differ only in who the
// invoice is about: the invoice list names the paying organization after the dates, a client
// export puts the managed client first (callers add those columns).
import { exportWords } from '#common/i18n/exports';
import { inEveryLanguage } from '#common/i18n/translate';
import type { Column, ExportCurrency, ExportLocale } from './csv/columns';

/** A column header in every language, from common/i18n/exports.ts. */
export const header = (key: keyof (typeof exportWords)['en']): Record<ExportLocale, string> =>
  inEveryLanguage(exportWords, key);

export const money = <Row extends { currency: ExportCurrency }>(
  key: string,
  header: Record<ExportLocale, string>,
  value: (r: Row) => number,
): Column<Row> => ({ key, header, type: 'money', value, currency: (r) => r.currency, width: 14 });

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
    {
      key: 'number',
      header: header('number'),
      type: 'text',
      value: (r) => r.number,
      width: 26,
    },
    { key: 'kind', header: header('kind'), type: 'text', value: (r) => r.kind, width: 12 },
    {
      key: 'status',
      header: header('status'),
      type: 'text',
      value: (r) => (r.overdue ? `${r.status} (overdue)` : r.status),
      width: 18,
    },
    {
      key: 'issuedOn',
      header: header('issuedOn'),
      type: 'date',
      value: (r) => r.issuedOn,
      width: 12,
    },
    {
      key: 'dueOn',
      header: header('dueOn'),
      type: 'date',
      value: (r) => r.dueOn,
      width: 12,
    },
    ...party,
    {
      key: 'currency',
      header: header('currency'),
      type: 'text',
      value: (r) => r.currency,
      width: 8,
    },
    money('net', header('net'), (r) => r.netMinor),
    { ...money<Row>('vat', header('vat'), (r) => r.vatMinor), width: 12 },
    money('gross', header('gross'), (r) => r.grossMinor),
    money('paid', header('paid'), (r) => r.paidMinor),
    money('due', header('due'), (r) => r.dueMinor),
    {
      key: 'reference',
      header: header('paymentReference'),
      type: 'text',
      value: (r) => r.paymentReference,
      width: 32,
    },
  ];
}
