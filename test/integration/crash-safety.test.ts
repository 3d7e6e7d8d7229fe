// A Kontor process killed at any moment (SIGKILL: no cleanup, no exit handler) must leave a
// database that opens, is intact, and holds every write it acknowledged — with its activity
// and change-log rows, because they are written in the same transaction. The same file is
// reused across kills, so later runs write over files recovered from earlier crashes.
//
// What this does not prove: durability across power loss (the OS page cache survives a killed
// process). That is what `synchronous = FULL` is for, and it cannot be tested by killing.
import path from 'node:path';
import { prng } from '#core/demo/prng';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawDb } from '#db/open';
import { expectConsistentHistory } from '../helpers/history';
import { useTempSpace } from '../helpers/kontor';
import { columnNames } from '../helpers/migrations';
import { disposeWriterCommand, startWriter, type WriterOp, writerCommand } from '../helpers/writer-process';

const space = useTempSpace('kontor-crash-');
const KILLS = Number(process.env.KONTOR_CRASH_KILLS ?? 100);

interface Ledger {
  /** Every product whose creation was acknowledged, by id. */
  products: Map<string, { name: string; tagIds: string[] }>;
  /** Every (product, tag) pair an acknowledged call put in place. */
  pairs: Set<string>;
  /** Per tag: the names it may carry now (the last acknowledged one, and any attempted after it). */
  tagNames: Map<string, { acked: string | null; laterAttempts: string[] }>;
  /** Calls in flight when a process died: each either fully there or fully absent. */
  inFlight: WriterOp[];
}

interface Stats {
  acked: number;
  inFlightCommitted: number;
  inFlightLost: number;
  startupMs: number[];
  openMs: number[];
  killDelayMs: number[];
}

function check(db: RawDb, ledger: Ledger, stats: Stats): void {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);

  // Every acknowledged product, with its tags, its activity row and a change-log row per field.
  const products = new Map(
    (
      db.prepare('SELECT id, name, deleted_at FROM products').all() as {
        id: string;
        name: string;
        deleted_at: string | null;
      }[]
    ).map((p) => [p.id, p]),
  );
  const livePairs = new Set(
    (db.prepare('SELECT id FROM product_tags WHERE deleted_at IS NULL').all() as { id: string }[]).map(
      (r) => r.id,
    ),
  );
  const created = new Set(
    (
      db
        .prepare("SELECT entity_id FROM activity WHERE action = 'product.created' AND entity = 'products'")
        .all() as {
        entity_id: string;
      }[]
    ).map((r) => r.entity_id),
  );
  const productColumns = columnNames(db, 'products')
    .filter((c) => !['id', 'updated_at', 'deleted_at'].includes(c))
    .sort()
    .join(',');
  const logged = new Map(
    (
      db
        .prepare(
          "SELECT row_id, group_concat(column_name, ',') AS columns FROM (SELECT row_id, column_name FROM change_log WHERE table_name = 'products' ORDER BY column_name) GROUP BY row_id",
        )
        .all() as { row_id: string; columns: string }[]
    ).map((r) => [r.row_id, r.columns]),
  );
  for (const [id, p] of ledger.products) {
    const row = products.get(id);
    expect(row, `acknowledged product ${p.name}`).toBeDefined();
    expect(row!.name).toBe(p.name);
    expect(row!.deleted_at).toBeNull();
    expect(created.has(id), `activity for ${p.name}`).toBe(true);
    expect(logged.get(id), `change log for ${p.name}`).toBe(productColumns);
  }
  for (const pair of ledger.pairs) expect(livePairs.has(pair), `acknowledged tag pair ${pair}`).toBe(true);

  const tagNames = new Map(
    (db.prepare('SELECT id, name FROM tags').all() as { id: string; name: string }[]).map((t) => [
      t.id,
      t.name,
    ]),
  );
  for (const [tagId, names] of ledger.tagNames) {
    const allowed = [...(names.acked ? [names.acked] : []), ...names.laterAttempts];
    if (names.acked) expect(allowed, `name of tag ${tagId}`).toContain(tagNames.get(tagId));
  }

  // A call in flight at the kill is all there or not there at all.
  for (const op of ledger.inFlight) {
    if (op.op !== 'create') continue;
    const rows = db.prepare('SELECT id FROM products WHERE name = ?').all(op.name) as { id: string }[];
    expect(rows.length).toBeLessThanOrEqual(1);
    if (rows[0]) {
      expect(created.has(rows[0].id)).toBe(true);
      expect(logged.get(rows[0].id)).toBe(productColumns);
      for (const tagId of op.tagIds) expect(livePairs.has(`${rows[0].id}:${tagId}`)).toBe(true);
    }
  }

  // The whole history is consistent (see test/helpers/history.ts), across every restart.
  expectConsistentHistory(db, 'after the kill');
  stats.acked = ledger.products.size;
}

describe('a Kontor process killed at a random moment', () => {
  const stats: Stats = {
    acked: 0,
    inFlightCommitted: 0,
    inFlightLost: 0,
    startupMs: [],
    openMs: [],
    killDelayMs: [],
  };
  afterAll(async () => {
    await disposeWriterCommand();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    console.info(
      `[crash-safety] ${stats.startupMs.length} kills; ${stats.acked} acknowledged products kept; in-flight calls found committed ${stats.inFlightCommitted}, absent ${stats.inFlightLost}; writer module loading median ${median(stats.startupMs)} ms, opening the store median ${median(stats.openMs)} ms; kill delay median ${Math.round(median(stats.killDelayMs))} ms`,
    );
  });

  it(`never loses an acknowledged write nor leaves a half-written one (${KILLS} kills on one file)`, async () => {
    const started = performance.now();
    const via = (await writerCommand()).via;
    expect(via === 'bundle' || via === 'tsx').toBe(true);
    const file = path.join(space.dir(), 'kontor.sqlite');
    const random = prng(0xc0ffee);
    const ledger: Ledger = { products: new Map(), pairs: new Set(), tagNames: new Map(), inFlight: [] };

    // The next writer is started (its modules load) while the previous file is being checked;
    // it opens the file only when told to go.
    let next = await startWriter(file, 1_000, { wait: true });
    for (let kill = 0; kill < KILLS; kill++) {
      const writer = next;
      writer.go();
      await writer.acks(1);
      const delay = 5 + random() * 145;
      stats.killDelayMs.push(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      writer.kill('SIGKILL');
      const { signal, stderr } = await writer.closed;
      expect(stderr).toBe('');
      expect(signal).toBe('SIGKILL');
      if (kill + 1 < KILLS) next = await startWriter(file, 1_001 + kill, { wait: true });

      // Replay what this run said, in order.
      const acked = new Set(writer.lines.filter((l) => l.kind === 'ack').map((l) => (l as { n: number }).n));
      for (const line of writer.lines) {
        if (line.kind === 'loaded') stats.startupMs.push(line.loadMs);
        if (line.kind === 'ready') stats.openMs.push(line.openMs);
        if (line.kind === 'begin' && line.op.op === 'rename') {
          const entry = ledger.tagNames.get(line.op.tagId) ?? { acked: null, laterAttempts: [] };
          if (acked.has(line.n))
            ledger.tagNames.set(line.op.tagId, { acked: line.op.name, laterAttempts: [] });
          else
            ledger.tagNames.set(line.op.tagId, {
              ...entry,
              laterAttempts: [...entry.laterAttempts, line.op.name],
            });
        }
        if (line.kind === 'ack' && line.op.op === 'create') {
          ledger.products.set(line.op.id!, { name: line.op.name, tagIds: line.op.tagIds });
          for (const tagId of line.op.tagIds) ledger.pairs.add(`${line.op.id}:${tagId}`);
        }
        if (line.kind === 'ack' && line.op.op === 'assign') {
          for (const productId of line.op.productIds) ledger.pairs.add(`${productId}:${line.op.tagId}`);
        }
      }
      const inFlight = writer.lines
        .filter((l) => l.kind === 'begin' && !acked.has(l.n))
        .map((l) => (l as { op: WriterOp }).op);
      expect(inFlight.length).toBeLessThanOrEqual(1);
      ledger.inFlight = inFlight;

      // Re-open like the next start of the app would (SQLite recovers the WAL here) and check.
      const db = new Database(file);
      try {
        check(db, ledger, stats);
        for (const op of inFlight) {
          if (op.op !== 'create') continue;
          const found = db.prepare('SELECT 1 FROM products WHERE name = ?').get(op.name);
          if (found) stats.inFlightCommitted++;
          else stats.inFlightLost++;
        }
      } finally {
        db.close();
      }
    }
    expect(ledger.products.size).toBeGreaterThan(KILLS);
    console.info(
      `[crash-safety] ${KILLS} kills in ${Math.round((performance.now() - started) / 1000)} s (writer via ${via})`,
    );
    // 100 kills take ~30 s on a quiet machine (the history check is linear in the file's size;
    // when it was quadratic the same run took 561 s): the budget is for a loaded one.
  }, 240_000);
});
