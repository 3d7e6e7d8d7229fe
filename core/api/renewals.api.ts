import type { ErrorParams } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { PlaceOrder, RenewalRun, RunRenewals, SetBillingSettings } from '#common/renewals.schema';
import { placeOrder } from '../services/billing/orders';
import { planRenewals } from '../services/billing/plan';
import { runRenewals } from '../services/billing/run';
import { setBillingSettings } from '../services/billing/settings';
import { job, mutation, query } from './method';

export const renewalsApi = {
  'renewals.preview': query(
    RenewalRun,
    'What a billing run for a date would bill: invoices per payer with totals, products expiring, products too far behind',
    (ctx, i) => planRenewals(ctx, i),
  ),
  'renewals.run': job(
    RunRenewals,
    'Run the billing for a date in the background: renewal invoices issued (paid from the prepaid account where the profile allows), with progress and cancel',
    () => 'renewals',
    async (ctx, i, run) => {
      const report = await runRenewals(ctx, i, {
        draftsOnly: i.draftsOnly,
        signal: run.signal,
        onProgress: run.progress,
      });
      // Why a payer was not billed, as a sentence in the caller's language (the screen shows it).
      return {
        ...report,
        failed: report.failed.map((f) => ({
          ...f,
          message: translateError(f.code, f.params as ErrorParams, i.locale ?? 'en'),
        })),
      };
    },
  ),
  'renewals.setSettings': mutation(
    SetBillingSettings,
    "An organization's billing settings: horizon, catch-up of missed periods, payment profile, grace before expiry",
    setBillingSettings,
  ),
};

export const ordersApi = {
  'orders.place': mutation(
    PlaceOrder,
    'Order a new product for an organization: created, and its first period invoiced at once by the renewal rules',
    placeOrder,
  ),
};
