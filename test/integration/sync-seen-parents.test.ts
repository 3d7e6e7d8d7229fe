// A snapshot slice asks once whether the row its rows point at is there (an organization for a
// million products) and keeps the answer for the rest of the slice (db/sync/seen-parents.ts).
// A kept "it is there" that is no longer true inserts a row whose parent is gone: the slice's
// deferred foreign-key check then fails its commit, or the row sits in the book without its
// organization. So each way the parent can go is played here: deleted between two slices (as
// the scope purge does), gone with a slice rolled back whole, and deleted inside the slice —
// the row pointing at it must then wait (pending), never go in.
import { describe, expect, it } from 'vitest';
import type { RawDb } from '#db/open';
import { Applier } from '#db/sync/apply';
import { SYNC_TABLES, type SyncTable } from '#db/sync/tables';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { companyWithDomains } from '../helpers/seed';
import { snapshotRowsOf } from '../helpers/sync';

const space = useTempSpace('kontor-seen-parents-');

/** An organization and three of its products as snapshot lines, from a book that wrote them. */
async function snapshotOf(
  hub: TestKontor,
): Promise<{ org: string; products: string[]; lines: Map<string, string> }> {
  const { organizationId: org, productIds: products } = await companyWithDomains(hub, 'Parent SA', 3);
  const lines = new Map([...snapshotRowsOf(hub)].map(([id, row]) => [id, JSON.stringify(row)]));
  return { org, products, lines };
}

const has = (raw: RawDb, table: string, id: string) =>
  raw.prepare(`SELECT 1 FROM "${table}" WHERE id = ?`).get(id) !== undefined;
const pending = (raw: RawDb) =>
  raw.prepare("SELECT row_id FROM sync_deferred WHERE reason = 'pending_row' ORDER BY row_id").pluck().all();
const table = (name: string) => SYNC_TABLES.get(name) as SyncTable;

/** The snapshot's lines, and an empty book with the applier that takes them. */
async function bookToApply(bulk: boolean) {
  const snapshot = await snapshotOf(space.kontor());
  const book = space.kontor();
  const applier = new Applier(book.raw);
  applier.rows.bulkLoading = bulk;
  return { ...snapshot, book, now: book.clock.now().toISOString(), applier };
}

describe('the parents a snapshot slice has seen', () => {
  for (const bulk of [false, true]) {
    it(`are asked again in the next slice: a parent deleted between two slices leaves its row waiting (${bulk ? 'bulk load' : 'ordinary'})`, async () => {
      const { org, products, lines, book, now, applier } = await bookToApply(bulk);
      const [p0, p1] = products as [string, string];
      applier.applySnapshotSlice([lines.get(org), lines.get(p0)] as string[], 0, 7, now, false, 1_000);
      expect(has(book.raw, 'products', p0)).toBe(true);
      // What the scope purge does between two slices: the organization and its rows gone.
      book.raw.prepare('DELETE FROM products WHERE organization_id = ?').run(org);
      book.raw.prepare('DELETE FROM organizations WHERE id = ?').run(org);
      const slice = applier.applySnapshotSlice([lines.get(p1)] as string[], 0, 7, now, false, 1_000);
      expect(slice.next).toBe(1);
      expect(has(book.raw, 'products', p1)).toBe(false);
      expect(pending(book.raw)).toEqual([p1]);
    });

    it(`are not kept from a slice rolled back: its parent went with it (${bulk ? 'bulk load' : 'ordinary'})`, async () => {
      const { org, products, lines, book, now, applier } = await bookToApply(bulk);
      const [p0, p1] = products as [string, string];
      expect(() =>
        applier.applySnapshotSlice(
          [lines.get(org), lines.get(p0)] as string[],
          0,
          7,
          now,
          false,
          1_000,
          () => {
            throw new Error('cut before the commit');
          },
        ),
      ).toThrow('cut before the commit');
      expect(has(book.raw, 'organizations', org)).toBe(false);
      applier.applySnapshotSlice([lines.get(p1)] as string[], 0, 7, now, false, 1_000);
      expect(has(book.raw, 'products', p1)).toBe(false);
      expect(pending(book.raw)).toEqual([p1]);
      // The organization comes: the waiting row follows it, as without any answer kept.
      applier.applySnapshotSlice([lines.get(org)] as string[], 0, 7, now, false, 1_000);
      expect(has(book.raw, 'products', p1)).toBe(true);
    });
  }

  it('are forgotten when a row is deleted inside the slice', async () => {
    const { org, lines, book, now, applier } = await bookToApply(false);
    applier.applySnapshotSlice([lines.get(org)] as string[], 0, 7, now, false, 1_000);
    const fields = new Map<string, unknown>([['organization_id', org]]);
    book.raw.transaction(() => {
      applier.rows.parents.begin();
      try {
        expect(applier.rows.ready(table('products'), fields)).toBe(true);
        // Inside the slice, as a refused push's restore deletes a row it finds only ours.
        applier.rows.deleteRow(table('organizations'), org);
        expect(applier.rows.ready(table('products'), fields)).toBe(false);
      } finally {
        applier.rows.parents.end();
      }
    })();
  });
});
