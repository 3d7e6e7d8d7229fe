// An organization's reminder levels (issue 12, dunning): its own, else its issuer's (the firm's
// policy for every customer), else the defaults (common/reminders.schema.ts). Set by the firm,
// like the billing horizon (common/authority: organizations.reminder_levels).
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { fail } from '#common/errors';
import {
  DEFAULT_REMINDER_LEVELS,
  levelsInOrder,
  type ReminderLevel,
  type SetReminderLevels,
} from '#common/reminders.schema';
import { type Organization, organizations } from '#db/schema/index';
import { requireAuthority } from '../authority';
import type { Ctx } from '../context';
import { getOrganization } from '../organizations.service';
import { getSettings } from '../settings.service';

export interface LevelsOf {
  organizationId: string;
  levels: ReminderLevel[];
  /** Where they come from: the organization itself, its issuer (the firm), or the defaults. */
  source: 'own' | 'issuer' | 'default';
}

/** The levels that apply to a payer's invoices from this issuer. */
export function effectiveLevels(
  payer: Pick<Organization, 'reminderLevels'>,
  issuer: Pick<Organization, 'reminderLevels'> | null,
): { levels: readonly ReminderLevel[]; source: LevelsOf['source'] } {
  if (payer.reminderLevels?.length) return { levels: payer.reminderLevels, source: 'own' };
  if (issuer?.reminderLevels?.length) return { levels: issuer.reminderLevels, source: 'issuer' };
  return { levels: DEFAULT_REMINDER_LEVELS, source: 'default' };
}

/** The firm (the issuer of the book's invoices), when set up. */
function firmOrganization(ctx: Ctx): Organization | null {
  const id = getSettings(ctx).providerOrganizationId;
  return id ? (ctx.db.select().from(organizations).where(eq(organizations.id, id)).get() ?? null) : null;
}

export function reminderLevelsOf(ctx: Ctx, organizationId: string): LevelsOf {
  const org = getOrganization(ctx, organizationId);
  const firm = firmOrganization(ctx);
  const { levels, source } = effectiveLevels(org, firm && firm.id !== org.id ? firm : null);
  return { organizationId, levels: [...levels], source };
}

/** Its levels, checked as the hub checks them; null returns it to its issuer's or the defaults. */
export function setReminderLevels(ctx: Ctx, input: z.infer<typeof SetReminderLevels>): LevelsOf {
  if (input.levels && !levelsInOrder(input.levels)) fail('reminder_levels_order');
  ctx.write('organization.reminder_levels', (tx) => {
    const org = getOrganization(ctx, input.organizationId);
    requireAuthority(ctx, 'organizations', 'update', org.id, { column: 'reminder_levels' });
    tx.update(organizations, org.id, { reminderLevels: input.levels });
  });
  return reminderLevelsOf(ctx, input.organizationId);
}
