import { describe, expect, it } from 'vitest';
import { EVERYONE, VISIBILITY, visibilityOf } from '#common/sync/visibility';
import { SYNC_TABLES } from '#db/sync/tables';

// The visibility rule is one table (common/sync/visibility.ts): it must speak of real tables
// and of scope keys those tables are filed under, or a row would silently be seen by nobody.
describe('the visibility table', () => {
  it('names only synced tables', () => {
    for (const table of Object.keys(VISIBILITY)) expect(SYNC_TABLES.has(table), table).toBe(true);
  });

  it('lets everyone see exactly the global tables', () => {
    for (const t of SYNC_TABLES.values())
      expect(visibilityOf(t.name) === EVERYONE, t.name).toBe(t.role === 'global');
  });

  it('tests only scope keys each table declares', () => {
    for (const t of SYNC_TABLES.values()) {
      const rule = visibilityOf(t.name);
      if (rule === EVERYONE) continue;
      expect(rule.length, t.name).toBeGreaterThan(0);
      for (const grant of rule)
        for (const [key] of grant)
          if (key !== 'rowId') expect(Object.hasOwn(t.keys, key), `${t.name}.${key}`).toBe(true);
    }
  });
});
