// While a snapshot comes in, the WAL's copy into the database file runs on a thread of its own
// (db/checkpoint-worker.ts, db/sync/snapshot-checkpoints.ts) instead of between two slices on
// the owning thread. A checkpoint moves pages, never rows: the book must end exactly as one
// whose checkpoints ran between its slices — and the thread must really copy (a thread that
// answers without checkpointing leaves every page in the WAL, the database file as it began).
import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import { CheckpointWorker } from '#db/checkpoint-worker';
import { runSqlInWorker } from '#db/sql-worker';
import type { RawDb } from '#db/open';
import { Applier } from '#db/sync/apply';
import { beginBulkLoad } from '#db/sync/bulk-load';
import { SnapshotCheckpoints } from '#db/sync/snapshot-checkpoints';
import { useTempSpace } from '../helpers/kontor';
import { companyWithDomains } from '../helpers/seed';
import { snapshotRowsOf } from '../helpers/sync';

const space = useTempSpace('kontor-checkpoint-thread-');

function contents(raw: RawDb): unknown {
  return {
    organizations: raw.prepare('SELECT * FROM organizations ORDER BY id').all(),
    products: raw.prepare('SELECT * FROM products ORDER BY id').all(),
    log: raw
      .prepare(
        'SELECT hlc, device_id, table_name, row_id, column_name, value FROM change_log ORDER BY table_name, row_id, column_name, hlc',
      )
      .all(),
  };
}

describe('checkpoints on a thread of their own during a snapshot', () => {
  it('end in the same book as checkpoints between slices, and copy pages while the rows come', async () => {
    const hub = space.kontor();
    const { organizationId, productIds } = await companyWithDomains(hub, 'Thread SA', 1);
    const rows = snapshotRowsOf(hub);
    const template = rows.get(productIds[0] as string) as SnapshotRow;
    // Enough rows for a few thousand pages: several checkpoints' worth.
    const lines = [JSON.stringify(rows.get(organizationId))];
    for (let i = 0; i < 6_000; i++) {
      const rowId = `thread-${String(i).padStart(5, '0')}`;
      const [, hlc] = template.fields.name as [string, string];
      lines.push(
        JSON.stringify({
          ...template,
          rowId,
          fields: { ...template.fields, name: [JSON.stringify(`${rowId}.ch`), hlc] },
        }),
      );
    }
    const play = async (offLoop: boolean) => {
      const book = space.kontor();
      book.kontor.sync.stop();
      expect(beginBulkLoad(book.raw)).toBe(true);
      const startSize = fs.statSync(book.raw.name).size;
      const checkpoints = new SnapshotCheckpoints(book.raw, true, offLoop);
      const applier = new Applier(book.raw);
      applier.rows.bulkLoading = true;
      const now = book.clock.now().toISOString();
      try {
        // Slices of a few rows (no CPU budget: 8 lines each), a turn of the loop between two
        // as the snapshot round takes one: the thread's answers arrive there. Each answer
        // waited for, so that only the thread copies (a loaded machine that starved it would
        // bring the owning thread's valve in, which copies too).
        for (let at = 0; at < lines.length; ) {
          at = applier.applySnapshotSlice(lines, at, 7, now, false, 0).next;
          checkpoints.afterSlice();
          await yieldToLoop();
          while (checkpoints.threadBusy) await new Promise((r) => setTimeout(r, 1));
        }
        const copiedSize = fs.statSync(book.raw.name).size;
        return { contents: contents(book.raw), done: { ...checkpoints.done }, startSize, copiedSize };
      } finally {
        applier.rows.bulkLoading = false;
        checkpoints.end();
      }
    };
    const between = await play(false);
    const thread = await play(true);
    expect(thread.contents).toEqual(between.contents);
    expect((thread.contents as { products: unknown[] }).products).toHaveLength(6_000);
    // The checkpoints on the thread; the database file took the pages before the load ended.
    expect(between.done).toMatchObject({ thread: 0 });
    expect(between.done.inline).toBeGreaterThan(0);
    expect(thread.done).toMatchObject({ inline: 0 });
    expect(thread.done.thread).toBeGreaterThan(0);
    expect(between.copiedSize).toBeGreaterThan(between.startSize * 2);
    expect(thread.copiedSize).toBeGreaterThan(thread.startSize * 2);
  });

  it('gives way to checkpoints on the owning thread when no thread can run', async () => {
    let exited = false;
    // A file in a folder that does not exist: the thread's connection cannot open.
    const worker = new CheckpointWorker(`${space.dir()}/missing/book.sqlite`, () => {});
    for (let i = 0; i < 500 && worker.usable; i++) await new Promise((r) => setTimeout(r, 10));
    exited = !worker.usable;
    expect(exited).toBe(true);
    expect(worker.request()).toBe(false);
  });

  // Linux: each thread's nice value is field 19 of /proc/self/task/TID/stat.
  const backgroundThreads = () =>
    fs.readdirSync('/proc/self/task').filter((tid) => {
      try {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[16] === '10';
      } catch {
        return false; // the thread ended meanwhile
      }
    }).length;

  it.runIf(fs.existsSync('/proc/thread-self'))(
    'run the checkpoints and the bulk load end at a background priority (the loop thread gets the core)',
    async () => {
      const book = space.kontor();
      book.kontor.sync.stop();
      const before = backgroundThreads();
      let answered = false;
      const worker = new CheckpointWorker(book.raw.name, () => {
        answered = true;
      });
      worker.request();
      for (let i = 0; i < 500 && !answered; i++) await new Promise((r) => setTimeout(r, 10));
      expect(answered).toBe(true);
      expect(backgroundThreads()).toBe(before + 1);
      worker.stop();
      // The bulk load's end (db/sql-worker.ts): a statement long enough to look while it runs.
      let seen = 0;
      const watch = setInterval(() => {
        seen = Math.max(seen, backgroundThreads());
      }, 2);
      try {
        await runSqlInWorker(book.raw.name, [
          'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) SELECT count(*) FROM c',
        ]);
      } finally {
        clearInterval(watch);
      }
      expect(seen).toBeGreaterThan(before);
    },
  );
});
