// Open reminder fees, maintained (migration 0027; read by core/services/billing/reminder-fees.ts
// and the dashboard): one row per live fee charge — a reminder with a fee on an invoice that was
// not cancelled or refunded — with what is still open of it, so the whole-book dashboard sums a
// partial index of the open ones instead of looking up every reminder's payments (~14 µs a
// reminder: ~0.9 s at a million invoices). Kept in the same transaction as every write by
// triggers on reminders, payments, ledger entries and invoices: each recomputes the fee rows of
// the invoice the changed row belongs to (a few rows), so the rule below is the only place the
// settling order lives.
//
// The rule (issue 12, dunning; what counts as a fee paid is #common/reminder-fee-paid):
//   fees paid of an invoice P = Σ fee payments − Σ the hub's fee give-backs
//   a credit pays the invoice first, then its fees, oldest level first: the reminder k (by level)
//   takes min(P − Σ fees before it, its fee), never below nothing — except the first, which takes
//   min(P, its fee) (a negative P — more given back than paid — leaves it more than its fee open,
//   so that the sum over an invoice is always max(0, charged − P)).
//
// Derived data, device-local, never synced (the 'glance_' prefix: LOCAL_DERIVED_TABLE_PREFIXES
// in db/sync/tables.ts). The migration holds a copy of these statements (SQL files cannot
// import); test/integration/glance-fees.test.ts fails when the triggers in a book differ from
// FEE_TRIGGERS_SQL — after a drizzle-kit rebuild of reminders, payments, ledger_entries or
// invoices, re-create them from here. Bulk paths set the insert triggers aside
// (db/derived-inserts.ts) and recompute after (refeeInvoice, refeeEverythingSql).
import { givesFeesBackSql, paysFeesSql } from '#common/reminder-fee-paid';
import type { RawDb } from './open';

/** Fees paid of the invoice `invoice` (an SQL expression). */
const paidOf = (invoice: string) => `(coalesce((SELECT sum(p.amount_minor) FROM payments p
      WHERE p.invoice_id = ${invoice} AND ${paysFeesSql('p')}), 0)
    - coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e
      WHERE e.invoice_id = ${invoice} AND ${givesFeesBackSql('e')}), 0))`;

/** The fee rows of the invoice `invoice` (an SQL expression; NULL: none), removed then written again. */
function refeeSql(invoice: string): string[] {
  return [`DELETE FROM glance_fees WHERE invoice_id = ${invoice}`, insertSql(`r.invoice_id = ${invoice}`)];
}

function insertSql(where: string): string {
  return `INSERT INTO glance_fees (reminder_id, invoice_id, organization_id, currency, level, pay_by, fee_minor, open_minor)
    SELECT id, invoice_id, organization_id, currency, level, pay_by, fee_minor,
      fee_minor - CASE WHEN before = 0 THEN min(paid, fee_minor) ELSE min(max(paid - before, 0), fee_minor) END
    FROM (SELECT r.id, r.invoice_id, r.organization_id, r.currency, r.level, r.pay_by, r.fee_minor,
            coalesce(sum(r.fee_minor) OVER (PARTITION BY r.invoice_id ORDER BY r.level, r.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
            ${paidOf('r.invoice_id')} AS paid
          FROM reminders r JOIN invoices i ON i.id = r.invoice_id
          WHERE ${where} AND r.fee_minor > 0 AND r.deleted_at IS NULL AND i.status NOT IN ('cancelled', 'refunded'))`;
}

/** Recomputes the invoice `old.x` then, when it changed, `new.x`. */
const both = (column: string) => [
  ...refeeSql(`old.${column}`),
  ...refeeSql(`(CASE WHEN new.${column} IS NOT old.${column} THEN new.${column} END)`),
];

const trigger = (name: string, event: string, when: string | null, body: string[]) =>
  `CREATE TRIGGER ${name} ${event}${when ? ` WHEN ${when}` : ''} BEGIN\n  ${body.join(';\n  ')};\nEND`;

const WITHDRAWN = "IN ('cancelled', 'refunded')";

/** Every trigger that keeps glance_fees, by name (the insert ones are set aside by bulk paths). */
export const FEE_TRIGGERS_SQL: Readonly<Record<string, string>> = {
  glance_fees_reminders_ai: trigger(
    'glance_fees_reminders_ai',
    'AFTER INSERT ON reminders',
    'new.fee_minor > 0',
    refeeSql('new.invoice_id'),
  ),
  glance_fees_reminders_au: trigger(
    'glance_fees_reminders_au',
    'AFTER UPDATE OF invoice_id, organization_id, currency, level, pay_by, fee_minor, deleted_at ON reminders',
    'old.fee_minor > 0 OR new.fee_minor > 0',
    both('invoice_id'),
  ),
  glance_fees_reminders_ad: trigger(
    'glance_fees_reminders_ad',
    'AFTER DELETE ON reminders',
    'old.fee_minor > 0',
    refeeSql('old.invoice_id'),
  ),
  glance_fees_payments_ai: trigger(
    'glance_fees_payments_ai',
    'AFTER INSERT ON payments',
    `new.invoice_id IS NOT NULL AND ${paysFeesSql('new')}`,
    refeeSql('new.invoice_id'),
  ),
  glance_fees_payments_au: trigger(
    'glance_fees_payments_au',
    'AFTER UPDATE OF invoice_id, amount_minor, outcome, deposit_reason ON payments',
    `${paysFeesSql('old')} OR ${paysFeesSql('new')}`,
    both('invoice_id'),
  ),
  glance_fees_payments_ad: trigger(
    'glance_fees_payments_ad',
    'AFTER DELETE ON payments',
    paysFeesSql('old'),
    refeeSql('old.invoice_id'),
  ),
  glance_fees_ledger_ai: trigger(
    'glance_fees_ledger_ai',
    'AFTER INSERT ON ledger_entries',
    `new.invoice_id IS NOT NULL AND ${givesFeesBackSql('new')}`,
    refeeSql('new.invoice_id'),
  ),
  glance_fees_ledger_au: trigger(
    'glance_fees_ledger_au',
    'AFTER UPDATE OF invoice_id, amount_minor, kind, note ON ledger_entries',
    `${givesFeesBackSql('old')} OR ${givesFeesBackSql('new')}`,
    both('invoice_id'),
  ),
  glance_fees_ledger_ad: trigger(
    'glance_fees_ledger_ad',
    'AFTER DELETE ON ledger_entries',
    givesFeesBackSql('old'),
    refeeSql('old.invoice_id'),
  ),
  // A credit note that cancels or refunds the invoice withdraws its fees (and one undone gives them back).
  glance_fees_invoices_au: trigger(
    'glance_fees_invoices_au',
    'AFTER UPDATE OF status ON invoices',
    `(old.status ${WITHDRAWN}) IS NOT (new.status ${WITHDRAWN})`,
    refeeSql('new.id'),
  ),
  glance_fees_invoices_ad: trigger('glance_fees_invoices_ad', 'AFTER DELETE ON invoices', null, [
    'DELETE FROM glance_fees WHERE invoice_id = old.id',
  ]),
};

/** Statements that compute glance_fees again from every reminder (a bulk load's end, the migration). */
export function refeeEverythingSql(): string[] {
  return ['DELETE FROM glance_fees', insertSql('1')];
}

const prepared = new WeakMap<RawDb, ((invoiceId: string) => void) | null>();

/** Recomputes one invoice's fee rows (a row inserted while the insert triggers were set aside). */
export function refeeInvoice(raw: RawDb, invoiceId: string): void {
  let run = prepared.get(raw);
  if (run === undefined) {
    const exists = raw
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'glance_fees'")
      .get();
    const statements = exists ? refeeSql('@id').map((s) => raw.prepare(s)) : [];
    run = exists
      ? (id) => {
          for (const s of statements) s.run({ id });
        }
      : null;
    prepared.set(raw, run);
  }
  run?.(invoiceId);
}

/** Of an inserted row, the invoice whose fees it changes: the insert triggers' WHEN, as a query. */
const INSERTED_SQL: Readonly<Record<string, string>> = {
  reminders: 'SELECT invoice_id FROM reminders WHERE id = ? AND fee_minor > 0',
  payments: `SELECT invoice_id FROM payments AS new WHERE id = ? AND ${paysFeesSql('new')}`,
  ledger_entries: `SELECT invoice_id FROM ledger_entries AS new WHERE id = ? AND ${givesFeesBackSql('new')}`,
};

/** What the insert trigger would have done for one row inserted while it was set aside. */
export function refeeInserted(raw: RawDb, table: string, rowId: string): void {
  const sql = INSERTED_SQL[table];
  if (!sql) return;
  const invoiceId = raw.prepare(sql).pluck().get(rowId);
  if (typeof invoiceId === 'string') refeeInvoice(raw, invoiceId);
}
