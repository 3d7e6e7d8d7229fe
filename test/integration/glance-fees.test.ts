// Open reminder fees are read from rows kept by triggers (db/glance-fees.ts, migration 0027), not
// by looking up every reminder's payments: whatever writes — reminders charged, raised, lowered
// or tombstoned, fee payments booked (money is append-only: never moved or removed), the hub's fee give-backs, legacy fee
// deposits, an invoice cancelled, rows applied by sync with the insert triggers set
// aside — the kept rows and openFeeCharges must equal an independent computation in this test
// from the rule's JS form (#common/reminder-fee-paid), in the same transaction. The triggers
// must also be the ones db/glance-fees.ts writes (a drizzle-kit rebuild of a watched table drops them).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FEE_OVERPAID_NOTE,
  FEE_OUTCOME,
  givesFeesBack,
  LEGACY_FEE_DEPOSIT,
  paysFees,
} from '#common/reminder-fee-paid';
import { openFeeCharges, openFeesByDay, openFeesOf } from '#core/services/billing/reminder-fees';
import { insertedRow, WATCHED_TABLES, withoutInsertTriggers } from '#db/derived-inserts';
import { FEE_TRIGGERS_SQL, refeeEverythingSql } from '#db/glance-fees';
import type { RawDb } from '#db/open';
import { createPayer, issueInvoice, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-glance-fees-');
let k: TestKontor;
const invoices: { id: string; org: string; issuer: string; currency: string }[] = [];

type Row = Record<string, unknown>;
interface Charge {
  reminderId: string;
  invoiceId: string;
  level: number;
  payBy: string;
  currency: string;
  feeMinor: number;
  openMinor: number;
}

/** The rule, computed here from the rows: fees paid spread over live fees, oldest level first. */
function expected(raw: RawDb): Charge[] {
  const all = (sql: string) => raw.prepare(sql).all() as Row[];
  const status = new Map(all('SELECT id, status FROM invoices').map((r) => [r.id, r.status]));
  const paid = new Map<unknown, number>();
  for (const p of all('SELECT * FROM payments'))
    if (paysFees(p)) paid.set(p.invoice_id, (paid.get(p.invoice_id) ?? 0) + (p.amount_minor as number));
  for (const e of all('SELECT * FROM ledger_entries'))
    if (givesFeesBack(e)) paid.set(e.invoice_id, (paid.get(e.invoice_id) ?? 0) - (e.amount_minor as number));
  const live = all('SELECT * FROM reminders')
    .filter(
      (r) =>
        r.deleted_at === null &&
        (r.fee_minor as number) > 0 &&
        !['cancelled', 'refunded'].includes(status.get(r.invoice_id) as string),
    )
    .sort((a, b) =>
      a.invoice_id === b.invoice_id
        ? (a.level as number) - (b.level as number)
        : String(a.invoice_id) < String(b.invoice_id)
          ? -1
          : 1,
    );
  const left = new Map<unknown, number>();
  return live.map((r) => {
    const fee = r.fee_minor as number;
    const have = left.get(r.invoice_id) ?? paid.get(r.invoice_id) ?? 0;
    const taken = Math.min(have, fee);
    left.set(r.invoice_id, have - taken);
    return {
      reminderId: r.id as string,
      invoiceId: r.invoice_id as string,
      level: r.level as number,
      payBy: r.pay_by as string,
      currency: r.currency as string,
      feeMinor: fee,
      openMinor: fee - taken,
    };
  });
}

function expectKeptEqualsRule(raw: RawDb, label: string): void {
  const want = expected(raw);
  const kept = raw
    .prepare(
      `SELECT reminder_id AS reminderId, invoice_id AS invoiceId, level, pay_by AS payBy, currency,
         fee_minor AS feeMinor, open_minor AS openMinor FROM glance_fees ORDER BY invoice_id, level`,
    )
    .all();
  expect(kept, `${label}: kept rows`).toEqual(want);
  const ctx = k.kontor.ctx();
  expect(openFeeCharges(ctx, null), `${label}: openFeeCharges`).toEqual(want.filter((c) => c.openMinor > 0));
  const org = invoices[0]!.org;
  const ofOrg = want.filter(
    (c) => c.openMinor > 0 && invoices.find((i) => i.id === c.invoiceId)?.org === org,
  );
  expect(openFeeCharges(ctx, org), `${label}: of one payer`).toEqual(ofOrg);
  const total = (xs: { openMinor: number }[]) => xs.reduce((s, x) => s + x.openMinor, 0);
  expect(total(openFeesByDay(ctx, null)), `${label}: by day`).toBe(
    total(want.filter((c) => c.openMinor > 0)),
  );
  for (const inv of invoices)
    expect(openFeesOf(ctx, inv.id), `${label}: open of one`).toBe(
      total(want.filter((c) => c.invoiceId === inv.id)),
    );
}

type Op =
  | { op: 'remind'; at: number; level: number; fee: number; synced: boolean }
  | { op: 'tombstone'; at: number; level: number }
  | { op: 'pay'; at: number; amount: number; legacy: boolean; synced: boolean }
  | { op: 'giveBack'; at: number; amount: number; synced: boolean }
  | { op: 'cancel'; at: number };

const at = fc.nat(3);
const level = fc.integer({ min: 1, max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('remind' as const),
    at,
    level,
    fee: fc.constantFrom(0, 500, 2_000, 3_000),
    synced: fc.boolean(),
  }),
  fc.record({ op: fc.constant('tombstone' as const), at, level }),
  fc.record({
    op: fc.constant('pay' as const),
    at,
    amount: fc.integer({ min: 1, max: 6_000 }),
    legacy: fc.boolean(),
    synced: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('giveBack' as const),
    at,
    amount: fc.integer({ min: 1, max: 3_000 }),
    synced: fc.boolean(),
  }),
  fc.record({ op: fc.constant('cancel' as const), at }),
);

let serial = 0;
/** An insert as sync applies a snapshot slice: the insert triggers set aside, the row accounting for itself. */
function insert(raw: RawDb, table: string, sql: string, values: Row, synced: boolean): void {
  if (!synced) {
    raw.prepare(sql).run(values);
    return;
  }
  withoutInsertTriggers(raw, WATCHED_TABLES, () => {
    raw.prepare(sql).run(values);
    insertedRow(raw, table, values.id as string, values.org);
  });
}

function apply(raw: RawDb, o: Op): void {
  const now = '2026-03-01T00:00:00.000Z';
  const inv = 'at' in o ? invoices[o.at % invoices.length]! : invoices[0]!;
  const base = { now, inv: inv.id, org: inv.org, currency: inv.currency };
  if (o.op === 'remind')
    insert(
      raw,
      'reminders',
      `INSERT INTO reminders (id, created_at, updated_at, organization_id, issuer_organization_id, invoice_id,
         level, final, reminded_on, pay_by, due_minor, fee_minor, fees_minor, currency)
       VALUES (@id, @now, @now, @org, @issuer, @inv, @level, 0, '2026-03-01', @payBy, 100, @fee, @fee, @currency)
       ON CONFLICT (id) DO UPDATE SET fee_minor = excluded.fee_minor, deleted_at = NULL, pay_by = excluded.pay_by`,
      {
        ...base,
        id: `rm:${inv.id}:${o.level}`,
        issuer: inv.issuer,
        level: o.level,
        fee: o.fee,
        payBy: `2026-0${o.level + 2}-1${o.fee % 7}`,
      },
      o.synced,
    );
  else if (o.op === 'tombstone')
    raw
      .prepare('UPDATE reminders SET deleted_at = @now WHERE id = @id')
      .run({ now, id: `rm:${inv.id}:${o.level}` });
  else if (o.op === 'pay')
    insert(
      raw,
      'payments',
      `INSERT INTO payments (id, created_at, hlc, organization_id, invoice_id, method, amount_minor, currency,
         received_on, reference, outcome, deposit_reason)
       VALUES (@id, @now, @now, @org, @inv, 'bank_transfer', @amount, @currency, '2026-03-01', NULL, @outcome, @reason)`,
      {
        ...base,
        id: `pay:${++serial}`,
        amount: o.amount,
        outcome: o.legacy ? 'deposited' : FEE_OUTCOME,
        reason: o.legacy ? LEGACY_FEE_DEPOSIT : null,
      },
      o.synced,
    );
  else if (o.op === 'giveBack')
    insert(
      raw,
      'ledger_entries',
      `INSERT INTO ledger_entries (id, created_at, hlc, organization_id, kind, amount_minor, currency, booked_on, invoice_id, note)
       VALUES (@id, @now, @now, @org, 'deposit', @amount, @currency, '2026-03-01', @inv, @note)`,
      { ...base, id: `led:${++serial}`, amount: o.amount, note: FEE_OVERPAID_NOTE },
      o.synced,
    );
  else if (o.op === 'cancel')
    // A status never goes back (a trigger refuses it): cancelled once, for good.
    raw.prepare("UPDATE invoices SET status = 'cancelled' WHERE id = ? AND status = 'unpaid'").run(inv.id);
}

beforeAll(async () => {
  k = space.kontor({ now: '2026-01-05T08:00:00.000Z' });
  const issuer = await setUpProvider(k);
  for (const name of ['Un', 'Deux', 'Trois']) {
    const payer = await createPayer(k, { name: `Frais ${name} SA` });
    const invoice = await issueInvoice(k, payer.id);
    invoices.push({ id: invoice.id, org: payer.id, issuer, currency: invoice.currency });
  }
  // Two invoices of one payer: the per-payer read must keep the other payers out.
  const invoice = await issueInvoice(k, invoices[0]!.org);
  invoices.push({ id: invoice.id, org: invoices[0]!.org, issuer, currency: invoice.currency });
});

describe('open reminder fees kept by triggers', () => {
  it('are the triggers db/glance-fees.ts writes, every one of them', () => {
    const inBook = k.raw
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'glance_fees_%' ORDER BY name",
      )
      .all();
    expect(inBook).toEqual(
      Object.entries(FEE_TRIGGERS_SQL)
        .map(([name, sql]) => ({ name, sql }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  });

  it('equal the rule after any sequence of writes, and after a recomputation from scratch', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const raw = k.raw;
        raw.exec('SAVEPOINT ops');
        try {
          for (const o of ops) apply(raw, o);
          expectKeptEqualsRule(raw, JSON.stringify(ops));
          // What a bulk load's end and the migration do: the same rows, from every reminder.
          const before = raw.prepare('SELECT * FROM glance_fees ORDER BY reminder_id').all();
          for (const sql of refeeEverythingSql()) raw.exec(sql);
          expect(raw.prepare('SELECT * FROM glance_fees ORDER BY reminder_id').all()).toEqual(before);
        } finally {
          raw.exec('ROLLBACK TO ops');
          raw.exec('RELEASE ops');
        }
      }),
      { numRuns: 150 },
    );
  });
});
