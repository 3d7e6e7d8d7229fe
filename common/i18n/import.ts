// What the import says: a problem with a line of the file (the codes come from
// core/import/csv-import.ts, which checks that each has a sentence here), the parser's
// details, and the field names as the mapping screen shows them ('<kind>.<field>').
import { defineCatalog } from './translate';

/** {{line}}, {{field}}, {{value}}, {{firstLine}}, {{detail}}, {{mark}}; `line` is the word alone. */
export const importMessages = defineCatalog({
  en: {
    line: 'Line',
    required: 'Line {{line}}: {{field}} is required.',
    bad_date: 'Line {{line}}: “{{value}}” is not a date in the chosen format ({{field}}).',
    bad_amount: 'Line {{line}}: “{{value}}” is not an amount with at most two decimals ({{field}}).',
    decimal_mark_odd:
      'Line {{line}}: “{{value}}” ({{field}}) is written with the other decimal mark; the rest of the file uses “{{mark}}”.',
    bad_enum: 'Line {{line}}: “{{value}}” is not an accepted value for {{field}}.',
    bad_country: 'Line {{line}}: “{{value}}” is not a known country (use a code such as CH or a name).',
    duplicate: 'Line {{line}}: {{field}} “{{value}}” already appears on line {{firstLine}}.',
    bad_row: 'Line {{line}}: this row cannot be read ({{detail}}).',
    bad_characters:
      'Line {{line}}: {{field}} contains an invisible, control or direction-changing character ({{value}}); remove it.',
    too_long: 'Line {{line}}: {{field}} is too long.',
  },
  fr: {
    line: 'Ligne',
    required: 'Ligne {{line}} : {{field}} est obligatoire.',
    bad_date: 'Ligne {{line}} : « {{value}} » n’est pas une date au format choisi ({{field}}).',
    bad_amount:
      'Ligne {{line}} : « {{value}} » n’est pas un montant avec au plus deux décimales ({{field}}).',
    decimal_mark_odd:
      'Ligne {{line}} : « {{value}} » ({{field}}) est écrit avec l’autre séparateur décimal ; le reste du fichier utilise « {{mark}} ».',
    bad_enum: 'Ligne {{line}} : « {{value}} » n’est pas une valeur acceptée pour {{field}}.',
    bad_country:
      'Ligne {{line}} : « {{value}} » n’est pas un pays connu (indiquez un code comme CH ou un nom).',
    duplicate: 'Ligne {{line}} : {{field}} « {{value}} » figure déjà à la ligne {{firstLine}}.',
    bad_row: 'Ligne {{line}} : cette ligne est illisible ({{detail}}).',
    bad_characters:
      'Ligne {{line}} : {{field}} contient un caractère invisible, de contrôle ou de changement de sens ({{value}}) ; supprimez-le.',
    too_long: 'Ligne {{line}} : {{field}} est trop long.',
  },
  de: {
    line: 'Zeile',
    required: 'Zeile {{line}}: {{field}} ist erforderlich.',
    bad_date: 'Zeile {{line}}: „{{value}}“ ist kein Datum im gewählten Format ({{field}}).',
    bad_amount: 'Zeile {{line}}: „{{value}}“ ist kein Betrag mit höchstens zwei Dezimalstellen ({{field}}).',
    decimal_mark_odd:
      'Zeile {{line}}: „{{value}}“ ({{field}}) ist mit dem anderen Dezimalzeichen geschrieben; der Rest der Datei verwendet „{{mark}}“.',
    bad_enum: 'Zeile {{line}}: „{{value}}“ ist kein zulässiger Wert für {{field}}.',
    bad_country: 'Zeile {{line}}: „{{value}}“ ist kein bekanntes Land (Code wie CH oder Name angeben).',
    duplicate: 'Zeile {{line}}: {{field}} „{{value}}“ steht bereits in Zeile {{firstLine}}.',
    bad_row: 'Zeile {{line}}: Diese Zeile ist nicht lesbar ({{detail}}).',
    bad_characters:
      'Zeile {{line}}: {{field}} enthält ein unsichtbares, Steuer- oder Richtungszeichen ({{value}}); bitte entfernen.',
    too_long: 'Zeile {{line}}: {{field}} ist zu lang.',
  },
});

export const parseErrorDetails = defineCatalog({
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
});

export const importFieldLabels = defineCatalog({
  en: {
    'organizations.name': 'Name',
    'organizations.kind': 'Kind',
    'organizations.country': 'Country',
    'organizations.currency': 'Currency',
    'organizations.vatNumber': 'VAT number',
    'organizations.uid': 'UID',
    'organizations.email': 'Email',
    'products.name': 'Product',
    'products.organization': 'Organization',
    'products.kind': 'Kind',
    'products.price': 'Price',
    'products.currency': 'Currency',
    'products.billingFrequency': 'Billing frequency',
    'products.nextRenewalOn': 'Next renewal',
    'products.autoRenew': 'Auto-renew',
    'products.status': 'Status',
    'products.tags': 'Tags',
    'invoices.number': 'Invoice number',
    'invoices.kind': 'Kind',
    'invoices.organization': 'Organization',
    'invoices.issuedOn': 'Date',
    'invoices.dueOn': 'Due date',
    'invoices.currency': 'Currency',
    'invoices.netAmount': 'Total excl. tax',
    'invoices.vatAmount': 'VAT',
    'invoices.grossAmount': 'Total incl. tax',
    'invoices.vatRate': 'VAT rate',
    'invoices.status': 'Status',
    'invoices.paidAmount': 'Paid',
    'invoices.paidOn': 'Paid on',
    'invoices.paymentReference': 'Payment reference',
    'invoices.corrects': 'Corrects',
  },
  fr: {
    'organizations.name': 'Nom',
    'organizations.kind': 'Type',
    'organizations.country': 'Pays',
    'organizations.currency': 'Devise',
    'organizations.vatNumber': 'N° TVA',
    'organizations.uid': 'IDE',
    'organizations.email': 'E-mail',
    'products.name': 'Produit',
    'products.organization': 'Organisation',
    'products.kind': 'Type',
    'products.price': 'Prix',
    'products.currency': 'Devise',
    'products.billingFrequency': 'Périodicité',
    'products.nextRenewalOn': 'Prochain renouvellement',
    'products.autoRenew': 'Renouvellement automatique',
    'products.status': 'Statut',
    'products.tags': 'Étiquettes',
    'invoices.number': 'N° de facture',
    'invoices.kind': 'Type',
    'invoices.organization': 'Organisation',
    'invoices.issuedOn': 'Date',
    'invoices.dueOn': 'Échéance',
    'invoices.currency': 'Devise',
    'invoices.netAmount': 'Total HT',
    'invoices.vatAmount': 'TVA',
    'invoices.grossAmount': 'Total TTC',
    'invoices.vatRate': 'Taux de TVA',
    'invoices.status': 'Statut',
    'invoices.paidAmount': 'Payé',
    'invoices.paidOn': 'Payé le',
    'invoices.paymentReference': 'Référence de paiement',
    'invoices.corrects': 'Corrige',
  },
  de: {
    'organizations.name': 'Name',
    'organizations.kind': 'Art',
    'organizations.country': 'Land',
    'organizations.currency': 'Währung',
    'organizations.vatNumber': 'USt-IdNr.',
    'organizations.uid': 'UID',
    'organizations.email': 'E-Mail',
    'products.name': 'Produkt',
    'products.organization': 'Organisation',
    'products.kind': 'Art',
    'products.price': 'Preis',
    'products.currency': 'Währung',
    'products.billingFrequency': 'Abrechnungsintervall',
    'products.nextRenewalOn': 'Nächste Verlängerung',
    'products.autoRenew': 'Automatische Verlängerung',
    'products.status': 'Status',
    'products.tags': 'Etiketten',
    'invoices.number': 'Rechnungsnummer',
    'invoices.kind': 'Art',
    'invoices.organization': 'Organisation',
    'invoices.issuedOn': 'Datum',
    'invoices.dueOn': 'Fällig am',
    'invoices.currency': 'Währung',
    'invoices.netAmount': 'Netto',
    'invoices.vatAmount': 'MWST',
    'invoices.grossAmount': 'Brutto',
    'invoices.vatRate': 'MWST-Satz',
    'invoices.status': 'Status',
    'invoices.paidAmount': 'Bezahlt',
    'invoices.paidOn': 'Bezahlt am',
    'invoices.paymentReference': 'Zahlungsreferenz',
    'invoices.corrects': 'Korrigiert',
  },
});

/** The closing line of an import: {{errors}}, {{rows}}, {{imported}}, {{skipped}}. */
export const importSummary = defineCatalog({
  en: {
    refused: '{{errors}} error(s) in {{rows}} rows: nothing imported (--only-valid imports the valid rows).',
    done: 'Imported {{imported}} of {{rows}} rows.',
    dry: 'Would import {{imported}} of {{rows}} rows (dry run: nothing written).',
    skipped: ' {{skipped}} row(s) left out.',
  },
  fr: {
    refused:
      '{{errors}} erreur(s) sur {{rows}} lignes : rien n’a été importé (--only-valid importe les lignes valides).',
    done: '{{imported}} ligne(s) importée(s) sur {{rows}}.',
    dry: '{{imported}} ligne(s) sur {{rows}} seraient importées (essai : rien n’est écrit).',
    skipped: ' {{skipped}} ligne(s) laissée(s) de côté.',
  },
  de: {
    refused:
      '{{errors}} Fehler in {{rows}} Zeilen: nichts importiert (--only-valid importiert die gültigen Zeilen).',
    done: '{{imported}} von {{rows}} Zeilen importiert.',
    dry: '{{imported}} von {{rows}} Zeilen würden importiert (Probelauf: nichts geschrieben).',
    skipped: ' {{skipped}} Zeile(n) ausgelassen.',
  },
});
