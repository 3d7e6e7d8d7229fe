import { z } from 'zod';
import { BILLING_FREQUENCIES, CURRENCIES, MONEY_CASES, RENEWAL_ORIGINS } from '../enums';
import { MAX_REMINDER_FEE_MINOR, MAX_REMINDER_LEVELS } from '../reminders.schema';
import { FIRM, NOBODY } from './actors';
import { field, type TableRule } from './rule';
import { Bool, Day, Hlc, Int, Line, MAX_MINOR, Minor, RowId, Timestamp } from './values';

// The billing run's records. The firm runs billing (DOMAIN.md: the firm issues documents and
// books money): a renewal claim is written once, by the firm's device that billed the period,
// never changed nor removed (SYNC.md kind 2).

const Code = (values: readonly [string, ...string[]]) => z.enum(values);

export const BILLING_RULES = {
  renewals: {
    owner: { column: 'issuer_organization_id' },
    insert: FIRM,
    tombstone: NOBODY,
    rules: [
      'period_key is product_id:period_start; the invoice exists with the same payer, issuer and products organization',
      'two claims of one period: the one every device elects stays, the other invoice loses the line or is credited (server/HUB.md "Renewals")',
    ],
    fields: {
      id: field(RowId, 'never'),
      created_at: field(Timestamp, 'never'),
      hlc: field(Hlc, 'never'),
      period_key: field(Line(64), 'never'),
      product_id: field(RowId, 'never'),
      products_organization_id: field(RowId, 'never'),
      organization_id: field(RowId, 'never'),
      issuer_organization_id: field(RowId, 'never'),
      invoice_id: field(RowId, 'never'),
      period_start: field(Day, 'never'),
      period_end: field(Day, 'never'),
      frequency: field(Code(BILLING_FREQUENCIES), 'never'),
      origin: field(Code(RENEWAL_ORIGINS), 'never'),
      net_minor: field(z.number().int().min(-MAX_MINOR).max(MAX_MINOR), 'never'),
      currency: field(Code(CURRENCIES), 'never'),
      money_case: field(Code(MONEY_CASES), 'never'),
      partnership_id: field(RowId, 'never', true),
      partner_organization_id: field(RowId, 'never', true),
      cashback_minor: field(Minor, 'never'),
      line_description: field(Line(400), 'never'),
    },
  },
  // A payment reminder (db/schema/reminders.ts): the firm reminds, as it issues. Its id is derived
  // from its invoice and level, so two devices' reminders of the same level are one row merged
  // per field; created_at merges too (two devices created it), what identifies it never moves.
  reminders: {
    owner: { column: 'issuer_organization_id' },
    insert: FIRM,
    tombstone: FIRM,
    rules: [
      'id is derived from invoice_id and level; the invoice exists, issued, with the same payer, issuer and currency',
    ],
    fields: {
      id: field(RowId, 'never'),
      created_at: field(Timestamp, FIRM),
      updated_at: field(Timestamp, 'row'),
      deleted_at: field(Timestamp, 'tombstone', true),
      organization_id: field(RowId, 'never'),
      issuer_organization_id: field(RowId, 'never'),
      invoice_id: field(RowId, 'never'),
      level: field(Int(1, MAX_REMINDER_LEVELS), 'never'),
      final: field(Bool, FIRM),
      reminded_on: field(Day, FIRM),
      pay_by: field(Day, FIRM),
      due_minor: field(Minor, FIRM),
      fee_minor: field(Int(0, MAX_REMINDER_FEE_MINOR), FIRM),
      fees_minor: field(Int(0, MAX_REMINDER_FEE_MINOR * MAX_REMINDER_LEVELS), FIRM),
      currency: field(Code(CURRENCIES), 'never'),
    },
  },
} satisfies Record<string, TableRule>;
