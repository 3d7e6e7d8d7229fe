// The printed words of payment reminders (PDF, QR-bill message, e-mail placeholders) in the
// four document languages. "Final notice" is the last level of the organization's sequence.
import { defineDocumentCatalog, translate } from './translate';

export const reminderWords = defineDocumentCatalog({
  en: {
    title: 'Payment reminder',
    'title.level': '{{level}}. payment reminder',
    'title.final': 'Final notice',
    reminderDate: 'Reminder date',
    invoiceNumber: 'Invoice no.',
    invoiceDate: 'Invoice date',
    invoiceDueOn: 'Was due on',
    payBy: 'Please pay by',
    intro:
      'Our records show that the invoice below is still unpaid {{days}} days after its due date. If you have paid it in the meantime, please disregard this reminder.',
    'intro.final':
      'Despite our earlier reminders, the invoice below is still unpaid {{days}} days after its due date. Please pay the amount shown by {{date}}.',
    invoiceLine: 'Invoice {{number}} of {{date}}',
    invoiceTotal: 'Invoice total',
    paidOrCredited: 'Paid or credited',
    stillDue: 'Still due on the invoice',
    fee: 'Reminder fee ({{level}}. reminder)',
    feeNote: 'Reminder fees are compensation for the cost of dunning, not a supply: no VAT.',
    totalToPay: 'Total to pay',
    payWithSlip: 'Please pay {{amount}} by {{date}} with the payment part below (the invoice reference).',
    qrMessage: 'Reminder {{level}} · invoice {{number}}',
    subject: 'Payment reminder: invoice {{number}}',
    'subject.final': 'Final notice: invoice {{number}}',
  },
  fr: {
    title: 'Rappel de paiement',
    'title.level': '{{level}}e rappel de paiement',
    'title.final': 'Dernier avertissement',
    reminderDate: 'Date du rappel',
    invoiceNumber: 'Facture n°',
    invoiceDate: 'Date de la facture',
    invoiceDueOn: 'Échue le',
    payBy: 'À payer d’ici le',
    intro:
      'Selon nos registres, la facture ci-dessous reste impayée {{days}} jours après son échéance. Si vous l’avez réglée entre-temps, veuillez ne pas tenir compte de ce rappel.',
    'intro.final':
      'Malgré nos rappels, la facture ci-dessous reste impayée {{days}} jours après son échéance. Veuillez payer le montant indiqué d’ici le {{date}}.',
    invoiceLine: 'Facture {{number}} du {{date}}',
    invoiceTotal: 'Total de la facture',
    paidOrCredited: 'Payé ou crédité',
    stillDue: 'Reste dû sur la facture',
    fee: 'Frais de rappel ({{level}}e rappel)',
    feeNote:
      'Les frais de rappel indemnisent le coût du recouvrement ; ils ne sont pas une prestation : sans TVA.',
    totalToPay: 'Total à payer',
    payWithSlip:
      'Veuillez payer {{amount}} d’ici le {{date}} avec la section paiement ci-dessous (la référence de la facture).',
    qrMessage: 'Rappel {{level}} · facture {{number}}',
    subject: 'Rappel de paiement : facture {{number}}',
    'subject.final': 'Dernier avertissement : facture {{number}}',
  },
  de: {
    title: 'Zahlungserinnerung',
    'title.level': '{{level}}. Mahnung',
    'title.final': 'Letzte Mahnung',
    reminderDate: 'Mahndatum',
    invoiceNumber: 'Rechnung Nr.',
    invoiceDate: 'Rechnungsdatum',
    invoiceDueOn: 'Fällig seit',
    payBy: 'Zahlbar bis',
    intro:
      'Laut unseren Unterlagen ist die folgende Rechnung {{days}} Tage nach Fälligkeit noch offen. Falls Sie sie inzwischen bezahlt haben, betrachten Sie diese Mahnung bitte als gegenstandslos.',
    'intro.final':
      'Trotz unserer Mahnungen ist die folgende Rechnung {{days}} Tage nach Fälligkeit noch offen. Bitte zahlen Sie den Betrag bis {{date}}.',
    invoiceLine: 'Rechnung {{number}} vom {{date}}',
    invoiceTotal: 'Rechnungsbetrag',
    paidOrCredited: 'Bezahlt oder gutgeschrieben',
    stillDue: 'Offen auf der Rechnung',
    fee: 'Mahngebühr ({{level}}. Mahnung)',
    feeNote:
      'Mahngebühren sind Schadenersatz für den Mahnaufwand, kein Entgelt für eine Leistung: ohne MWST.',
    totalToPay: 'Zu zahlen',
    payWithSlip: 'Bitte zahlen Sie {{amount}} bis {{date}} mit dem Zahlteil unten (Referenz der Rechnung).',
    qrMessage: 'Mahnung {{level}} · Rechnung {{number}}',
    subject: 'Zahlungserinnerung: Rechnung {{number}}',
    'subject.final': 'Letzte Mahnung: Rechnung {{number}}',
  },
  it: {
    title: 'Sollecito di pagamento',
    'title.level': '{{level}}° sollecito di pagamento',
    'title.final': 'Ultimo sollecito',
    reminderDate: 'Data del sollecito',
    invoiceNumber: 'Fattura n.',
    invoiceDate: 'Data della fattura',
    invoiceDueOn: 'Scaduta il',
    payBy: 'Da pagare entro il',
    intro:
      'Dai nostri registri risulta che la fattura qui sotto è ancora insoluta {{days}} giorni dopo la scadenza. Se l’avete pagata nel frattempo, vogliate considerare nullo il presente sollecito.',
    'intro.final':
      'Nonostante i nostri solleciti, la fattura qui sotto è ancora insoluta {{days}} giorni dopo la scadenza. Vi preghiamo di pagare l’importo indicato entro il {{date}}.',
    invoiceLine: 'Fattura {{number}} del {{date}}',
    invoiceTotal: 'Totale della fattura',
    paidOrCredited: 'Pagato o accreditato',
    stillDue: 'Ancora dovuto sulla fattura',
    fee: 'Spese di sollecito ({{level}}° sollecito)',
    feeNote:
      'Le spese di sollecito indennizzano il costo dell’incasso, non sono una prestazione: senza IVA.',
    totalToPay: 'Totale da pagare',
    payWithSlip:
      'Vi preghiamo di pagare {{amount}} entro il {{date}} con la sezione pagamento qui sotto (il riferimento della fattura).',
    qrMessage: 'Sollecito {{level}} · fattura {{number}}',
    subject: 'Sollecito di pagamento: fattura {{number}}',
    'subject.final': 'Ultimo sollecito: fattura {{number}}',
  },
});

/** "2. payment reminder", or "Final notice" for the last level. */
export function reminderTitleFor(locale: keyof typeof reminderWords, level: number, final: boolean): string {
  return final
    ? reminderWords[locale]['title.final']
    : translate(reminderWords, locale, 'title.level', { level });
}
