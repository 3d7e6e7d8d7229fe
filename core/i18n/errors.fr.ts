import type { ErrorCode } from '#common/errors';

export const errorsFr: Record<ErrorCode, string> = {
  invalid_input: 'Veuillez vérifier votre saisie : {{details}}',
  internal: 'Une erreur interne est survenue. Rien n’a été modifié. Veuillez réessayer.',
  unknown_method: 'Kontor ne connaît pas l’action « {{method}} ».',
  method_kind: 'L’action « {{method}} » est de type {{kind}} et ne peut pas être appelée ainsi.',
  disk_full: 'Le disque est plein : {{path}} n’a pas pu être écrit entièrement. Libérez de la place et réessayez.',
  cancelled: 'L’opération a été annulée.',
  not_found: 'Cet élément n’existe plus.',
  database_too_new:
    'Cette base de données a été créée par une version plus récente de Kontor (schéma {{version}}, cette version connaît {{supported}}). Mettez Kontor à jour pour l’ouvrir ; le fichier n’a pas été modifié.',
  database_corrupt: 'Le fichier de base de données {{file}} est endommagé. Restaurez une sauvegarde.',
  migration_foreign_keys:
    'La mise à jour de la base aurait rompu {{count}} liens entre enregistrements ; elle a été annulée. Le fichier est inchangé.',
  backup_not_found: 'Aucune sauvegarde à l’emplacement {{file}}.',
  backup_unreadable: 'Le fichier {{file}} n’est pas une base de données lisible par Kontor.',
  backup_corrupt: 'La sauvegarde {{file}} est endommagée et n’a pas été restaurée.',
  backup_not_kontor: 'Le fichier {{file}} n’est pas une sauvegarde Kontor.',
  organization_not_found: 'Cette organisation n’existe pas (ou plus).',
  person_not_found: 'Cette personne n’existe pas (ou plus).',
  product_not_found: 'Ce produit n’existe pas (ou plus).',
  tag_not_found: 'Cette étiquette n’existe pas (ou plus).',
  team_not_found: 'Cette équipe de travail n’existe pas (ou plus).',
  address_not_found: 'Cette adresse de facturation n’existe pas (ou plus).',
  membership_not_found: 'Cette personne n’est pas membre de l’organisation.',
  vat_invalid: 'Le numéro de TVA {{number}} n’est pas valide : {{reason}}.',
  vat_not_for_country:
    'Seules les entreprises de l’Union européenne ont un numéro de TVA intracommunautaire ; une entreprise en {{country}} ne peut pas en avoir.',
  uid_invalid: 'L’IDE suisse {{number}} n’est pas valide : {{reason}}. Il s’écrit CHE-123.456.789.',
  uid_only_swiss_companies: 'Seules les entreprises suisses ont un IDE (CHE-…).',
  vat_only_companies: 'Seules les entreprises ont un numéro de TVA ou un IDE ; un particulier n’en a pas.',
  email_taken: 'L’adresse e-mail {{email}} est déjà utilisée.',
  tag_name_taken: 'Une étiquette « {{existing}} » existe déjà dans cette organisation.',
  last_legal_representative:
    'Une organisation doit garder au moins un responsable légal. Désignez-en d’abord un autre.',
  already_member: '{{name}} est déjà membre de cette organisation.',
  team_member_not_in_organization: 'Les membres d’une équipe doivent d’abord être membres de l’organisation.',
  product_wrong_organization: 'Ce produit appartient à une autre organisation.',
  address_wrong_organization: 'Cette adresse de facturation appartient à une autre organisation.',
  default_address_required:
    'Choisissez une autre adresse de facturation par défaut avant de supprimer celle-ci.',
  currency_mismatch:
    'Cette organisation a déjà des produits en {{from}} ; sa devise ne peut pas passer en {{to}}.',
  no_acting_person: 'Choisissez d’abord au nom de qui vous agissez.',
  frequency_change_rebills:
    'Passer maintenant à la facturation mensuelle facturerait à nouveau les {{remainingMonths}} mois restants de la période en cours. Le changement est sans risque à partir du {{safeFrom}} (la période se termine le {{termEndsOn}}). Confirmez pour changer quand même.',
  organization_has_products: 'Supprimez ou déplacez d’abord les produits de cette organisation.',
  conflict:
    'Cette modification entre en conflit avec des données existantes ({{detail}}). Rien n’a été enregistré.',
  busy: 'La base de données est occupée par une autre tâche. Réessayez dans un instant.',
  invoice_not_found: 'Cette facture n’existe pas (ou plus).',
  invoice_number_taken:
    'Le numéro {{number}} appartient déjà à un document de {{other}} : {{issuer}} numérote avec le même code. Choisissez un code de facturation pour {{issuer}} (Organisation → Code de facturation) et émettez à nouveau.',
  invoice_number_ambiguous:
    'Plusieurs émetteurs ont un document numéroté {{number}} ({{issuers}}). Précisez l’émetteur (--issuer ID_ORG) ou ouvrez-le par son identifiant.',
  issuer_code_invalid:
    'Un code de facturation compte 2 à 6 lettres ou chiffres (A–Z, 0–9) ; « {{code}} » n’en est pas un.',
  issuer_code_taken: '{{other}} numérote déjà ses factures avec le code {{code}}. Choisissez-en un autre.',
  invoice_not_draft:
    'La facture {{number}} est déjà émise et ne peut plus être modifiée. Pour la corriger, créez une note de crédit.',
  invoice_issued_immutable:
    'Une facture émise ne peut être ni modifiée ni supprimée. Pour la corriger, créez une note de crédit.',
  invoice_status_backwards:
    'Le statut d’une facture n’avance que dans un sens (brouillon → impayée → payée).',
  invoice_empty: 'Ajoutez au moins une ligne avant d’émettre.',
  invoice_not_payable: 'La facture {{number}} ne peut pas recevoir de paiement (statut : {{status}}).',
  invoice_wrong_organization: 'Cette facture appartient à une autre organisation.',
  vat_rate_not_allowed:
    'Un taux de TVA de {{rate}} n’est pas possible sur cette facture (possibles : {{allowed}}).',
  issuer_missing: 'Choisissez d’abord l’organisation qui émet les factures (Réglages → Émetteur).',
  issuer_iban_invalid: 'L’IBAN de l’émetteur {{iban}} n’est pas valide.',
  billing_address_missing: '{{name}} n’a pas encore d’adresse de facturation. Ajoutez-en une d’abord.',
  money_record_immutable:
    'Les paiements et les écritures du compte prépayé ne sont jamais modifiés ni supprimés ; passez une écriture d’annulation.',
  prepaid_insufficient_balance:
    'Le compte prépayé contient {{balance}} ; {{amount}} ne peut pas être débité. Rien n’a été enregistré.',
  pro_forma_only: 'Seule une facture pro forma peut être transformée en facture.',
  credit_note_exceeds_invoice:
    'Une note de crédit ne peut pas dépasser le solde de la facture {{number}} ({{remaining}}).',
  credit_note_of_credit_note: 'Une note de crédit corrige une facture, pas une autre note de crédit.',
  payment_exceeds_due: '{{amount}} dépasse les {{due}} encore dus sur la facture {{number}}.',
  backup_onto_database:
    'Une sauvegarde ne peut pas écraser la base de données ouverte ({{file}}). Choisissez un autre fichier.',
  qr_bill_invalid: 'La QR-facture ne peut pas être établie : {{detail}} ({{field}}).',
  import_date_format_needed: `Les dates du fichier peuvent se lire de plusieurs façons ({{candidates}}) : choisissez le format de date.`,
  import_not_text:
    `Ce fichier n’est pas du texte mais un {{what}} : enregistrez-le au format CSV (texte séparé par des virgules ou des points-virgules) et importez celui-ci.`,
  import_empty:
    `Le fichier est vide : il n’y a rien à importer.`,
  import_header_only:
    `Le fichier a une ligne d’en-tête ({{headers}}) mais aucune ligne de données : il n’y a rien à importer.`,
  import_header_repeated:
    `L’en-tête « {{header}} » figure deux fois (colonnes {{first}} et {{second}}) : laquelle contient les données ? Renommez-en ou supprimez-en une.`,
  import_delimiter_wrong:
    `Avec « {{given}} » comme séparateur, le fichier n’a qu’une colonne ; ses colonnes sont séparées par « {{found}} ». Importez à nouveau avec ce séparateur (ou sans --delimiter).`,
  import_organization_unknown:
    `Aucune organisation ne s’appelle « {{name}} » : créez-la ou importez-la d’abord.`,
  import_tax_id_exists:
    `{{number}} est déjà le numéro de TVA ou l’IDE de {{name}} : une organisation n’est pas importée deux fois.`,
  import_totals_mismatch:
    `HT {{net}} + TVA {{vat}} ne donne pas le total {{gross}} : vérifiez les montants.`,
  import_negative_amount:
    `{{value}} est négatif sur un document qui n’est pas une note de crédit : une correction est une note de crédit (Type : credit_note).`,
  import_currency_mismatch:
    `La devise {{currency}} n’est pas celle de {{name}} ({{expected}}).`,
  import_vat_rate_not_allowed:
    `TVA {{vat}} sur {{net}} fait {{rate}}, pas un taux de {{country}} au {{date}} ({{allowed}}). Importez avec --accept-vat-rates pour la garder telle quelle.`,
  import_corrected_unknown:
    `La note de crédit corrige la facture {{number}}, qui n’est ni plus haut dans le fichier ni dans le livre.`,
  import_number_exists: `Le numéro de facture {{number}} existe déjà ; il n’est pas réimporté.`,
  pro_forma_closed: `La facture pro forma {{number}} est déjà convertie ou close ; elle ne peut pas être facturée une seconde fois.`,
  credit_note_of_pro_forma: `Une facture pro forma n’a pas de valeur fiscale et ne se corrige pas par une note de crédit : il suffit de ne pas la convertir.`,
  import_decimal_needed: `Les montants du fichier peuvent utiliser l’un ou l’autre séparateur décimal ({{candidates}}) : choisissez-en un.`,
  partnership_not_found: `Ce partenariat n’existe pas.`,
  partner_not_legal_representative: `Seul un responsable légal de {{organization}} peut faire cela (ajouter, accepter ou terminer un partenariat).`,
  partner_not_administrator: `Seul un responsable légal ou un administrateur de {{organization}} peut modifier ce partenariat.`,
  partnership_self: `Une organisation ne peut pas être son propre partenaire.`,
  partnership_already_open: `{{partner}} et {{client}} ont déjà un partenariat ou une invitation en attente.`,
  partner_complete_taken: `{{client}} a déjà un partenaire en accès complet ({{partner}}) ; un client ne peut en avoir qu’un.`,
  partner_product_taken: `Le produit {{product}} est déjà géré par un autre partenaire ({{partner}}) ; les partenaires en accès limité gèrent des produits différents.`,
  partnership_closed: `Ce partenariat est {{status}} ; plus rien ne peut être fait avec lui.`,
  partnership_not_pending: `Ce partenariat n’est plus une invitation (il est {{status}}).`,
  partnership_not_active: `Ce partenariat n’est pas encore actif (il est {{status}}).`,
  partnership_wrong_side: `Seul le côté {{side}} de ce partenariat peut faire cela.`,
  partnership_confirm_required: `Terminer un partenariat est définitif : confirmez d’abord.`,
  partner_payment_complete_only: `Seul un partenariat en accès complet a un mode de paiement.`,
  partner_payment_required: `Choisissez les moyens de paiement (client ou partenaire) pour un accès complet.`,
  partner_limited_only: `Les produits ne s’attribuent qu’aux partenaires en accès limité ; l’accès complet couvre tous les produits.`,
  partner_cannot_order: `Un partenaire en accès limité ne peut pas commander ni renouveler de produits pour son client.`,
  partner_invitee_unknown: `Aucun responsable légal avec l’e-mail {{email}} n’est connu ici : invitez plutôt l’organisation.`,
  partner_invitee_ambiguous: `{{email}} représente plusieurs organisations ({{organizations}}) : choisissez laquelle inviter.`,
  partner_payment_mismatch: `Ce partenariat est payé avec les moyens de paiement du {{arrangement}}, pas du {{given}}.`,
  price_unknown: `Il n’y a pas de prix public pour {{kind}} en {{currency}} : définissez-le dans la liste de prix ou indiquez-en un.`,
  partner_no_cashback: `Cette commande ne rapporte aucun cashback au partenaire ({{reason}}).`,
  not_visible: `{{entity}} n’est pas visible pour {{organization}}.`,
  export_path_invalid: `Kontor ne peut pas écrire dans {{path}} : choisissez un dossier accessible en écriture.`,
  not_managed_client: `{{client}} n’est pas un client sous gestion de {{partner}} (aucun partenariat actif) : son historique ne peut pas être exporté.`,
  export_csv_one_history: `Un fichier CSV contient un seul type d’historique : choisissez factures (invoices), paiements (payments) ou cashback (un fichier XLSX peut contenir les trois).`,
  export_period_invalid: `La période commence après sa fin ({{from}} – {{to}}).`,
  cli_option_missing: `--{{option}} est obligatoire.`,
  cli_option_invalid: `--{{option}} n’accepte pas « {{value}} » : valeur attendue {{expected}}.`,
  cli_amount_invalid: `--{{option}} attend un montant comme 9.92 (deux décimales au plus, pas négatif), pas « {{value}} ».`,
  cli_percent_invalid: `--{{option}} attend un pourcentage de 0 à {{max}} avec deux décimales au plus, comme 20 ou 12.5, pas « {{value}} ».`,
  acting_not_member: `{{person}} n’est pas membre de {{organization}} : choisissez une organisation dont cette personne fait partie, ou agissez au nom de quelqu’un d’autre.`,
  device_revoked: `L’accès de cet appareil au hub a été révoqué : il garde ses données mais ne peut plus les modifier. Demandez à un administrateur de l’enrôler à nouveau.`,
  sync_hub_unreachable: `Le hub de synchronisation {{url}} est injoignable ; vos modifications sont conservées et envoyées dès son retour.`,
  sync_unauthorized: `Le hub n’accepte plus le jeton de cet appareil : enrôlez-le à nouveau avec un nouveau code.`,
  sync_clock_ahead: `L’horloge de cet ordinateur avance de {{minutes}} min sur celle du hub : corrigez la date et l’heure, puis synchronisez. Rien n’a été perdu.`,
  sync_schema_newer: `Le hub utilise une version plus ancienne que cette application : mettez le hub à jour, puis synchronisez. Vos modifications sont conservées.`,
  sync_not_configured: `La synchronisation n’est pas configurée : saisissez l’adresse du hub et un code d’enrôlement.`,
  sync_device_changed: `Cette base a été copiée ou restaurée et a donc une nouvelle identité d’appareil : enrôlez-la à nouveau avec un nouveau code.`,
  sync_failed: `La synchronisation a échoué ({{reason}}) ; elle sera retentée.`,
  sync_enroll_refused: `Le hub a refusé l’enrôlement : {{reason}}`,
  sync_changes_deferred: `{{count}} modifications du hub demandent une version plus récente de Kontor : elles sont conservées et appliquées après la mise à jour.`,
  sync_rejection_not_found: `Cette modification refusée n’est plus ouverte (déjà résolue ?).`,
  sync_hub_url_invalid: `{{url}} n’est pas une adresse de hub (http:// ou https://).`,
  out_of_scope: `Le hub a refusé cette modification : elle touche un enregistrement que vous ne pouvez ni voir ni modifier (votre accès a peut-être changé).`,
  invoice_series_foreign: `Le hub a refusé cette facture : son numéro appartient à la série d’un autre appareil.`,
  ledger_below_zero: `Le hub a refusé ce débit : le solde prépayé deviendrait négatif (un autre appareil l’a utilisé avant).`,
  money_append_only: `Le hub a refusé cette modification : les paiements et écritures prépayées ne se modifient jamais, ils s’extournent.`,
  partnership_needs_client: `Le hub a refusé cette modification : seul le client accorde un accès ou attribue des produits.`,
  unknown_table: `Le hub ne connaît pas ce type d’enregistrement (est-il plus ancien que cette version de Kontor ?).`,
  malformed_value: `Le hub a refusé cette modification : une valeur était mal formée.`,
  hub_only_table: `Le hub a refusé cette modification : seul le hub enregistre les numéros annulés.`,
  invoice_issue_lost: `Un autre appareil a émis cette facture en premier, sous le numéro {{winningNumber}} : votre émission a été refusée et son numéro {{number}} est enregistré comme annulé dans sa série. « Garder la mienne » crée un nouveau brouillon avec votre version.`,
  invoice_issued_elsewhere: `Cette facture a été émise sur un autre appareil sous le numéro {{winningNumber}} : votre modification du brouillon ({{column}}) n’a pas été conservée. « Garder la mienne » crée un nouveau brouillon avec votre version.`,
  siren_invalid: `Le SIREN {{number}} n’est pas valide : {{reason}}.`,
  siret_invalid: `Le SIRET {{number}} n’est pas valide : {{reason}}.`,
  siret_not_of_siren: `Le SIRET {{siret}} n’appartient pas au SIREN {{siren}} (ses neuf premiers chiffres diffèrent).`,
  french_ids_only_fr: `Le SIREN et le SIRET sont des identifiants français ; cette organisation est en {{country}}.`,
  leitweg_invalid: `Le Leitweg-ID {{value}} n’est pas valide : {{reason}}.`,
  peppol_id_invalid: `L’identifiant Peppol {{value}} n’est pas valide (attendu schéma:valeur, p. ex. 0208:0123456789) : {{reason}}.`,
  bic_invalid: `Le BIC {{bic}} n’est pas valide.`,
  qr_iban_invalid: `{{iban}} n’est pas un QR-IBAN suisse.`,
  vat_category_invalid: `Ligne {{line}} : la catégorie de TVA {{category}} ne convient pas à cette ligne ({{reason}}).`,
  einvoice_not_ready: `Ce document ne peut pas encore être émis ; sa facture électronique ou sa QR-facture serait refusée : {{problems}}`,
  einvoice_not_available: `{{number}} n’a pas de facture électronique : seules les factures et notes de crédit émises en ont (jamais une pro forma).`,
  einvoice_import_invalid: `{{file}} a été refusé par les règles EN 16931 ({{rules}}) ; rien n’a été importé.`,
  einvoice_import_unreadable: `{{file}} n’est ni un PDF Factur-X, ni une facture CII ou UBL.`,
  einvoice_import_duplicate: `{{number}} de {{seller}} a déjà été reçu.`,
};

export const vatReasonsFr: Record<string, string> = {
  empty: 'il est vide',
  unknown_country: 'le préfixe de pays est inconnu',
  bad_format: 'son format ne correspond pas au pays',
  bad_checksum: 'sa clé de contrôle est fausse (faute de frappe ?)',
  category_rate_mismatch: 'S est pour un taux positif, toute autre catégorie pour 0 %',
  category_not_for_rule: 'elle ne s’applique pas entre ces parties',
  exemption_reason_missing: 'une ligne exonérée a besoin de son motif d’exonération',
  unknown_scheme: 'son schéma n’est pas un schéma d’adresse électronique Peppol',
  not_eu: 'ce n’est pas un numéro de TVA de l’UE',
};
