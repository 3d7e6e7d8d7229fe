// What an import of each kind expects, as data: the UI draws its mapping screen from it, the
// validator checks rows against it. Header aliases are the names people's spreadsheets use
// in English, French and German (and a little Italian); they are compared without case,
// accents, spaces or punctuation, so "N° de facture", "Nº facture" and "no-facture" meet.
import {
  BILLING_FREQUENCIES,
  CURRENCIES,
  EINVOICE_FORMATS,
  INVOICE_KINDS,
  INVOICE_STATUSES,
  ORGANIZATION_KINDS,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
} from '#common/enums';

export type ImportKind = 'organizations' | 'products' | 'invoices';
export type ImportFieldType = 'text' | 'money' | 'date' | 'integer' | 'enum' | 'country' | 'percent';

export interface EnumOption {
  value: string;
  aliases: string[];
}

export interface ImportField {
  key: string;
  required: boolean;
  type: ImportFieldType;
  /** Header names this field is recognised by (en/fr/de/it). */
  aliases: string[];
  /** For 'enum': the accepted values and the words that mean them. */
  options?: EnumOption[];
  /** Max length for 'text'. */
  maxLength?: number;
}

export interface ImportSchema {
  kind: ImportKind;
  fields: ImportField[];
  /** Fields whose values together identify a row; a repeat is a 'duplicate' error. */
  uniqueKey: string[];
}

function options(values: readonly string[], aliases: Record<string, string[]>): EnumOption[] {
  return values.map((value) => ({
    value,
    aliases: [value, value.replace(/_/g, ' '), ...(aliases[value] ?? [])],
  }));
}

const CURRENCY = options(CURRENCIES, {
  CHF: ['Fr.', 'SFr.', 'Franken', 'franc suisse', 'francs suisses'],
  EUR: ['€', 'Euro'],
});

export const IMPORT_SCHEMAS: Record<ImportKind, ImportSchema> = {
  organizations: {
    kind: 'organizations',
    uniqueKey: ['name', 'country'],
    fields: [
      {
        key: 'name',
        required: true,
        type: 'text',
        maxLength: 200,
        aliases: [
          'Name',
          'Organization',
          'Organisation',
          'Company',
          'Nom',
          'Raison sociale',
          'Société',
          'Entreprise',
          'Firma',
          'Firmenname',
          'Unternehmen',
          'Ragione sociale',
          'Azienda',
        ],
      },
      {
        key: 'kind',
        required: false,
        type: 'enum',
        aliases: ['Kind', 'Type', 'Typ', 'Art', 'Genre', 'Tipo'],
        options: options(ORGANIZATION_KINDS, {
          company: ['Société', 'Entreprise', 'Firma', 'Unternehmen', 'Azienda', 'Business'],
          individual: ['Particulier', 'Personne', 'Person', 'Privatperson', 'Privat', 'Privato', 'Private'],
        }),
      },
      {
        key: 'country',
        required: true,
        type: 'country',
        aliases: [
          'Country',
          'Country code',
          'Pays',
          'Code pays',
          'Land',
          'Ländercode',
          'Staat',
          'Paese',
          'Nazione',
        ],
      },
      {
        key: 'currency',
        required: true,
        type: 'enum',
        aliases: ['Currency', 'Devise', 'Monnaie', 'Währung', 'Valuta'],
        options: CURRENCY,
      },
      {
        key: 'vatNumber',
        required: false,
        type: 'text',
        maxLength: 40,
        aliases: [
          'VAT number',
          'VAT ID',
          'VAT',
          'N° TVA',
          'Numéro de TVA',
          'Numéro TVA',
          'TVA intracommunautaire',
          'USt-IdNr',
          'USt-ID',
          'UID-Nummer',
          'Umsatzsteuer-ID',
          'Partita IVA',
        ],
      },
      {
        key: 'uid',
        required: false,
        type: 'text',
        maxLength: 40,
        aliases: ['UID', 'IDE', 'N° IDE', 'Numéro IDE', 'UID-Nr', 'CHE'],
      },
      // One column holding Swiss UIDs and EU VAT numbers alike: each value goes where its form
      // says (tax-id-column.ts).
      {
        key: 'taxId',
        required: false,
        type: 'text',
        maxLength: 40,
        aliases: [
          'MWST-Nr',
          'MWST-Nummer',
          'MWST',
          'MwSt-Nr',
          'MWST/UID',
          'VAT/UID',
          'VAT or UID',
          'Tax ID',
          'Tax number',
          'TVA/IDE',
          'N° TVA/IDE',
          'N° TVA ou IDE',
          'Steuernummer',
          'IVA/IDI',
        ],
      },
      // E-invoicing: checked with their check digits by organizations.service on import.
      {
        key: 'siren',
        required: false,
        type: 'text',
        maxLength: 20,
        aliases: ['SIREN', 'N° SIREN', 'Numéro SIREN'],
      },
      {
        key: 'siret',
        required: false,
        type: 'text',
        maxLength: 24,
        aliases: ['SIRET', 'N° SIRET', 'Numéro SIRET'],
      },
      {
        key: 'leitwegId',
        required: false,
        type: 'text',
        maxLength: 46,
        aliases: ['Leitweg-ID', 'Leitweg ID', 'Leitwegid', 'Buyer reference'],
      },
      {
        key: 'peppolId',
        required: false,
        type: 'text',
        maxLength: 60,
        aliases: ['Peppol ID', 'Peppol', 'Identifiant Peppol', 'Peppol-ID', 'Endpoint ID'],
      },
      {
        key: 'shortName',
        required: false,
        type: 'text',
        maxLength: 70,
        aliases: ['Short name', 'Nom court', 'Kurzname', 'Nome breve'],
      },
      {
        key: 'einvoiceFormat',
        required: false,
        type: 'enum',
        aliases: ['E-invoice format', 'Format e-facture', 'Format facture électronique', 'E-Rechnungsformat'],
        options: options(EINVOICE_FORMATS, {
          factur_x: ['Factur-X', 'ZUGFeRD', 'Facturx'],
          cii: ['CII', 'UN/CEFACT'],
          ubl: ['UBL', 'Peppol', 'Peppol BIS'],
          xrechnung: ['XRechnung'],
          pdf: ['PDF', 'QR-bill', 'QR-facture', 'QR-Rechnung'],
        }),
      },
      {
        key: 'email',
        required: false,
        type: 'text',
        maxLength: 200,
        aliases: ['Email', 'E-mail', 'Courriel', 'Mail', 'E-Mail-Adresse'],
      },
    ],
  },
  products: {
    kind: 'products',
    uniqueKey: [],
    fields: [
      {
        key: 'name',
        required: true,
        type: 'text',
        maxLength: 200,
        aliases: [
          'Name',
          'Product',
          'Product name',
          'Nom',
          'Produit',
          'Nom du produit',
          'Produkt',
          'Produktname',
          'Bezeichnung',
          'Prodotto',
        ],
      },
      {
        key: 'organization',
        required: true,
        type: 'text',
        maxLength: 200,
        aliases: [
          'Organization',
          'Organisation',
          'Customer',
          'Client',
          'Company',
          'Société',
          'Kunde',
          'Firma',
          'Cliente',
        ],
      },
      {
        key: 'kind',
        required: true,
        type: 'enum',
        aliases: ['Kind', 'Type', 'Product type', 'Type de produit', 'Typ', 'Produkttyp', 'Art', 'Tipo'],
        options: options(PRODUCT_KINDS, {
          web_hosting: ['Hébergement web', 'Hebergement web', 'Webhosting', 'Hosting', 'Web'],
          mail_hosting: ['Hébergement mail', 'Hébergement e-mail', 'Mailhosting', 'E-Mail-Hosting', 'Mail'],
          domain: ['Domaine', 'Nom de domaine', 'Domain name', 'Domainname', 'Dominio'],
          drive: ['kDrive', 'Stockage', 'Speicher', 'Cloud storage'],
          cloud_server: ['Serveur cloud', 'Cloud-Server', 'VPS', 'Server', 'Serveur'],
          streaming: ['Streaming radio', 'Streaming vidéo', 'Diffusion'],
          ticketing: ['Billetterie', 'Ticketing', 'Tickets', 'Billetteria'],
          other: ['Autre', 'Andere', 'Sonstiges', 'Altro'],
        }),
      },
      {
        key: 'price',
        required: true,
        type: 'money',
        aliases: [
          'Price',
          'Public price',
          'Amount',
          'Prix',
          'Prix public',
          'Montant',
          'Preis',
          'Betrag',
          'Prezzo',
          'Importo',
        ],
      },
      {
        key: 'currency',
        required: true,
        type: 'enum',
        aliases: ['Currency', 'Devise', 'Monnaie', 'Währung', 'Valuta'],
        options: CURRENCY,
      },
      {
        key: 'billingFrequency',
        required: true,
        type: 'enum',
        aliases: [
          'Billing frequency',
          'Billing period',
          'Frequency',
          'Périodicité',
          'Fréquence de facturation',
          'Fréquence',
          'Abrechnungsintervall',
          'Zahlungsintervall',
          'Intervall',
          'Periodicità',
        ],
        options: options(BILLING_FREQUENCIES, {
          monthly: ['Mensuel', 'Mensuelle', 'Monatlich', 'Mensile', 'Month', 'Mois', 'Monat'],
          quarterly: [
            'Trimestriel',
            'Trimestrielle',
            'Vierteljährlich',
            'Quartalsweise',
            'Trimestrale',
            'Quarter',
            'Trimestre',
            'Quartal',
          ],
          annual: ['Annuel', 'Annuelle', 'Jährlich', 'Annuale', 'Yearly', 'Year', 'Année', 'Jahr'],
        }),
      },
      {
        key: 'nextRenewalOn',
        required: false,
        type: 'date',
        aliases: [
          'Next renewal',
          'Renewal date',
          'Expiry',
          'Expires on',
          'Prochain renouvellement',
          'Date de renouvellement',
          'Échéance',
          'Expiration',
          'Nächste Verlängerung',
          'Verlängerungsdatum',
          'Ablaufdatum',
          'Rinnovo',
          'Scadenza',
        ],
      },
      {
        key: 'autoRenew',
        required: false,
        type: 'enum',
        aliases: [
          'Auto-renew',
          'Auto renewal',
          'Automatic renewal',
          'Renouvellement automatique',
          'Renouvellement auto',
          'Automatische Verlängerung',
          'Auto-Verlängerung',
          'Rinnovo automatico',
        ],
        options: [
          { value: 'true', aliases: ['yes', 'y', 'true', '1', 'on', 'oui', 'o', 'ja', 'j', 'si', 'sì', 'x'] },
          { value: 'false', aliases: ['no', 'n', 'false', '0', 'off', 'non', 'nein', 'nessuno'] },
        ],
      },
      {
        key: 'status',
        required: false,
        type: 'enum',
        aliases: ['Status', 'State', 'Statut', 'État', 'Zustand', 'Stato'],
        options: options(PRODUCT_STATUSES, {
          active: ['Actif', 'Active', 'Aktiv', 'Attivo'],
          expired: ['Expiré', 'Abgelaufen', 'Scaduto'],
          cancelled: ['Canceled', 'Annulé', 'Résilié', 'Gekündigt', 'Storniert', 'Annullato'],
        }),
      },
      {
        key: 'tags',
        required: false,
        type: 'text',
        maxLength: 500,
        aliases: ['Tags', 'Labels', 'Étiquettes', 'Etiketten', 'Schlagwörter', 'Etichette'],
      },
    ],
  },
  invoices: {
    kind: 'invoices',
    uniqueKey: ['number'],
    fields: [
      {
        key: 'number',
        required: true,
        type: 'text',
        maxLength: 60,
        aliases: [
          'Number',
          'Invoice number',
          'Invoice no',
          'Invoice #',
          'No',
          'Numéro',
          'N°',
          'Nº',
          'Numéro de facture',
          'N° de facture',
          'N° facture',
          'Facture',
          'Rechnungsnummer',
          'Rechnungs-Nr',
          'Rechnung Nr',
          'Nummer',
          'Nr',
          'Numero fattura',
          'Fattura',
        ],
      },
      {
        key: 'kind',
        required: false,
        type: 'enum',
        aliases: [
          'Kind',
          'Type',
          'Document type',
          'Type de document',
          'Typ',
          'Art',
          'Belegart',
          'Dokumenttyp',
          'Tipo',
        ],
        options: options(INVOICE_KINDS, {
          invoice: ['Facture', 'Rechnung', 'Fattura'],
          pro_forma: ['Proforma', 'Pro-forma', 'Facture pro forma', 'Proformarechnung', 'Proforma-Rechnung'],
          credit_note: ['Credit', 'Note de crédit', 'Avoir', 'Gutschrift', 'Nota di credito'],
        }),
      },
      {
        key: 'organization',
        required: true,
        type: 'text',
        maxLength: 200,
        aliases: [
          'Organization',
          'Organisation',
          'Customer',
          'Client',
          'Bill to',
          'Company',
          'Société',
          'Kunde',
          'Firma',
          'Rechnungsempfänger',
          'Cliente',
        ],
      },
      {
        key: 'issuedOn',
        required: true,
        type: 'date',
        aliases: [
          'Date',
          'Issue date',
          'Invoice date',
          'Issued on',
          'Date de facture',
          "Date d'émission",
          'Date émission',
          'Datum',
          'Rechnungsdatum',
          'Ausstellungsdatum',
          'Data',
          'Data fattura',
        ],
      },
      {
        key: 'dueOn',
        required: false,
        type: 'date',
        aliases: [
          'Due date',
          'Due on',
          'Due',
          'Échéance',
          "Date d'échéance",
          'Fällig',
          'Fälligkeit',
          'Fälligkeitsdatum',
          'Fällig am',
          'Scadenza',
        ],
      },
      {
        key: 'currency',
        required: true,
        type: 'enum',
        aliases: ['Currency', 'Devise', 'Monnaie', 'Währung', 'Valuta'],
        options: CURRENCY,
      },
      {
        key: 'netAmount',
        required: false,
        type: 'money',
        aliases: [
          'Net',
          'Net amount',
          'Total excl. tax',
          'Amount excl. VAT',
          'Montant HT',
          'Total HT',
          'HT',
          'Netto',
          'Nettobetrag',
          'Betrag exkl. MWST',
          'Imponibile',
        ],
      },
      {
        key: 'vatAmount',
        required: false,
        type: 'money',
        aliases: [
          'VAT',
          'VAT amount',
          'Tax',
          'TVA',
          'Montant TVA',
          'MWST',
          'MwSt',
          'MWST-Betrag',
          'Mehrwertsteuer',
          'USt',
          'IVA',
        ],
      },
      {
        key: 'grossAmount',
        required: true,
        type: 'money',
        aliases: [
          'Total',
          'Amount',
          'Gross',
          'Total incl. tax',
          'Amount incl. VAT',
          'Montant',
          'Montant TTC',
          'Total TTC',
          'TTC',
          'Brutto',
          'Betrag',
          'Gesamtbetrag',
          'Betrag inkl. MWST',
          'Totale',
          'Importo',
        ],
      },
      {
        key: 'vatRate',
        required: false,
        type: 'percent',
        aliases: [
          'VAT rate',
          'VAT %',
          'Tax rate',
          'Taux TVA',
          'Taux de TVA',
          'TVA %',
          'MWST-Satz',
          'MwSt-Satz',
          'Steuersatz',
          'Aliquota IVA',
        ],
      },
      {
        key: 'status',
        required: false,
        type: 'enum',
        aliases: ['Status', 'State', 'Statut', 'État', 'Zustand', 'Stato'],
        options: options(INVOICE_STATUSES, {
          draft: ['Brouillon', 'Entwurf', 'Bozza'],
          // Kontor's own export marks overdue invoices "unpaid (overdue)": overdue is derived
          // from the due date, the status is what comes before.
          unpaid: [
            'unpaid (overdue)',
            'Overdue',
            'En retard',
            'Überfällig',
            'Open',
            'Impayée',
            'Impayé',
            'Non payée',
            'Ouverte',
            'Offen',
            'Unbezahlt',
            'Non pagata',
          ],
          partially_paid: [
            'partially_paid (overdue)',
            'Partially paid',
            'Partiellement payée',
            'Payée partiellement',
            'Teilweise bezahlt',
            'Teilbezahlt',
            'Parzialmente pagata',
          ],
          paid: ['Payée', 'Payé', 'Bezahlt', 'Pagata'],
          refunded: ['Remboursée', 'Remboursé', 'Erstattet', 'Zurückerstattet', 'Rimborsata'],
          cancelled: ['Canceled', 'Annulée', 'Annulé', 'Storniert', 'Annulliert', 'Annullata'],
        }),
      },
      // History: what was paid, when, the reference the payment carried, and for a credit
      // note the invoice it corrects (Kontor's export writes all four).
      {
        key: 'paidAmount',
        required: false,
        type: 'money',
        aliases: [
          'Paid',
          'Amount paid',
          'Paid amount',
          'Payé',
          'Montant payé',
          'Bezahlt',
          'Bezahlter Betrag',
          'Pagato',
        ],
      },
      {
        key: 'paidOn',
        required: false,
        type: 'date',
        aliases: [
          'Paid on',
          'Payment date',
          'Payé le',
          'Date de paiement',
          'Bezahlt am',
          'Zahlungsdatum',
          'Data pagamento',
        ],
      },
      {
        key: 'paymentReference',
        required: false,
        type: 'text',
        maxLength: 60,
        aliases: [
          'Payment reference',
          'Reference',
          'Référence de paiement',
          'Référence',
          'Zahlungsreferenz',
          'Referenz',
          'Riferimento',
        ],
      },
      {
        key: 'corrects',
        required: false,
        type: 'text',
        maxLength: 60,
        aliases: [
          'Corrects',
          'Corrected invoice',
          'Corrige',
          'Facture corrigée',
          'Korrigiert',
          'Korrigierte Rechnung',
        ],
      },
    ],
  },
};

/** Lower case, no accents, no spaces or punctuation: "N° de facture" → "ndefacture". */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[º°]/g, 'o')
    .replace(/[^\p{L}\p{N}€]/gu, '');
}

/**
 * For each field, the index of the header that names it, or null. A header serves one field
 * at most; fields are served in schema order, and a field's own key counts as an alias.
 */
export function suggestMapping(kind: ImportKind, headers: string[]): Record<string, number | null> {
  const schema = IMPORT_SCHEMAS[kind];
  const normalized = headers.map(normalizeLabel);
  const used = new Set<number>();
  const mapping: Record<string, number | null> = {};
  for (const field of schema.fields) {
    mapping[field.key] = null;
    for (const alias of [field.key, ...field.aliases].map(normalizeLabel)) {
      const index = normalized.findIndex((h, i) => h === alias && !used.has(i));
      if (index >= 0) {
        mapping[field.key] = index;
        used.add(index);
        break;
      }
    }
  }
  return mapping;
}
