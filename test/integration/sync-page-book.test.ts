// A pulled page asks once which of its rows the change log already holds, and answers the
// applier's questions about the others (the same change, a field's clock, the row's clock, a
// whole-row entry at one HLC) from what the page itself records (db/sync/page-book.ts). An
// answer from memory that differs from SQLite's applies a change that lost, drops one that won,
// or counts a replay as new. So pages here mix what can meet in one page — rows new to the book
// and rows it holds, several writes of one field in and out of stamp order, the same change
// twice, whole-row `*` entries older and newer than a row's fields, a page replayed — in random
// cuts, and the book must end exactly as one that asked SQLite every question.
import { describe, expect, it } from 'vitest';
import type { PulledChange } from '#common/sync/protocol';
import type { RawDb } from '#db/open';
import { Applier, type ApplyStats, emptyStats } from '#db/sync/apply';
import { formatHlc, parseHlc } from '#db/sync/hlc';
import { useTempSpace } from '../helpers/kontor';
import { prng } from '#core/demo/prng';
import { companyWithDomains } from '../helpers/seed';
import { drainOutbox, storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-page-book-');

function contents(raw: RawDb): unknown {
  return {
    rows: storeContent(raw),
    log: raw
      .prepare(
        'SELECT hlc, device_id, table_name, row_id, column_name, value, hub_seq FROM change_log ORDER BY table_name, row_id, column_name, hlc, hub_seq',
      )
      .all(),
    parked: raw
      .prepare('SELECT table_name, row_id, column_name, hlc, reason FROM sync_deferred ORDER BY id')
      .all(),
  };
}

const shifted = (hlc: string, ms: number) => {
  const h = parseHlc(hlc);
  return formatHlc({ ...h, wallMs: h.wallMs + ms });
};

/** What a device wrote, with the writes that can meet in one page added at random places. */
function perturbed(changes: PulledChange[], random: () => number): PulledChange[] {
  const out = [...changes];
  let seq = 1_000_000;
  for (let i = 0; i < changes.length / 3; i++) {
    const from = Math.floor(random() * out.length);
    const c = out[from] as PulledChange;
    // Near the write it copies, before or after it: mostly in the same page.
    const at = () => Math.max(0, Math.min(out.length, from + Math.floor(random() * 21) - 10));
    const r = random();
    if (c.column === '*') continue;
    if (r < 0.25)
      out.splice(at(), 0, { ...c }); // the same change again (a replayed page)
    else if (r < 0.5)
      // The same field written again, newer or older, anywhere in the stream.
      out.splice(at(), 0, {
        ...c,
        seq: ++seq,
        hlc: shifted(c.hlc, random() < 0.5 ? 5 : -5),
        value: c.column.endsWith('_id') ? c.value : JSON.stringify(`v${seq}`),
      });
    else if (r < 0.75 && c.table === 'products')
      // A whole-row entry naming one field, older or newer than the row's fields.
      out.splice(at(), 0, {
        ...c,
        column: '*',
        seq: ++seq,
        hlc: shifted(c.hlc, random() < 0.5 ? 3 : -3),
        value: JSON.stringify({ id: c.rowId, name: `whole${seq}.ch` }),
      });
    else if (c.table === 'products')
      // A field at the very stamp of a whole-row entry that lacks it.
      out.splice(at(), 0, { ...c, column: '*', seq: ++seq, value: JSON.stringify({ id: c.rowId }) });
  }
  return out.map((c, i) => ({ ...c, seq: c.seq + i }));
}

/** Applies `changes` in random page cuts on a new book, memory answers on or off; its stats. */
function applyInPages(pages: PulledChange[][], withBook: boolean): { raw: RawDb; stats: ApplyStats } {
  const book = space.kontor();
  const applier = new Applier(book.raw);
  applier.book.enabled = withBook;
  const stats = emptyStats();
  const now = book.clock.now().toISOString();
  for (const page of pages) {
    const s = applier.applyPage(page, now);
    for (const k of Object.keys(stats) as (keyof ApplyStats)[]) stats[k] += s[k];
  }
  return { raw: book.raw, stats };
}

describe('a pulled page answered from memory for rows new to the book', () => {
  it('ends exactly as a book that asked SQLite every question', async () => {
    const source = space.kontor();
    const { organizationId, productIds } = await companyWithDomains(source, 'Page SA', 12);
    const tag = await source.ok('tags.create', { organizationId, name: 'Page tag' });
    await source.ok('tags.assign', { tagId: tag.id, productIds: productIds.slice(0, 8) });
    for (const id of productIds.slice(0, 4)) await source.ok('products.update', { id, publicPriceMinor: 7 });
    await source.ok('tags.unassign', { tagId: tag.id, productIds: productIds.slice(0, 2) });
    const written = drainOutbox(source);

    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const random = prng(seed);
      const changes = perturbed(written, random);
      const pages: PulledChange[][] = [];
      for (let i = 0; i < changes.length; ) {
        const size = 1 + Math.floor(random() * 60);
        pages.push(changes.slice(i, i + size));
        i += size;
      }
      // Replayed: some pages come again, now of rows the book holds.
      pages.push(...pages.filter(() => random() < 0.3));
      const simple = applyInPages(pages, false);
      const fast = applyInPages(pages, true);
      expect(fast.stats, `seed ${seed}`).toEqual(simple.stats);
      expect(contents(fast.raw), `seed ${seed}`).toEqual(contents(simple.raw));
    }
  });

  it('keeps nothing past a page: a row written between two pages is asked of SQLite', async () => {
    const source = space.kontor();
    const { productIds } = await companyWithDomains(source, 'Between SA', 1);
    const written = drainOutbox(source);
    const book = space.kontor();
    const applier = new Applier(book.raw);
    const now = book.clock.now().toISOString();
    applier.applyPage(written, now);
    const product = productIds[0] as string;
    const stored = written.find((c) => c.rowId === product && c.column === 'name') as PulledChange;
    // The same change again in a later page: the book holds it now, so it is a duplicate.
    expect(applier.applyPage([{ ...stored, seq: stored.seq + 1_000 }], now)).toMatchObject({
      applied: 0,
      duplicate: 1,
    });
    // An older write of the field loses to the one the book holds.
    expect(
      applier.applyPage(
        [{ ...stored, seq: stored.seq + 1_001, hlc: shifted(stored.hlc, -1), value: '"old.ch"' }],
        now,
      ),
    ).toMatchObject({ applied: 0, superseded: 1 });
    expect(book.raw.prepare('SELECT name FROM products WHERE id = ?').pluck().get(product)).toBe(
      'domain1.ch',
    );
  });
});
