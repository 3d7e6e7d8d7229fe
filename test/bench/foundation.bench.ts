// Foundation benchmarks: products at 100k rows in one organization — inserting through the
// one write path vs a raw better-sqlite3 prepared insert, and list pages by keyset vs OFFSET.
// Run: node bin/tsx.js test/bench/foundation.bench.ts [products]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { prng, pick } from '#core/demo/prng';
import { openKontor } from '#core/kontor';
import { PRODUCT_KINDS, PRODUCT_STATUSES } from '#common/enums';
import { measure, round, timeMany } from './harness';

export async function foundationBench(total = 100_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-bench-'));
  const file = path.join(dir, 'bench.sqlite');
  const kontor = openKontor({ dbFile: file });
  const call = async <T>(method: string, input: unknown) => {
    const r = await kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  const org = await call<{ id: string }>('organizations.create', { kind: 'company', name: 'Bench AG', country: 'CH', currency: 'CHF' });
  const tag = await call<{ id: string }>('tags.create', { organizationId: org.id, name: 'Bench' });
  const random = prng(42);
  const productInput = (i: number) => ({
    organizationId: org.id,
    kind: pick(random, PRODUCT_KINDS),
    name: `Produit ${String(i).padStart(7, '0')} ${pick(random, ['Zürich', 'Genève', 'Köln', 'Łódź'])}`,
    publicPriceMinor: Math.floor(random() * 50_000),
    billingFrequency: pick(random, ['monthly', 'quarterly', 'annual'] as const),
    nextRenewalOn: `2027-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-15`,
    status: pick(random, PRODUCT_STATUSES),
  });

  // 1. Inserts through the router: validation, activity row and change-log rows per product.
  const serviceRows = Math.min(5_000, total);
  const viaApi = await measure(async () => {
    for (let i = 0; i < serviceRows; i++) await call('products.create', productInput(i));
  });

  // 2. The same rows with a raw prepared insert in one transaction: the floor.
  const rawDb = new Database(path.join(dir, 'raw.sqlite'));
  rawDb.pragma('journal_mode = WAL');
  rawDb.exec(fs.readFileSync(path.join('db', 'migrations', fs.readdirSync('db/migrations').find((f) => f.endsWith('.sql')) ?? ''), 'utf8').replaceAll('--> statement-breakpoint', ''));
  rawDb.prepare("INSERT INTO organizations (id, created_at, updated_at, kind, name, country, currency, color) VALUES ('o', 'x', 'x', 'company', 'Raw', 'CH', 'CHF', '#000000')").run();
  const insert = rawDb.prepare(
    `INSERT INTO products (id, created_at, updated_at, organization_id, kind, name, public_price_minor, currency, billing_frequency, next_renewal_on, auto_renew, status)
     VALUES (?, ?, ?, 'o', ?, ?, ?, 'CHF', ?, ?, 1, ?)`,
  );
  const raw = await measure(() => {
    rawDb.transaction(() => {
      for (let i = 0; i < total; i++) {
        const p = productInput(i);
        insert.run(`p${i}`, 'now', 'now', p.kind, p.name, p.publicPriceMinor, p.billingFrequency, p.nextRenewalOn, p.status);
      }
    })();
  });
  rawDb.close();

  // 3. Fill the organization up to `total` directly (the data generator), then page through it.
  const ctx = kontor.ctx();
  const fill = ctx.raw.prepare(
    `INSERT INTO products (id, created_at, updated_at, organization_id, kind, name, public_price_minor, currency, billing_frequency, next_renewal_on, auto_renew, status)
     VALUES (?, 'now', 'now', ?, ?, ?, ?, 'CHF', ?, ?, 1, ?)`,
  );
  const tagFill = ctx.raw.prepare(`INSERT INTO product_tags (id, created_at, updated_at, product_id, tag_id) VALUES (?, 'now', 'now', ?, ?)`);
  ctx.raw.transaction(() => {
    for (let i = serviceRows; i < total; i++) {
      const p = productInput(i);
      const id = `bench-${String(i).padStart(8, '0')}`;
      fill.run(id, org.id, p.kind, p.name, p.publicPriceMinor, p.billingFrequency, p.nextRenewalOn, p.status);
      if (i % 3 === 0) tagFill.run(`${id}:${tag.id}`, id, tag.id);
    }
  })();
  ctx.raw.exec('ANALYZE');

  const pageInput = { organizationId: org.id, limit: 100 };
  const first = timeMany(200, () => listSync(kontor, { ...pageInput }));
  // Cursors spread over the whole list, so "deep" means really deep.
  const cursors: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = (await call<{ nextCursor: string | null }>('products.list', { ...pageInput, limit: 1000, cursor })) as { nextCursor: string | null };
    if (!page.nextCursor) break;
    cursors.push(page.nextCursor);
    cursor = page.nextCursor;
  }
  const deep = timeMany(200, (i) => listSync(kontor, { ...pageInput, cursor: cursors[cursors.length - 1 - (i % 10)] }));
  const bySort = timeMany(200, (i) =>
    listSync(kontor, { ...pageInput, sort: 'nextRenewalOn', direction: 'desc', cursor: null, search: i % 2 ? undefined : 'Zürich' }),
  );
  const byTag = timeMany(100, () => listSync(kontor, { ...pageInput, tagIds: [tag.id] }));
  // OFFSET at the same depth, raw SQL, for comparison.
  const offsetDeep = timeMany(50, () =>
    ctx.raw
      .prepare('SELECT * FROM products WHERE organization_id = ? AND deleted_at IS NULL ORDER BY name, id LIMIT 100 OFFSET ?')
      .all(org.id, total - 200),
  );
  const count = timeMany(20, () => listCount(kontor, { organizationId: org.id }));

  kontor.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    products: total,
    insertViaApi: { rows: serviceRows, rowsPerSecond: Math.round(serviceRows / viaApi.seconds) },
    insertRawPrepared: { rows: total, rowsPerSecond: Math.round(total / raw.seconds) },
    insertRatioRawOverApi: round(total / raw.seconds / (serviceRows / viaApi.seconds), 1),
    pageFirstMs: first,
    pageDeepKeysetMs: deep,
    pageDeepOffsetRawMs: offsetDeep,
    pageSortedFilteredMs: bySort,
    pageByTagMs: byTag,
    countAllMs: count,
  };
}

// The router is async; the store underneath is synchronous, so time the service directly.
import { countProducts, listProducts } from '#core/services/products.service';
import { ListProducts } from '#common/products.schema';
import { CountProducts } from '#common/products.schema';
function listSync(kontor: ReturnType<typeof openKontor>, input: Record<string, unknown>) {
  return listProducts(kontor.ctx(), ListProducts.parse(input));
}
function listCount(kontor: ReturnType<typeof openKontor>, input: Record<string, unknown>) {
  return countProducts(kontor.ctx(), CountProducts.parse(input));
}

if (process.argv[1]?.endsWith('foundation.bench.ts')) {
  const total = Number(process.argv[2] ?? 100_000);
  foundationBench(total).then((r) => console.log(JSON.stringify(r, null, 2)));
}
