import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminApi,
  enrolledDevice,
  type HubEngine,
  HubHttpError,
  startTestHub,
  TestDevice,
  type TestHub,
} from '../helpers/hub';
import { draftInvoice, issue, ledger, organization, product } from '../helpers/hub-fixtures';

// The hub's contract, run against both stores: the embedded SQLite one and PostgreSQL.

async function refusal(p: Promise<unknown>): Promise<HubHttpError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof HubHttpError) return error;
    throw error;
  }
  throw new Error('expected the hub to refuse');
}

describe.each<HubEngine>(['sqlite', 'postgres'])('hub on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(engine);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('enrolls a device with a one-time code, keeps only the token hash, and revokes it', async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('ana');
    const { code } = await admin.enrollCode('ana');
    const device = new TestDevice(hub.url);
    const enrolled = await device.enroll(code.toLowerCase());
    expect(enrolled.seriesCode).toMatch(/^[0-9A-F]{6}$/);
    expect(enrolled.token.length).toBeGreaterThan(30);

    const again = await refusal(new TestDevice(hub.url).enroll(code));
    expect([again.status, again.body.code]).toEqual([403, 'enroll_code_used']);
    expect((await refusal(new TestDevice(hub.url).enroll('NOPE-NOPE-NOPE'))).body.code).toBe(
      'enroll_code_invalid',
    );

    const stored = await hub.store.read((sql) =>
      sql.all<{ token_hash: string }>('SELECT token_hash FROM hub_devices WHERE id = ?', [device.id]),
    );
    expect(stored[0]!.token_hash).toBe(crypto.createHash('sha256').update(enrolled.token).digest('hex'));
    const anywhere = await hub.store.read((sql) =>
      sql.all('SELECT id FROM hub_devices WHERE token_hash = ? OR name = ? OR scope_json LIKE ?', [
        enrolled.token,
        enrolled.token,
        `%${enrolled.token}%`,
      ]),
    );
    expect(anywhere).toEqual([]);

    await device.push(organization(device, 'org-ana'));
    expect((await device.pull(0)).changes).toEqual([]); // its own changes are not sent back

    const stranger = new TestDevice(hub.url);
    stranger.token = 'not-a-token';
    expect((await refusal(stranger.pull(0))).status).toBe(401);

    await admin.revoke(device.id);
    const revokedPush = await refusal(device.push(organization(device, 'org-ana-2')));
    expect([revokedPush.status, revokedPush.body.code]).toEqual([403, 'device_revoked']);
    expect(revokedPush.body.message).toMatch(/revoked/);
    expect((await refusal(device.pull(0))).body.code).toBe('device_revoked');
  });

  it('answers each change applied, duplicate, superseded or rejected with its reason', async () => {
    const a = await enrolledDevice(hub.url, 'bea');
    const b = await enrolledDevice(hub.url, 'bea');
    const other = await enrolledDevice(hub.url, 'carl');
    const org = organization(a, 'org-bea');
    const first = await a.push(org);
    expect(first.results.every((r) => r.outcome === 'applied' && r.hubSeq! > 0)).toBe(true);

    // The same changes in another batch: duplicates, with the seq they were stored under.
    const dup = await a.push(org);
    expect(dup.results.map((r) => [r.outcome, r.hubSeq])).toEqual(
      first.results.map((r) => ['duplicate', r.hubSeq]),
    );

    // b renames later, then a's older rename arrives: superseded.
    const older = a.hlc();
    const newer = b.hlc(Date.now() + 5);
    expect(
      (
        await b.push([
          { table: 'organizations', rowId: 'org-bea', column: 'name', value: '"Bea SA"', hlc: newer },
        ])
      ).results[0]!.outcome,
    ).toBe('applied');
    expect(
      (
        await a.push([
          { table: 'organizations', rowId: 'org-bea', column: 'name', value: '"Bea old"', hlc: older },
        ])
      ).results[0]!.outcome,
    ).toBe('superseded');

    // Outside the caller's scope.
    const foreign = await other.push([
      { table: 'organizations', rowId: 'org-bea', column: 'name', value: '"Mine"', hlc: other.hlc() },
    ]);
    expect(foreign.results[0]).toMatchObject({ outcome: 'rejected', reason: 'out_of_scope' });
    const foreignProduct = await other.push(product(other, 'p-foreign', 'org-bea'));
    expect(foreignProduct.results.every((r) => r.reason === 'out_of_scope')).toBe(true);

    // Issued invoices are immutable; the number's series must be the device's own.
    await a.push(draftInvoice(a, 'inv-1', 'org-bea', 'org-bea'));
    const foreignSeries = await a.push(issue(a, 'inv-1', 'ABCDEF', 1));
    expect(foreignSeries.results.every((r) => r.reason === 'invoice_series_foreign')).toBe(true);
    const issued = await a.push(issue(a, 'inv-1', a.seriesCode, 1));
    expect(issued.results.every((r) => r.outcome === 'applied')).toBe(true);
    const edit = await b.push([
      { table: 'invoices', rowId: 'inv-1', column: 'notes', value: '"changed"', hlc: b.hlc(Date.now() + 10) },
    ]);
    expect(edit.results[0]).toMatchObject({ outcome: 'rejected', reason: 'invoice_issued_immutable' });
    const back = await b.push([
      { table: 'invoices', rowId: 'inv-1', column: 'status', value: '"draft"', hlc: b.hlc(Date.now() + 20) },
    ]);
    expect(back.results[0]).toMatchObject({ outcome: 'rejected', reason: 'invoice_status_backwards' });

    // The prepaid ledger never goes below zero.
    const money = await a.push([
      ledger(a, 'le-1', 'org-bea', 5000),
      ledger(a, 'le-2', 'org-bea', -3000),
      ledger(a, 'le-3', 'org-bea', -2500),
    ]);
    expect(money.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'rejected']);
    expect(money.results[2]).toMatchObject({
      reason: 'ledger_below_zero',
      detail: { balanceMinor: 2000, amountMinor: -2500 },
    });
    const rewrite = await b.push([{ ...ledger(b, 'le-1', 'org-bea', 9000) }]);
    expect(rewrite.results[0]).toMatchObject({ outcome: 'rejected', reason: 'money_append_only' });
  });

  it('refuses a whole batch from a clock 10 minutes ahead, or from a newer schema, applying nothing', async () => {
    const d = await enrolledDevice(hub.url, 'dora');
    const head = async () => (await fetch(`${hub.url}/healthz`).then((r) => r.json())).seq as number;
    const before = await head();
    const ahead = [
      ...organization(d, 'org-dora-1'),
      ...organization(d, 'org-dora-2', 'x', d.hlc(Date.now() + 10 * 60_000)),
    ];
    const clock = await refusal(d.push(ahead));
    expect([clock.status, clock.body.code]).toEqual([409, 'clock_ahead']);
    expect(clock.body.params.aheadMs as number).toBeGreaterThan(9 * 60_000);
    expect(Math.abs(clock.body.hubTime! - Date.now())).toBeLessThan(60_000);
    const schema = await refusal(d.push(organization(d, 'org-dora-3'), crypto.randomUUID(), 10_000));
    expect([schema.status, schema.body.code]).toEqual([409, 'schema_newer']);
    expect(await head()).toBe(before);
  });

  it('answers a replayed batch from its first answer and changes nothing', async () => {
    const d = await enrolledDevice(hub.url, 'emil');
    const batch = crypto.randomUUID();
    const changes = [...organization(d, 'org-emil'), ...product(d, 'p-emil', 'org-emil')];
    const first = await d.push(changes, batch);
    const seq = (await fetch(`${hub.url}/healthz`).then((r) => r.json())).seq;
    const replay = await d.push(changes, batch);
    expect(replay).toEqual(first);
    expect((await fetch(`${hub.url}/healthz`).then((r) => r.json())).seq).toBe(seq);
  });

  it('reports health and Prometheus metrics, with rejections counted by reason', async () => {
    const d = await enrolledDevice(hub.url, 'metrics');
    await d.push(organization(d, 'org-metrics'));
    expect((await d.push([ledger(d, 'le-m', 'org-metrics', -1)])).results[0]!.reason).toBe(
      'ledger_below_zero',
    );
    const health = await fetch(`${hub.url}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ ok: true, engine });
    const metrics = await fetch(`${hub.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /kontor_hub_changes_total\{outcome="rejected",reason="ledger_below_zero"\} [1-9]/,
    );
    expect(metrics).toMatch(/kontor_hub_requests_total\{route="\/v1\/sync\/push",status="200"\} \d+/);
    expect(metrics).toMatch(/kontor_hub_push_seconds_count [1-9]/);
    const noAdmin = await fetch(`${hub.url}/v1/admin/users`);
    expect([noAdmin.status, (await noAdmin.json()).code]).toEqual([401, 'unauthorized']);
  });
});
