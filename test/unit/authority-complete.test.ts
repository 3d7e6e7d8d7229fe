// The authority table (common/authority) covers every synced table and every column of the
// store: a table or a column added without saying who may write it fails here, so the hub,
// the device and the renderer never meet a field nobody decided about.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorityMarkdown, README_BEGIN, README_END } from '#common/authority/readme';
import { AUTHORITY, can, invalidValue } from '#common/authority/table';
import { ACTORS } from '#common/authority/actors';
import { LINES_COLUMN, SYNC_TABLES } from '#db/sync/tables';
import { SYNCED_TABLES } from '#server/sync/tables';

describe('the authority table', () => {
  it('has an entry for every synced table and nothing else', () => {
    expect(Object.keys(AUTHORITY).sort()).toEqual([...SYNC_TABLES.keys()].sort());
    expect(Object.keys(AUTHORITY).sort()).toEqual([...SYNCED_TABLES].sort());
  });

  for (const table of SYNC_TABLES.values()) {
    it(`covers every column of ${table.name}`, () => {
      const columns = [...table.columns.keys(), ...(table.name === 'invoices' ? [LINES_COLUMN] : [])].sort();
      expect(Object.keys(AUTHORITY[table.name]!.fields).sort()).toEqual(columns);
      // Keys and owners never move: the row's own id is fixed everywhere.
      expect(can('firm_administrator', table.name, 'update', 'id')).toBe(false);
      // A required column refuses null; an optional one accepts it.
      for (const c of table.columns.values()) {
        if (c.required) expect(invalidValue(table.name, c.sql, null), c.sql).toBe('required');
      }
    });
  }

  it('keeps money, prices and partnership ends out of partners and client members', () => {
    for (const a of ['member', 'partner_limited', 'partner_complete_client_pays'] as const) {
      expect(can(a, 'ledger_entries', 'insert')).toBe(false);
      expect(can(a, 'price_book', 'update', 'public_price_minor')).toBe(false);
      expect(can(a, 'partner_rates', 'update', 'discount_bp')).toBe(false);
      expect(can(a, 'invoices', 'insert')).toBe(false);
    }
    for (const a of ACTORS) {
      expect(can(a, 'partnerships', 'update', 'client_organization_id')).toBe(false);
      expect(can(a, 'invoices', 'update', 'issuer_organization_id')).toBe(false);
      expect(can(a, 'payments', 'tombstone')).toBe(false);
    }
    expect(invalidValue('partner_rates', 'discount_bp', 9000)).not.toBeNull();
    expect(invalidValue('degressive_tiers', 'rate_bp', 10_000)).not.toBeNull();
    expect(invalidValue('organizations', 'name', 'Evil\u202eCorp')).not.toBeNull();
    expect(invalidValue('products', 'public_price_minor', 'abc')).not.toBeNull();
  });
});

describe('the README', () => {
  it('shows the authority table as generated from common/authority', () => {
    const file = path.resolve(import.meta.dirname, '..', '..', 'README.md');
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf(README_BEGIN);
    const end = text.indexOf(README_END);
    const generated = authorityMarkdown();
    if (process.env.KONTOR_WRITE_README === '1') {
      const next =
        start >= 0 && end > start
          ? text.slice(0, start) + generated + text.slice(end + README_END.length)
          : text.replace('\n## Dependencies', `\n## Who may write what\n\n${generated}\n\n## Dependencies`);
      fs.writeFileSync(file, next);
      return;
    }
    expect(
      start,
      'README lacks the generated authority table (KONTOR_WRITE_README=1 writes it)',
    ).toBeGreaterThan(0);
    expect(text.slice(start, end + README_END.length)).toBe(generated);
  });
});
