import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WireChange } from '#common/sync/protocol';
import { formatHlc } from '#db/sync/hlc';
import { applyPush, type PushingDevice } from '#server/sync/push';
import { enrolledDevice, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { ledger, organization, product } from '../helpers/hub-fixtures';

// Two pushes creating one new row at once on PostgreSQL (no global lock). Row ids are UUIDs
// except where two devices must write one fact once (a payment from one statement line, a
// cashback entry, a billed period's claim): those ids are deterministic, and two devices
// billing or importing the same statement push them at the same moment. An absent row has
// nothing to lock, so each push judged it new; the one committing last upserted over the
// other: its fields replaced the first's whatever their stamps, and the same money fact was
// logged twice. Each test holds the first push's transaction open until the second committed.

let hub: TestHub;
let firm: { ana: TestDevice; bea: TestDevice };
beforeAll(async () => {
  hub = await startTestHub('postgres');
  firm = { ana: await enrolledDevice(hub.url, 'firm'), bea: await enrolledDevice(hub.url, 'firm') };
  await firm.ana.push(organization(firm.ana, 'org-a'));
});
afterAll(async () => {
  await hub?.cleanup();
});

async function pushing(d: TestDevice): Promise<PushingDevice> {
  const [row] = await hub.store.read((sql) =>
    sql.all<{ id: string; user_id: string; series_code: string }>(
      'SELECT id, user_id, series_code FROM hub_devices WHERE id = ?',
      [d.id],
    ),
  );
  return { id: row!.id, userId: row!.user_id, seriesCode: row!.series_code };
}

/** `first` applies, holds its transaction until `second` has committed, then commits. */
async function race(first: [TestDevice, WireChange[]], second: [TestDevice, WireChange[]]) {
  const apply = async ([d, changes]: [TestDevice, WireChange[]], hold?: () => Promise<void>) => {
    const device = await pushing(d);
    return hub.store.push(async (sql, positions) => {
      const { response } = await applyPush(
        sql,
        hub.store.forUpdate,
        positions,
        device,
        { deviceId: d.id, batchId: crypto.randomUUID(), schemaVersion: 1, changes },
        Date.now(),
      );
      await hold?.();
      return response.results.map((r) => r.outcome);
    });
  };
  let secondDone!: () => void;
  const secondCommitted = new Promise<void>((resolve) => {
    secondDone = resolve;
  });
  let firstApplied!: () => void;
  const firstHolding = new Promise<void>((resolve) => {
    firstApplied = resolve;
  });
  const firstPush = apply(first, async () => {
    firstApplied();
    await secondCommitted;
  });
  await firstHolding;
  const secondOutcomes = await apply(second);
  secondDone();
  return { first: await firstPush, second: secondOutcomes };
}

const fields = (table: string, rowId: string) =>
  hub.store.read((sql) =>
    sql.all<{ column_name: string; value: string; hlc: string }>(
      'SELECT column_name, value, hlc FROM hub_fields WHERE table_name = ? AND row_id = ? ORDER BY column_name',
      [table, rowId],
    ),
  );

it('keeps the newer write of each field when two devices create one row at once', async () => {
  const { ana, bea } = firm;
  const newer = product(bea, 'p-same', 'org-a').map((c) => (c.column === 'name' ? { ...c, value: '"newer"' } : c));
  const early = formatHlc({ wallMs: Date.parse('2026-01-01T00:00:00Z'), counter: 0, deviceId: ana.id });
  const older = product(ana, 'p-same', 'org-a', early).map((c) =>
    c.column === 'name' ? { ...c, value: '"older"' } : c,
  );
  // The older creation holds its transaction; the newer one commits meanwhile.
  const outcomes = await race([ana, older], [bea, newer]);
  expect(outcomes.second.every((o) => o === 'applied')).toBe(true);
  expect(outcomes.first.every((o) => o === 'superseded')).toBe(true);
  const name = (await fields('products', 'p-same')).find((f) => f.column_name === 'name');
  expect(name).toEqual({ column_name: 'name', value: '"newer"', hlc: newer[0]!.hlc });
  const [row] = await hub.store.read((sql) =>
    sql.all<{ name: string }>(
      "SELECT fields_json::jsonb ->> 'name' AS name FROM hub_rows WHERE table_name = 'products' AND row_id = 'p-same'",
    ),
  );
  // The row's JSON state (what snapshots serve) holds the same [value, stamp] as its field.
  expect(JSON.parse(row!.name)).toEqual(['"newer"', newer[0]!.hlc]);
});

it('records one money fact once when two devices push it at once', async () => {
  const { ana, bea } = firm;
  const fact = (d: TestDevice) => ledger(d, 'cashback-2026-01-org-a', 'org-a', 5000);
  const outcomes = await race([ana, [fact(ana)]], [bea, [fact(bea)]]);
  expect(outcomes.second).toEqual(['applied']);
  expect(outcomes.first).toEqual(['duplicate']);
  const logged = await hub.store.read((sql) =>
    sql.all<{ n: number }>(
      "SELECT count(*) AS n FROM hub_log WHERE table_name = 'ledger_entries' AND row_id = 'cashback-2026-01-org-a'",
    ),
  );
  expect(Number(logged[0]!.n)).toBe(1);
  const [balance] = await hub.store.read((sql) =>
    sql.all<{ balance_minor: number }>(
      "SELECT balance_minor FROM hub_balances WHERE organization_id = 'org-a' AND currency = 'CHF'",
    ),
  );
  expect(Number(balance!.balance_minor)).toBe(5000);
});

