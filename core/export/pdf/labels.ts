// Printed words of invoice documents, in the three document languages.
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

const en: DocumentLabels = {
  title: { invoice: 'Invoice', pro_forma: 'Pro forma invoice', credit_note: 'Credit note' },
  number: { invoice: 'Invoice no.', pro_forma: 'Pro forma no.', credit_note: 'Credit note no.' },
  issuedOn: 'Date',
  dueOn: 'Due date',
  customerVat: 'Your VAT no.',
  customerUid: 'Your UID',
  vatNumber: () => 'VAT no.',
  uid: () => 'UID',
  proFormaMention: 'Pro forma invoice: this document has no legal or fiscal value.',
  correctsInvoice: (n) => `Corrects invoice ${n}`,
  continued: 'continued',
  description: 'Description',
  quantity: 'Qty',
  unitPrice: 'Unit price',
  discount: 'Disc.',
  vatRate: 'VAT',
  amount: (c) => `Amount ${c}`,
  vatSummary: 'VAT summary',
  vatBase: 'Net',
  vatAmount: 'VAT',
  totalNet: 'Total excl. VAT',
  totalVat: 'VAT',
  totalGross: 'Total incl. VAT',
  totalCredit: 'Total credited incl. VAT',
  paid: 'Paid',
  due: 'Amount due',
  reverseCharge:
    'Reverse charge: VAT to be accounted for by the recipient (Article 196 of Council Directive 2006/112/EC).',
  payment: 'Payment',
  payBy: (a, d) => `Please pay ${a} by ${d}.`,
  payNow: (a) => `Please pay ${a} on receipt.`,
  iban: 'IBAN',
  reference: 'Reference',
  paymentPartFollows: 'The payment part is on the last page.',
  paymentPartHeading: 'Payment part',
  qrMessage: {
    invoice: (n) => `Invoice ${n}`,
    pro_forma: (n) => `Pro forma ${n}`,
    credit_note: (n) => `Credit note ${n}`,
  },
  notes: 'Notes',
  draft: 'DRAFT',
  draftTitle: 'draft',
  page: (n, of) => `Page ${n} / ${of}`,
};

const fr: DocumentLabels = {
  title: { invoice: 'Facture', pro_forma: 'Facture pro forma', credit_note: 'Note de crédit' },
  number: { invoice: 'Facture n°', pro_forma: 'Pro forma n°', credit_note: 'Note de crédit n°' },
  issuedOn: 'Date',
  dueOn: 'Échéance',
  customerVat: 'Votre n° TVA',
  customerUid: 'Votre IDE',
  vatNumber: () => 'N° TVA',
  uid: () => 'IDE',
  proFormaMention: "Facture pro forma : ce document n'a aucune valeur légale ni fiscale.",
  correctsInvoice: (n) => `Rectifie la facture ${n}`,
  continued: 'suite',
  description: 'Désignation',
  quantity: 'Qté',
  unitPrice: 'Prix unitaire',
  discount: 'Remise',
  vatRate: 'TVA',
  amount: (c) => `Montant ${c}`,
  vatSummary: 'Récapitulatif TVA',
  vatBase: 'Base HT',
  vatAmount: 'TVA',
  totalNet: 'Total HT',
  totalVat: 'TVA',
  totalGross: 'Total TTC',
  totalCredit: 'Total crédité TTC',
  paid: 'Déjà payé',
  due: 'Montant dû',
  reverseCharge:
    'Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE du Conseil).',
  payment: 'Paiement',
  payBy: (a, d) => `Merci de régler ${a} d'ici au ${d}.`,
  payNow: (a) => `Merci de régler ${a} dès réception.`,
  iban: 'IBAN',
  reference: 'Référence',
  paymentPartFollows: 'La section paiement figure en dernière page.',
  paymentPartHeading: 'Section paiement',
  qrMessage: {
    invoice: (n) => `Facture ${n}`,
    pro_forma: (n) => `Pro forma ${n}`,
    credit_note: (n) => `Note de crédit ${n}`,
  },
  notes: 'Remarques',
  draft: 'BROUILLON',
  draftTitle: 'brouillon',
  page: (n, of) => `Page ${n} / ${of}`,
};

const de: DocumentLabels = {
  title: { invoice: 'Rechnung', pro_forma: 'Proformarechnung', credit_note: 'Gutschrift' },
  number: { invoice: 'Rechnungsnr.', pro_forma: 'Proforma-Nr.', credit_note: 'Gutschrift-Nr.' },
  issuedOn: 'Datum',
  dueOn: 'Fällig am',
  customerVat: 'Ihre USt-IdNr.',
  customerUid: 'Ihre UID',
  vatNumber: (country) => (country === 'CH' || country === 'LI' ? 'MWST-Nr.' : 'USt-IdNr.'),
  uid: () => 'UID',
  proFormaMention: 'Proformarechnung: Dieses Dokument hat keinen rechtlichen oder steuerlichen Wert.',
  correctsInvoice: (n) => `Korrigiert Rechnung ${n}`,
  continued: 'Fortsetzung',
  description: 'Bezeichnung',
  quantity: 'Menge',
  unitPrice: 'Einzelpreis',
  discount: 'Rabatt',
  vatRate: 'MWST',
  amount: (c) => `Betrag ${c}`,
  vatSummary: 'MWST-Zusammenstellung',
  vatBase: 'Netto',
  vatAmount: 'MWST',
  totalNet: 'Total exkl. MWST',
  totalVat: 'MWST',
  totalGross: 'Total inkl. MWST',
  totalCredit: 'Gutschrift inkl. MWST',
  paid: 'Bereits bezahlt',
  due: 'Offener Betrag',
  reverseCharge:
    'Steuerschuldnerschaft des Leistungsempfängers (Reverse-Charge, Art. 196 der Richtlinie 2006/112/EG des Rates).',
  payment: 'Zahlung',
  payBy: (a, d) => `Bitte überweisen Sie ${a} bis zum ${d}.`,
  payNow: (a) => `Bitte überweisen Sie ${a} nach Erhalt.`,
  iban: 'IBAN',
  reference: 'Referenz',
  paymentPartFollows: 'Der Zahlteil befindet sich auf der letzten Seite.',
  paymentPartHeading: 'Zahlteil',
  qrMessage: {
    invoice: (n) => `Rechnung ${n}`,
    pro_forma: (n) => `Proforma ${n}`,
    credit_note: (n) => `Gutschrift ${n}`,
  },
  notes: 'Bemerkungen',
  draft: 'ENTWURF',
  draftTitle: 'Entwurf',
  page: (n, of) => `Seite ${n} / ${of}`,
};

const LABELS: Record<DocumentLocale, DocumentLabels> = { en, fr, de };

// Swiss usage differs from French and German usage for a few words: "MWST" is Swiss ("USt."
// in Germany), "HT/TTC" is French ("hors TVA / TVA incluse" in Switzerland).
const SWISS: Partial<Record<DocumentLocale, Partial<DocumentLabels>>> = {
  fr: {
    vatBase: 'Hors TVA',
    totalNet: 'Total hors TVA',
    totalGross: 'Total TVA incluse',
    totalCredit: 'Total crédité TVA incluse',
  },
};
const NON_SWISS: Partial<Record<DocumentLocale, Partial<DocumentLabels>>> = {
  de: {
    vatRate: 'USt.',
    vatAmount: 'USt.',
    vatSummary: 'Umsatzsteuer',
    totalNet: 'Summe netto',
    totalVat: 'USt.',
    totalGross: 'Summe brutto',
    totalCredit: 'Gutschrift brutto',
  },
};

const cache = new Map<string, DocumentLabels>();

/** The labels of a locale; `swiss` (the issuer is in CH or LI) picks Swiss wording where it differs. */
export function documentLabels(locale: DocumentLocale, swiss = true): DocumentLabels {
  const key = `${locale}/${swiss}`;
  let labels = cache.get(key);
  if (!labels) {
    labels = { ...LABELS[locale], ...(swiss ? SWISS[locale] : NON_SWISS[locale]) };
    cache.set(key, labels);
  }
  return labels;
}
