// The synced tables are declared once (db/sync/tables.ts); the device's purge, the hub's rules
// and the activity log's tracked tables are derived from that declaration. These checks keep the
// declaration itself sound: a wrong order or a key through a missing foreign key fails here,
// not in a purge or a scope computed on the hub.
import { getTableName } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { trackedTables } from '#core/services/tracked-tables';
import { LWW_TABLES, PURGE_ORDER, SYNC_TABLES } from '#db/sync/tables';
import {
  GLOBAL_TABLES,
  HUB_ONLY_TABLES,
  isGlobalTable,
  MASTER_TABLES,
  MONEY_TABLES,
  rowKeysOf,
  SCOPE_TABLES,
  SYNCED_TABLES,
} from '#server/sync/tables';

describe('the synced tables, declared once', () => {
  it('purge children before the rows they point at', () => {
    expect([...PURGE_ORDER].sort()).toEqual([...SYNC_TABLES.keys()].sort());
    for (const [i, name] of PURGE_ORDER.entries()) {
      for (const parent of SYNC_TABLES.get(name)?.parents ?? []) {
        if (parent.table === name) continue;
        expect(SYNC_TABLES.has(parent.table), `${name} → ${parent.table}`).toBe(true);
        expect(
          PURGE_ORDER.indexOf(parent.table as never),
          `${name} purged before ${parent.table}`,
        ).toBeGreaterThan(i);
      }
    }
  });

  it('give the hub and the activity log the same lists', () => {
    expect(new Set(SYNCED_TABLES)).toEqual(new Set(SYNC_TABLES.keys()));
    expect([...MASTER_TABLES, ...MONEY_TABLES, ...HUB_ONLY_TABLES].sort()).toEqual(
      [...SYNC_TABLES.keys()].sort(),
    );
    expect([...MONEY_TABLES].sort()).toEqual(['ledger_entries', 'payments', 'renewals']);
    expect([...HUB_ONLY_TABLES]).toEqual(['invoice_voids']);
    expect([...GLOBAL_TABLES].sort()).toEqual(['degressive_tiers', 'price_book']);
    expect(isGlobalTable('price_book')).toBe(true);
    expect([...SCOPE_TABLES].sort()).toEqual([
      'memberships',
      'organizations',
      'partnership_products',
      'partnerships',
      'product_tags',
    ]);
    // Every table merged per field is tracked by the write path, under its SQL name.
    expect(trackedTables).toBe(LWW_TABLES);
    for (const [name, table] of Object.entries(trackedTables)) {
      expect(getTableName(table)).toBe(name);
      expect(SYNC_TABLES.get(name)?.kind).toBe('lww');
    }
    expect(Object.keys(trackedTables).length).toBe(MASTER_TABLES.length);
  });

  it('file a row under keys taken from its fields and, through a foreign key, from its parent', async () => {
    const parents: Record<string, Record<string, string>> = {
      'partnerships:ps1': { orgId: 'client', org2Id: 'partner' },
      'invoices:inv1': { orgId: 'payer', org2Id: 'issuer' },
      'products:p1': { orgId: 'owner' },
      'work_teams:t1': { orgId: 'team-org' },
    };
    const parent = async (table: string, id: string) => {
      const k = parents[`${table}:${id}`];
      return k
        ? {
            orgId: null,
            org2Id: null,
            productId: null,
            refId: null,
            status: null,
            access: null,
            live: true,
            ...k,
          }
        : null;
    };
    const keys = (table: string, id: string, f: Record<string, unknown>) => rowKeysOf(table, id, f, parent);
    expect(await keys('organizations', 'o1', {})).toMatchObject({ orgId: 'o1', live: true });
    expect(await keys('partnership_products', 'pp1', { partnership_id: 'ps1', product_id: 'p1' })).toEqual({
      orgId: 'client',
      org2Id: 'partner',
      productId: 'p1',
      refId: 'ps1',
      status: null,
      access: null,
      live: true,
    });
    expect(await keys('payments', 'pay1', { organization_id: 'payer', invoice_id: 'inv1' })).toMatchObject({
      orgId: 'payer',
      org2Id: 'issuer',
      refId: 'inv1',
    });
    expect(
      await keys('product_tags', 'pt1', { product_id: 'p1', tag_id: 'tg1', deleted_at: 'x' }),
    ).toMatchObject({
      orgId: 'owner',
      productId: 'p1',
      refId: 'tg1',
      live: false,
    });
    expect(await keys('work_team_members', 'm1', { team_id: 't1', person_id: 'x' })).toMatchObject({
      orgId: 'team-org',
      productId: null,
      refId: 't1',
    });
    // A foreign key that points at nothing (yet) files the row under nothing, as before.
    expect(await keys('product_tags', 'pt2', { product_id: 'nope', tag_id: 'tg1' })).toMatchObject({
      orgId: null,
    });
    expect(await keys('price_book', 'web:CHF', { product_kind: 'web' })).toMatchObject({ orgId: null });
  });
});
