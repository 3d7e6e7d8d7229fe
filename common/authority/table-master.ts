import { z } from 'zod';
import {
  BILLING_FREQUENCIES,
  CATCH_UP_MODES,
  CURRENCIES,
  ORGANIZATION_KINDS,
  PAYMENT_PROFILES,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  ROLES,
} from '../enums';
import {
  FIRM,
  FIRM_ADMIN,
  LEGAL,
  ORG_ACCOUNTING,
  ORG_ADMINS,
  ORG_ALL,
  PARTNER_COMPLETE,
  PARTNERS,
} from './actors';
import { LogoDataUrl } from '../logo';
import { DegressiveBp, DiscountBp, PublicPriceMinor } from '../partners.schema';
import { ReminderLevels } from '../reminders.schema';
import { ANYONE, field, stamps, type TableRule } from './rule';
import { Bool, Day, Email, Hex, Int, Line, Minor, RowId, Text, Timestamp } from './values';

// Master data (SYNC.md kind 1): who keeps an organization's own records. The firm keeps
// every book it is linked to; an organization's administrators keep their own; a partner
// with complete access manages the whole client, one with limited access only the products
// allocated to it (and never orders, renews or reprices them). Prices are the firm's.

const S = stamps({ timestamp: Timestamp, id: RowId });
const Code = (values: readonly [string, ...string[]]) => z.enum(values);
const KEEPERS = [...FIRM, ...ORG_ADMINS, ...PARTNER_COMPLETE] as const;
const BOOKKEEPERS = [...FIRM, ...ORG_ACCOUNTING, ...PARTNER_COMPLETE] as const;

export const MASTER_RULES = {
  organizations: {
    owner: { self: true },
    insert: ANYONE,
    tombstone: [...FIRM_ADMIN, ...LEGAL],
    rules: [
      'a new organization links its creator to it; its legal representative is the person who created it',
    ],
    fields: {
      ...S,
      kind: field(Code(ORGANIZATION_KINDS), [...FIRM, ...LEGAL]),
      name: field(Line(200).min(1), KEEPERS),
      country: field(z.string().regex(/^[A-Z]{2}$/), [...FIRM, ...LEGAL]),
      currency: field(Code(CURRENCIES), FIRM),
      vat_number: field(Line(32), [...FIRM, ...ORG_ACCOUNTING], true),
      uid: field(Line(32), [...FIRM, ...ORG_ACCOUNTING], true),
      color: field(Hex, KEEPERS),
      logo: field(LogoDataUrl, KEEPERS, true),
      renewal_reminder_days: field(Int(0, 62), KEEPERS, true),
      // The billing run's settings: the firm's, and how the organization wants to pay its own.
      billing_horizon_days: field(Int(0, 366), FIRM),
      renewal_catch_up: field(Code(CATCH_UP_MODES), FIRM),
      payment_profile: field(Code(PAYMENT_PROFILES), [...FIRM, ...ORG_ACCOUNTING]),
      renewal_grace_days: field(Int(0, 366), FIRM),
      // When its unpaid invoices are reminded and at what fee: the firm's, as the billing run is.
      reminder_levels: field(ReminderLevels, FIRM, true),
      iban: field(Line(42), [...FIRM, ...ORG_ACCOUNTING], true),
      payment_term_days: field(Int(0, 365), FIRM, true),
      // E-invoicing identifiers and the issuer's number code: the organization's own fiscal
      // data, kept by its accounting and the firm.
      siren: field(Line(9), [...FIRM, ...ORG_ACCOUNTING], true),
      siret: field(Line(14), [...FIRM, ...ORG_ACCOUNTING], true),
      leitweg_id: field(Line(46), [...FIRM, ...ORG_ACCOUNTING], true),
      peppol_id: field(Line(64), [...FIRM, ...ORG_ACCOUNTING], true),
      operation_category: field(Code(['goods', 'services', 'mixed']), [...FIRM, ...ORG_ACCOUNTING], true),
      vat_on_debits: field(Bool, [...FIRM, ...ORG_ACCOUNTING], true),
      payment_means_code: field(Code(['58', '30', '48', '49']), [...FIRM, ...ORG_ACCOUNTING], true),
      bic: field(Line(11), [...FIRM, ...ORG_ACCOUNTING], true),
      qr_iban: field(Line(42), [...FIRM, ...ORG_ACCOUNTING], true),
      short_name: field(Line(100), KEEPERS, true),
      einvoice_format: field(
        Code(['factur_x', 'cii', 'ubl', 'xrechnung', 'pdf']),
        [...FIRM, ...ORG_ACCOUNTING],
        true,
      ),
      // Part of every number it issues: only the firm or its legal representative changes it.
      invoice_code: field(z.string().regex(/^[A-Z0-9]{2,6}$/), [...FIRM, ...LEGAL], true),
      // What its documents say at the foot and in which language they are written.
      invoice_footer: field(z.string().max(300), [...FIRM, ...ORG_ACCOUNTING], true),
      document_locale: field(Code(['en', 'fr', 'de']), [...FIRM, ...ORG_ACCOUNTING], true),
    },
  },
  people: {
    owner: { person: true },
    insert: KEEPERS,
    tombstone: FIRM_ADMIN,
    rules: [
      'judged against the organizations the person belongs to (a new person: those its memberships in the same push name)',
    ],
    fields: {
      ...S,
      name: field(Line(200).min(1), KEEPERS),
      email: field(Email, KEEPERS),
      avatar: field(z.string().max(200_000), KEEPERS, true),
    },
  },
  memberships: {
    owner: { column: 'organization_id' },
    insert: KEEPERS,
    tombstone: KEEPERS,
    rules: ['only a legal representative (or the firm) names another legal representative'],
    fields: {
      ...S,
      organization_id: field(RowId, 'never'),
      person_id: field(RowId, 'never'),
      role: {
        ...field(Code(ROLES), KEEPERS),
        only: {
          actors: ['administrator', ...PARTNER_COMPLETE],
          values: ['administrator', 'accountant', 'member'],
        },
      },
      external: field(Bool, KEEPERS),
    },
  },
  billing_addresses: {
    owner: { column: 'organization_id' },
    insert: BOOKKEEPERS,
    tombstone: BOOKKEEPERS,
    fields: {
      ...S,
      organization_id: field(RowId, 'never'),
      label: field(Line(200).min(1), BOOKKEEPERS),
      recipient: field(Line(200).min(1), BOOKKEEPERS),
      line1: field(Line(200).min(1), BOOKKEEPERS),
      line2: field(Line(200), BOOKKEEPERS, true),
      street: field(Line(200), BOOKKEEPERS, true),
      building_number: field(Line(20), BOOKKEEPERS, true),
      postal_code: field(Line(20).min(1), BOOKKEEPERS),
      city: field(Line(100).min(1), BOOKKEEPERS),
      country: field(z.string().regex(/^[A-Z]{2}$/), BOOKKEEPERS),
      email: field(Email, BOOKKEEPERS, true),
      is_default: field(Bool, BOOKKEEPERS),
    },
  },
  products: {
    owner: { column: 'organization_id' },
    // Ordering: the organization itself or a complete-access partner; the firm prices it.
    insert: KEEPERS,
    tombstone: KEEPERS,
    rules: [
      'organization_id changes only by the firm moving the product; the hub re-keys its tag links in the same transaction',
    ],
    fields: {
      ...S,
      organization_id: field(RowId, FIRM_ADMIN),
      kind: field(Code(PRODUCT_KINDS), FIRM),
      name: field(Line(200).min(1), [...KEEPERS, 'partner_limited']),
      public_price_minor: field(Minor, FIRM_ADMIN),
      currency: field(Code(CURRENCIES), FIRM),
      billing_frequency: field(Code(BILLING_FREQUENCIES), KEEPERS),
      next_renewal_on: field(Day, KEEPERS),
      auto_renew: field(Bool, KEEPERS),
      status: field(Code(PRODUCT_STATUSES), KEEPERS),
      billing_address_id: field(RowId, KEEPERS, true),
    },
  },
  tags: {
    owner: { column: 'organization_id' },
    insert: [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE],
    tombstone: [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE],
    fields: {
      ...S,
      organization_id: field(RowId, 'never'),
      name: field(Line(50).min(1), [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE]),
      name_key: field(Line(50).min(1), [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE]),
      color: field(Hex, [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE]),
    },
  },
  product_tags: {
    owner: { via: 'products', column: 'product_id' },
    insert: [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE],
    tombstone: [...FIRM, ...ORG_ALL, ...PARTNER_COMPLETE],
    fields: { ...S, product_id: field(RowId, 'never'), tag_id: field(RowId, 'never') },
  },
  work_teams: {
    owner: { column: 'organization_id' },
    insert: KEEPERS,
    tombstone: KEEPERS,
    fields: {
      ...S,
      organization_id: field(RowId, 'never'),
      name: field(Line(200).min(1), KEEPERS),
      leader_person_id: field(RowId, KEEPERS, true),
    },
  },
  work_team_members: {
    owner: { via: 'work_teams', column: 'team_id' },
    insert: KEEPERS,
    tombstone: KEEPERS,
    fields: { ...S, team_id: field(RowId, 'never'), person_id: field(RowId, 'never') },
  },
  work_team_products: {
    owner: { via: 'work_teams', column: 'team_id' },
    insert: KEEPERS,
    tombstone: KEEPERS,
    fields: { ...S, team_id: field(RowId, 'never'), product_id: field(RowId, 'never') },
  },
  partner_notices: {
    // Written by one side of a partnership for the other (organization_id: who reads it).
    owner: { via: 'partnerships', column: 'partnership_id' },
    insert: [...FIRM, ...LEGAL, ...ORG_ADMINS, ...PARTNERS],
    tombstone: FIRM_ADMIN,
    fields: {
      ...S,
      organization_id: field(RowId, 'never'),
      partnership_id: field(RowId, 'never'),
      kind: field(Code(['payment_changed', 'access_changed', 'ended']), 'never'),
      before: field(
        z.record(Line(64), z.union([Line(200), z.number(), z.boolean(), z.null()])),
        'never',
        true,
      ),
      after: field(
        z.record(Line(64), z.union([Line(200), z.number(), z.boolean(), z.null()])),
        'never',
        true,
      ),
      read_at: field(Timestamp, [...FIRM, ...ORG_ALL, ...PARTNERS], true),
    },
  },
  degressive_tiers: {
    owner: { global: true },
    insert: FIRM_ADMIN,
    tombstone: FIRM_ADMIN,
    rules: ['a degressive rate is below 100 %: at most 50 %'],
    fields: {
      ...S,
      product_kind: field(Code(PRODUCT_KINDS), 'never'),
      min_quantity: field(Int(1, 1_000_000), FIRM_ADMIN),
      rate_bp: field(DegressiveBp, FIRM_ADMIN),
    },
  },
  price_book: {
    owner: { global: true },
    insert: FIRM_ADMIN,
    tombstone: FIRM_ADMIN,
    fields: {
      ...S,
      product_kind: field(Code(PRODUCT_KINDS), 'never'),
      currency: field(Code(CURRENCIES), 'never'),
      public_price_minor: field(PublicPriceMinor, FIRM_ADMIN),
    },
  },
  partner_rates: {
    owner: { global: true },
    insert: FIRM_ADMIN,
    tombstone: FIRM_ADMIN,
    rules: ["a partner's discount is at most 35 % (the dealer programme's cap)"],
    fields: {
      ...S,
      organization_id: field(RowId, 'never'),
      product_kind: field(Code(PRODUCT_KINDS), 'never'),
      discount_bp: field(DiscountBp, FIRM_ADMIN),
    },
  },
} satisfies Record<string, TableRule>;

void Text;
