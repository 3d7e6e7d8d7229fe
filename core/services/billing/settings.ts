import type { z } from 'zod';
import type { SetBillingSettings } from '#common/renewals.schema';
import { type Organization, organizations } from '#db/schema/index';
import { requireAuthority } from '../authority';
import type { Ctx } from '../context';
import { getOrganization } from '../organizations.service';

const COLUMNS = {
  billingHorizonDays: 'billing_horizon_days',
  renewalCatchUp: 'renewal_catch_up',
  paymentProfile: 'payment_profile',
  renewalGraceDays: 'renewal_grace_days',
} as const;

/** An organization's billing settings; each field refused as the hub would refuse it (common/authority). */
export function setBillingSettings(ctx: Ctx, input: z.infer<typeof SetBillingSettings>): Organization {
  return ctx.write('organization.billing_settings', (tx) => {
    const org = getOrganization(ctx, input.organizationId);
    const { organizationId: _id, ...patch } = input;
    for (const [key, column] of Object.entries(COLUMNS))
      if (patch[key as keyof typeof patch] !== undefined)
        requireAuthority(ctx, 'organizations', 'update', org.id, { column });
    return tx.update(organizations, org.id, patch);
  });
}
