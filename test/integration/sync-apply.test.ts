// The pure parts of device sync on real SQLite files: the outbox a device builds from its
// change log, and the per-field last-writer-wins apply of another device's changes. The
// changes travel here as the hub would hand them out (hub sequence numbers in order); the
// hub itself is exercised in sync-hub.test.ts.
import { describe, expect, it } from 'vitest';
import { Applier } from '#db/sync/apply';
import { pendingCount, readOutbox } from '#db/sync/outbox';
import type { PulledChange } from '#common/sync/protocol';
import { insertInvoicesBulk } from '#core/services/invoices/bulk';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { seedOrganization } from '../helpers/seed';
import { storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-sync-apply-');

let hubSeq = 0;

/** Everything in `from`'s outbox, acknowledged as applied, handed out as pulled changes. */
function drain(from: TestKontor): PulledChange[] {
  const ctx = from.kontor.ctx();
  const out: PulledChange[] = [];
  for (;;) {
    const batch = readOutbox(ctx.raw, { deviceId: ctx.deviceId, schemaVersion: 8, limit: 500 });
    if (!batch) return out;
    const results = batch.request.changes.map((change) => {
      out.push({ ...change, seq: ++hubSeq });
      return { outcome: 'applied' as const, hubSeq, reason: null };
    });
    new Applier(ctx.raw).acknowledge(
      batch.request.changes,
      batch.seqs,
      results,
      ctx.clock.now().toISOString(),
    );
  }
}

function apply(to: TestKontor, changes: PulledChange[], pageSize = 97) {
  const applier = new Applier(to.raw);
  const stats = { applied: 0, superseded: 0, duplicate: 0, deferred: 0 };
  for (let i = 0; i < changes.length; i += pageSize) {
    const s = applier.applyPage(changes.slice(i, i + pageSize), to.clock.now().toISOString());
    for (const key of Object.keys(stats) as (keyof typeof stats)[]) stats[key] += s[key];
  }
  return stats;
}

describe('outbox and apply', () => {
  it('carries every entity kind from one device to another, whole, and a replay changes nothing', async () => {
    const a = space.kontor();
    const b = space.kontor();
    await seedOrganization(a, { name: 'Hôtel du Lac SA' });
    await setUpProvider(a);
    const payer = await createPayer(a, { name: 'Payeur SA' });
    const issued = await issueInvoice(a, payer.id, [line(12_000), line(3_000, { quantityMilli: 2500 })]);
    await a.ok('invoices.create', { organizationId: payer.id, lines: [line(500)], notes: 'brouillon' });
    await a.ok('ledger.topUp', { organizationId: payer.id, amountMinor: 50_000 });
    await a.ok('ledger.withdraw', { organizationId: payer.id, amountMinor: 20_000 });
    await a.ok('payments.record', {
      invoiceId: issued.id,
      amountMinor: 5_000,
      currency: 'CHF',
      receivedOn: '2026-03-14',
      method: 'bank_transfer',
    });
    const provider = a.raw
      .prepare("SELECT value FROM app_settings WHERE key = 'providerOrganizationId'")
      .pluck()
      .get();
    insertInvoicesBulk(
      a.kontor.ctx(),
      [1, 2, 3].map((n) => ({
        kind: 'invoice' as const,
        status: 'unpaid' as const,
        organizationId: payer.id,
        productsOrganizationId: payer.id,
        issuerOrganizationId: JSON.parse(String(provider)) as string,
        billingAddressId: null,
        currency: 'CHF' as const,
        locale: 'fr' as const,
        issuedOn: `2026-01-0${n}`,
        dueOn: null,
        series: 'IMP',
        sequence: n,
        number: `IMP-${n}`,
        billTo: null,
        issuer: null,
        reverseCharge: false,
        paidMinor: 0,
        referenceType: null,
        paymentReference: null,
        notes: null,
        importRef: `old-${n}`,
        lines: [
          {
            productId: null,
            description: `Import ${n}`,
            quantityMilli: 1000,
            unitPriceMinor: 100 * n,
            discountBp: 0,
            vatRateBp: 810,
          },
        ],
      })),
      { action: 'invoice.imported' },
    );

    const changes = drain(a);
    expect(pendingCount(a.raw)).toBe(0);
    // Whole rows go out keyed by SQL column names, bulk rows expanded with their lines.
    const bulk = changes.find((c) => c.column === '*' && c.table === 'invoices');
    expect(JSON.parse(bulk?.value ?? 'null')).toMatchObject({
      import_ref: 'old-1',
      lines: [{ description: 'Import 1' }],
    });
    const money = changes.find((c) => c.table === 'ledger_entries');
    expect(Object.keys(JSON.parse(money?.value ?? '{}'))).toContain('organization_id');

    const first = apply(b, changes);
    expect(first.deferred).toBe(0);
    expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
    // Applied changes are not pushed back.
    expect(pendingCount(b.raw)).toBe(0);

    const again = apply(b, [...changes].reverse(), 13);
    expect(again.applied).toBe(0);
    expect(storeContent(b.raw)).toEqual(storeContent(a.raw));
  });

  it('merges concurrent edits field by field: the later write wins on both sides', async () => {
    const a = space.kontor();
    const b = space.kontor();
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Alpha',
      country: 'CH',
      currency: 'CHF',
    });
    apply(b, drain(a));
    await a.ok('organizations.update', { id: org.id, name: 'Alpha (A)' });
    b.clock.advance(1_000);
    await b.ok('organizations.update', { id: org.id, name: 'Alpha (B)', renewalReminderDays: 45 });
    a.clock.advance(2_000);
    await a.ok('organizations.update', { id: org.id, renewalReminderDays: 10 });
    const fromA = drain(a);
    const fromB = drain(b);
    apply(a, fromB);
    apply(b, fromA);
    const name = (k: TestKontor) =>
      k.raw.prepare('SELECT name, renewal_reminder_days AS d FROM organizations').get();
    expect(name(a)).toEqual({ name: 'Alpha (B)', d: 10 });
    expect(name(b)).toEqual(name(a));
  });

  it('parks changes of a newer schema, loudly, and keeps everything else', async () => {
    const b = space.kontor();
    const stats = apply(b, [
      {
        seq: 1,
        table: 'future_table',
        rowId: 'x',
        column: 'name',
        value: '"?"',
        hlc: '001773566000000:000000:aa',
      },
      {
        seq: 2,
        table: 'organizations',
        rowId: 'o1',
        column: 'future_column',
        value: '1',
        hlc: '001773566000000:000001:aa',
      },
    ]);
    expect(stats.deferred).toBe(2);
    expect(b.raw.prepare('SELECT reason FROM sync_deferred ORDER BY id').pluck().all()).toEqual([
      'unknown_table',
      'unknown_column',
    ]);
    const status = await b.ok('sync.status', { locale: 'fr' });
    expect(status.deferred).toBe(2);
    expect(status.deferredMessage).toContain('version plus récente');
    // Still unknown to this version after a retry: still kept.
    new Applier(b.raw).retryDeferred(b.clock.now().toISOString());
    expect(b.raw.prepare('SELECT count(*) FROM sync_deferred').pluck().get()).toBe(2);
  });

  // Found by the multi-user sync property: a partner's refused delete of an organization its
  // user created stayed on its device (the creation never logs empty columns, so the restore
  // found no value for deleted_at and left the tombstone).
  it('a refused delete brings the row back', async () => {
    const a = space.kontor();
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Toujours là',
      country: 'CH',
      currency: 'CHF',
    });
    drain(a);
    await a.ok('organizations.delete', { id: org.id });
    const ctx = a.kontor.ctx();
    const batch = readOutbox(a.raw, { deviceId: ctx.deviceId, schemaVersion: 8, limit: 10 });
    if (!batch) throw new Error('empty outbox');
    new Applier(a.raw).acknowledge(
      batch.request.changes,
      batch.seqs,
      batch.request.changes.map(() => ({
        outcome: 'rejected' as const,
        hubSeq: null,
        reason: 'out_of_scope',
        detail: null,
      })),
      ctx.clock.now().toISOString(),
    );
    expect(a.raw.prepare('SELECT deleted_at FROM organizations WHERE id = ?').pluck().get(org.id)).toBeNull();
    expect(pendingCount(a.raw)).toBe(0);
    expect((await a.ok('sync.rejections', {})).map((r) => r.column)).toContain('deleted_at');
  });

  // Found by the multi-user sync property: a limited partner's tag on the client, refused with
  // its assignment, stayed on the device (the tag was restored first and still had its child).
  it('a refused new row goes with its refused children', async () => {
    const a = space.kontor();
    const org = await seedOrganization(a, { name: 'Client Tags', products: 1, tags: 0 });
    drain(a);
    const tag = await a.ok('tags.create', { organizationId: org.organizationId, name: 'Refusé' });
    await a.ok('tags.assign', { tagId: tag.id, productIds: [org.productIds[0]!] });
    const ctx = a.kontor.ctx();
    const batch = readOutbox(a.raw, { deviceId: ctx.deviceId, schemaVersion: 8, limit: 100 });
    if (!batch) throw new Error('empty outbox');
    new Applier(a.raw).acknowledge(
      batch.request.changes,
      batch.seqs,
      batch.request.changes.map(() => ({
        outcome: 'rejected' as const,
        hubSeq: null,
        reason: 'out_of_scope',
        detail: null,
      })),
      ctx.clock.now().toISOString(),
    );
    expect(a.raw.prepare('SELECT count(*) FROM tags WHERE id = ?').pluck().get(tag.id)).toBe(0);
    expect(a.raw.prepare('SELECT count(*) FROM product_tags WHERE tag_id = ?').pluck().get(tag.id)).toBe(0);
    expect(pendingCount(a.raw)).toBe(0);
  });

  it('a refused change leaves the hub’s value in place and waits for the user', async () => {
    const a = space.kontor();
    const org = await a.ok('organizations.create', {
      kind: 'company',
      name: 'Avant',
      country: 'CH',
      currency: 'CHF',
    });
    drain(a);
    await a.ok('organizations.update', { id: org.id, name: 'Après' });
    const ctx = a.kontor.ctx();
    const batch = readOutbox(a.raw, { deviceId: ctx.deviceId, schemaVersion: 8, limit: 10 });
    if (!batch) throw new Error('empty outbox');
    new Applier(a.raw).acknowledge(
      batch.request.changes,
      batch.seqs,
      batch.request.changes.map(() => ({
        outcome: 'rejected' as const,
        hubSeq: null,
        reason: 'conflict',
        detail: null,
      })),
      ctx.clock.now().toISOString(),
    );
    expect(a.raw.prepare('SELECT name FROM organizations').pluck().get()).toBe('Avant');
    expect(pendingCount(a.raw)).toBe(0);
    const [rejection] = await a.ok('sync.rejections', {});
    expect(rejection).toMatchObject({
      table: 'organizations',
      column: 'name',
      value: '"Après"',
      reason: 'conflict',
    });
    await a.ok('sync.resolve', { id: rejection?.id ?? 0, choice: 'keepMine' });
    expect(a.raw.prepare('SELECT name FROM organizations').pluck().get()).toBe('Après');
    expect(pendingCount(a.raw)).toBe(1);
    expect(await a.ok('sync.rejections', {})).toEqual([]);
  });

  it('a revoked device keeps its data and refuses writes with a translated message', async () => {
    const a = space.kontor();
    await a.ok('organizations.create', { kind: 'company', name: 'Gardée', country: 'CH', currency: 'CHF' });
    a.raw.prepare('INSERT INTO sync_state (id, read_only) VALUES (1, 1)').run();
    const error = await a.fails(
      'organizations.create',
      { kind: 'company', name: 'Refusée', country: 'CH', currency: 'CHF' },
      'device_revoked',
      { locale: 'de' },
    );
    expect(error.message).toContain('widerrufen');
    expect(a.raw.prepare('SELECT count(*) FROM organizations').pluck().get()).toBe(1);
  });
  it('a batch never splits one write of one row: the hub judges a row by its whole write', async () => {
    const a = space.kontor();
    await setUpProvider(a);
    const payer = await createPayer(a);
    drain(a);
    await a.ok('invoices.create', { organizationId: payer.id, lines: [line(1_000)] });
    const ctx = a.kontor.ctx();
    for (let limit = 1; limit < 5; limit++) {
      const batch = readOutbox(a.raw, { deviceId: ctx.deviceId, schemaVersion: 8, limit });
      if (!batch) throw new Error('empty outbox');
      const first = batch.request.changes[0]!;
      const rest = a.raw
        .prepare(
          'SELECT count(*) FROM change_log WHERE hub_seq IS NULL AND hlc = ? AND table_name = ? AND row_id = ?',
        )
        .pluck()
        .get(first.hlc, first.table, first.rowId) as number;
      const inBatch = batch.request.changes.filter(
        (c) => c.hlc === first.hlc && c.table === first.table && c.rowId === first.rowId,
      ).length;
      expect(inBatch).toBe(rest);
    }
  });

  it('keeping my refused lines copies them whole: unit, VAT category and exemption reason', async () => {
    // copyAsDraft wrote 12 of a line's 15 columns: an exempt line came back standard-rated
    // with no reason, and an hourly one counted in pieces.
    const a = space.kontor();
    await setUpProvider(a);
    const payer = await createPayer(a);
    const invoice = await a.ok('invoices.create', { organizationId: payer.id, lines: [line(1_000)] });
    const ctx = a.kontor.ctx();
    const settle = (outcome: 'applied' | 'rejected') => {
      const batch = readOutbox(a.raw, { deviceId: ctx.deviceId, schemaVersion: 8, limit: 500 });
      if (!batch) throw new Error('empty outbox');
      new Applier(a.raw).acknowledge(
        batch.request.changes,
        batch.seqs,
        batch.request.changes.map((_, i) =>
          outcome === 'applied'
            ? { outcome, hubSeq: 1_000 + i, reason: null, detail: null }
            : { outcome, hubSeq: null, reason: 'conflict', detail: null },
        ),
        ctx.clock.now().toISOString(),
      );
    };
    settle('applied');
    const exempt = line(2_000, {
      unitCode: 'HUR',
      vatCategory: 'E',
      vatRateBp: 0,
      exemptionReason: 'Art. 21 Abs. 2 MWSTG',
    });
    await a.ok('invoices.updateDraft', { id: invoice.id, lines: [exempt] });
    settle('rejected');
    const rejection = (await a.ok('sync.rejections', {})).find(
      (r) => r.table === 'invoices' && r.column === 'lines',
    );
    if (!rejection) throw new Error('no refused lines');
    const { newId } = await a.ok('sync.resolve', { id: rejection.id, choice: 'keepMine' });
    expect(
      a.raw
        .prepare(
          'SELECT unit_code, vat_category, exemption_reason, unit_price_minor FROM invoice_lines WHERE invoice_id = ?',
        )
        .all(newId),
    ).toEqual([
      {
        unit_code: 'HUR',
        vat_category: 'E',
        exemption_reason: 'Art. 21 Abs. 2 MWSTG',
        unit_price_minor: 2_000,
      },
    ]);
  });
});
