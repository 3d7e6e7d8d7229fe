// The exports of REAL invoices (made through the API, stored in SQLite) read back by the
// programs accountants use: LibreOffice for every CSV profile and the XLSX, poppler and qpdf
// for the PDF, a QR decoder for the Swiss QR-bill. What comes back must equal the database.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import Papa from 'papaparse';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_PROFILES, type CsvProfileId } from '#core/export/csv/csv-writer';
import { CH_QR_IBAN, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const run = promisify(execFile);
const space = useTempSpace('kontor-readback-');
const LANGUAGE: Record<CsvProfileId, number> = {
  spreadsheet: 1033,
  'excel-fr': 1036,
  'excel-ch': 2055,
  'excel-de': 1031,
  'excel-it': 1040,
};

let k: TestKontor;
let dir: string;
const numbers: string[] = [];

function soffice(): string {
  for (const c of ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'])
    if (fs.existsSync(c)) return c;
  throw new Error(
    'LibreOffice is missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui',
  );
}

/** LibreOffice opens `file` as a user would (filter options for CSV), and saves it as plain comma CSV. */
async function throughLibreOffice(file: string, infilter?: string): Promise<string[][]> {
  const out = path.join(dir, `lo-${path.basename(file)}`);
  fs.mkdirSync(out, { recursive: true });
  const args = [
    `-env:UserInstallation=${pathToFileURL(path.join(dir, 'lo-profile')).href}`,
    '--headless',
    '--norestore',
  ];
  if (infilter) args.push(`--infilter=${infilter}`);
  args.push(
    '--convert-to',
    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false',
    '--outdir',
    out,
    file,
  );
  await run(soffice(), args, { timeout: 120_000, env: { ...process.env, HOME: dir } });
  const csv = path.join(out, `${path.basename(file, path.extname(file))}.csv`);
  const parsed = Papa.parse<string[]>(fs.readFileSync(csv, 'utf8'), { delimiter: ',', skipEmptyLines: true });
  return parsed.data;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-readback-files-'));
  k = space.kontor();
  await setUpProvider(k, { iban: CH_QR_IBAN, name: 'Kontor Hébergement SA' });
  const payers = [
    { name: 'Zoë Müller-Lüdenscheidt', kind: 'individual', country: 'CH', currency: 'CHF' },
    { name: 'Łukasz Żółć; "Ślask" Sp.', kind: 'individual', country: 'FR', currency: 'EUR' },
    { name: '=1+1 Conseil', kind: 'company', country: 'CH', currency: 'CHF' },
  ] as const;
  for (const [i, p] of payers.entries()) {
    const org = await k.ok('organizations.create', {
      kind: p.kind,
      name: p.name,
      country: p.country,
      currency: p.currency,
    });
    await k.ok('addresses.create', {
      organizationId: org.id,
      label: 'Siège',
      recipient: p.name,
      line1: i === 0 ? 'Bahnhofstrasse 1' : 'Rue du Rhône 4',
      postalCode: '8001',
      city: i === 0 ? 'Zürich' : 'Genève',
      country: p.country,
    });
    const draft = await k.ok('invoices.create', {
      organizationId: org.id,
      issuedOn: `2026-0${i + 3}-1${i}`,
      lines: [
        {
          description: 'Hébergement\n"Pro"; annuel',
          quantityMilli: 12_000,
          unitPriceMinor: 1_495,
          discountBp: 1_000,
        },
        { description: '-Remise fidélité', quantityMilli: 1_000, unitPriceMinor: -500, discountBp: 0 },
      ],
    });
    const issued = await k.ok('invoices.issue', { id: draft.id, issuedOn: `2026-0${i + 3}-1${i}` });
    numbers.push(issued.number as string);
  }
  // A credit note: a negative amount in every export.
  const first = await k.ok('invoices.getByNumber', { number: numbers[0] as string });
  const note = await k.ok('invoices.creditNote', {
    invoiceId: first.id,
    lines: [{ description: 'Geste', quantityMilli: 1_000, unitPriceMinor: 1_000, discountBp: 0 }],
  });
  numbers.push(note.number as string);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function databaseRows() {
  const page = await k.ok('invoices.list', { direction: 'asc', limit: 1000 });
  return page.rows;
}

describe('invoice exports read back by LibreOffice equal the database', () => {
  for (const profile of Object.keys(CSV_PROFILES) as CsvProfileId[]) {
    it(`CSV profile ${profile}`, async () => {
      const file = path.join(dir, `invoices-${profile}.csv`);
      await k.ok('exports.invoices', { format: 'csv', profile, out: file, locale: 'fr' });
      const delimiter = CSV_PROFILES[profile].delimiter.charCodeAt(0);
      const rows = await throughLibreOffice(
        file,
        `CSV:${delimiter},34,76,1,,${LANGUAGE[profile]},false,true`,
      );
      const [header, ...body] = rows;
      expect(header?.[0]).toBe('Numéro');
      const expected = await databaseRows();
      expect(body).toHaveLength(expected.length);
      for (const [i, row] of body.entries()) {
        const db = expected[i];
        if (!db) throw new Error('row count');
        const sign = db.kind === 'credit_note' ? -1 : 1;
        expect(row[0]).toBe(db.number);
        // Read as numbers by LibreOffice in the profile's locale (text would come back as written).
        expect(Number(row[9])).toBeCloseTo((sign * db.netMinor) / 100, 2);
        expect(Number(row[11])).toBeCloseTo((sign * db.grossMinor) / 100, 2);
        expect(row[5]).toBe(
          db.organizationName.startsWith('=') ? `'${db.organizationName}` : db.organizationName,
        );
      }
      // The formula-looking name stays text: never 2.
      expect(body.some((r) => r[5] === '2')).toBe(false);
      expect(body.map((r) => r[5])).toContain('Łukasz Żółć; "Ślask" Sp.');
      expect(body.some((r) => Number(r[11]) < 0)).toBe(true);
    }, 120_000);
  }

  it('XLSX: numbers, dates and text read back', async () => {
    const file = path.join(dir, 'invoices.xlsx');
    await k.ok('exports.invoices', { format: 'xlsx', out: file, locale: 'de' });
    const rows = await throughLibreOffice(file);
    const expected = await databaseRows();
    const body = rows.slice(1, 1 + expected.length);
    for (const [i, row] of body.entries()) {
      const db = expected[i];
      if (!db) throw new Error('row count');
      const sign = db.kind === 'credit_note' ? -1 : 1;
      expect(row[0]).toBe(db.number);
      expect(Number(row[11])).toBeCloseTo((sign * db.grossMinor) / 100, 2);
      expect(row[5]).toBe(db.organizationName);
    }
    expect(body.map((r) => r[5])).toContain('=1+1 Conseil');
  }, 120_000);

  // Issue 14: files for Ticino and Italy carry Italian headers; the numbers stay numbers.
  it('in Italian: the excel-it CSV and the XLSX read back with Italian headers and the same amounts', async () => {
    const csv = path.join(dir, 'fatture.csv');
    await k.ok('exports.invoices', { format: 'csv', profile: 'excel-it', out: csv, locale: 'it' });
    const csvRows = await throughLibreOffice(csv, `CSV:59,34,76,1,,${LANGUAGE['excel-it']},false,true`);
    const xlsx = path.join(dir, 'fatture.xlsx');
    await k.ok('exports.invoices', { format: 'xlsx', out: xlsx, locale: 'it' });
    const xlsxRows = await throughLibreOffice(xlsx);
    const expected = await databaseRows();
    for (const rows of [csvRows, xlsxRows]) {
      const [header, ...body] = rows;
      expect(header?.slice(0, 4)).toEqual(['Numero', 'Tipo', 'Stato', 'Data']);
      expect(header).toContain('Imponibile');
      expect(header).toContain('Partita IVA');
      for (const [i, db] of expected.entries()) {
        const sign = db.kind === 'credit_note' ? -1 : 1;
        expect(body[i]?.[0]).toBe(db.number);
        expect(Number(body[i]?.[11])).toBeCloseTo((sign * db.grossMinor) / 100, 2);
      }
    }
  }, 120_000);
});

describe('invoice PDFs read back by poppler, qpdf and a QR decoder', () => {
  it('carries number, totals, addresses, and a QR-bill whose payload matches', async () => {
    const invoice = await k.ok('invoices.getByNumber', { number: numbers[1] as string });
    const out = path.join(dir, 'one.pdf');
    fs.writeFileSync(out, (await k.bytes('invoices.pdf', { id: invoice.id })).bytes);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', out, '-'], {
      encoding: 'utf8',
    }).replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain(invoice.number as string);
    expect(text).toContain('Łukasz Żółć; "Ślask" Sp.');
    expect(text).toContain('Genève');
    expect(text).toContain('Kontor Hébergement SA');
    const gross = (invoice.grossMinor / 100).toFixed(2);
    // Digit groups may be set with a space, an apostrophe or a right single quote.
    expect(text.replace(/[ ’']/g, '')).toContain(gross.replace('.', ','));
    const check = spawnSync('qpdf', ['--check', out], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))?.[1]);
    const prefix = path.join(dir, 'qr');
    execFileSync('pdftoppm', [
      '-r',
      '200',
      '-png',
      '-f',
      String(pages),
      '-l',
      String(pages),
      '-singlefile',
      out,
      prefix,
    ]);
    const png = PNG.sync.read(fs.readFileSync(`${prefix}.png`));
    const code = jsQR(
      new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
      png.width,
      png.height,
    );
    if (!code) throw new Error('no QR code found');
    const payload = new TextDecoder().decode(Uint8Array.from(code.binaryData)).split(/\r?\n/);
    expect(payload[0]).toBe('SPC');
    expect(payload[3]).toBe(CH_QR_IBAN.replace(/\s/g, ''));
    expect(payload).toContain(gross);
    expect(payload).toContain('EUR');
    expect(payload).toContain('QRR');
    expect(payload).toContain(invoice.paymentReference);
  }, 120_000);
});
