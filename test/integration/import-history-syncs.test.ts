// Issue 15: a history import writes through the bulk path, whose change log holds one entry per
// invoice and per payment carrying "the whole row, read at push time" (value NULL), written by
// two statements per batch. Another device that applies what this one pushes must hold the
// same invoices, lines and payments — and the same search results — as the device that
// imported them.
import { describe, expect, it } from 'vitest';
import { createPayer, setUpProvider } from '../helpers/invoices';
import { useTempSpace } from '../helpers/kontor';
import { applyPulled, drainOutbox, storeContent } from '../helpers/sync';

const space = useTempSpace('kontor-history-sync-');

describe('an imported history on another device', () => {
  it('arrives whole: invoices with their lines, payments, credit notes — one change each, read at push time', async () => {
    const a = space.kontor();
    await setUpProvider(a, { name: 'Hébergeur Synchro SA' });
    await createPayer(a, { name: 'Fromagerie Broye Sàrl', city: 'Payerne' });
    const rows = ['Number,Kind,Status,Issued on,Organization,Currency,Net,VAT,Total,Paid,Paid on,Corrects'];
    for (let i = 1; i <= 6_000; i++) {
      // H-2 is cancelled by the credit note at the end of the file, in a later batch: written
      // unpaid first, then settled in the store.
      const status = i === 2 ? 'cancelled' : i % 3 === 0 ? 'paid' : i % 3 === 1 ? 'partially_paid' : 'unpaid';
      const paid = status === 'paid' ? '108.10' : status === 'partially_paid' ? '50.00' : '0';
      rows.push(
        `H-${i},invoice,${status},2025-03-04,Fromagerie Broye Sàrl,CHF,100.00,8.10,108.10,${paid},2025-04-01,`,
      );
    }
    rows.push('C-1,credit_note,paid,2025-05-01,Fromagerie Broye Sàrl,CHF,-100.00,-8.10,-108.10,,,H-2');
    const report = await a.ok('imports.run', {
      kind: 'invoices',
      contentBase64: Buffer.from(`${rows.join('\r\n')}\r\n`).toString('base64'),
    });
    expect([report.imported, report.errors]).toEqual([6_001, []]);
    // Two batches of 5,000 rows at most: 12,001 invoice changes and 8,000 payment changes,
    // every one "the whole row", none carrying a copy of it.
    const logged = a.raw
      .prepare(
        `SELECT table_name, count(*) AS n, count(DISTINCT hlc) AS stamps, count(value) AS copies
         FROM change_log WHERE table_name IN ('invoices', 'payments') AND column_name = '*' GROUP BY table_name ORDER BY table_name`,
      )
      .all();
    expect(logged).toEqual([
      { table_name: 'invoices', n: 6_001, stamps: 2, copies: 0 },
      { table_name: 'payments', n: 4_000, stamps: 2, copies: 0 },
    ]);

    const b = space.kontor();
    applyPulled(b, drainOutbox(a), 500);
    const mine = storeContent(a.raw);
    const theirs = storeContent(b.raw);
    for (const table of ['organizations', 'invoices', 'invoice_lines', 'payments']) {
      expect([table, theirs[table]?.length]).toEqual([table, mine[table]?.length]);
      const differs = (theirs[table] ?? []).findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(mine[table]?.[i]));
      if (differs >= 0) expect([table, theirs[table]?.[differs]]).toEqual([table, mine[table]?.[differs]]);
    }
    const credit = b.raw
      .prepare(
        "SELECT kind, status, gross_minor, corrects_invoice_id IS NOT NULL AS corrects FROM invoices WHERE number = 'C-1'",
      )
      .get();
    expect(credit).toEqual({ kind: 'credit_note', status: 'paid', gross_minor: 10_810, corrects: 1 });
    for (const k of [a, b])
      expect(k.raw.prepare("SELECT status FROM invoices WHERE number = 'H-2'").pluck().get()).toBe('cancelled');
    // The search index followed on both devices, by its triggers.
    for (const k of [a, b]) {
      const found = await k.ok('search.all', { text: 'H-5999' });
      expect(found.invoices.map((i) => i.number)).toEqual(['H-5999']);
    }
  });
});
