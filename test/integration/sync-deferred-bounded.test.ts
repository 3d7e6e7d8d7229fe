// Rows that cannot complete cannot hurt the device (issue 10): what waits in sync_deferred is
// found by its index, retried in turns within a budget per page (every waiting row gets its
// turn, whatever waits before it), and bounded in number — a hub that sends more fails the
// page whole, with a translated error, instead of growing the store without bound.
import { describe, expect, it } from 'vitest';
import type { PulledChange } from '#common/sync/protocol';
import { Applier } from '#db/sync/apply';
import { RowStore } from '#db/sync/apply-rows';
import { MAX_PARKED } from '#db/sync/parked-rows';
import { count, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-deferred-bounded-');
const NOW = '2026-03-15T09:30:00.000Z';

let seq = 0;
let wall = Date.parse(NOW);
/** A product as the hub sends it, every required column, under an organization that may not be here. */
function product(id: string, organizationId: string): PulledChange[] {
  const hlc = `${String(++wall).padStart(15, '0')}:000000:hub-device`;
  const columns: Record<string, unknown> = {
    created_at: NOW,
    organization_id: organizationId,
    kind: 'web_hosting',
    name: id,
    billing_frequency: 'monthly',
    public_price_minor: 1500,
    currency: 'CHF',
    next_renewal_on: '2026-04-01',
  };
  return Object.entries(columns).map(([column, value]) => ({
    seq: ++seq,
    hlc,
    table: 'products',
    rowId: id,
    column,
    value: JSON.stringify(value),
  }));
}

function organization(id: string): PulledChange[] {
  const hlc = `${String(++wall).padStart(15, '0')}:000000:hub-device`;
  const columns: Record<string, unknown> = {
    created_at: NOW,
    kind: 'company',
    name: id,
    country: 'CH',
    currency: 'CHF',
    color: '#336699',
  };
  return Object.entries(columns).map(([column, value]) => ({
    seq: ++seq,
    hlc,
    table: 'organizations',
    rowId: id,
    column,
    value: JSON.stringify(value),
  }));
}

const waiting = (raw: Parameters<typeof count>[0]) =>
  raw.prepare("SELECT count(*) FROM sync_deferred WHERE reason = 'pending_row'").pluck().get() as number;

describe('rows waiting on the device', () => {
  it('go in when the rest arrives, and are looked up by the index, not a scan', () => {
    const k = space.kontor();
    const applier = new Applier(k.raw);
    applier.applyPage(Array.from({ length: 50 }, (_, i) => product(`orphan-${i}`, 'org-late')).flat(), NOW);
    expect(waiting(k.raw)).toBe(50);
    expect(count(k.raw, 'products')).toBe(0);
    const plan = k.raw
      .prepare(
        "EXPLAIN QUERY PLAN SELECT 1 FROM sync_deferred WHERE reason = 'pending_row' AND table_name = 'products' AND row_id = 'x'",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('sync_deferred_reason_row_idx');
    applier.applyPage(organization('org-late'), NOW);
    expect(waiting(k.raw)).toBe(0);
    expect(count(k.raw, 'products')).toBe(50);
  });

  it('are retried in turns: a row behind many that never complete still goes in', () => {
    const k = space.kontor();
    new Applier(k.raw).applyPage(
      [
        ...organization('org-here'),
        ...Array.from({ length: 40 }, (_, i) => product(`never-${i}`, 'org-never')).flat(),
      ],
      NOW,
    );
    // The last waiting row can go in (its organization is here), behind 40 that never can.
    k.raw
      .prepare(
        "INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at) VALUES (0, '', 'products', 'late', '', NULL, 'pending_row', ?)",
      )
      .run(NOW);
    for (const c of product('late', 'org-here'))
      k.raw
        .prepare(
          'INSERT INTO change_log (hlc, device_id, table_name, row_id, column_name, value, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(c.hlc, 'hub-device', c.table, c.rowId, c.column, c.value, c.seq);
    const rows = new RowStore(k.raw);
    // No time at all per page: one row is tried per page, continuing where the last stopped.
    let pages = 0;
    while (count(k.raw, 'products') === 0 && pages < 100) {
      rows.settlePending(NOW, 0);
      pages++;
    }
    expect(count(k.raw, 'products')).toBe(1);
    expect(pages).toBeLessThanOrEqual(41);
    expect(pages).toBeGreaterThan(1);
    expect(waiting(k.raw)).toBe(40);
  });

  it(`are at most ${MAX_PARKED}: one more fails the page whole, translated, and changes nothing`, async () => {
    const k = space.kontor();
    k.raw
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
         SELECT 0, '', 'products', 'parked-' || i, '', NULL, 'pending_row', ? FROM n`,
      )
      .run(MAX_PARKED, NOW);
    const log = count(k.raw, 'change_log');
    const error = (() => {
      try {
        new Applier(k.raw).applyPage(product('one-more', 'org-nowhere'), NOW);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toMatchObject({ code: 'sync_deferred_full' });
    expect(count(k.raw, 'change_log')).toBe(log);
    expect(count(k.raw, 'sync_deferred')).toBe(MAX_PARKED);
    const { translateError } = await import('#common/i18n/errors');
    for (const locale of ['en', 'fr', 'de'] as const) {
      const message = translateError('sync_deferred_full', { limit: MAX_PARKED }, locale);
      expect(message).toContain(String(MAX_PARKED));
      expect(message).not.toContain('{{');
    }
  });
});
