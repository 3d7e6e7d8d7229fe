// Why a document cannot be issued as an e-invoice or with a QR-bill (einvoice_not_ready), one
// message per problem, in the person's language. The problems come from
// core/export/einvoice/readiness.ts as { code, params }.
import type { Locale } from './locale';
import { defineCatalog, lookup, type Params, translate } from './translate';

export const EINVOICE_PROBLEMS = [
  'seller_vat_missing',
  'buyer_siren_missing',
  'buyer_vat_missing',
  'buyer_leitweg_missing',
  'address_unstructured',
  'qr_name_too_long',
  'qr_character',
  'qr_field_too_long',
  'exemption_reason_missing',
  'category_rate_mismatch',
  'category_not_for_rule',
  // The issuer's own legal mentions (core/services/firm.service.ts firmGaps), on every document.
  'issuer_address_missing',
  'issuer_iban_missing',
] as const;
export type EinvoiceProblemCode = (typeof EINVOICE_PROBLEMS)[number];
export interface EinvoiceProblem {
  code: EinvoiceProblemCode;
  params: Record<string, string | number>;
  /** Whose data is missing (the screens link there to fix it); a line's problem names its line. */
  party?: 'issuer' | 'payer';
}

export const einvoiceProblemMessages = defineCatalog<EinvoiceProblemCode>({
  en: {
    seller_vat_missing: 'the issuer {{name}} has no VAT number (or Swiss UID)',
    buyer_siren_missing: 'the French company {{name}} has no SIREN',
    buyer_vat_missing:
      'the customer {{name}} has no VAT number, which a reverse-charge or intra-EU invoice needs',
    buyer_leitweg_missing: '{{name}} receives XRechnung but has no Leitweg-ID',
    address_unstructured:
      'the address of {{name}} has no separate street and building number (QR-bill v2.3): “{{line}}”',
    qr_name_too_long:
      'the name of {{name}} has {{length}} characters, a QR-bill allows 70: give it a short name',
    qr_character: '{{field}} contains {{characters}}, which a QR-bill cannot carry',
    qr_field_too_long: '{{field}} is too long for a QR-bill ({{length}} characters, {{max}} allowed)',
    exemption_reason_missing: 'line {{line}} is exempt (E) without an exemption reason',
    category_rate_mismatch: 'line {{line}}: the VAT category does not match its rate',
    category_not_for_rule: 'line {{line}}: this VAT category does not apply between these parties',
    issuer_address_missing: 'the issuer {{name}} has no complete address (street, postcode, town)',
    issuer_iban_missing: 'the issuer {{name}} has no IBAN or QR-IBAN to be paid on',
  },
  fr: {
    seller_vat_missing: 'l’émetteur {{name}} n’a pas de numéro de TVA (ni d’IDE suisse)',
    buyer_siren_missing: 'la société française {{name}} n’a pas de SIREN',
    buyer_vat_missing:
      'le client {{name}} n’a pas de numéro de TVA, nécessaire à une autoliquidation ou une livraison intracommunautaire',
    buyer_leitweg_missing: '{{name}} reçoit des XRechnung mais n’a pas de Leitweg-ID',
    address_unstructured:
      'l’adresse de {{name}} n’a pas de rue et de numéro séparés (QR-facture v2.3) : « {{line}} »',
    qr_name_too_long:
      'le nom de {{name}} a {{length}} caractères, une QR-facture en permet 70 : donnez-lui un nom court',
    qr_character: '{{field}} contient {{characters}}, qu’une QR-facture ne peut pas porter',
    qr_field_too_long: '{{field}} est trop long pour une QR-facture ({{length}} caractères, {{max}} permis)',
    exemption_reason_missing: 'la ligne {{line}} est exonérée (E) sans motif d’exonération',
    category_rate_mismatch: 'ligne {{line}} : la catégorie de TVA ne correspond pas à son taux',
    category_not_for_rule: 'ligne {{line}} : cette catégorie de TVA ne s’applique pas entre ces parties',
    issuer_address_missing: 'l’émetteur {{name}} n’a pas d’adresse complète (rue, NPA, localité)',
    issuer_iban_missing: 'l’émetteur {{name}} n’a ni IBAN ni QR-IBAN sur lequel être payé',
  },
  de: {
    seller_vat_missing: 'der Aussteller {{name}} hat keine USt-IdNr. (oder Schweizer UID)',
    buyer_siren_missing: 'das französische Unternehmen {{name}} hat keine SIREN',
    buyer_vat_missing:
      'der Kunde {{name}} hat keine USt-IdNr., die eine Reverse-Charge- oder innergemeinschaftliche Rechnung braucht',
    buyer_leitweg_missing: '{{name}} erhält XRechnung, hat aber keine Leitweg-ID',
    address_unstructured:
      'die Adresse von {{name}} hat keine getrennte Strasse und Hausnummer (QR-Rechnung v2.3): «{{line}}»',
    qr_name_too_long:
      'der Name von {{name}} hat {{length}} Zeichen, eine QR-Rechnung erlaubt 70: geben Sie einen Kurznamen an',
    qr_character: '{{field}} enthält {{characters}}, was eine QR-Rechnung nicht tragen kann',
    qr_field_too_long: '{{field}} ist für eine QR-Rechnung zu lang ({{length}} Zeichen, {{max}} erlaubt)',
    exemption_reason_missing: 'Zeile {{line}} ist steuerbefreit (E) ohne Befreiungsgrund',
    category_rate_mismatch: 'Zeile {{line}}: die MwSt-Kategorie passt nicht zum Satz',
    category_not_for_rule: 'Zeile {{line}}: diese MwSt-Kategorie gilt zwischen diesen Parteien nicht',
    issuer_address_missing: 'der Aussteller {{name}} hat keine vollständige Adresse (Strasse, PLZ, Ort)',
    issuer_iban_missing: 'der Aussteller {{name}} hat keine IBAN oder QR-IBAN für die Zahlung',
  },
});


export function translateProblem(problem: EinvoiceProblem, locale: Locale): string {
  // A code from an older or newer peer prints as itself rather than as nothing.
  if (lookup(einvoiceProblemMessages, locale, problem.code) === undefined) return problem.code;
  return translate(einvoiceProblemMessages, locale, problem.code, problem.params as Params);
}
