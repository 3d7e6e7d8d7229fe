// What counts as a reminder fee paid, and what the hub gave back of it: one rule read by the
// device (core/services/billing/reminder-fees.ts, in SQL) and by the hub (server/sync/
// authorize-reminders.ts and derived.ts, on decoded rows). Both forms sit here, side by side,
// so they cannot drift apart.
//   fees charged of an invoice = Σ fee_minor of its live reminders
//   fees paid of an invoice = Σ payments of outcome 'fee'
//                           + Σ legacy deposits of reason 'reminder_fee' (books written before
//                             fees were income: the customer paid them, the money stayed there)
//                           − Σ the hub's deposits of fee over-payments (FEE_OVERPAID_NOTE)

/** The outcome of a payment that pays reminder fees (the firm's income, outside paid_minor). */
export const FEE_OUTCOME = 'fee';
/** Before fees were income, an import deposited them to the payer's prepaid account with this reason. */
export const LEGACY_FEE_DEPOSIT = 'reminder_fee';
/**
 * The note of the hub's deposit of fee money beyond every fee the invoice's reminders charged:
 * two devices that each booked the open fee from two bank credits (server/HUB.md "Reminders").
 */
export const FEE_OVERPAID_NOTE = 'fee_overpaid_at_sync';

/** Every fee an invoice's live reminders charged (reminder rows, snake_case, as synced). */
export function chargedFees(reminders: readonly Record<string, unknown>[]): number {
  let charged = 0;
  for (const r of reminders)
    if ((r.deleted_at === null || r.deleted_at === undefined) && Number.isSafeInteger(r.fee_minor))
      charged += r.fee_minor as number;
  return charged;
}

/** Whether a payment row (snake_case, as synced) counts as reminder fees paid. */
export function paysFees(p: Record<string, unknown>): boolean {
  return p.outcome === FEE_OUTCOME || (p.outcome === 'deposited' && p.deposit_reason === LEGACY_FEE_DEPOSIT);
}

/** The same test in SQL over the payments table under `alias`. */
export const paysFeesSql = (alias: string) =>
  `(${alias}.outcome = '${FEE_OUTCOME}' OR (${alias}.outcome = 'deposited' AND ${alias}.deposit_reason = '${LEGACY_FEE_DEPOSIT}'))`;

/** Whether a ledger row is the hub's deposit of a fee over-payment. */
export function givesFeesBack(e: Record<string, unknown>): boolean {
  return e.kind === 'deposit' && e.note === FEE_OVERPAID_NOTE;
}

/** The same test in SQL over the ledger_entries table under `alias`. */
export const givesFeesBackSql = (alias: string) =>
  `(${alias}.kind = 'deposit' AND ${alias}.note = '${FEE_OVERPAID_NOTE}')`;
