// Words for the import screen: error codes are stable strings (csv-import.ts), the sentences
// live here in English, French and German. Placeholders: {{line}}, {{field}}, {{value}},
// {{firstLine}}, {{detail}}.
import { interpolate, type Locale } from '../i18n/locale';
import type { ImportError, ImportErrorCode, ParseErrorCode } from './csv-import';
import type { ImportKind } from './import-schemas';

export const IMPORT_ERROR_MESSAGES: Record<Locale, Record<ImportErrorCode, string>> = {
  en: {
    bad_characters:
      'Line {{line}}: {{field}} contains an invisible, control or direction-changing character ({{value}}); remove it.',
    required: 'Line {{line}}: {{field}} is required.',
    bad_date: 'Line {{line}}: “{{value}}” is not a date in the chosen format ({{field}}).',
    bad_amount: 'Line {{line}}: “{{value}}” is not an amount with at most two decimals ({{field}}).',
    bad_enum: 'Line {{line}}: “{{value}}” is not an accepted value for {{field}}.',
    bad_country: 'Line {{line}}: “{{value}}” is not a known country (use a code such as CH or a name).',
    duplicate: 'Line {{line}}: {{field}} “{{value}}” already appears on line {{firstLine}}.',
    bad_row: 'Line {{line}}: this row cannot be read ({{detail}}).',
    too_long: 'Line {{line}}: {{field}} is too long.',
  },
  fr: {
    bad_characters:
      'Ligne {{line}} : {{field}} contient un caractère invisible, de contrôle ou de changement de sens ({{value}}) ; supprimez-le.',
    required: 'Ligne {{line}} : {{field}} est obligatoire.',
    bad_date: 'Ligne {{line}} : « {{value}} » n’est pas une date au format choisi ({{field}}).',
    bad_amount:
      'Ligne {{line}} : « {{value}} » n’est pas un montant avec au plus deux décimales ({{field}}).',
    bad_enum: 'Ligne {{line}} : « {{value}} » n’est pas une valeur acceptée pour {{field}}.',
    bad_country:
      'Ligne {{line}} : « {{value}} » n’est pas un pays connu (indiquez un code comme CH ou un nom).',
    duplicate: 'Ligne {{line}} : {{field}} « {{value}} » figure déjà à la ligne {{firstLine}}.',
    bad_row: 'Ligne {{line}} : cette ligne est illisible ({{detail}}).',
    too_long: 'Ligne {{line}} : {{field}} est trop long.',
  },
  de: {
    bad_characters:
      'Zeile {{line}}: {{field}} enthält ein unsichtbares, Steuer- oder Richtungszeichen ({{value}}); bitte entfernen.',
    required: 'Zeile {{line}}: {{field}} ist erforderlich.',
    bad_date: 'Zeile {{line}}: „{{value}}“ ist kein Datum im gewählten Format ({{field}}).',
    bad_amount: 'Zeile {{line}}: „{{value}}“ ist kein Betrag mit höchstens zwei Dezimalstellen ({{field}}).',
    bad_enum: 'Zeile {{line}}: „{{value}}“ ist kein zulässiger Wert für {{field}}.',
    bad_country: 'Zeile {{line}}: „{{value}}“ ist kein bekanntes Land (Code wie CH oder Name angeben).',
    duplicate: 'Zeile {{line}}: {{field}} „{{value}}“ steht bereits in Zeile {{firstLine}}.',
    bad_row: 'Zeile {{line}}: Diese Zeile ist nicht lesbar ({{detail}}).',
    too_long: 'Zeile {{line}}: {{field}} ist zu lang.',
  },
};

export const PARSE_ERROR_DETAILS: Record<Locale, Record<ParseErrorCode | 'FieldMismatch', string>> = {
  en: {
    MissingQuotes: 'a quotation mark opened here is never closed',
    InvalidQuotes: 'a quotation mark is misplaced',
    TooFewFields: 'fewer columns than the header',
    TooManyFields: 'more columns than the header — is a value with the separator missing its quotes?',
    UndetectableDelimiter: 'no separator (comma, semicolon, tab or |) found',
    FieldMismatch: 'not as many columns as the header',
  },
  fr: {
    MissingQuotes: 'un guillemet ouvert ici n’est jamais fermé',
    InvalidQuotes: 'un guillemet est mal placé',
    TooFewFields: 'moins de colonnes que l’en-tête',
    TooManyFields:
      'plus de colonnes que l’en-tête — une valeur contenant le séparateur n’est-elle pas entre guillemets ?',
    UndetectableDelimiter: 'aucun séparateur (virgule, point-virgule, tabulation ou |) trouvé',
    FieldMismatch: 'pas autant de colonnes que l’en-tête',
  },
  de: {
    MissingQuotes: 'ein hier geöffnetes Anführungszeichen wird nie geschlossen',
    InvalidQuotes: 'ein Anführungszeichen steht an falscher Stelle',
    TooFewFields: 'weniger Spalten als die Kopfzeile',
    TooManyFields:
      'mehr Spalten als die Kopfzeile – fehlen bei einem Wert mit Trennzeichen die Anführungszeichen?',
    UndetectableDelimiter: 'kein Trennzeichen (Komma, Semikolon, Tabulator oder |) gefunden',
    FieldMismatch: 'nicht gleich viele Spalten wie die Kopfzeile',
  },
};

/** Field names as the mapping screen shows them. */
export const IMPORT_FIELD_LABELS: Record<Locale, Record<ImportKind, Record<string, string>>> = {
  en: {
    organizations: {
      name: 'Name',
      kind: 'Kind',
      country: 'Country',
      currency: 'Currency',
      vatNumber: 'VAT number',
      uid: 'UID',
      email: 'Email',
    },
    products: {
      name: 'Product',
      organization: 'Organization',
      kind: 'Kind',
      price: 'Price',
      currency: 'Currency',
      billingFrequency: 'Billing frequency',
      nextRenewalOn: 'Next renewal',
      autoRenew: 'Auto-renew',
      status: 'Status',
      tags: 'Tags',
    },
    invoices: {
      number: 'Invoice number',
      kind: 'Kind',
      organization: 'Organization',
      issuedOn: 'Date',
      dueOn: 'Due date',
      currency: 'Currency',
      netAmount: 'Total excl. tax',
      vatAmount: 'VAT',
      grossAmount: 'Total incl. tax',
      vatRate: 'VAT rate',
      status: 'Status',
      paidAmount: 'Paid',
      paidOn: 'Paid on',
      paymentReference: 'Payment reference',
      corrects: 'Corrects',
    },
  },
  fr: {
    organizations: {
      name: 'Nom',
      kind: 'Type',
      country: 'Pays',
      currency: 'Devise',
      vatNumber: 'N° TVA',
      uid: 'IDE',
      email: 'E-mail',
    },
    products: {
      name: 'Produit',
      organization: 'Organisation',
      kind: 'Type',
      price: 'Prix',
      currency: 'Devise',
      billingFrequency: 'Périodicité',
      nextRenewalOn: 'Prochain renouvellement',
      autoRenew: 'Renouvellement automatique',
      status: 'Statut',
      tags: 'Étiquettes',
    },
    invoices: {
      number: 'N° de facture',
      kind: 'Type',
      organization: 'Organisation',
      issuedOn: 'Date',
      dueOn: 'Échéance',
      currency: 'Devise',
      netAmount: 'Total HT',
      vatAmount: 'TVA',
      grossAmount: 'Total TTC',
      vatRate: 'Taux de TVA',
      status: 'Statut',
      paidAmount: 'Payé',
      paidOn: 'Payé le',
      paymentReference: 'Référence de paiement',
      corrects: 'Corrige',
    },
  },
  de: {
    organizations: {
      name: 'Name',
      kind: 'Art',
      country: 'Land',
      currency: 'Währung',
      vatNumber: 'USt-IdNr.',
      uid: 'UID',
      email: 'E-Mail',
    },
    products: {
      name: 'Produkt',
      organization: 'Organisation',
      kind: 'Art',
      price: 'Preis',
      currency: 'Währung',
      billingFrequency: 'Abrechnungsintervall',
      nextRenewalOn: 'Nächste Verlängerung',
      autoRenew: 'Automatische Verlängerung',
      status: 'Status',
      tags: 'Etiketten',
    },
    invoices: {
      number: 'Rechnungsnummer',
      kind: 'Art',
      organization: 'Organisation',
      issuedOn: 'Datum',
      dueOn: 'Fällig am',
      currency: 'Währung',
      netAmount: 'Netto',
      vatAmount: 'MWST',
      grossAmount: 'Brutto',
      vatRate: 'MWST-Satz',
      status: 'Status',
      paidAmount: 'Bezahlt',
      paidOn: 'Bezahlt am',
      paymentReference: 'Zahlungsreferenz',
      corrects: 'Korrigiert',
    },
  },
};

/** One error as a sentence for the user. */
export function importErrorMessage(error: ImportError, kind: ImportKind, locale: Locale): string {
  const field = error.field ? (IMPORT_FIELD_LABELS[locale][kind][error.field] ?? error.field) : '';
  const detail =
    error.code === 'bad_row'
      ? (PARSE_ERROR_DETAILS[locale][error.value as ParseErrorCode] ?? error.value)
      : '';
  return interpolate(IMPORT_ERROR_MESSAGES[locale][error.code], {
    line: error.line,
    field,
    value: error.value,
    firstLine: error.firstLine,
    detail,
  });
}
