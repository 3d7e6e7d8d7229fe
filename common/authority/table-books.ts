import { z } from 'zod';
import {
  CURRENCIES,
  DOCUMENT_LOCALES,
  INVOICE_KINDS,
  INVOICE_STATUSES,
  LEDGER_ENTRY_KINDS,
  PAYMENT_METHODS,
  PAYMENT_OUTCOMES,
  REFERENCE_TYPES,
} from '../enums';
import { FIRM, FIRM_ADMIN, LEGAL, NOBODY, ORG_ACCOUNTING, ORG_ADMINS, PARTNERS } from './actors';
import { field, stamps, type TableRule } from './rule';
import {
  Bool,
  boundedJson,
  Day,
  Hlc,
  Int,
  Line,
  MAX_MINOR,
  Minor,
  RowId,
  SignedMinor,
  Text,
  Timestamp,
} from './values';

// Documents, money and partnerships. The firm issues documents and books money; an issuing
// organization's accountants issue its own documents; a payer pays its own invoices from
// its own prepaid balance, never more than due. A partnership is granted, accepted and
// widened by the client's legal representatives; the partner's side invites, withdraws or
// ends. Ends, owners, issuers, series and numbers never change once written.

const S = stamps({ timestamp: Timestamp, id: RowId });
const Code = (values: readonly [string, ...string[]]) => z.enum(values);
/** Who writes an issuer's documents: the firm, or the issuing organization's own accounting. */
const ISSUERS = [...FIRM, ...ORG_ACCOUNTING] as const;
/** A party's snapshot on an issued document (name, address, identifiers): bounded JSON. */
const Party = z.record(Line(64), boundedJson(2));

export const BOOK_RULES = {
  invoices: {
    owner: { column: 'issuer_organization_id' },
    insert: ISSUERS,
    tombstone: ISSUERS,
    rules: [
      'a tombstone only while a draft; once issued only status (forward) and paid_minor move',
      'series is the issuing device’s own series exactly; number = series + "-" + sequence, unique per issuer',
      'the payer (organization_id) moves status and paid_minor only to what its payments make them',
    ],
    payer: {
      column: 'organization_id',
      fields: ['status', 'paid_minor'],
      who: [...ORG_ACCOUNTING, 'partner_complete_partner_pays'],
    },
    fields: {
      ...S,
      kind: field(Code(INVOICE_KINDS), 'never'),
      status: field(Code(INVOICE_STATUSES), ISSUERS),
      organization_id: field(RowId, 'never'),
      products_organization_id: field(RowId, 'never'),
      issuer_organization_id: field(RowId, 'never'),
      billing_address_id: field(RowId, ISSUERS, true),
      currency: field(Code(CURRENCIES), ISSUERS),
      locale: field(Code(DOCUMENT_LOCALES), ISSUERS),
      // INV-ACME-2026-1A2B3C (common/invoice-numbering.ts): kind, issuer code, year, device
      // code; numbers issued before issuer codes (INV-2026-1A2B3C) stay valid.
      series: field(Line(64).regex(/^[A-Z]{2,3}(-[A-Z0-9]{2,6})?-\d{4}-[0-9A-F]{6}$/), ISSUERS, true),
      sequence: field(Int(1, 999_999_999), ISSUERS, true),
      number: field(Line(80), ISSUERS, true),
      issued_on: field(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), ISSUERS),
      due_on: field(Day, ISSUERS, true),
      bill_to: field(Party, ISSUERS, true),
      issuer: field(Party, ISSUERS, true),
      reverse_charge: field(Bool, ISSUERS),
      net_minor: field(z.number().int().min(-MAX_MINOR).max(MAX_MINOR), ISSUERS),
      vat_minor: field(z.number().int().min(-MAX_MINOR).max(MAX_MINOR), ISSUERS),
      gross_minor: field(z.number().int().min(-MAX_MINOR).max(MAX_MINOR), ISSUERS),
      paid_minor: field(Minor, ISSUERS),
      reference_type: field(Code(REFERENCE_TYPES), ISSUERS, true),
      payment_reference: field(Line(64), ISSUERS, true),
      corrects_invoice_id: field(RowId, 'never', true),
      // Set on the draft a pro forma converts into (frozen with the rest once issued).
      converted_from_id: field(RowId, ISSUERS, true),
      notes: field(Text(4000), ISSUERS, true),
      import_ref: field(Line(200), ISSUERS, true),
      // A draft's priced lines travel as one value of the invoice (db/sync/tables.ts LINES_COLUMN).
      lines: field(z.array(boundedJson(2)).max(1000), ISSUERS),
    },
  },
  payments: {
    owner: { column: 'organization_id' },
    // Append-only (SYNC.md kind 2): a row is written once, never updated nor tombstoned.
    insert: [...FIRM, ...ORG_ACCOUNTING, 'partner_complete_partner_pays'],
    tombstone: NOBODY,
    rules: [
      'anyone but the firm pays only an invoice its own organization pays, by prepaid, never more than due',
      'organization_id is the invoice’s payer',
      'reminder fees paid (outcome fee) are the firm’s income, booked by the firm only, on an issued invoice of the same payer and currency, never beyond every fee its live reminders charged; paid beyond what is still open (two devices), the hub deposits the rest to the payer’s prepaid account',
    ],
    fields: {
      id: field(RowId, 'never'),
      created_at: field(Timestamp, 'never'),
      hlc: field(Hlc, 'never'),
      organization_id: field(RowId, 'never'),
      invoice_id: field(RowId, 'never', true),
      method: field(Code(PAYMENT_METHODS), 'never'),
      amount_minor: field(Int(1, MAX_MINOR), 'never'),
      currency: field(Code(CURRENCIES), 'never'),
      received_on: field(Day, 'never'),
      reference: field(Line(140), 'never', true),
      outcome: field(Code(PAYMENT_OUTCOMES), 'never'),
      deposit_reason: field(Line(64), 'never', true),
    },
  },
  ledger_entries: {
    owner: { column: 'organization_id' },
    insert: [...FIRM, ...ORG_ACCOUNTING, 'partner_complete_partner_pays'],
    tombstone: NOBODY,
    insertOnly: [
      {
        actors: [...ORG_ACCOUNTING, 'partner_complete_partner_pays'],
        column: 'kind',
        values: ['invoice_payment'],
      },
    ],
    rules: [
      'top-ups, withdrawals, cashback, deposits and reversals are the firm’s; an organization only debits its own balance to pay its own invoice',
      'the balance per organization and currency never goes below zero',
    ],
    fields: {
      id: field(RowId, 'never'),
      created_at: field(Timestamp, 'never'),
      hlc: field(Hlc, 'never'),
      organization_id: field(RowId, 'never'),
      kind: field(Code(LEDGER_ENTRY_KINDS), 'never'),
      amount_minor: field(SignedMinor, 'never'),
      currency: field(Code(CURRENCIES), 'never'),
      booked_on: field(Day, 'never'),
      invoice_id: field(RowId, 'never', true),
      payment_id: field(RowId, 'never', true),
      reverses_entry_id: field(RowId, 'never', true),
      method: field(Code(PAYMENT_METHODS), 'never', true),
      note: field(Line(200), 'never', true),
    },
  },
  invoice_voids: {
    // A number consumed by an issue that lost a race: only the hub records it (devices read it).
    owner: { column: 'issuer_organization_id' },
    insert: NOBODY,
    tombstone: NOBODY,
    rules: ['written by the hub alone, when two devices issued the same draft'],
    fields: {
      id: field(RowId, 'never'),
      created_at: field(Timestamp, 'never'),
      hlc: field(Hlc, 'never'),
      issuer_organization_id: field(RowId, 'never'),
      organization_id: field(RowId, 'never'),
      invoice_id: field(RowId, 'never'),
      kind: field(Code(INVOICE_KINDS), 'never'),
      series: field(Line(64), 'never'),
      sequence: field(Int(1, 999_999_999), 'never'),
      number: field(Line(80), 'never'),
      voided_on: field(Day, 'never'),
      reason: field(Code(['issue_lost_race']), 'never'),
      winning_number: field(Line(80), 'never', true),
      device_id: field(Line(64), 'never'),
    },
  },
  partnerships: {
    owner: { column: 'client_organization_id' },
    insert: [...FIRM_ADMIN, ...LEGAL, ...PARTNERS],
    tombstone: [...FIRM_ADMIN, ...LEGAL],
    insertOnly: [{ actors: PARTNERS, column: 'status', values: ['invited'] }],
    // The partner's side answers an invitation the client sent (the client granted by inviting).
    onlyFrom: [
      {
        actors: PARTNERS,
        column: 'status',
        value: 'active',
        from: { invited_by: 'client', status: 'invited' },
      },
      {
        actors: PARTNERS,
        column: 'status',
        value: 'refused',
        from: { invited_by: 'client', status: 'invited' },
      },
    ],
    rules: [
      "the partner's side is judged as a partner of the client with this partnership's access and payment, and must be its organization's legal representative",
      "the partner's side accepts or refuses only an invitation the client sent, without changing what it grants",
    ],
    fields: {
      ...S,
      partner_organization_id: field(RowId, 'never'),
      client_organization_id: field(RowId, 'never'),
      requested_access: field(Code(['limited', 'complete']), [...FIRM_ADMIN, ...LEGAL, ...PARTNERS]),
      requested_payment: field(Code(['client', 'partner']), [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
      access: field(Code(['limited', 'complete']), [...FIRM_ADMIN, ...LEGAL]),
      // Who pays changes no access: the client's administrators decide it too (partners.changePayment).
      payment: field(Code(['client', 'partner']), [...FIRM_ADMIN, ...ORG_ADMINS], true),
      status: {
        ...field(Code(['invited', 'active', 'refused', 'withdrawn', 'ended']), [
          ...FIRM_ADMIN,
          ...LEGAL,
          ...PARTNERS,
        ]),
        only: { actors: PARTNERS, values: ['invited', 'withdrawn', 'ended', 'active', 'refused'] },
      },
      invited_by: field(Code(['partner', 'client']), 'never'),
      invited_by_person_id: field(RowId, 'never', true),
      invited_email: field(Line(320), [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
      invited_at: field(Timestamp, 'never'),
      last_sent_at: field(Timestamp, [...FIRM_ADMIN, ...LEGAL, ...PARTNERS]),
      send_count: field(Int(0, 1000), [...FIRM_ADMIN, ...LEGAL, ...PARTNERS]),
      responded_at: field(Timestamp, [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
      responded_by_person_id: field(RowId, [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
      ended_at: field(Timestamp, [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
      ended_by: field(Code(['partner', 'client']), [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
      ended_by_person_id: field(RowId, [...FIRM_ADMIN, ...LEGAL, ...PARTNERS], true),
    },
  },
  partnership_products: {
    owner: { via: 'partnerships', column: 'partnership_id' },
    // Allocating a product grants access to it: the client's side decides. Giving one back
    // only narrows the partner's own access: its side may (ending a partnership does).
    insert: [...FIRM_ADMIN, ...ORG_ADMINS],
    tombstone: [...FIRM_ADMIN, ...ORG_ADMINS, ...PARTNERS],
    fields: { ...S, partnership_id: field(RowId, 'never'), product_id: field(RowId, 'never') },
  },
} satisfies Record<string, TableRule>;
