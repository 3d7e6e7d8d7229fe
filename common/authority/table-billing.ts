import { z } from 'zod';
import { BILLING_FREQUENCIES, CURRENCIES, MONEY_CASES, RENEWAL_ORIGINS } from '../enums';
import { FIRM, NOBODY } from './actors';
import { field, type TableRule } from './rule';
import { Day, Hlc, Line, MAX_MINOR, Minor, RowId, Timestamp } from './values';

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
} satisfies Record<string, TableRule>;
