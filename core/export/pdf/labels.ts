// Printed words of invoice documents in the shape the layout uses; the words themselves are
// in common/i18n/document.ts.
import { documentWords } from '#common/i18n/document';
import { translate } from '#common/i18n/translate';
import type { DocumentKind, DocumentLocale } from '../invoice-document';

export interface DocumentLabels {
  title: Record<DocumentKind, string>;
  /** Meta block beside the address window. */
  number: Record<DocumentKind, string>;
  issuedOn: string;
  dueOn: string;
  customerVat: string;
  customerUid: string;
  vatNumber: (country: string) => string;
  uid: (country: string) => string;
  proFormaMention: string;
  correctsInvoice: (number: string) => string;
  continued: string;
  // Lines table
  description: string;
  quantity: string;
  unitPrice: string;
  discount: string;
  vatRate: string;
  amount: (currency: string) => string;
  // VAT summary and totals
  vatSummary: string;
  vatBase: string;
  vatAmount: string;
  totalNet: string;
  totalVat: string;
  totalGross: string;
  totalCredit: string;
  paid: string;
  due: string;
  reverseCharge: string;
  // Payment
  payment: string;
  payBy: (amount: string, date: string) => string;
  payNow: (amount: string) => string;
  iban: string;
  reference: string;
  paymentPartFollows: string;
  paymentPartHeading: string;
  qrMessage: Record<DocumentKind, (number: string) => string>;
  notes: string;
  draft: string;
  draftTitle: string;
  page: (n: number, of: number) => string;
}

const KINDS: readonly DocumentKind[] = ['invoice', 'pro_forma', 'credit_note'];

/** Words with a Swiss variant (see common/i18n/document.ts). */
type Variant =
  | 'vatRate'
  | 'vatAmount'
  | 'vatSummary'
  | 'vatBase'
  | 'totalNet'
  | 'totalVat'
  | 'totalGross'
  | 'totalCredit';

function build(locale: DocumentLocale, swiss: boolean): DocumentLabels {
  const w = documentWords[locale];
  const t = (key: keyof typeof w, params?: Record<string, unknown>) =>
    translate(documentWords, locale, key, params);
  const v = (key: Variant) => (swiss ? w[`${key}.ch` as const] : w[key]);
  const perKind = <T>(make: (kind: DocumentKind) => T) =>
    Object.fromEntries(KINDS.map((k) => [k, make(k)])) as Record<DocumentKind, T>;
  return {
    title: perKind((k) => w[`title.${k}`]),
    number: perKind((k) => w[`number.${k}`]),
    issuedOn: w.issuedOn,
    dueOn: w.dueOn,
    customerVat: w.customerVat,
    customerUid: w.customerUid,
    vatNumber: (country) => (country === 'CH' || country === 'LI' ? w['vatNumber.ch'] : w.vatNumber),
    uid: () => w.uid,
    proFormaMention: w.proFormaMention,
    correctsInvoice: (number) => t('correctsInvoice', { number }),
    continued: w.continued,
    description: w.description,
    quantity: w.quantity,
    unitPrice: w.unitPrice,
    discount: w.discount,
    vatRate: v('vatRate'),
    amount: (currency) => t('amount', { currency }),
    vatSummary: v('vatSummary'),
    vatBase: v('vatBase'),
    vatAmount: v('vatAmount'),
    totalNet: v('totalNet'),
    totalVat: v('totalVat'),
    totalGross: v('totalGross'),
    totalCredit: v('totalCredit'),
    paid: w.paid,
    due: w.due,
    reverseCharge: w.reverseCharge,
    payment: w.payment,
    payBy: (amount, date) => t('payBy', { amount, date }),
    payNow: (amount) => t('payNow', { amount }),
    iban: w.iban,
    reference: w.reference,
    paymentPartFollows: w.paymentPartFollows,
    paymentPartHeading: w.paymentPartHeading,
    qrMessage: perKind((k) => (number: string) => t(`qrMessage.${k}`, { number })),
    notes: w.notes,
    draft: w.draft,
    draftTitle: w.draftTitle,
    page: (n, of) => t('page', { n, of }),
  };
}

const cache = new Map<string, DocumentLabels>();

/** The labels of a locale; `swiss` (the issuer is in CH or LI) picks Swiss wording where it differs. */
export function documentLabels(locale: DocumentLocale, swiss = true): DocumentLabels {
  const key = `${locale}/${swiss}`;
  let labels = cache.get(key);
  if (!labels) {
    labels = build(locale, swiss);
    cache.set(key, labels);
  }
  return labels;
}
