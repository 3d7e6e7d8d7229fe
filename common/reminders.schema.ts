import { z } from 'zod';
import { ActingOrganizationId, Id, IsoDate } from './common.schema';
import { DOCUMENT_LOCALES } from './enums';

// Payment reminders (dunning, issue 12). An organization's levels say when an unpaid invoice
// gets its Nth reminder (days after its due date) and what that reminder charges as a fee (in
// the invoice's currency, minor units). The last level is the final notice. Levels are one
// value on the organization (organizations.reminder_levels): edited as a whole, so two devices
// never merge into a sequence whose days go backwards.

/** Most levels an organization may set: three is the custom; five leaves room, no more. */
export const MAX_REMINDER_LEVELS = 5;
/** Most days after due a level may wait, and the highest fee (CHF/EUR 1,000.00). */
export const MAX_REMINDER_DAYS = 365;
export const MAX_REMINDER_FEE_MINOR = 100_000;
/** Days a reminder gives to pay, from the day it is produced. */
export const REMINDER_PAY_WITHIN_DAYS = 10;

export const ReminderLevel = z
  .object({
    daysAfterDue: z.number().int().min(1).max(MAX_REMINDER_DAYS),
    feeMinor: z.number().int().min(0).max(MAX_REMINDER_FEE_MINOR),
  })
  .strict();
export type ReminderLevel = z.infer<typeof ReminderLevel>;

/** The levels as a caller gives them (their order is checked by the service, with its own message). */
export const ReminderLevelList = z.array(ReminderLevel).min(1).max(MAX_REMINDER_LEVELS);

/** Levels in order: what the store and the hub accept. */
export const levelsInOrder = (levels: readonly ReminderLevel[]): boolean =>
  levels.every((l, i) => i === 0 || l.daysAfterDue > (levels[i - 1]?.daysAfterDue ?? 0));

export const ReminderLevels = ReminderLevelList.refine(levelsInOrder, { message: 'reminder_levels_order' });

/** What an organization without levels of its own (nor its issuer) uses. */
export const DEFAULT_REMINDER_LEVELS: readonly ReminderLevel[] = [
  { daysAfterDue: 10, feeMinor: 0 },
  { daysAfterDue: 25, feeMinor: 2000 },
  { daysAfterDue: 40, feeMinor: 3000 },
];

/** A reminder run for a date: every organization's unpaid invoices, or one payer's; one level or all. */
export const ReminderRun = z.object({
  date: IsoDate,
  organizationId: Id.optional(),
  level: z.number().int().min(1).max(MAX_REMINDER_LEVELS).optional(),
});
export type ReminderRun = z.infer<typeof ReminderRun>;

/** The reminders already produced, filtered. */
export const ListReminders = z.object({
  organizationId: Id.optional(),
  level: z.number().int().min(1).max(MAX_REMINDER_LEVELS).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** Only reminders whose invoice is still open. */
  openOnly: z.boolean().default(false),
  actingOrganizationId: ActingOrganizationId,
});

export const SetReminderLevels = z.object({
  organizationId: Id,
  /** null: back to the issuer's levels, else the defaults. */
  levels: ReminderLevelList.nullable(),
});

export const ReminderLevelsOf = z.object({ organizationId: Id });

export const ReminderPdf = z.object({
  reminderId: Id,
  locale: z.enum(DOCUMENT_LOCALES).optional(),
  actingOrganizationId: ActingOrganizationId,
});

/** A reminder e-mailed with its PDF; `to` replaces the payer's billing e-mail. */
export const SendReminder = ReminderPdf.extend({
  to: z.array(z.string().trim().min(3).max(320)).min(1).max(20).optional(),
});
