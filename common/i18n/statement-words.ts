// The words of a statement of account (core/export/pdf/statement-pdf.ts), per document language.
import type { DocumentLocale } from '../enums';

export const statementWords: Record<
  DocumentLocale,
  {
    title: string;
    asOf: string;
    number: string;
    issued: string;
    due: string;
    total: string;
    open: string;
    totalOpen: string;
    nothingOpen: string;
  }
> = {
  en: {
    title: 'Statement of account',
    asOf: 'As of',
    number: 'Invoice',
    issued: 'Issued',
    due: 'Due',
    total: 'Total',
    open: 'Open',
    totalOpen: 'Total open',
    nothingOpen: 'Nothing is open: thank you.',
  },
  fr: {
    title: 'Relevé de compte',
    asOf: 'Au',
    number: 'Facture',
    issued: 'Émise le',
    due: 'Échéance',
    total: 'Montant',
    open: 'Ouvert',
    totalOpen: 'Total ouvert',
    nothingOpen: 'Rien n’est ouvert : merci.',
  },
  de: {
    title: 'Kontoübersicht',
    asOf: 'Stand',
    number: 'Rechnung',
    issued: 'Datum',
    due: 'Fällig',
    total: 'Betrag',
    open: 'Offen',
    totalOpen: 'Total offen',
    nothingOpen: 'Es ist nichts offen: vielen Dank.',
  },
  it: {
    title: 'Estratto conto',
    asOf: 'Al',
    number: 'Fattura',
    issued: 'Data',
    due: 'Scadenza',
    total: 'Importo',
    open: 'Aperto',
    totalOpen: 'Totale aperto',
    nothingOpen: 'Nulla è aperto: grazie.',
  },
};
