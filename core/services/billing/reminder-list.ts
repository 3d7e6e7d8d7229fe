// The reminders already produced (reminders.list, `kontor reminders --list`): filtered by payer,
// level and date, with what each invoice still owes today (dueOf, the one rule), so the screen
// shows which reminded invoices have been paid since.
import type { z } from 'zod';
import type { ListReminders } from '#common/reminders.schema';
import type { Currency } from '#db/schema/index';
import type { Ctx } from '../context';
import { creditedOfMany, dueOf } from '../invoices/detail';
import { actingOrganization } from '../visibility';
import { openFeesOfMany } from './reminder-fees';
import { type LevelTotal, totalsOf } from './reminders';

export interface ReminderRow {
  id: string;
  invoiceId: string;
  invoiceNumber: string | null;
  organizationId: string;
  payerName: string;
  level: number;
  final: boolean;
  remindedOn: string;
  payBy: string;
  currency: Currency;
  dueMinor: number;
  feeMinor: number;
  feesMinor: number;
  totalMinor: number;
  /** What the invoice owes now: 0 once paid or credited after the reminder. */
  stillDueMinor: number;
  /** The invoice's reminder fees not paid yet (billing/reminder-fees.ts): owed beside it. */
  feesOpenMinor: number;
  invoiceStatus: string;
}

export interface ReminderList {
  reminders: ReminderRow[];
  totals: LevelTotal[];
}

/** At most this many rows per answer: newest first. */
const LIMIT = 1000;

export function listReminders(ctx: Ctx, input: z.input<typeof ListReminders>): ReminderList {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
  const rows = ctx.raw
    .prepare(
      `SELECT r.id, r.invoice_id AS invoiceId, i.number AS invoiceNumber, r.organization_id AS organizationId,
              o.name AS payerName, r.level, r.final, r.reminded_on AS remindedOn, r.pay_by AS payBy,
              r.currency, r.due_minor AS dueMinor, r.fee_minor AS feeMinor, r.fees_minor AS feesMinor,
              i.status AS invoiceStatus, i.kind, i.gross_minor AS grossMinor, i.paid_minor AS paidMinor
       FROM reminders r JOIN invoices i ON i.id = r.invoice_id JOIN organizations o ON o.id = r.organization_id
       WHERE r.deleted_at IS NULL
         AND (@org IS NULL OR r.organization_id = @org)
         AND (@acting IS NULL OR r.organization_id = @acting)
         AND (@level IS NULL OR r.level = @level)
         AND (@from IS NULL OR r.reminded_on >= @from)
         AND (@to IS NULL OR r.reminded_on <= @to)
       ORDER BY r.reminded_on DESC, r.level DESC, i.number
       LIMIT ${LIMIT}`,
    )
    .all({
      org: input.organizationId ?? null,
      acting: input.actingOrganizationId ?? null,
      level: input.level ?? null,
      from: input.from ?? null,
      to: input.to ?? null,
    }) as (Omit<ReminderRow, 'final' | 'totalMinor' | 'stillDueMinor'> & {
    final: number;
    kind: 'invoice';
    grossMinor: number;
    paidMinor: number;
  })[];
  const credited = creditedOfMany(
    ctx,
    rows.map((r) => r.invoiceId),
  );
  const fees = openFeesOfMany(
    ctx,
    rows.map((r) => r.invoiceId),
  );
  const out: ReminderRow[] = [];
  for (const { kind, grossMinor, paidMinor, ...r } of rows) {
    const stillDueMinor = dueOf(
      { kind, grossMinor, paidMinor, status: r.invoiceStatus as 'unpaid' },
      credited.get(r.invoiceId) ?? 0,
    );
    const feesOpenMinor = fees.get(r.invoiceId) ?? 0;
    // Open while the customer owes anything of it: the invoice, or the fees its reminders charged.
    if (input.openOnly && stillDueMinor <= 0 && feesOpenMinor <= 0) continue;
    out.push({
      ...r,
      final: r.final === 1,
      totalMinor: r.dueMinor + r.feesMinor,
      stillDueMinor,
      feesOpenMinor,
    });
  }
  return { reminders: out, totals: totalsOf(out) };
}
