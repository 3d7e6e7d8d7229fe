import { z } from 'zod';
import { Id, IsoDate } from './common.schema';
import { CATCH_UP_MODES, PAYMENT_PROFILES } from './enums';
import { CreateProduct } from './products.schema';

/** A billing run for a date: every organization, or the products of one. */
export const RenewalRun = z.object({
  date: IsoDate,
  organizationId: Id.optional(),
});
export type RenewalRun = z.infer<typeof RenewalRun>;

export const RunRenewals = RenewalRun.extend({
  /** Leave the invoices as drafts to look at before issuing (default: issue them). */
  draftsOnly: z.boolean().default(false),
  /** The language the report says why a payer was not billed in (the screen's). */
  locale: z.string().max(20).optional(),
});

/** The billing settings of an organization (firm: horizon, catch-up, grace; its accountants: profile). */
export const SetBillingSettings = z.object({
  organizationId: Id,
  billingHorizonDays: z.number().int().min(0).max(366).optional(),
  renewalCatchUp: z.enum(CATCH_UP_MODES).optional(),
  paymentProfile: z.enum(PAYMENT_PROFILES).optional(),
  renewalGraceDays: z.number().int().min(0).max(366).optional(),
});

/** A new product ordered for an organization: its first period is invoiced at once. */
export const PlaceOrder = CreateProduct.omit({ status: true, nextRenewalOn: true }).extend({
  /** The day the first period starts (default: today). */
  startsOn: IsoDate.optional(),
  orderedBy: z.enum(['client', 'partner']).default('client'),
  draftOnly: z.boolean().default(false),
});
