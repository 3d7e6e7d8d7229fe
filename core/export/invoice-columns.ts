// The invoice columns of every export (the invoice list and a partner's client exports), once:
// a change of header, width or order reaches both files. The exports differ only in who the
// invoice is about: the invoice list names the paying organization after the dates, a client
// export puts the managed client first (callers add those columns).
import type { Column, ExportCurrency, ExportLocale } from './csv/columns';

export const t = (en: string, fr: string, de: string): Record<ExportLocale, string> => ({ en, fr, de });

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
      header: t('Number', 'Numéro', 'Nummer'),
      type: 'text',
      value: (r) => r.number,
      width: 26,
    },
    { key: 'kind', header: t('Kind', 'Type', 'Art'), type: 'text', value: (r) => r.kind, width: 12 },
    {
      key: 'status',
      header: t('Status', 'Statut', 'Status'),
      type: 'text',
      value: (r) => (r.overdue ? `${r.status} (overdue)` : r.status),
      width: 18,
    },
    {
      key: 'issuedOn',
      header: t('Issued on', 'Date', 'Datum'),
      type: 'date',
      value: (r) => r.issuedOn,
      width: 12,
    },
    {
      key: 'dueOn',
      header: t('Due on', 'Échéance', 'Fällig am'),
      type: 'date',
      value: (r) => r.dueOn,
      width: 12,
    },
    ...party,
    {
      key: 'currency',
      header: t('Currency', 'Devise', 'Währung'),
      type: 'text',
      value: (r) => r.currency,
      width: 8,
    },
    money('net', t('Net', 'HT', 'Netto'), (r) => r.netMinor),
    { ...money<Row>('vat', t('VAT', 'TVA', 'MWST'), (r) => r.vatMinor), width: 12 },
    money('gross', t('Total', 'TTC', 'Brutto'), (r) => r.grossMinor),
    money('paid', t('Paid', 'Payé', 'Bezahlt'), (r) => r.paidMinor),
    money('due', t('Due', 'Reste dû', 'Offen'), (r) => r.dueMinor),
    {
      key: 'reference',
      header: t('Payment reference', 'Référence de paiement', 'Zahlungsreferenz'),
      type: 'text',
      value: (r) => r.paymentReference,
      width: 32,
    },
  ];
}
