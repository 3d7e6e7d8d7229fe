// The dashboard's "of which reminder fees" (issue 14 review: never measured at scale). The
// whole-book dashboard sums the open fee charges kept by triggers (db/glance-fees.ts, migration
// 0027) per currency and pay-by day on a partial index (openFeesByDay); before, it read every
// reminder with a fee and looked up its invoice's fee payments and the hub's fee give-backs
// (~14 µs a reminder) — that read is measured beside it as `lookupPerReminderMs`, the same
// rows, so the two stand in the same run. The searched book has no reminders, so they are written into it
// for this measurement — one invoice in FEE_EVERY gets a second-level reminder (20.00), one in
// 3 × FEE_EVERY a third (30.00) too, and a third of the reminded invoices have paid a fee — and
// rolled back after it: the cached book stays as it was.
import type { Kontor } from '#core/kontor';
import { openFeeCharges, openFeesByDay } from '#core/services/billing/reminder-fees';
import { percentile, round } from './harness';

const FEE_EVERY = 20;

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: round(percentile(s, 50)),
    p99: round(percentile(s, 99)),
    max: round(s.at(-1) ?? 0),
    n: s.length,
  };
};

export async function dashboardWithReminderFees(kontor: Kontor, runs = 12) {
  const ctx = kontor.ctx();
  const raw = ctx.raw;
  const now = new Date().toISOString();
  const day = now.slice(0, 10);
  raw.exec('BEGIN');
  try {
    const reminders = raw.prepare(
      `INSERT INTO reminders (id, created_at, updated_at, organization_id, issuer_organization_id, invoice_id,
         level, final, reminded_on, pay_by, due_minor, fee_minor, fees_minor, currency)
       SELECT 'rm:' || id || ':' || @level, @now, @now, organization_id, issuer_organization_id, id,
         @level, @level = 3, @day, @day, gross_minor - paid_minor, @fee, @fees, currency
       FROM invoices WHERE kind = 'invoice' AND status <> 'draft' AND rowid % @every = 0`,
    );
    const level2 = reminders.run({ level: 2, now, day, fee: 2_000, fees: 2_000, every: FEE_EVERY }).changes;
    const level3 = reminders.run({
      level: 3,
      now,
      day,
      fee: 3_000,
      fees: 5_000,
      every: FEE_EVERY * 3,
    }).changes;
    const feePayments = raw
      .prepare(
        `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency,
           received_on, reference, outcome, deposit_reason)
         SELECT 'fee:' || id, @now, @now, organization_id, id, 'bank_transfer', 2000, currency, @day, NULL, 'fee', NULL
         FROM invoices WHERE kind = 'invoice' AND status <> 'draft' AND rowid % @every = 0`,
      )
      .run({ now, day, every: FEE_EVERY * 3 }).changes;
    raw.exec('ANALYZE reminders');
    raw.exec('ANALYZE glance_fees');

    const whole: number[] = [];
    const service: number[] = [];
    const byDay: number[] = [];
    let feesMinor = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const r = await kontor.router.invoke('dashboard.money', {});
      whole.push(performance.now() - t);
      if (!r.ok) throw new Error(r.error.message);
      feesMinor = (r.value as { receivables: { feesMinor: number }[] }).receivables.reduce(
        (sum, x) => sum + x.feesMinor,
        0,
      );
      t = performance.now();
      openFeeCharges(ctx, null);
      service.push(performance.now() - t);
      t = performance.now();
      openFeesByDay(ctx, null);
      byDay.push(performance.now() - t);
    }
    // The read the kept rows replaced (its SQL, before settling in JavaScript): per reminder with
    // a fee, its invoice's status, fee payments and fee give-backs, each an index lookup.
    const lookup = raw.prepare(`SELECT r.id, r.invoice_id, r.level, r.pay_by, r.currency, r.fee_minor,
        (coalesce((SELECT sum(p.amount_minor) FROM payments p WHERE p.invoice_id = r.invoice_id
            AND (p.outcome = 'fee' OR (p.outcome = 'deposited' AND p.deposit_reason = 'reminder_fee'))), 0)
         - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e WHERE e.invoice_id = r.invoice_id
            AND e.kind = 'deposit' AND e.note = 'fee_overpaid_at_sync'), 0)) AS paid
      FROM reminders r JOIN invoices i ON i.id = r.invoice_id
      WHERE r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded')`);
    const lookupSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      lookup.all();
      lookupSamples.push(performance.now() - t);
    }
    // The raw floor: every fee charged, one bare sum (no payments, no settling).
    const bare = raw.prepare(
      'SELECT currency, sum(fee_minor) FROM reminders WHERE fee_minor > 0 AND deleted_at IS NULL GROUP BY currency',
    );
    const rawSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      bare.all();
      rawSamples.push(performance.now() - t);
    }
    return {
      remindersWithFee: level2 + level3,
      feePayments,
      openFeesMinor: feesMinor,
      dashboardWholeBookMs: stats(whole),
      openFeeChargesMs: stats(service),
      openFeesByDayMs: stats(byDay),
      lookupPerReminderMs: stats(lookupSamples),
      rawFeeSumMs: stats(rawSamples),
    };
  } finally {
    raw.exec('ROLLBACK');
  }
}
