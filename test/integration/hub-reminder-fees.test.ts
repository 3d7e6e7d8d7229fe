// A reminder fee paid (a payment of outcome 'fee') is the firm's income, so the hub bounds it by
// what the invoice's reminders charged (server/HUB.md "Reminders", issue 12 review): before,
// a device of the firm could push fee payments on any invoice, for any amount, and invent
// income. Refused and byte-identical: a fee on an invoice whose reminders charged nothing, a
// fee above every fee charged, a fee on another payer's invoice or in another currency. Two
// devices that each pay the whole open fee (two bank credits) are both applied — money is
// never lost — and the hub deposits the second to the payer's prepaid account, once, as it does
// for an invoice paid twice. On the embedded store and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderId } from '#common/reminder-key';
import type { WireChange } from '#common/sync/protocol';
import { type Book, buildBook, hubDigest, ORGS } from '../helpers/hostile';
import { type HubEngine, type TestDevice, startTestHub, type TestHub } from '../helpers/hub';

const INVOICE = 'inv-c1';

function feePayment(device: TestDevice, id: string, amount: number, extra: Record<string, unknown> = {}) {
  return device.money('payments', id, {
    created_at: '2026-03-01T10:00:00.000Z',
    organization_id: ORGS.c1,
    invoice_id: INVOICE,
    method: 'bank_transfer',
    amount_minor: amount,
    currency: 'CHF',
    received_on: '2026-03-01',
    reference: `bank-${id}`,
    outcome: 'fee',
    deposit_reason: null,
    ...extra,
  });
}

function reminder(device: TestDevice, level: number, fee: number): WireChange[] {
  return device.row('reminders', reminderId(INVOICE, level), {
    created_at: '2026-02-20T10:00:00.000Z',
    updated_at: '2026-02-20T10:00:00.000Z',
    deleted_at: null,
    organization_id: ORGS.c1,
    issuer_organization_id: ORGS.firm,
    invoice_id: INVOICE,
    level,
    final: false,
    reminded_on: '2026-02-20',
    pay_by: '2026-03-02',
    due_minor: 10_810,
    fee_minor: fee,
    fees_minor: fee,
    currency: 'CHF',
  });
}

describe.each<HubEngine>(['sqlite', 'postgres'])('reminder fees paid, judged by the hub on %s', (engine) => {
  let hub: TestHub;
  let book: Book;
  beforeAll(async () => {
    hub = await startTestHub(engine);
    book = await buildBook(hub.url);
  }, 120_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function refused(device: TestDevice, change: WireChange, reason: string) {
    const before = await hubDigest(hub.store);
    const r = await device.push([change]);
    expect(r.results[0], JSON.stringify(r.results[0])).toMatchObject({ outcome: 'rejected', reason });
    expect(await hubDigest(hub.store)).toBe(before);
  }

  const feeDeposits = () =>
    hub.store.read((sql) =>
      sql.all<{ value: string }>(
        "SELECT f.value FROM hub_rows r JOIN hub_fields f ON f.table_name = r.table_name AND f.row_id = r.row_id AND f.column_name = '*' WHERE r.table_name = 'ledger_entries' AND r.ref_id = ?",
        [INVOICE],
      ),
    );

  it('refuses a fee on an invoice whose reminders charged none, and one beyond every fee charged', async () => {
    // No reminder yet: nothing was charged, so nothing can be paid as a fee.
    await refused(book.firm, feePayment(book.firm, 'fee-none', 500), 'reminder_fee_over_charged');
    // A first reminder with no fee still charges nothing.
    const free = await book.firm.push(reminder(book.firm, 1, 0));
    expect(free.results.every((x) => x.outcome === 'applied')).toBe(true);
    await refused(book.firm, feePayment(book.firm, 'fee-free', 1), 'reminder_fee_over_charged');
    // A second reminder charges 20.00: 20.01 is more than was ever charged.
    const charged = await book.firm.push(reminder(book.firm, 2, 2_000));
    expect(charged.results.every((x) => x.outcome === 'applied')).toBe(true);
    await refused(book.firm, feePayment(book.firm, 'fee-over', 2_001), 'reminder_fee_over_charged');
    // The firm's other device, the same bound.
    const fc = book.devices.firmAccountant;
    await refused(fc, feePayment(fc, 'fee-over-2', 2_500), 'reminder_fee_over_charged');
  });

  it('refuses a fee on another payer’s invoice, in another currency, on a draft or on no invoice', async () => {
    const f = book.firm;
    await refused(
      f,
      feePayment(f, 'fee-payer', 1_000, { organization_id: ORGS.c2 }),
      'reminder_fee_mismatch',
    );
    await refused(f, feePayment(f, 'fee-eur', 1_000, { currency: 'EUR' }), 'reminder_fee_mismatch');
    await refused(
      f,
      feePayment(f, 'fee-draft', 1_000, { invoice_id: book.invoices.draftC1 }),
      'reminder_fee_mismatch',
    );
    await refused(f, feePayment(f, 'fee-nothing', 1_000, { invoice_id: null }), 'reminder_fee_mismatch');
    await refused(f, feePayment(f, 'fee-ghost', 1_000, { invoice_id: 'inv-ghost' }), 'reminder_fee_mismatch');
  });

  it('two devices each pay the whole fee: both applied, the second deposited to the payer once', async () => {
    const a = book.firm;
    const b = book.devices.firmAccountant;
    // Exactly what is open: applied, no deposit.
    const first = await a.push([feePayment(a, 'fee-a', 2_000)]);
    expect(first.results[0]).toMatchObject({ outcome: 'applied' });
    expect(await feeDeposits()).toEqual([]);
    const balanceBefore = await hub.store.read((sql) =>
      sql.all<{ balance_minor: number }>(
        "SELECT balance_minor FROM hub_balances WHERE organization_id = ? AND currency = 'CHF'",
        [ORGS.c1],
      ),
    );
    // The other device booked the same fee from a second bank credit, offline: within what
    // was charged, beyond what is open. Applied (the money is real), and the hub gives the
    // payer back what exceeds every fee charged.
    const fromB = feePayment(b, 'fee-b', 2_000);
    const second = await b.push([fromB]);
    expect(second.results[0]).toMatchObject({ outcome: 'applied' });
    const deposits = (await feeDeposits()).map((r) => JSON.parse(r.value) as Record<string, unknown>);
    expect(deposits).toHaveLength(1);
    expect(deposits[0]).toMatchObject({
      organization_id: ORGS.c1,
      kind: 'deposit',
      amount_minor: 2_000,
      currency: 'CHF',
      invoice_id: INVOICE,
      note: 'fee_overpaid_at_sync',
    });
    const balanceAfter = await hub.store.read((sql) =>
      sql.all<{ balance_minor: number }>(
        "SELECT balance_minor FROM hub_balances WHERE organization_id = ? AND currency = 'CHF'",
        [ORGS.c1],
      ),
    );
    expect(Number(balanceAfter[0]?.balance_minor)).toBe(Number(balanceBefore[0]?.balance_minor ?? 0) + 2_000);
    // The same payment pushed again (a lost answer) books nothing more.
    const again = await b.push([fromB]);
    expect(again.results[0]?.outcome).toBe('duplicate');
    expect(await feeDeposits()).toHaveLength(1);
  });

  it('gives back a paid fee its reminder no longer charges: lowered, then deleted', async () => {
    // Paid so far 40.00 (both devices), charged 20.00, given back 20.00. Before, a fee lowered
    // or a reminder deleted after payment (a device whose level fees were changed, merged
    // last-writer-wins) left the customer's fee money with the firm, given back never.
    const balance = async () =>
      Number(
        (
          await hub.store.read((sql) =>
            sql.all<{ balance_minor: number }>(
              "SELECT balance_minor FROM hub_balances WHERE organization_id = ? AND currency = 'CHF'",
              [ORGS.c1],
            ),
          )
        )[0]?.balance_minor ?? 0,
      );
    const amounts = async () =>
      (await feeDeposits()).map((r) => (JSON.parse(r.value) as { amount_minor: number }).amount_minor).sort((x, y) => x - y);
    const before = await balance();
    const lowered = await book.firm.push(reminder(book.firm, 2, 1_500));
    expect(lowered.results.every((x) => x.outcome === 'applied')).toBe(true);
    expect(await amounts()).toEqual([500, 2_000]);
    expect(await balance()).toBe(before + 500);
    const deleted = await book.firm.push([
      {
        table: 'reminders',
        rowId: reminderId(INVOICE, 2),
        column: 'deleted_at',
        value: '"2026-03-05T10:00:00.000Z"',
        hlc: book.firm.hlc(),
      },
    ]);
    expect(deleted.results[0]?.outcome).toBe('applied');
    expect(await amounts()).toEqual([500, 1_500, 2_000]);
    expect(await balance()).toBe(before + 2_000);
    // Another reminder change that leaves nothing more uncharged gives nothing more.
    await book.firm.push(reminder(book.firm, 1, 0));
    expect(await amounts()).toEqual([500, 1_500, 2_000]);
  });
});
