import type { ErrorCode } from '../domain/errors';

export const errorsDe: Record<ErrorCode, string> = {
  invalid_input: 'Bitte prüfen Sie Ihre Eingabe: {{details}}',
  internal:
    'In Kontor ist ein interner Fehler aufgetreten. Es wurde nichts geändert. Bitte erneut versuchen.',
  unknown_method: 'Kontor kennt die Aktion „{{method}}“ nicht.',
  not_found: 'Dieser Eintrag existiert nicht mehr.',
  database_too_new:
    'Diese Datenbank stammt von einer neueren Kontor-Version (Schema {{version}}, diese Version kennt {{supported}}). Aktualisieren Sie Kontor; die Datei wurde nicht verändert.',
  database_corrupt: 'Die Datenbankdatei {{file}} ist beschädigt. Stellen Sie eine Sicherung wieder her.',
  migration_foreign_keys:
    'Das Datenbank-Update hätte {{count}} Verknüpfungen zerstört und wurde rückgängig gemacht. Die Datei ist unverändert.',
  backup_not_found: 'Keine Sicherung unter {{file}}.',
  backup_unreadable: 'Die Datei {{file}} ist keine für Kontor lesbare Datenbank.',
  backup_corrupt: 'Die Sicherung {{file}} ist beschädigt und wurde nicht wiederhergestellt.',
  backup_not_kontor: 'Die Datei {{file}} ist keine Kontor-Sicherung.',
  organization_not_found: 'Diese Organisation existiert nicht (mehr).',
  person_not_found: 'Diese Person existiert nicht (mehr).',
  product_not_found: 'Dieses Produkt existiert nicht (mehr).',
  tag_not_found: 'Dieses Etikett existiert nicht (mehr).',
  team_not_found: 'Dieses Arbeitsteam existiert nicht (mehr).',
  address_not_found: 'Diese Rechnungsadresse existiert nicht (mehr).',
  membership_not_found: 'Diese Person ist kein Mitglied der Organisation.',
  vat_invalid: 'Die USt-IdNr. {{number}} ist ungültig: {{reason}}.',
  vat_not_for_country:
    'Nur Unternehmen in der EU haben eine EU-USt-IdNr.; ein Unternehmen in {{country}} nicht.',
  uid_invalid: 'Die Schweizer UID {{number}} ist ungültig: {{reason}}. Sie lautet z. B. CHE-123.456.789.',
  uid_only_swiss_companies: 'Nur Schweizer Unternehmen haben eine UID (CHE-…).',
  vat_only_companies: 'Nur Unternehmen haben eine USt-IdNr. oder UID; Privatpersonen nicht.',
  email_taken: 'Die E-Mail-Adresse {{email}} wird bereits verwendet.',
  tag_name_taken: 'Ein Etikett „{{existing}}“ gibt es in dieser Organisation schon.',
  last_legal_representative:
    'Eine Organisation braucht mindestens einen gesetzlichen Vertreter. Ernennen Sie zuerst einen anderen.',
  already_member: '{{name}} ist bereits Mitglied dieser Organisation.',
  team_member_not_in_organization: 'Teammitglieder müssen zuerst Mitglieder der Organisation sein.',
  product_wrong_organization: 'Dieses Produkt gehört zu einer anderen Organisation.',
  address_wrong_organization: 'Diese Rechnungsadresse gehört zu einer anderen Organisation.',
  default_address_required: 'Wählen Sie zuerst eine andere Standard-Rechnungsadresse.',
  currency_mismatch:
    'Diese Organisation hat bereits Produkte in {{from}}; die Währung kann nicht zu {{to}} wechseln.',
  no_acting_person: 'Wählen Sie zuerst, in wessen Namen Sie handeln.',
  frequency_change_rebills:
    'Ein Wechsel auf monatliche Abrechnung würde die {{remainingMonths}} verbleibenden Monate der laufenden Periode erneut verrechnen. Ab {{safeFrom}} ist der Wechsel sicher (Periodenende {{termEndsOn}}). Bestätigen Sie, um trotzdem zu wechseln.',
  organization_has_products: 'Löschen oder verschieben Sie zuerst die Produkte dieser Organisation.',
  conflict: 'Diese Änderung widerspricht vorhandenen Daten ({{detail}}). Es wurde nichts gespeichert.',
  busy: 'Die Datenbank ist mit einer anderen Aufgabe beschäftigt. Bitte gleich erneut versuchen.',
  invoice_not_found: 'Diese Rechnung existiert nicht (mehr).',
  invoice_not_draft:
    'Rechnung {{number}} ist bereits ausgestellt und kann nicht mehr geändert werden. Erstellen Sie eine Gutschrift, um sie zu korrigieren.',
  invoice_issued_immutable:
    'Eine ausgestellte Rechnung kann weder geändert noch gelöscht werden. Erstellen Sie eine Gutschrift.',
  invoice_status_backwards: 'Der Status einer Rechnung bewegt sich nur vorwärts (Entwurf → offen → bezahlt).',
  invoice_empty: 'Fügen Sie vor dem Ausstellen mindestens eine Position hinzu.',
  invoice_not_payable: 'Rechnung {{number}} kann keine Zahlung annehmen (Status: {{status}}).',
  invoice_wrong_organization: 'Diese Rechnung gehört zu einer anderen Organisation.',
  vat_rate_not_allowed:
    'Ein MWST-Satz von {{rate}} ist auf dieser Rechnung nicht möglich (möglich: {{allowed}}).',
  issuer_missing: 'Wählen Sie zuerst die ausstellende Organisation (Einstellungen → Aussteller).',
  issuer_iban_invalid: 'Die IBAN des Ausstellers {{iban}} ist ungültig.',
  billing_address_missing: '{{name}} hat noch keine Rechnungsadresse. Fügen Sie zuerst eine hinzu.',
  money_record_immutable:
    'Zahlungen und Buchungen des Prepaid-Kontos werden nie geändert oder gelöscht; buchen Sie eine Gegenbuchung.',
  prepaid_insufficient_balance:
    'Das Prepaid-Konto enthält {{balance}}; {{amount}} kann nicht belastet werden. Es wurde nichts gebucht.',
  pro_forma_only: 'Nur eine Proforma-Rechnung kann in eine Rechnung umgewandelt werden.',
  credit_note_exceeds_invoice:
    'Eine Gutschrift kann den Restbetrag der Rechnung {{number}} ({{remaining}}) nicht übersteigen.',
  credit_note_of_credit_note: 'Eine Gutschrift korrigiert eine Rechnung, keine andere Gutschrift.',
  payment_exceeds_due: '{{amount}} ist mehr als die {{due}}, die auf Rechnung {{number}} noch offen sind.',
  backup_onto_database:
    'Eine Sicherung kann die geöffnete Datenbank nicht überschreiben ({{file}}). Wählen Sie eine andere Datei.',
  qr_bill_invalid: 'Die QR-Rechnung kann nicht erstellt werden: {{detail}} ({{field}}).',
  import_date_format_needed: `Die Daten der Datei sind mehrdeutig ({{candidates}}): Wählen Sie das Datumsformat.`,
  import_number_exists: `Die Rechnungsnummer {{number}} existiert bereits; sie wird nicht erneut importiert.`,
  pro_forma_closed: `Die Proforma-Rechnung {{number}} ist bereits umgewandelt oder geschlossen; sie kann nicht erneut verrechnet werden.`,
  credit_note_of_pro_forma: `Eine Proforma-Rechnung hat keinen steuerlichen Wert und braucht keine Gutschrift: Wandeln Sie sie einfach nicht um.`,
  import_decimal_needed: `Die Beträge der Datei können beide Dezimalzeichen verwenden ({{candidates}}): Wählen Sie eines.`,
  partnership_not_found: `Diese Partnerschaft existiert nicht.`,
  partner_not_legal_representative: `Nur eine gesetzliche Vertretung von {{organization}} darf das tun (Partnerschaft hinzufügen, beantworten oder beenden).`,
  partner_not_administrator: `Nur eine gesetzliche Vertretung oder ein Administrator von {{organization}} darf diese Partnerschaft ändern.`,
  partnership_self: `Eine Organisation kann nicht ihr eigener Partner sein.`,
  partnership_already_open: `{{partner}} und {{client}} haben bereits eine Partnerschaft oder eine offene Einladung.`,
  partner_complete_taken: `{{client}} hat bereits einen Partner mit vollem Zugriff ({{partner}}); ein Kunde kann nur einen haben.`,
  partner_product_taken: `Das Produkt {{product}} wird bereits von einem anderen Partner ({{partner}}) verwaltet; Partner mit eingeschränktem Zugriff verwalten verschiedene Produkte.`,
  partnership_closed: `Diese Partnerschaft ist {{status}}; damit ist nichts mehr möglich.`,
  partnership_not_pending: `Diese Partnerschaft ist keine Einladung mehr (Status: {{status}}).`,
  partnership_not_active: `Diese Partnerschaft ist noch nicht aktiv (Status: {{status}}).`,
  partnership_wrong_side: `Nur die Seite {{side}} dieser Partnerschaft kann das tun.`,
  partnership_confirm_required: `Das Beenden einer Partnerschaft ist endgültig: bitte zuerst bestätigen.`,
  partner_payment_complete_only: `Nur eine Partnerschaft mit vollem Zugriff hat eine Zahlungsregelung.`,
  partner_payment_required: `Wählen Sie für vollen Zugriff, wessen Zahlungsmittel verwendet werden.`,
  partner_limited_only: `Produkte werden nur Partnern mit eingeschränktem Zugriff zugewiesen; voller Zugriff umfasst alle Produkte.`,
  partner_cannot_order: `Ein Partner mit eingeschränktem Zugriff kann für seinen Kunden keine Produkte bestellen oder verlängern.`,
  partner_invitee_unknown: `Keine gesetzliche Vertretung mit der E-Mail {{email}} ist hier bekannt: laden Sie stattdessen die Organisation ein.`,
  partner_invitee_ambiguous: `{{email}} vertritt mehrere Organisationen ({{organizations}}): wählen Sie, welche eingeladen wird.`,
  partner_payment_mismatch: `Diese Partnerschaft wird mit den Zahlungsmitteln von {{arrangement}} bezahlt, nicht von {{given}}.`,
  price_unknown: `Für {{kind}} in {{currency}} gibt es keinen öffentlichen Preis: legen Sie ihn in der Preisliste fest oder geben Sie einen an.`,
  partner_no_cashback: `Diese Bestellung bringt dem Partner kein Cashback ({{reason}}).`,
  export_path_invalid: `Kontor kann nicht nach {{path}} schreiben: Wählen Sie einen beschreibbaren Ordner.`,
};

export const vatReasonsDe: Record<string, string> = {
  empty: 'sie ist leer',
  unknown_country: 'das Länderpräfix ist unbekannt',
  bad_format: 'das Format passt nicht zum Land',
  bad_checksum: 'die Prüfziffer stimmt nicht (Tippfehler?)',
  not_eu: 'es ist keine EU-USt-IdNr.',
};
