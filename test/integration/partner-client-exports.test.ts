// A partner's consolidated client exports (DOMAIN.md "Exports users ask for"; invoice
// visibility from the partner pages): exactly the partner-paid invoices of its managed
// clients, the payments applied to them and its cashback per client, for a period — never a
// client-paid invoice, another partner's money, or a client it no longer manages. Each file
// is read back the way users read it: papaparse, exceljs and LibreOffice headless.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '#core/api/contract';
import { neutraliseText } from '#core/export/csv/formula-guard';
import { issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const run = promisify(execFile);
const space = useTempSpace('kontor-client-exports-');

const FROM = '2026-02-01';
const TO = '2026-03-31';
const EVIL = '=HYPERLINK("http://evil.example","x")';

let k: TestKontor;
let dir: string;
let alpha: SeededOrganization; // the partner whose exports we read
let beta: SeededOrganization; // another partner
let evil: SeededOrganization; // complete access, partner pays — named like a formula
let paysItself: SeededOrganization; // complete access, client pays
let eurClient: { organizationId: string; personId: string; productId: string }; // limited access, EUR
let otherClient: SeededOrganization; // Beta's client, never Alpha's
let former: SeededOrganization; // Alpha's client once; the partnership has ended

interface ExpectedInvoice {
  clientId: string;
  clientName: string;
  number: string;
  kind: string;
  issuedOn: string;
  grossMinor: number;
  id: string;
}
interface ExpectedMoney {
  clientId: string;
  clientName: string;
  date: string;
  currency: 'CHF' | 'EUR';
  amountMinor: number;
  invoiceNumber: string;
  id: string;
}
const expected = {
  invoices: [] as ExpectedInvoice[],
  payments: [] as ExpectedMoney[],
  cashback: [] as ExpectedMoney[],
};
const byDateThenId =
  <T extends { id: string }>(date: (r: T) => string) =>
  (a: T, b: T) =>
    date(a).localeCompare(date(b)) || a.id.localeCompare(b.id);

async function as(personId: string | null) {
  await k.ok('settings.setActingPerson', { personId });
}

async function partnership(
  partner: SeededOrganization,
  client: { organizationId: string; personIds?: string[]; personId?: string },
  access: 'limited' | 'complete',
  payment?: 'client' | 'partner',
  productIds?: string[],
): Promise<string> {
  await as(partner.personIds[0]!);
  const p = await k.ok('partners.inviteClient', {
    partnerOrganizationId: partner.organizationId,
    clientOrganizationId: client.organizationId,
    access,
    payment,
  });
  await as(client.personId ?? client.personIds![0]!);
  const accepted = await k.ok('partners.accept', { partnershipId: p.id, productIds });
  await as(null);
  return accepted.id;
}

/** An invoice paid by `payer` for the products of `client`, issued on `issuedOn`. */
async function invoiceFor(payer: string, client: string, issuedOn: string, amountMinor: number) {
  const draft = await k.ok('invoices.create', {
    organizationId: payer,
    productsOrganizationId: client,
    issuedOn,
    lines: [line(amountMinor)],
  });
  return k.ok('invoices.issue', { id: draft.id, issuedOn });
}

async function cashback(partnershipId: string, on: string, productId?: string) {
  k.clock.set(`${on}T10:00:00.000Z`);
  const { entry } = await k.ok('partners.creditCashback', {
    partnershipId,
    orderedBy: 'client',
    productKind: 'web_hosting',
    quantity: 35,
    productId,
  });
  return entry;
}

beforeAll(async () => {
  k = space.kontor();
  dir = space.dir();
  await setUpProvider(k);
  alpha = await seedOrganization(k, { name: 'Agence Alpha', products: 0, tags: 0 });
  beta = await seedOrganization(k, { name: 'Partenaire Beta', products: 0, tags: 0 });
  evil = await seedOrganization(k, { name: EVIL, products: 1, tags: 0 });
  paysItself = await seedOrganization(k, { name: 'Zoë Müller; "Hôtel" & Fils', products: 1, tags: 0 });
  otherClient = await seedOrganization(k, { name: 'Client de Beta', products: 1, tags: 0 });
  former = await seedOrganization(k, { name: 'Ancien Client', products: 1, tags: 0 });
  const eur = await k.ok('organizations.create', {
    kind: 'company',
    name: 'Łukasz Żółć Sàrl',
    country: 'FR',
    currency: 'EUR',
  });
  const rep = await k.ok('members.add', {
    organizationId: eur.id,
    email: 'lukasz@zolc.fr',
    name: 'Łukasz Żółć',
    role: 'legal_representative',
  });
  const product = await k.ok('products.create', {
    organizationId: eur.id,
    kind: 'web_hosting',
    name: 'Site vitrine',
    publicPriceMinor: 575,
    billingFrequency: 'monthly',
    nextRenewalOn: '2026-12-01',
  });
  eurClient = { organizationId: eur.id, personId: rep.personId, productId: product.id };

  const evilP = await partnership(alpha, evil, 'complete', 'partner');
  const selfP = await partnership(alpha, paysItself, 'complete', 'client');
  const eurP = await partnership(alpha, eurClient, 'limited', undefined, [eurClient.productId]);
  const formerP = await partnership(alpha, former, 'complete', 'partner');
  const betaP = await partnership(beta, otherClient, 'complete', 'partner');

  const A = alpha.organizationId;
  const inPeriod = (client: string, name: string, inv: Awaited<ReturnType<typeof invoiceFor>>) =>
    expected.invoices.push({
      clientId: client,
      clientName: name,
      number: inv.number as string,
      kind: inv.kind,
      issuedOn: inv.issuedOn,
      grossMinor: inv.kind === 'credit_note' ? -inv.grossMinor : inv.grossMinor,
      id: inv.id,
    });

  // Partner-paid invoices for Alpha's clients: before, in and after the period.
  const january = await invoiceFor(A, evil.organizationId, '2026-01-20', 30_000);
  const feb = await invoiceFor(A, evil.organizationId, '2026-02-10', 10_000);
  inPeriod(evil.organizationId, EVIL, feb);
  const march = await invoiceFor(A, evil.organizationId, '2026-03-05', 20_000);
  inPeriod(evil.organizationId, EVIL, march);
  const forSelf = await invoiceFor(A, paysItself.organizationId, '2026-03-01', 5_000);
  inPeriod(paysItself.organizationId, 'Zoë Müller; "Hôtel" & Fils', forSelf);
  await invoiceFor(A, evil.organizationId, '2026-04-02', 40_000);
  // Exactly on both edges of the period.
  const first = await invoiceFor(A, eurClient.organizationId, FROM, 1_000);
  inPeriod(eurClient.organizationId, 'Łukasz Żółć Sàrl', first);
  const last = await invoiceFor(A, eurClient.organizationId, TO, 2_000);
  inPeriod(eurClient.organizationId, 'Łukasz Żółć Sàrl', last);
  // A credit note on March's invoice: negative in the export.
  k.clock.set('2026-03-20T10:00:00.000Z');
  const note = await k.ok('invoices.creditNote', {
    invoiceId: march.id,
    lines: [{ description: 'Geste', quantityMilli: 1_000, unitPriceMinor: 2_500, discountBp: 0 }],
  });
  inPeriod(evil.organizationId, EVIL, note);
  // A draft is no billing history yet.
  await k.ok('invoices.create', {
    organizationId: A,
    productsOrganizationId: evil.organizationId,
    issuedOn: '2026-03-02',
    lines: [line(999)],
  });

  // Never in Alpha's export: client-paid invoices, Beta-paid invoices (also for Alpha's
  // client), and a former client's.
  await issueInvoice(k, paysItself.organizationId, [line(7_000)], { issuedOn: '2026-02-15' });
  await issueInvoice(k, evil.organizationId, [line(7_100)], { issuedOn: '2026-02-16' });
  await invoiceFor(beta.organizationId, otherClient.organizationId, '2026-02-17', 7_200);
  await invoiceFor(beta.organizationId, evil.organizationId, '2026-02-18', 7_300);
  const formerInvoice = await invoiceFor(A, former.organizationId, '2026-02-19', 7_400);

  // Payments: in the period whatever the invoice's date; not after it; not a deposit.
  const pay = async (
    invoiceId: string,
    amountMinor: number,
    receivedOn: string,
    currency: 'CHF' | 'EUR' = 'CHF',
  ) =>
    (
      await k.ok('payments.record', {
        invoiceId,
        amountMinor,
        currency,
        method: 'bank_transfer',
        receivedOn,
        reference: `REF ${receivedOn}`,
      })
    ).payment;
  const paidJanuary = await pay(january.id, january.grossMinor, '2026-02-05');
  const partial = await pay(feb.id, 5_000, '2026-02-20');
  await pay(feb.id, 1_000, '2026-04-05');
  await pay(march.id, 1_000, '2026-03-01', 'EUR'); // another currency: deposited, not applied
  await pay(formerInvoice.id, 1_000, '2026-02-25');
  for (const [p, inv] of [
    [paidJanuary, january],
    [partial, feb],
  ] as const) {
    expected.payments.push({
      clientId: evil.organizationId,
      clientName: EVIL,
      date: p.receivedOn,
      currency: 'CHF',
      amountMinor: p.amountMinor,
      invoiceNumber: inv.number as string,
      id: p.id,
    });
  }
  // From the prepaid account, on the day the clock says.
  k.clock.set('2026-03-10T10:00:00.000Z');
  await k.ok('ledger.topUp', { organizationId: A, amountMinor: 100_000 });
  await k.ok('ledger.payInvoices', { organizationId: A, items: [{ invoiceId: forSelf.id }] });
  const prepaid = k.raw
    .prepare("select * from payments where invoice_id = ? and method = 'prepaid'")
    .get(forSelf.id) as { id: string; amount_minor: number; received_on: string };
  expected.payments.push({
    clientId: paysItself.organizationId,
    clientName: 'Zoë Müller; "Hôtel" & Fils',
    date: prepaid.received_on,
    currency: 'CHF',
    amountMinor: prepaid.amount_minor,
    invoiceNumber: forSelf.number as string,
    id: prepaid.id,
  });

  // Cashback: per client, in the period only, Alpha's only, managed clients only.
  await cashback(selfP, '2026-01-10');
  for (const [pid, client, name, on, productId] of [
    [selfP, paysItself.organizationId, 'Zoë Müller; "Hôtel" & Fils', '2026-02-15', undefined],
    [eurP, eurClient.organizationId, 'Łukasz Żółć Sàrl', '2026-03-01', eurClient.productId],
    [evilP, evil.organizationId, EVIL, '2026-03-31', undefined],
  ] as const) {
    const entry = await cashback(pid, on, productId);
    expected.cashback.push({
      clientId: client,
      clientName: name,
      date: entry.bookedOn,
      currency: entry.currency,
      amountMinor: entry.amountMinor,
      invoiceNumber: '',
      id: entry.id,
    });
  }
  await cashback(selfP, '2026-04-01');
  await cashback(betaP, '2026-02-20');
  await cashback(formerP, '2026-02-21');
  k.clock.set('2026-03-25T10:00:00.000Z');
  await as(alpha.personIds[0]!);
  await k.ok('partners.end', { partnershipId: formerP, confirm: true });
  await as(null);

  expected.invoices.sort(byDateThenId((r) => r.issuedOn));
  expected.payments.sort(byDateThenId((r) => r.date));
  expected.cashback.sort(byDateThenId((r) => r.date));
}, 120_000);

type ExportInput = MethodInput<'exports.clients'>;
const base = (extra: Partial<ExportInput>): ExportInput => ({
  partnerOrganizationId: alpha.organizationId,
  from: FROM,
  to: TO,
  format: 'csv',
  out: path.join(dir, 'unused.csv'),
  ...extra,
});

function parseCsv(file: string, delimiter: string): string[][] {
  const parsed = Papa.parse<string[]>(fs.readFileSync(file, 'utf8'), { delimiter, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}
const decimal = (minor: number) => (minor / 100).toFixed(2);

describe('CSV: one history type a file, exactly the rows the partner may see', () => {
  it('invoices: partner-paid, issued in the period, credit notes negative, the formula name neutralised', async () => {
    // Two invoices of the formula-named client, one of the client paying itself, both edges
    // of the period, a credit note; nothing else.
    expect(expected.invoices).toHaveLength(6);
    expect(expected.payments).toHaveLength(3);
    expect(expected.cashback).toHaveLength(3);
    const out = path.join(dir, 'invoices.csv');
    const result = await k.ok('exports.clients', base({ history: ['invoices'], out }));
    expect(result).toMatchObject({ file: out, format: 'csv', rows: expected.invoices.length });
    expect(result.history).toEqual([{ type: 'invoices', rows: expected.invoices.length }]);
    const [header, ...rows] = parseCsv(out, ',');
    expect(header).toEqual([
      'Client',
      'Client ID',
      'Number',
      'Kind',
      'Status',
      'Issued on',
      'Due on',
      'Currency',
      'Net',
      'VAT',
      'Total',
      'Paid',
      'Due',
      'Payment reference',
    ]);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5], r[7], r[10]])).toEqual(
      expected.invoices.map((e) => [
        neutraliseText(e.clientName),
        e.clientId,
        e.number,
        e.kind,
        e.issuedOn,
        'CHF', // the payer's currency: the partner's
        decimal(e.grossMinor),
      ]),
    );
    expect(rows.some((r) => r[0] === `'${EVIL}`)).toBe(true);
    expect(rows.some((r) => r[0] === EVIL)).toBe(false);
  });

  it('payments: applied to those invoices, received in the period', async () => {
    const out = path.join(dir, 'payments.csv');
    const result = await k.ok('exports.clients', base({ history: ['payments'], out }));
    expect(result.rows).toBe(expected.payments.length);
    const [header, ...rows] = parseCsv(out, ',');
    expect(header).toEqual([
      'Client',
      'Client ID',
      'Received on',
      'Invoice',
      'Method',
      'Currency',
      'Amount',
      'Reference',
    ]);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5], r[6]])).toEqual(
      expected.payments.map((e) => [
        neutraliseText(e.clientName),
        e.clientId,
        e.date,
        e.invoiceNumber,
        e.currency,
        decimal(e.amountMinor),
      ]),
    );
    expect(rows.map((r) => r[4])).toEqual(['bank_transfer', 'bank_transfer', 'prepaid']);
  });

  it('cashback, Excel France profile: semicolons, decimal comma, ISO dates, a BOM, French headers', async () => {
    const out = path.join(dir, 'cashback-fr.csv');
    const result = await k.ok(
      'exports.clients',
      base({ history: ['cashback'], profile: 'excel-fr', locale: 'fr', out }),
    );
    expect(result.rows).toBe(expected.cashback.length);
    const text = fs.readFileSync(out, 'utf8');
    // papaparse drops the BOM it reads; Excel needs it to read UTF-8.
    expect(text.startsWith('\ufeff')).toBe(true);
    const [header, ...rows] = parseCsv(out, ';');
    expect(header).toEqual(['Client', 'ID client', 'Comptabilisé le', 'Facture', 'Devise', 'Cashback']);
    expect(rows).toEqual(
      expected.cashback.map((e) => [
        neutraliseText(e.clientName),
        e.clientId,
        e.date,
        e.invoiceNumber,
        e.currency,
        decimal(e.amountMinor).replace('.', ','),
      ]),
    );
    expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(['CHF', 'EUR']));
  });

  it('a selection of clients narrows every history type to them', async () => {
    const out = path.join(dir, 'selection.csv');
    const clientIds = [paysItself.organizationId, eurClient.organizationId];
    for (const history of ['invoices', 'payments', 'cashback'] as const) {
      const result = await k.ok('exports.clients', base({ history: [history], clientIds, out }));
      const rows = parseCsv(out, ',').slice(1);
      const want = expected[history].filter((e) => clientIds.includes(e.clientId));
      expect(result.rows, history).toBe(want.length);
      expect(rows.map((r) => r[1])).toEqual(want.map((e) => e.clientId));
    }
  });
});

describe('refusals: clear, translated, and nothing written', () => {
  it('a client the partner does not manage (another partner’s, or one whose partnership ended)', async () => {
    for (const client of [otherClient, former]) {
      const out = path.join(dir, `refused-${client.organizationId}.csv`);
      const error = await k.fails(
        'exports.clients',
        base({ history: ['invoices'], clientIds: [evil.organizationId, client.organizationId], out }),
        'not_managed_client',
        { locale: 'fr' },
      );
      expect(error.message).toContain('n’est pas un client sous gestion de Agence Alpha');
      expect(fs.existsSync(out)).toBe(false);
    }
    const unknown = await k.fails(
      'exports.clients',
      base({ history: ['invoices'], clientIds: ['no-such-org'] }),
      'not_managed_client',
      { locale: 'de' },
    );
    expect(unknown.message).toContain('no-such-org');
  });

  it('a CSV asked for several history types or none; a period that ends before it starts', async () => {
    await k.fails('exports.clients', base({ history: ['invoices', 'payments'] }), 'export_csv_one_history');
    await k.fails('exports.clients', base({}), 'export_csv_one_history');
    const error = await k.fails(
      'exports.clients',
      base({ history: ['invoices'], from: TO, to: FROM }),
      'export_period_invalid',
      { locale: 'en' },
    );
    expect(error.message).toBe(`The period starts after it ends (${TO} – ${FROM}).`);
    await k.fails(
      'exports.clients',
      base({ history: ['invoices'], out: '/proc/clients.csv' }),
      'export_path_invalid',
    );
  });
});

describe('XLSX: one sheet per history type', () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, 'clients.xlsx');
    const result = await k.ok('exports.clients', base({ format: 'xlsx', locale: 'de', out: file }));
    expect(result.history).toEqual([
      { type: 'invoices', rows: expected.invoices.length },
      { type: 'payments', rows: expected.payments.length },
      { type: 'cashback', rows: expected.cashback.length },
    ]);
  });

  it('typed cells, frozen headers, per-currency totals, and no formula anywhere (exceljs)', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Rechnungen', 'Zahlungen', 'Cashback']);
    const invoices = workbook.getWorksheet('Rechnungen')!;
    expect(invoices.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(invoices.getRow(1).getCell(1).text).toBe('Kunde');
    expected.invoices.forEach((e, i) => {
      const row = invoices.getRow(i + 2);
      expect(row.getCell(1).text).toBe(e.clientName);
      expect(row.getCell(3).text).toBe(e.number);
      expect(row.getCell(6).type).toBe(ExcelJS.ValueType.Date);
      expect((row.getCell(6).value as Date).toISOString().slice(0, 10)).toBe(e.issuedOn);
      expect(row.getCell(11).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(11).value).toBe(e.grossMinor / 100);
    });
    const totalRow = invoices.getRow(expected.invoices.length + 3);
    expect(totalRow.getCell(1).text).toBe('Summe CHF');
    expect(totalRow.getCell(11).value).toBe(expected.invoices.reduce((a, e) => a + e.grossMinor, 0) / 100);

    const cashback = workbook.getWorksheet('Cashback')!;
    const totals = [1, 2].map((n) => cashback.getRow(expected.cashback.length + 2 + n));
    const sum = (c: string) =>
      expected.cashback.filter((e) => e.currency === c).reduce((a, e) => a + e.amountMinor, 0);
    expect(totals.map((r) => [r.getCell(1).text, r.getCell(6).value])).toEqual([
      ['Summe CHF', sum('CHF') / 100],
      ['Summe EUR', sum('EUR') / 100],
    ]);
    expect(totals[1]!.getCell(6).numFmt).toBe('#,##0.00 "€"');

    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
        }),
      );
    }
  });

  it('the history types asked for, in their order, and nothing else', async () => {
    const out = path.join(dir, 'two.xlsx');
    await k.ok(
      'exports.clients',
      base({ format: 'xlsx', history: ['cashback', 'payments', 'cashback'], out }),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Payments', 'Cashback']);
  });
});

// ---------------------------------------------------------------------------------------
// LibreOffice, as an accountant opens the files.

function soffice(): string {
  for (const c of ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'])
    if (fs.existsSync(c)) return c;
  throw new Error(
    'LibreOffice is missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui',
  );
}

/**
 * Converts `file` to plain comma CSV with LibreOffice; `sheet` -1 writes every sheet to its
 * own file (`<name>-<Sheet>.csv`, LibreOffice 7.2+). Returns the parsed files by name.
 */
async function throughLibreOffice(
  file: string,
  infilter?: string,
  sheet = 0,
): Promise<Map<string, string[][]>> {
  const out = path.join(dir, `lo-${path.basename(file)}`);
  fs.mkdirSync(out, { recursive: true });
  const args = [
    `-env:UserInstallation=${pathToFileURL(path.join(dir, 'lo-profile')).href}`,
    '--headless',
    '--norestore',
  ];
  if (infilter) args.push(`--infilter=${infilter}`);
  const options = `44,34,76,1,,0,false,true,false,false,false${sheet ? `,${sheet}` : ''}`;
  args.push('--convert-to', `csv:Text - txt - csv (StarCalc):${options}`, '--outdir', out, file);
  await run(soffice(), args, { timeout: 120_000, env: { ...process.env, HOME: dir } });
  const files = new Map<string, string[][]>();
  for (const name of fs.readdirSync(out)) {
    const parsed = Papa.parse<string[]>(fs.readFileSync(path.join(out, name), 'utf8'), {
      delimiter: ',',
      skipEmptyLines: true,
    });
    files.set(name, parsed.data);
  }
  return files;
}

describe('read back by LibreOffice headless', () => {
  it('the German Excel CSV of invoices: amounts are numbers, the formula name stays text', async () => {
    const file = path.join(dir, 'invoices-de.csv');
    await k.ok(
      'exports.clients',
      base({ history: ['invoices'], profile: 'excel-de', locale: 'de', out: file }),
    );
    const [rows] = [...(await throughLibreOffice(file, 'CSV:59,34,76,1,,1031,false,true')).values()];
    const [header, ...body] = rows!;
    expect(header?.[0]).toBe('Kunde');
    expect(body).toHaveLength(expected.invoices.length);
    body.forEach((row, i) => {
      const e = expected.invoices[i]!;
      expect(row[2]).toBe(e.number);
      // Read as a number in de-DE (text "-25,00" would come back as written).
      expect(Number(row[10])).toBe(e.grossMinor / 100);
      expect(row[0]).toBe(e.clientName === EVIL ? `'${EVIL}` : e.clientName);
    });
    expect(body.some((r) => r[0] === 'x' || r[0] === 'evil')).toBe(false);
  }, 120_000);

  it('the XLSX: every sheet, every value as written, totals per currency', async () => {
    const file = path.join(dir, 'clients-lo.xlsx');
    await k.ok('exports.clients', base({ format: 'xlsx', out: file }));
    const sheets = await throughLibreOffice(file, undefined, -1);
    const sheet = (name: string) => {
      const found = [...sheets].find(([file]) => file.endsWith(`-${name}.csv`));
      if (!found) throw new Error(`no sheet ${name} in ${[...sheets.keys()].join(', ')}`);
      return found[1];
    };
    const invoices = sheet('Invoices');
    expect(invoices.slice(1, 1 + expected.invoices.length).map((r) => [r[0], r[2], Number(r[10])])).toEqual(
      expected.invoices.map((e) => [e.clientName, e.number, e.grossMinor / 100]),
    );
    const payments = sheet('Payments');
    expect(payments.slice(1, 1 + expected.payments.length).map((r) => [r[1], r[3], Number(r[6])])).toEqual(
      expected.payments.map((e) => [e.clientId, e.invoiceNumber, e.amountMinor / 100]),
    );
    const cashback = sheet('Cashback');
    const sum = (c: string) =>
      expected.cashback.filter((e) => e.currency === c).reduce((a, e) => a + e.amountMinor, 0);
    expect(cashback.slice(1 + expected.cashback.length).filter((r) => r.some(Boolean))).toEqual([
      ['Total CHF', '', '', '', '', String(sum('CHF') / 100)],
      ['Total EUR', '', '', '', '', String(sum('EUR') / 100)],
    ]);
  }, 120_000);
});

describe('the stream method exports.clientsFile (what the web host and the desktop shell save)', () => {
  it('streams the same file as exports.clients writes', async () => {
    const input = {
      partnerOrganizationId: alpha.organizationId,
      history: ['payments' as const],
      from: FROM,
      to: TO,
      format: 'csv' as const,
    };
    const file = await k.bytes('exports.clientsFile', input);
    expect(file.fileName).toBe(`clients-payments-${FROM}-${TO}.csv`);
    expect(file.mime).toBe('text/csv; charset=utf-8');
    const out = path.join(dir, 'payments-again.csv');
    await k.ok('exports.clients', base({ history: ['payments'], out }));
    expect(file.bytes.toString('utf8')).toBe(fs.readFileSync(out, 'utf8'));
  });

  it('refuses before the download starts, in the user’s language', async () => {
    const input = {
      partnerOrganizationId: alpha.organizationId,
      from: FROM,
      to: TO,
      format: 'xlsx' as const,
      clientIds: [otherClient.organizationId],
    };
    const refused = await k.fails('exports.clientsFile', input, 'not_managed_client', { locale: 'de-CH' });
    expect(refused.message).toContain('ist kein von Agence Alpha verwalteter Kunde');
    const bad = await k.call('exports.clientsFile', { ...input, format: 'pdf' }, { locale: 'en' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
