// Payment reminders for a date (issue 12, dunning; `reminders.*`, `kontor reminders`).
// An issued invoice still owing something (dueOf: net of payments and credit notes, the one
// rule every screen uses) gets its next level when the date has reached its due date plus that
// level's days, and — after a first reminder — the gap between the two levels has passed since
// the previous one, so a customer always has the time the levels promise. One level per run and
// invoice; never twice the same level: the reminder's id is its invoice and level, on every
// device (common/reminder-key.ts), so two devices offline write one row that sync merges.
// What a statement imported before the run paid is already in the invoice: no reminder crosses
// a payment the book knows (the seeds' "reminder that crosses with the payment"). A payment
// that arrived for it but went to the prepaid account (more than due, another currency) holds
// the invoice back too: the accountant settles it from there, the customer is not reminded.
import { eq } from 'drizzle-orm';
import { addDays } from '#common/dates';
import { reminderId } from '#common/reminder-key';
import { REMINDER_PAY_WITHIN_DAYS, type ReminderLevel, type ReminderRun } from '#common/reminders.schema';
import { type Currency, type Organization, organizations, reminders } from '#db/schema/index';
import { requireAuthority } from '../authority';
import { atomically, type Ctx } from '../context';
import { creditedOfMany, dueOf } from '../invoices/detail';
import { getOrganization } from '../organizations.service';
import { getSettings } from '../settings.service';
import { effectiveLevels } from './reminder-levels';

export interface ProposedReminder {
  id: string;
  invoiceId: string;
  invoiceNumber: string | null;
  organizationId: string;
  payerName: string;
  issuerOrganizationId: string;
  currency: Currency;
  invoiceDueOn: string;
  daysOverdue: number;
  level: number;
  final: boolean;
  /** What the invoice still owes, this reminder's fee, every fee up to it, and what its QR-bill asks. */
  dueMinor: number;
  feeMinor: number;
  feesMinor: number;
  totalMinor: number;
  remindedOn: string;
  payBy: string;
}

export interface HeldInvoice {
  invoiceId: string;
  invoiceNumber: string | null;
  payerName: string;
  reason: 'payment_deposited';
}

export interface LevelTotal {
  level: number;
  currency: Currency;
  count: number;
  dueMinor: number;
  feesMinor: number;
  totalMinor: number;
}

export interface ReminderPlan {
  date: string;
  reminders: ProposedReminder[];
  held: HeldInvoice[];
  totals: LevelTotal[];
}

interface OpenInvoice {
  id: string;
  number: string | null;
  organization_id: string;
  issuer_organization_id: string;
  currency: Currency;
  status: string;
  kind: string;
  gross_minor: number;
  paid_minor: number;
  due_on: string;
  payer_name: string;
}

interface Earlier {
  level: number;
  remindedOn: string;
  feeMinor: number;
}

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

/** What a run for this date would write (nothing is written). */
export function planReminders(ctx: Ctx, input: ReminderRun): ReminderPlan {
  // A payer that does not exist is a typing mistake, said as one (not an empty run).
  if (input.organizationId) getOrganization(ctx, input.organizationId);
  const open = ctx.raw
    .prepare(
      `SELECT i.id, i.number, i.organization_id, i.issuer_organization_id, i.currency, i.status, i.kind,
              i.gross_minor, i.paid_minor, i.due_on, o.name AS payer_name
       FROM invoices i JOIN organizations o ON o.id = i.organization_id
       WHERE i.kind = 'invoice' AND i.status IN ('unpaid', 'partially_paid') AND i.deleted_at IS NULL
         AND i.due_on IS NOT NULL AND i.due_on < @date
         AND (@org IS NULL OR i.organization_id = @org)
       ORDER BY i.due_on, i.number, i.id`,
    )
    .all({ date: input.date, org: input.organizationId ?? null }) as OpenInvoice[];
  const credited = creditedOfMany(
    ctx,
    open.map((i) => i.id),
  );
  const earlierOf = ctx.raw.prepare(
    `SELECT level, reminded_on AS remindedOn, fee_minor AS feeMinor FROM reminders
     WHERE invoice_id = ? ORDER BY level`,
  );
  const deposited = ctx.raw
    .prepare("SELECT 1 FROM payments WHERE invoice_id = ? AND outcome = 'deposited' LIMIT 1")
    .pluck();
  const orgs = new Map<string, Organization | null>();
  const org = (id: string) => {
    if (!orgs.has(id))
      orgs.set(id, ctx.db.select().from(organizations).where(eq(organizations.id, id)).get() ?? null);
    return orgs.get(id) ?? null;
  };
  const plan: ReminderPlan = { date: input.date, reminders: [], held: [], totals: [] };
  for (const inv of open) {
    const due = dueOf(
      {
        status: inv.status as 'unpaid',
        kind: 'invoice',
        grossMinor: inv.gross_minor,
        paidMinor: inv.paid_minor,
      },
      credited.get(inv.id) ?? 0,
    );
    if (due <= 0) continue;
    const payer = org(inv.organization_id);
    if (!payer) continue;
    const { levels } = effectiveLevels(payer, org(inv.issuer_organization_id));
    const earlier = earlierOf.all(inv.id) as Earlier[];
    const next = nextLevel(levels, earlier, inv.due_on, input.date);
    if (next === null || (input.level !== undefined && next !== input.level)) continue;
    if (deposited.get(inv.id)) {
      plan.held.push({
        invoiceId: inv.id,
        invoiceNumber: inv.number,
        payerName: inv.payer_name,
        reason: 'payment_deposited',
      });
      continue;
    }
    const level = levels[next - 1] as ReminderLevel;
    const feesMinor = earlier.reduce((s, e) => s + e.feeMinor, 0) + level.feeMinor;
    plan.reminders.push({
      id: reminderId(inv.id, next),
      invoiceId: inv.id,
      invoiceNumber: inv.number,
      organizationId: inv.organization_id,
      payerName: inv.payer_name,
      issuerOrganizationId: inv.issuer_organization_id,
      currency: inv.currency,
      invoiceDueOn: inv.due_on,
      daysOverdue: dayNumber(input.date) - dayNumber(inv.due_on),
      level: next,
      final: next === levels.length,
      dueMinor: due,
      feeMinor: level.feeMinor,
      feesMinor,
      totalMinor: due + feesMinor,
      remindedOn: input.date,
      payBy: addDays(input.date, REMINDER_PAY_WITHIN_DAYS),
    });
  }
  plan.totals = totalsOf(plan.reminders);
  return plan;
}

/**
 * The level this invoice gets today, or null: the one after the last it got, once its days
 * after due are reached and, after a first reminder, the gap between the two levels has passed.
 */
export function nextLevel(
  levels: readonly ReminderLevel[],
  earlier: readonly Earlier[],
  dueOn: string,
  date: string,
): number | null {
  const last = earlier.reduce<Earlier | null>((m, e) => (m === null || e.level > m.level ? e : m), null);
  const next = (last?.level ?? 0) + 1;
  const level = levels[next - 1];
  if (!level) return null;
  if (date < addDays(dueOn, level.daysAfterDue)) return null;
  if (last) {
    const gap = level.daysAfterDue - (levels[last.level - 1]?.daysAfterDue ?? 0);
    if (date < addDays(last.remindedOn, gap)) return null;
  }
  return next;
}

export function totalsOf(
  list: readonly Pick<ProposedReminder, 'level' | 'currency' | 'dueMinor' | 'feesMinor'>[],
): LevelTotal[] {
  const byKey = new Map<string, LevelTotal>();
  for (const r of list) {
    const k = `${r.level}:${r.currency}`;
    const t = byKey.get(k) ?? {
      level: r.level,
      currency: r.currency,
      count: 0,
      dueMinor: 0,
      feesMinor: 0,
      totalMinor: 0,
    };
    t.count++;
    t.dueMinor += r.dueMinor;
    t.feesMinor += r.feesMinor;
    t.totalMinor += r.dueMinor + r.feesMinor;
    byKey.set(k, t);
  }
  return [...byKey.values()].sort((a, b) => a.level - b.level || a.currency.localeCompare(b.currency));
}

/**
 * The run: what the plan proposes, recorded in one durable transaction (planned inside it, so
 * what a preview of this moment showed is what is written, and a run beside it writes nothing
 * twice). The firm reminds (common/authority): refused here as the hub would refuse it.
 */
export function runReminders(ctx: Ctx, input: ReminderRun): ReminderPlan {
  const issuer = getSettings(ctx).providerOrganizationId ?? null;
  requireAuthority(ctx, 'reminders', 'insert', issuer);
  return atomically(
    ctx,
    () => {
      const plan = planReminders(ctx, input);
      if (plan.reminders.length === 0) return plan;
      ctx.write(
        'reminders.run',
        (tx) => {
          const taken = ctx.raw.prepare('SELECT 1 FROM reminders WHERE id = ?').pluck();
          for (const r of plan.reminders) {
            if (taken.get(r.id)) continue;
            tx.insert(reminders, {
              id: r.id,
              organizationId: r.organizationId,
              issuerOrganizationId: r.issuerOrganizationId,
              invoiceId: r.invoiceId,
              level: r.level,
              final: r.final,
              remindedOn: r.remindedOn,
              payBy: r.payBy,
              dueMinor: r.dueMinor,
              feeMinor: r.feeMinor,
              feesMinor: r.feesMinor,
              currency: r.currency,
            });
          }
        },
        { durable: true },
      );
      return plan;
    },
    true,
  );
}
