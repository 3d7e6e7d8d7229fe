// Search benchmarks (issue 14): search as you type over N invoices (default 1,000,000) and
// 10,000 organizations, keystroke by keystroke through the router, beside a raw FTS5 query;
// and what keeping the search index current costs the bulk write path: the same invoices
// written into a store without the search upkeep (triggers and notes table dropped), compared in CPU seconds (wall
// time swings with whatever else the machine runs).
// Run: node bin/tsx.js test/bench/search.bench.ts [invoices] [organizations] [invoices for the upkeep
// comparison, default min(invoices, 200k)]; the searched book is generated once into
// test-results/bench-cache/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openKontor } from '#core/kontor';
import { migrationCount } from '#db/open';
import { insertInvoicesBulk } from '#core/services/invoices/bulk';
import { uuidv7 } from 'uuidv7';
import { measure, percentile, round } from './harness';
import { dashboardWithReminderFees } from './dashboard-fees';
import { benchInvoices } from './invoices.bench';

const FIRST = [
  'Käserei',
  'Boulangerie',
  'Éditions',
  'Zoë',
  'Müller',
  'Brasserie',
  'Caffè',
  'Łukasz',
  'Atelier',
  'Hôtel',
];
const SECOND = [
  'Müller',
  'Lefèvre',
  'Lémaniques',
  'Weiß',
  'Söhne',
  'Nicolò',
  'Żółć',
  'du Lac',
  'Aare',
  'Berner',
];
const FORMS = ['AG', 'SA', 'Sàrl', 'GmbH', 'Srl'];
const CITIES = ['Zürich', 'Genève', 'Bern', 'Lausanne', 'Besançon', 'Köln'];

function seedOrganizations(file: string, count: number): string[] {
  const kontor = openKontor({ dbFile: file });
  const raw = kontor.ctx().raw;
  const now = new Date().toISOString();
  const insOrg = raw.prepare(
    `INSERT INTO organizations (id, created_at, updated_at, kind, name, country, currency, color, uid)
     VALUES (?, ?, ?, 'company', ?, 'CH', 'CHF', '#336699', ?)`,
  );
  const insAddr = raw.prepare(
    `INSERT INTO billing_addresses (id, created_at, updated_at, organization_id, label, recipient, line1, postal_code, city, country, is_default)
     VALUES (?, ?, ?, ?, 'Siège', ?, 'Rue 1', '1000', ?, 'CH', 1)`,
  );
  const ids: string[] = [];
  raw.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = uuidv7();
      const name = `${FIRST[i % 10]} ${SECOND[Math.floor(i / 10) % 10]} ${FORMS[i % 5]} ${i}`;
      const uid = `CHE-${String(100 + (i % 900)).padStart(3, '0')}.${String(i % 1000).padStart(3, '0')}.${String((i * 7) % 1000).padStart(3, '0')}`;
      insOrg.run(id, now, now, name, uid);
      insAddr.run(uuidv7(), now, now, id, name, CITIES[i % CITIES.length]);
      ids.push(id);
    }
  })();
  kontor.close();
  return ids;
}

/** The bulk write of `count` invoices with and without the search upkeep, in CPU seconds. */
async function upkeep(count: number, orgCount: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-searchbench-'));
  const withIndex = path.join(dir, 'with-index.sqlite');
  const without = path.join(dir, 'without-index.sqlite');
  const orgIds = seedOrganizations(withIndex, orgCount);
  // The same organizations (same ids) in the store without the search upkeep.
  {
    const k = openKontor({ dbFile: without });
    const raw = k.ctx().raw;
    for (const name of raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'")
      .pluck()
      .all() as string[])
      raw.exec(`DROP TRIGGER ${name}`);
    // Without the notes table the bulk writer notes nothing and no commit indexes anything
    // (db/search-index.ts is a no-op on a file without it): the write with no search upkeep.
    raw.exec('DROP TABLE search_pending');
    raw.exec(
      `ATTACH '${withIndex}' AS src; INSERT INTO main.organizations SELECT * FROM src.organizations; DETACH src;`,
    );
    k.close();
  }
  const issuer = issuerOf(withIndex);
  const write = async (file: string) => {
    const k = openKontor({ dbFile: file });
    const m = await measure(() =>
      insertInvoicesBulk(k.ctx(), benchInvoices(count, orgIds, issuer), { action: 'bench.invoices' }),
    );
    k.close();
    return m;
  };
  const plainA = await write(without);
  const indexedA = await write(withIndex);
  const dbBytes = fs.statSync(withIndex).size;
  const plainBytes = fs.statSync(without).size;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    invoices: count,
    withSearchIndex: {
      seconds: round(indexedA.seconds, 2),
      cpuSeconds: round(indexedA.cpuSeconds, 2),
      rowsPerSecond: Math.round(count / indexedA.seconds),
    },
    withoutSearchIndex: {
      seconds: round(plainA.seconds, 2),
      cpuSeconds: round(plainA.cpuSeconds, 2),
      rowsPerSecond: Math.round(count / plainA.seconds),
    },
    upkeepCpuRatio: round(indexedA.cpuSeconds / plainA.cpuSeconds, 3),
    upkeepWallRatio: round(indexedA.seconds / plainA.seconds, 3),
    databaseMb: {
      withSearchIndex: Math.round(dbBytes / 1e6),
      withoutSearchIndex: Math.round(plainBytes / 1e6),
    },
  };
}

function issuerOf(file: string): string {
  const k = openKontor({ dbFile: file });
  const id = k
    .ctx()
    .raw.prepare('SELECT id FROM organizations ORDER BY rowid LIMIT 1')
    .pluck()
    .get() as string;
  k.close();
  return id;
}

/**
 * The book searched: `count` invoices over `orgCount` organizations, generated once into
 * test-results/bench-cache/ (a million invoices take minutes to write) for this schema version.
 */
async function searchedBook(
  count: number,
  orgCount: number,
): Promise<{ file: string; orgIds: string[]; builtSeconds: number | null }> {
  const cache = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'test-results',
    'bench-cache',
  );
  fs.mkdirSync(cache, { recursive: true });
  const file = path.join(cache, `search-v${migrationCount()}-${count}-${orgCount}.sqlite`);
  if (!fs.existsSync(file)) {
    const building = `${file}.building`;
    fs.rmSync(building, { force: true });
    const orgIds = seedOrganizations(building, orgCount);
    const k = openKontor({ dbFile: building });
    const m = await measure(() =>
      insertInvoicesBulk(k.ctx(), benchInvoices(count, orgIds, issuerOf(building)), {
        action: 'bench.invoices',
      }),
    );
    k.ctx().raw.exec('ANALYZE');
    k.close();
    fs.renameSync(building, file);
    return { file, orgIds, builtSeconds: round(m.seconds, 1) };
  }
  const k = openKontor({ dbFile: file });
  const orgIds = k.ctx().raw.prepare('SELECT id FROM organizations ORDER BY rowid').pluck().all() as string[];
  k.close();
  return { file, orgIds, builtSeconds: null };
}

export async function searchBench(
  count = 1_000_000,
  orgCount = 10_000,
  upkeepCount = Math.min(count, 200_000),
) {
  const bulkWrite = await upkeep(upkeepCount, orgCount);
  const { file: withIndex, orgIds, builtSeconds } = await searchedBook(count, orgCount);
  const kontor = openKontor({ dbFile: withIndex });
  const ctx = kontor.ctx();
  const amount = ctx.raw
    .prepare('SELECT gross_minor FROM invoices ORDER BY rowid DESC LIMIT 1 OFFSET 1234')
    .pluck()
    .get() as number;
  const number = ctx.raw
    .prepare('SELECT number FROM invoices ORDER BY rowid LIMIT 1 OFFSET 4321')
    .pluck()
    .get() as string;
  const swiss = `${Math.floor(amount / 100).toLocaleString('de-CH')}.${String(amount % 100).padStart(2, '0')}`;
  const typed = [
    'kaserei muller',
    'boulangerie lef',
    swiss,
    number,
    'zoe weiss sarl',
    'CHE-123.4',
    'zurich',
    'brasserie cervoise',
  ];
  const keystrokes = typed.flatMap((text) =>
    Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)),
  );
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  const rawSamples: number[] = [];
  const rawStmt = ctx.raw.prepare(
    'SELECT d.ref_id FROM search_invoices f JOIN search_docs d ON d.doc_id = f.rowid WHERE search_invoices MATCH ? ORDER BY f.rowid DESC LIMIT 8',
  );
  for (let round = 0; round < 3; round++) {
    for (const text of keystrokes) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      const r = await kontor.router.invoke('search.all', { text });
      samples.push(performance.now() - t);
      // CPU time too: on a shared machine the wall time's tail is mostly waiting for a core.
      const used = process.cpuUsage(cpu);
      cpuSamples.push((used.user + used.system) / 1000);
      if (!r.ok) throw new Error(r.error.message);
      // The raw floor: one FTS5 query on the invoice index, the biggest of the four.
      const words = text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      if (words.length) {
        const t2 = performance.now();
        rawStmt.all(words.map((w) => `"${w}" *`).join(' AND '));
        rawSamples.push(performance.now() - t2);
      }
    }
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      p50: round(percentile(s, 50)),
      p99: round(percentile(s, 99)),
      max: round(s.at(-1) ?? 0),
      n: s.length,
    };
  };
  const found = await kontor.router.invoke('search.all', { text: swiss });
  // Money at a glance over every invoice (the home dashboard), and one organization's.
  const dashboardSamples: number[] = [];
  const orgSamples: number[] = [];
  for (let i = 0; i < 12; i++) {
    let t = performance.now();
    const r = await kontor.router.invoke('dashboard.money', {});
    dashboardSamples.push(performance.now() - t);
    if (!r.ok) throw new Error(r.error.message);
    t = performance.now();
    await kontor.router.invoke('dashboard.money', { organizationId: orgIds[i * 7] });
    orgSamples.push(performance.now() - t);
  }
  // The raw floor: the same receivables sum as one bare statement over the covering index.
  const rawDash = ctx.raw.prepare(
    "SELECT currency, count(*), sum(gross_minor - paid_minor) FROM invoices INDEXED BY invoices_open_cover_idx WHERE status IN ('unpaid', 'partially_paid') AND kind = 'invoice' AND deleted_at IS NULL GROUP BY currency",
  );
  const rawDashSamples: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t = performance.now();
    rawDash.all();
    rawDashSamples.push(performance.now() - t);
  }
  // The same dashboard with reminders and their fees in the book (written, measured, rolled back).
  const withReminderFees = await dashboardWithReminderFees(kontor);
  kontor.close();
  return {
    invoices: count,
    organizations: orgCount,
    typed,
    amountFound: found.ok ? (found.value as { invoices: unknown[] }).invoices.length : 0,
    searchAsYouTypeMs: stats(samples),
    searchAsYouTypeCpuMs: stats(cpuSamples),
    rawFtsInvoiceQueryMs: stats(rawSamples),
    dashboardWholeBookMs: stats(dashboardSamples),
    dashboardOneOrganizationMs: stats(orgSamples),
    rawReceivablesSumMs: stats(rawDashSamples),
    withReminderFees,
    bookBuiltSeconds: builtSeconds,
    bulkWrite,
  };
}

if (process.argv[1]?.endsWith('search.bench.ts')) {
  const count = Number(process.argv[2] ?? 1_000_000);
  const orgs = Number(process.argv[3] ?? 10_000);
  const upkeepCount = process.argv[4] ? Number(process.argv[4]) : undefined;
  searchBench(count, orgs, upkeepCount).then((r) => console.log(JSON.stringify(r, null, 2)));
}
