import { defineCatalog, lookup } from './translate';
import type { Locale } from './locale';

// What a not_allowed refusal names: the operation and the kind of record, in the caller's
// language (the column stays its technical name: it is what the hub's refusal carries too).

const operations = defineCatalog({
  en: { insert: 'adding', update: 'changing', tombstone: 'deleting' },
  fr: { insert: 'ajouter', update: 'modifier', tombstone: 'supprimer' },
  de: { insert: 'Hinzufügen', update: 'Ändern', tombstone: 'Löschen' },
});

const records = defineCatalog({
  en: {
    organizations: 'organizations',
    people: 'people',
    memberships: 'memberships',
    billing_addresses: 'billing addresses',
    products: 'products',
    tags: 'tags',
    product_tags: 'tags on products',
    work_teams: 'work teams',
    work_team_members: 'team members',
    work_team_products: 'team products',
    partner_notices: 'partner notices',
    degressive_tiers: 'degressive rates',
    price_book: 'public prices',
    partner_rates: 'partner discounts',
    invoices: 'invoices',
    payments: 'payments',
    ledger_entries: 'prepaid account entries',
    invoice_voids: 'voided numbers',
    partnerships: 'partnerships',
    partnership_products: 'products allocated to a partner',
    renewals: 'billed renewal periods',
    reminders: 'payment reminders',
  },
  fr: {
    organizations: 'organisations',
    people: 'personnes',
    memberships: 'appartenances',
    billing_addresses: 'adresses de facturation',
    products: 'produits',
    tags: 'étiquettes',
    product_tags: 'étiquettes des produits',
    work_teams: 'équipes',
    work_team_members: 'membres d’équipe',
    work_team_products: 'produits d’équipe',
    partner_notices: 'avis aux partenaires',
    degressive_tiers: 'taux dégressifs',
    price_book: 'prix publics',
    partner_rates: 'remises partenaires',
    invoices: 'factures',
    payments: 'paiements',
    ledger_entries: 'écritures du compte prépayé',
    invoice_voids: 'numéros annulés',
    partnerships: 'partenariats',
    partnership_products: 'produits confiés à un partenaire',
    renewals: 'périodes de renouvellement facturées',
    reminders: 'rappels de paiement',
  },
  de: {
    organizations: 'Organisationen',
    people: 'Personen',
    memberships: 'Mitgliedschaften',
    billing_addresses: 'Rechnungsadressen',
    products: 'Produkte',
    tags: 'Etiketten',
    product_tags: 'Etiketten an Produkten',
    work_teams: 'Arbeitsteams',
    work_team_members: 'Teammitglieder',
    work_team_products: 'Teamprodukte',
    partner_notices: 'Partnermitteilungen',
    degressive_tiers: 'Staffelrabatte',
    price_book: 'öffentliche Preise',
    partner_rates: 'Partnerrabatte',
    invoices: 'Rechnungen',
    payments: 'Zahlungen',
    ledger_entries: 'Buchungen des Prepaid-Kontos',
    invoice_voids: 'stornierte Nummern',
    partnerships: 'Partnerschaften',
    partnership_products: 'einem Partner zugewiesene Produkte',
    renewals: 'verrechnete Verlängerungsperioden',
    reminders: 'Zahlungserinnerungen',
  },
});

/** ": changing products (public_price_minor)", or nothing when the refusal names no table. */
export function whatIsNotAllowed(
  locale: Locale,
  params: { table?: unknown; operation?: unknown; column?: unknown },
): string {
  if (typeof params.table !== 'string') return '';
  const record = lookup(records, locale, params.table) ?? params.table;
  const op = typeof params.operation === 'string' ? lookup(operations, locale, params.operation) : undefined;
  const column =
    typeof params.column === 'string' && params.column !== 'deleted_at' ? ` (${params.column})` : '';
  const colon = locale === 'fr' ? ' : ' : ': ';
  return `${colon}${op ? `${op} — ` : ''}${record}${column}`;
}
