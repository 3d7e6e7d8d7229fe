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
    (ctx, i, run) =>
      runRenewals(ctx, i, { draftsOnly: i.draftsOnly, signal: run.signal, onProgress: run.progress }),
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
