// The partner commands of the CLI, spawned as a user runs them: `kontor partner quote`
// reproduces the seeds' worked example (35 web hostings: CHF 347.20 → 277.76 → 208.32,
// EUR 201.25 → 161.00 → 120.75) as a table and as JSON, takes exact what-if overrides, and
// `kontor export clients` writes the partner's managed clients' history.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { openTestKontor, REPO_ROOT, useTempSpace } from '../helpers/kontor';
import { seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-partner-cli-');
const bin = path.join(REPO_ROOT, 'bin', 'kontor.js');

let db: string;
let dir: string;
let partnerId: string;
let clientId: string;
let strangerId: string;
let partnerInvoice: string;
let clientInvoice: string;

function kontor(args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KONTOR_DB: '', LANG: 'C' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The table's row whose label starts with `label`, as its cells. */
function tableRow(stdout: string, label: string): string[] {
  const row = stdout.split('\n').find((l) => l.startsWith(label));
  if (!row) throw new Error(`no row ${label} in\n${stdout}`);
  return row.slice(label.length).trim().split(/\s+/);
}

beforeAll(async () => {
  dir = space.dir();
  db = path.join(dir, 'partner.sqlite');
  const k = openTestKontor({ file: db });
  try {
    await setUpProvider(k);
    const partner = await seedOrganization(k, { name: 'Agence Alpha', products: 0, tags: 0 });
    const client = await seedOrganization(k, { name: 'Hôtel du Lac SA', products: 1, tags: 0 });
    const stranger = await seedOrganization(k, { name: 'Inconnu SA', products: 0, tags: 0 });
    partnerId = partner.organizationId;
    clientId = client.organizationId;
    strangerId = stranger.organizationId;
    await k.ok('settings.setActingPerson', { personId: partner.personIds[0]! });
    const p = await k.ok('partners.inviteClient', {
      partnerOrganizationId: partnerId,
      clientOrganizationId: clientId,
      access: 'complete',
      payment: 'partner',
    });
    await k.ok('settings.setActingPerson', { personId: client.personIds[0]! });
    await k.ok('partners.accept', { partnershipId: p.id });
    // The firm issues the documents and books the cashback (no acting person).
    await k.ok('settings.setActingPerson', { personId: null });
    const draft = await k.ok('invoices.create', {
      organizationId: partnerId,
      productsOrganizationId: clientId,
      issuedOn: '2026-02-10',
      lines: [line(34_720)],
    });
    partnerInvoice = (await k.ok('invoices.issue', { id: draft.id, issuedOn: '2026-02-10' }))
      .number as string;
    clientInvoice = (await issueInvoice(k, clientId, [line(1_000)], { issuedOn: '2026-02-11' }))
      .number as string;
    k.clock.set('2026-02-20T10:00:00.000Z');
    await k.ok('partners.creditCashback', {
      partnershipId: p.id,
      orderedBy: 'client',
      productKind: 'web_hosting',
      quantity: 35,
    });
  } finally {
    k.close();
  }
}, 60_000);

describe('kontor partner quote', () => {
  it('the seeds’ worked example as a table, per unit and in total, in CHF and EUR', () => {
    const chf = kontor([
      'partner',
      'quote',
      '--partner',
      partnerId,
      '--product-kind',
      'web_hosting',
      '--quantity',
      '35',
    ]);
    expect(chf.code, chf.stderr).toBe(0);
    expect(chf.stdout.split('\n')[0]).toBe(
      '35 × web_hosting, CHF, discount 20.00 %, degressive 25.00 %: the partner pays its preferential price (discount)',
    );
    expect(tableRow(chf.stdout, 'Public price')).toEqual(['9.92', '347.20']);
    expect(tableRow(chf.stdout, 'Discount 20.00 %')).toEqual(['-1.98', '-69.44']);
    expect(tableRow(chf.stdout, 'After discount')).toEqual(['7.94', '277.76']);
    expect(tableRow(chf.stdout, 'Degressive 25.00 %')).toEqual(['-1.99', '-69.44']);
    expect(tableRow(chf.stdout, 'Price paid')).toEqual(['5.95', '208.32']);
    expect(tableRow(chf.stdout, 'Cashback')).toEqual(['0.00', '0.00']);

    const eur = kontor([
      'partner',
      'quote',
      '--partner',
      partnerId,
      '--product-kind',
      'web_hosting',
      '--quantity',
      '35',
      '--currency',
      'eur',
    ]);
    expect(eur.code, eur.stderr).toBe(0);
    expect(tableRow(eur.stdout, 'Public price')).toEqual(['5.75', '201.25']);
    expect(tableRow(eur.stdout, 'After discount')).toEqual(['4.60', '161.00']);
    expect(tableRow(eur.stdout, 'Price paid')).toEqual(['3.45', '120.75']);
  }, 60_000);

  it('--json prints the quote object, in exact minor units', () => {
    const args = [
      'partner',
      'quote',
      '--partner',
      partnerId,
      '--product-kind',
      'web_hosting',
      '--quantity',
      '35',
      '--json',
    ];
    const chf = kontor(args);
    expect(chf.code, chf.stderr).toBe(0);
    expect(JSON.parse(chf.stdout)).toMatchObject({
      case: 'discount',
      currency: 'CHF',
      productKind: 'web_hosting',
      quantity: 35,
      discountBp: 2_000,
      degressiveBp: 2_500,
      unit: { publicMinor: 992, paidMinor: 595 },
      total: {
        publicMinor: 34_720,
        discountMinor: 6_944,
        degressiveMinor: 6_944,
        paidMinor: 20_832,
        cashbackMinor: 0,
      },
    });
    const eur = kontor([...args, '--currency', 'EUR']);
    expect(JSON.parse(eur.stdout)).toMatchObject({
      currency: 'EUR',
      total: { publicMinor: 20_125, discountMinor: 4_025, degressiveMinor: 4_025, paidMinor: 12_075 },
    });
  }, 60_000);

  it('a what-if overrides the price book exactly; the client’s payment methods earn cashback', () => {
    const whatIf = [
      'partner',
      'quote',
      '--partner',
      partnerId,
      '--product-kind',
      'web_hosting',
      '--quantity',
      '3',
      '--payment',
      'client',
      '--public-price',
      "1'000.10",
      '--discount',
      '35',
      '--degressive',
      '12,5',
    ];
    const json = kontor([...whatIf, '--json']);
    expect(json.code, json.stderr).toBe(0);
    // 3000.30 public; paid = 3000.30 × 0.875 = 2625.2625 → 2625.26; partner price × 0.65 → 1706.42.
    expect(JSON.parse(json.stdout)).toMatchObject({
      case: 'cashback',
      discountBp: 3_500,
      degressiveBp: 1_250,
      unit: { publicMinor: 100_010 },
      total: { publicMinor: 300_030, paidMinor: 262_526, preferentialMinor: 170_642, cashbackMinor: 91_884 },
    });
    const table = kontor(whatIf);
    expect(tableRow(table.stdout, 'Price paid')).toEqual(['875.09', '2625.26']);
    expect(tableRow(table.stdout, 'Partner price (discount 35.00 %)')).toEqual(['568.81', '1706.42']);
    expect(tableRow(table.stdout, 'Cashback')).toEqual(['306.28', '918.84']);
  }, 60_000);

  it('bad values are usage errors (exit 2) in the user’s language; nothing is quoted', () => {
    const base = [
      'partner',
      'quote',
      '--partner',
      partnerId,
      '--product-kind',
      'web_hosting',
      '--quantity',
      '1',
    ];
    const discount = kontor(['--locale', 'fr', ...base, '--discount', '40']);
    expect(discount.code).toBe(2);
    expect(discount.stderr).toContain('--discount attend un pourcentage de 0 à 35');
    expect(discount.stdout).toBe('');
    const price = kontor(['--locale', 'de', ...base, '--public-price', '9.999']);
    expect(price.code).toBe(2);
    expect(price.stderr).toContain('--public-price erwartet einen Betrag wie 9.92');
    const kind = kontor([...base.slice(0, 4), '--product-kind', 'spaceship', '--quantity', '1']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('--product-kind does not accept “spaceship”');
  }, 60_000);
});

describe('kontor export clients', () => {
  const period = ['--from', '2026-02-01', '--to', '2026-02-28'];

  it('CSV of one history type: the partner-paid invoice only; rows per type printed', () => {
    const out = path.join(dir, 'invoices.csv');
    const res = kontor([
      'export',
      'clients',
      '--partner',
      partnerId,
      '--history',
      'invoices',
      ...period,
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(`${out}: invoices 1 rows`);
    const rows = Papa.parse<string[]>(fs.readFileSync(out, 'utf8'), { skipEmptyLines: true }).data;
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[10]])).toEqual([
      ['Hôtel du Lac SA', clientId, partnerInvoice, '375.32'],
    ]);
    expect(fs.readFileSync(out, 'utf8')).not.toContain(clientInvoice);
  }, 60_000);

  it('XLSX: every history type by default, one sheet each, and --client selects', async () => {
    const out = path.join(dir, 'clients.xlsx');
    const res = kontor([
      'export',
      'clients',
      '--partner',
      partnerId,
      ...period,
      '--format',
      'xlsx',
      '--out',
      out,
      '--client',
      clientId,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(`${out}: invoices 1 rows, payments 0 rows, cashback 1 rows`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Invoices', 'Payments', 'Cashback']);
  }, 60_000);

  it('a client the partner does not manage: exit 1, translated; a missing flag: exit 2', () => {
    const out = path.join(dir, 'refused.csv');
    const refused = kontor([
      '--locale',
      'de',
      'export',
      'clients',
      '--partner',
      partnerId,
      '--history',
      'payments',
      ...period,
      '--format',
      'csv',
      '--out',
      out,
      '--client',
      strangerId,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Inconnu SA ist kein von Agence Alpha verwalteter Kunde');
    expect(fs.existsSync(out)).toBe(false);
    const missing = kontor(['export', 'clients', '--partner', partnerId, '--format', 'csv', '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--from is required.');
  }, 60_000);
});
