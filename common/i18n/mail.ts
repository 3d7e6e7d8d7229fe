// The messages Kontor sends with a document: the template each kind starts from, per document
// language, and the placeholders a template may hold. The firm edits its own copy in Settings
// (core/services/mail/templates.ts); these are what "Reset" brings back.
import type { DocumentLocale, MailDocumentKind } from '../enums';

/** The words a template may use between braces, filled from the document when the message is made. */
export const MAIL_PLACEHOLDERS = ['number', 'customer', 'amount', 'dueDate', 'issuedDate', 'firm'] as const;
export type MailPlaceholder = (typeof MAIL_PLACEHOLDERS)[number];

export interface MailTemplate {
  subject: string;
  body: string;
}

export const DEFAULT_MAIL_TEMPLATES: Record<MailDocumentKind, Record<DocumentLocale, MailTemplate>> = {
  invoice: {
    en: {
      subject: 'Invoice {number} from {firm}',
      body: 'Dear {customer},\n\nPlease find attached our invoice {number} of {issuedDate} for {amount}, payable by {dueDate}.\n\nKind regards,\n{firm}',
    },
    fr: {
      subject: 'Facture {number} de {firm}',
      body: 'Madame, Monsieur,\n\nVeuillez trouver ci-joint notre facture {number} du {issuedDate} d’un montant de {amount}, payable jusqu’au {dueDate}.\n\nMeilleures salutations,\n{firm}',
    },
    de: {
      subject: 'Rechnung {number} von {firm}',
      body: 'Guten Tag {customer}\n\nIm Anhang erhalten Sie unsere Rechnung {number} vom {issuedDate} über {amount}, zahlbar bis {dueDate}.\n\nFreundliche Grüsse\n{firm}',
    },
    it: {
      subject: 'Fattura {number} di {firm}',
      body: 'Gentili signore e signori,\n\nin allegato trovate la nostra fattura {number} del {issuedDate} di {amount}, pagabile entro il {dueDate}.\n\nCordiali saluti\n{firm}',
    },
  },
  credit_note: {
    en: {
      subject: 'Credit note {number} from {firm}',
      body: 'Dear {customer},\n\nPlease find attached our credit note {number} of {issuedDate} for {amount}.\n\nKind regards,\n{firm}',
    },
    fr: {
      subject: 'Note de crédit {number} de {firm}',
      body: 'Madame, Monsieur,\n\nVeuillez trouver ci-joint notre note de crédit {number} du {issuedDate} d’un montant de {amount}.\n\nMeilleures salutations,\n{firm}',
    },
    de: {
      subject: 'Gutschrift {number} von {firm}',
      body: 'Guten Tag {customer}\n\nIm Anhang erhalten Sie unsere Gutschrift {number} vom {issuedDate} über {amount}.\n\nFreundliche Grüsse\n{firm}',
    },
    it: {
      subject: 'Nota di credito {number} di {firm}',
      body: 'Gentili signore e signori,\n\nin allegato trovate la nostra nota di credito {number} del {issuedDate} di {amount}.\n\nCordiali saluti\n{firm}',
    },
  },
  reminder: {
    en: {
      subject: 'Reminder: invoice {number} from {firm}',
      body: 'Dear {customer},\n\nOur invoice {number} of {issuedDate} was due on {dueDate}; {amount} is still open. Please find the reminder attached. If you have paid in the meantime, please disregard this message.\n\nKind regards,\n{firm}',
    },
    fr: {
      subject: 'Rappel : facture {number} de {firm}',
      body: 'Madame, Monsieur,\n\nNotre facture {number} du {issuedDate} était payable au {dueDate} ; {amount} restent ouverts. Vous trouverez le rappel ci-joint. Si vous avez payé entre-temps, veuillez ne pas tenir compte de ce message.\n\nMeilleures salutations,\n{firm}',
    },
    de: {
      subject: 'Zahlungserinnerung: Rechnung {number} von {firm}',
      body: 'Guten Tag {customer}\n\nUnsere Rechnung {number} vom {issuedDate} war am {dueDate} fällig; {amount} sind noch offen. Die Zahlungserinnerung finden Sie im Anhang. Haben Sie inzwischen bezahlt, betrachten Sie diese Nachricht bitte als gegenstandslos.\n\nFreundliche Grüsse\n{firm}',
    },
    it: {
      subject: 'Sollecito: fattura {number} di {firm}',
      body: 'Gentili signore e signori,\n\nla nostra fattura {number} del {issuedDate} era in scadenza il {dueDate}; {amount} sono ancora aperti. In allegato trovate il sollecito. Se nel frattempo avete pagato, vogliate considerare nullo questo messaggio.\n\nCordiali saluti\n{firm}',
    },
  },
  statement: {
    en: {
      subject: 'Statement of account from {firm}',
      body: 'Dear {customer},\n\nPlease find attached your statement of account of {issuedDate}; {amount} is open.\n\nKind regards,\n{firm}',
    },
    fr: {
      subject: 'Relevé de compte de {firm}',
      body: 'Madame, Monsieur,\n\nVeuillez trouver ci-joint votre relevé de compte du {issuedDate} ; {amount} restent ouverts.\n\nMeilleures salutations,\n{firm}',
    },
    de: {
      subject: 'Kontoübersicht von {firm}',
      body: 'Guten Tag {customer}\n\nIm Anhang erhalten Sie Ihre Kontoübersicht vom {issuedDate}; offen sind {amount}.\n\nFreundliche Grüsse\n{firm}',
    },
    it: {
      subject: 'Estratto conto di {firm}',
      body: 'Gentili signore e signori,\n\nin allegato trovate il vostro estratto conto del {issuedDate}; sono aperti {amount}.\n\nCordiali saluti\n{firm}',
    },
  },
};

/** The placeholders of a template this version does not know ("{nummer}"), to refuse it with their names. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(MAIL_PLACEHOLDERS);
  return [...new Set([...text.matchAll(/\{([^{}\s]{1,40})\}/g)].map((m) => m[1] as string))].filter(
    (name) => !known.has(name),
  );
}

/** The template with each {placeholder} replaced by its value (one pass: a value is never read as a placeholder). */
export function fillTemplate(text: string, values: Record<MailPlaceholder, string>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as MailPlaceholder] : whole,
  );
}
