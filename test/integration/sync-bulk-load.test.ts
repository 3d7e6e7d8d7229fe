// A new device's first sync into an empty book is a bulk load (db/sync/bulk-load.ts): the
// listing indexes set aside and built once at the end with the search index and the glance
// sums, in a worker thread. Here: it is chosen for an empty book only; the book it leaves has
// every index, trigger, search entry and glance sum a book built row by row has; and a device
// killed in the middle of it (rows coming in, or the worker building) opens whole and finishes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIso } from '#common/dates';
import { SyncEngine } from '#core/sync/engine';
import type { RawDb } from '#db/open';
import { BULK_KEY, DEFERRED_INDEXES } from '#db/sync/bulk-load';
import { adminApi, hubPlace } from '../helpers/hub';
import { spawnHub } from '../helpers/hub-process';
import { seedProducts } from '../helpers/hub-seed';
import { createPayer, issueInvoice, setUpProvider } from '../helpers/invoices';
import { FixedClock, openTestKontor, REPO_ROOT, type TestKontor, useTempSpace } from '../helpers/kontor';

const ROWS = 20_000;
const space = useTempSpace('kontor-bulk-load-');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Every index and trigger of a book, as SQLite holds them. */
const schemaOf = (raw: RawDb) =>
  raw
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name",
    )
    .all();
const productsIndexed = (raw: RawDb) =>
  raw
    .prepare(`SELECT count(*) FROM search_products WHERE search_products MATCH '"bulk"'`)
    .pluck()
    .get() as number;
const glanceOf = (raw: RawDb) => [
  raw.prepare('SELECT * FROM glance_open ORDER BY 1, 2').all(),
  raw.prepare('SELECT * FROM glance_revenue ORDER BY 1, 2').all(),
  raw.prepare('SELECT * FROM glance_fees ORDER BY 1').all(),
];
const bulkKey = (raw: Database.Database) =>
  raw.prepare('SELECT count(*) FROM app_settings WHERE key = ?').pluck().get(BULK_KEY) as number;

describe('a new device’s first sync', () => {
  let hubUrl = '';
  let admin: ReturnType<typeof adminApi>;
  let writer: TestKontor;
  let fresh: TestKontor;

  beforeAll(async () => {
    const place = await hubPlace('sqlite');
    cleanups.push(() => place.cleanup());
    const hub = await spawnHub(place);
    cleanups.push(() => hub.child.kill('SIGKILL'));
    hubUrl = hub.url;
    admin = adminApi(hub.url);
    await admin.createUser('bulk');
    writer = await enroll();
    // Issued invoices: the glance sums the load leaves aside and sums again at its end.
    await setUpProvider(writer);
    const payer = await createPayer(writer);
    await issueInvoice(writer, payer.id);
    await issueInvoice(writer, payer.id);
    // Reminders with fees: the open fees the load leaves aside and computes again at its end.
    for (const days of [400, 420, 440])
      await writer.ok('reminders.run', { date: addDays(todayIso(new Date()), days) });
    const sample = await writer.ok('products.create', {
      organizationId: payer.id,
      kind: 'domain',
      name: 'sample.ch',
      publicPriceMinor: 1_500,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-01-01',
    });
    await writer.ok('sync.now', {});
    seedProducts({
      dataDir: place.dataDir as string,
      templateId: sample.id,
      organizationId: payer.id,
      rows: ROWS,
      prefix: 'bulk-',
    });
    // What a book built row by row holds: the same migrations, nothing set aside.
    fresh = space.kontor();
  }, 120_000);

  async function enroll(file?: string): Promise<TestKontor> {
    const clock = new FixedClock(new Date().toISOString());
    // A file of the test's own is closed by the test (it is handed to another process).
    const k = file ? openTestKontor({ file, clock }) : space.kontor({ clock });
    await k.ok('sync.configure', { hubUrl, enrollCode: (await admin.enrollCode('bulk')).code });
    k.kontor.sync.stop();
    return k;
  }

  it('defers indexes that exist and constrain nothing (a renamed index would silently stay)', () => {
    for (const name of DEFERRED_INDEXES) {
      const sql = fresh.raw
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
        .pluck()
        .get(name) as string | undefined;
      expect(sql, name).toMatch(/^CREATE INDEX /i);
    }
  });

  it('into an empty book is a bulk load that leaves every index, search entry and glance sum', {
    timeout: 300_000,
  }, async () => {
    const reader = await enroll();
    const stages = new Set<string>();
    let dropped = false;
    const engine = new SyncEngine({
      ctx: () => reader.kontor.ctx(),
      onProgress: (p) => {
        if (!p) return;
        stages.add(p.indexes ? 'indexes' : 'rows');
        const held = reader.raw
          .prepare(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'products_org_name_idx'",
          )
          .pluck()
          .get();
        if (held === 0) dropped = true;
      },
    });
    await engine.syncNow();
    expect([...stages]).toEqual(['rows', 'indexes']);
    expect(dropped, 'the listing indexes were set aside while rows came in').toBe(true);
    expect(reader.raw.prepare('SELECT count(*) FROM products').pluck().get()).toBe(ROWS + 1);
    expect(schemaOf(reader.raw)).toEqual(schemaOf(fresh.raw));
    expect(bulkKey(reader.raw)).toBe(0);
    expect(productsIndexed(reader.raw)).toBe(ROWS);
    // Every kind indexed: one entry per live row, the same organizations and invoices as the writer's.
    const docs = (k: TestKontor) =>
      k.raw.prepare('SELECT kind, count(*) AS n FROM search_docs GROUP BY kind ORDER BY kind').all();
    expect(docs(reader)).toEqual(
      (docs(writer) as { kind: string; n: number }[]).map((d) =>
        d.kind === 'product' ? { kind: 'product', n: ROWS + 1 } : d,
      ),
    );
    const found = await reader.ok('search.all', { text: 'bulk-19999.ch' });
    expect(found.products.map((p) => p.name)).toContain('bulk-19999.ch');
    expect(glanceOf(reader.raw)).toEqual(glanceOf(writer.raw));
    expect(glanceOf(reader.raw)[1]).not.toEqual([]);
    expect(glanceOf(reader.raw)[2]).not.toEqual([]);
    expect(reader.raw.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('into a book that holds anything is row by row, its indexes kept', { timeout: 300_000 }, async () => {
    const reader = await enroll();
    await reader.ok('organizations.create', {
      kind: 'company',
      name: 'Local AG',
      country: 'CH',
      currency: 'CHF',
    });
    const stages = new Set<string>();
    let held = true;
    const engine = new SyncEngine({
      ctx: () => reader.kontor.ctx(),
      onProgress: (p) => {
        if (!p) return;
        stages.add(p.indexes ? 'indexes' : 'rows');
        const n = reader.raw
          .prepare(
            `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN (${DEFERRED_INDEXES.map(() => '?').join(', ')})`,
          )
          .pluck()
          .get(...DEFERRED_INDEXES);
        if (n !== DEFERRED_INDEXES.length) held = false;
      },
    });
    await engine.syncNow();
    expect([...stages]).toEqual(['rows']);
    expect(held).toBe(true);
    expect(reader.raw.prepare('SELECT count(*) FROM products').pluck().get()).toBe(ROWS + 1);
    expect(productsIndexed(reader.raw)).toBe(ROWS);
  });

  it('cancelled while the worker builds, keeps the load whole and finishes at the next round', {
    timeout: 300_000,
  }, async () => {
    const reader = await enroll();
    let cancelled = false;
    const engine = new SyncEngine({
      ctx: () => reader.kontor.ctx(),
      onProgress: (p) => {
        if (p?.indexes && !cancelled) cancelled = engine.cancel();
      },
    });
    await expect(engine.syncNow()).rejects.toMatchObject({ code: 'sync_cancelled' });
    expect(cancelled).toBe(true);
    // The worker's transaction never committed: the load is still under way, all rows in.
    expect(bulkKey(reader.raw)).toBe(1);
    expect(reader.raw.prepare('SELECT count(*) FROM products').pluck().get()).toBe(ROWS + 1);
    await engine.syncNow();
    expect(bulkKey(reader.raw)).toBe(0);
    expect(schemaOf(reader.raw)).toEqual(schemaOf(fresh.raw));
    expect(productsIndexed(reader.raw)).toBe(ROWS);
    expect(glanceOf(reader.raw)).toEqual(glanceOf(writer.raw));
  });

  it.each(['rows', 'indexes'])(
    'killed while %s come in, opens whole and finishes the sync',
    {
      timeout: 300_000,
    },
    async (moment) => {
      const file = space.file();
      (await enroll(file)).close();
      // The device's first sync in a process of its own, killed (SIGKILL) at the moment chosen.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'first-sync-process.ts'), file],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let killedAt = '';
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [what, n] = line.split(' ');
          const due = moment === 'rows' ? what === 'rows' && Number(n) >= ROWS / 4 : what === 'indexes';
          if (due && !killedAt) {
            killedAt = line;
            child.kill('SIGKILL');
          }
        }
      });
      expect(await exited, `the first sync ended before it was killed (${killedAt})`).toBeNull();
      const cut = new Database(file, { readonly: true });
      const heldThen = cut.prepare('SELECT count(*) FROM products').pluck().get() as number;
      expect(bulkKey(cut), 'killed in the middle of the bulk load').toBe(1);
      cut.close();
      if (moment === 'rows') expect(heldThen).toBeLessThan(ROWS + 1);

      // The next open builds what the load left aside, before anything reads the book.
      const device = openTestKontor({ file, clock: new FixedClock(new Date().toISOString()) });
      try {
        device.kontor.sync.stop();
        expect(device.raw.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(bulkKey(device.raw)).toBe(0);
        expect(schemaOf(device.raw)).toEqual(schemaOf(fresh.raw));
        const held = device.raw
          .prepare("SELECT count(*) FROM products WHERE name LIKE 'bulk-%'")
          .pluck()
          .get();
        expect(productsIndexed(device.raw)).toBe(held);
        // And the sync goes on from where it stopped, to the whole book.
        await device.ok('sync.now', {});
        expect(device.raw.prepare('SELECT count(*) FROM products').pluck().get()).toBe(ROWS + 1);
        expect(productsIndexed(device.raw)).toBe(ROWS);
        expect(glanceOf(device.raw)).toEqual(glanceOf(writer.raw));
        expect(schemaOf(device.raw)).toEqual(schemaOf(fresh.raw));
      } finally {
        device.close();
      }
    },
  );
});
