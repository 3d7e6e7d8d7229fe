// Exports checked the way an accountant opens them: LibreOffice reads each CSV profile with
// the import settings of its locale (separator, charset, language, special numbers), and the
// XLSX as it is; everything is converted back to a plain CSV and compared with the source.
// A missing LibreOffice FAILS these tests: a skipped check is not a passed one.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '#core/export/csv/columns';
import { CSV_PROFILES, type CsvProfileId, writeCsvFile } from '#core/export/csv/csv-writer';
import { neutraliseText } from '#core/export/csv/formula-guard';
import { writeXlsxFile } from '#core/export/xlsx/xlsx-writer';

const run = promisify(execFile);

interface Row {
  number: string;
  name: string;
  note: string;
  issuedOn: string;
  currency: 'CHF' | 'EUR';
  amountMinor: number;
  vatBp: number;
  quantity: number;
}

const SOURCE: Row[] = [
  {
    number: 'F-2025-0001',
    name: 'Zoë Müller',
    note: 'plain',
    issuedOn: '2025-03-01',
    currency: 'CHF',
    amountMinor: -123_450,
    vatBp: 810,
    quantity: 3,
  },
  {
    number: 'F-2025-0002',
    name: 'Łukasz Żółć',
    note: 'line one\nline two',
    issuedOn: '2024-02-29',
    currency: 'EUR',
    amountMinor: 1999,
    vatBp: 2000,
    quantity: 1,
  },
  {
    number: 'F-2025-0003',
    name: 'Dupont; Fils & Cie',
    note: 'say "hello", ok',
    issuedOn: '2025-12-13',
    currency: 'CHF',
    amountMinor: 0,
    vatBp: 0,
    quantity: 0,
  },
  {
    number: 'F-2025-0004',
    name: '=1+1',
    note: '+41 44 123 45 67',
    issuedOn: '1999-12-31',
    currency: 'CHF',
    amountMinor: -5,
    vatBp: 250,
    quantity: -2,
  },
  {
    number: 'F-2025-0005',
    name: '@SUM(A1)',
    note: '-minus first',
    issuedOn: '2025-01-13',
    currency: 'EUR',
    amountMinor: 100_000_000,
    vatBp: 770,
    quantity: 12,
  },
  {
    number: 'F-2025-0006',
    name: 'Café "Zum Hirschen"',
    note: 'Crème brûlée; Größe',
    issuedOn: '2025-07-04',
    currency: 'CHF',
    amountMinor: 123_456_789,
    vatBp: 10_000,
    quantity: 1,
  },
  {
    number: 'F-2025-0007',
    name: '＝HYPERLINK("http://x")',
    note: 'two\n=lines',
    issuedOn: '2025-10-05',
    currency: 'EUR',
    amountMinor: -100,
    vatBp: 5,
    quantity: 7,
  },
  {
    number: 'G/2025/8',
    name: 'Müller & Söhne AG',
    note: '  padded both sides  ',
    issuedOn: '2025-06-30',
    currency: 'CHF',
    amountMinor: 10,
    vatBp: 810,
    quantity: 1,
  },
];

const h = (en: string, fr: string, de: string) => ({ en, fr, de });
const COLUMNS: Column<Row>[] = [
  { key: 'number', header: h('Number', 'Numéro', 'Nummer'), type: 'text', value: (r) => r.number },
  { key: 'name', header: h('Name', 'Nom', 'Name'), type: 'text', value: (r) => r.name },
  { key: 'note', header: h('Note', 'Remarque', 'Notiz'), type: 'text', value: (r) => r.note },
  { key: 'issuedOn', header: h('Date', 'Date', 'Datum'), type: 'date', value: (r) => r.issuedOn },
  { key: 'currency', header: h('Currency', 'Devise', 'Währung'), type: 'text', value: (r) => r.currency },
  {
    key: 'amount',
    header: h('Amount', 'Montant', 'Betrag'),
    type: 'money',
    value: (r) => r.amountMinor,
    currency: (r) => r.currency,
  },
  { key: 'vat', header: h('VAT %', 'TVA %', 'MWST %'), type: 'percent_bp', value: (r) => r.vatBp },
  { key: 'quantity', header: h('Qty', 'Qté', 'Menge'), type: 'integer', value: (r) => r.quantity },
];
const TEXT_KEYS = ['number', 'name', 'note', 'currency'] as const;

/**
 * LibreOffice's CSV import options per profile (help: "CSV Filter Options"):
 * field separator (ASCII), text delimiter 34 ("), charset 76 (UTF-8), first line 1, no
 * column formats, the language the profile's users run (decides the decimal mark and the
 * date order), quoted fields not forced to text, special numbers (dates) detected.
 */
const LANGUAGE: Record<CsvProfileId, { id: number; name: string }> = {
  spreadsheet: { id: 1033, name: 'en-US' },
  'excel-fr': { id: 1036, name: 'fr-FR' },
  'excel-ch': { id: 2055, name: 'de-CH' },
  'excel-de': { id: 1031, name: 'de-DE' },
  'excel-it': { id: 1040, name: 'it-IT' },
};
function importFilter(profile: CsvProfileId): string {
  const separator = CSV_PROFILES[profile].delimiter.charCodeAt(0);
  return `CSV:${separator},34,76,1,,${LANGUAGE[profile].id},false,true`;
}
/** Back to plain CSV: comma, UTF-8, raw values rather than "as shown" (so 1234.5, not 1 234,50 CHF). */
const EXPORT_CSV = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false';

let soffice = '';
const work = mkdtempSync(path.join(os.tmpdir(), 'kontor-lo-'));
const profileDir = path.join(work, 'lo-profile');

function findSoffice(): string {
  const chosen = process.env.SOFFICE;
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw new Error(`SOFFICE=${chosen} does not exist: point it at LibreOffice's soffice, or unset it`);
  }
  for (const candidate of [
    '/usr/bin/soffice',
    '/usr/lib/libreoffice/program/soffice',
    '/opt/libreoffice/program/soffice',
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'soffice');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'LibreOffice (soffice) is not installed, so exports cannot be checked the way users open them. ' +
      'Install it: apt-get install -y --no-install-recommends libreoffice-calc-nogui',
  );
}

async function convert(input: string, to: string, outDir: string, infilter?: string): Promise<string> {
  const args = [`-env:UserInstallation=${pathToFileURL(profileDir).href}`, '--headless', '--norestore'];
  if (infilter) args.push(`--infilter=${infilter}`);
  args.push('--convert-to', to, '--outdir', outDir, input);
  const { stdout, stderr } = await run(soffice, args, {
    timeout: 100_000,
    env: { ...process.env, HOME: work },
  });
  const extension = to.split(':')[0] as string;
  const output = path.join(outDir, `${path.basename(input, path.extname(input))}.${extension}`);
  if (!existsSync(output)) throw new Error(`soffice produced no ${output}\n${stdout}\n${stderr}`);
  return output;
}

function readCsv(file: string): string[][] {
  const parsed = Papa.parse<string[]>(readFileSync(file, 'utf8'), { delimiter: ',', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** LibreOffice writes a date cell's raw value as MM/DD/YYYY (en-US) or keeps ISO for an ISO-formatted cell. */
function readDate(cell: string): string {
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cell);
  if (us) return `${us[3]}-${us[1]}-${us[2]}`;
  expect(cell).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  return cell;
}

/** A number LibreOffice read AS A NUMBER comes back normalised ("-1234.5"); text would come back as written. */
function readNumber(cell: string): number {
  expect(cell).toMatch(/^-?\d+(\.\d+)?(E[+-]?\d+)?$/);
  return Number(cell);
}

// Found once; every test then FAILS with the reason when it is missing (a failing hook
// would only mark the tests skipped).
let setupError: unknown = null;
function requireSoffice(): void {
  if (setupError) throw setupError;
}

beforeAll(async () => {
  try {
    soffice = findSoffice();
    // First start creates the profile; later conversions reuse it (much faster).
    const warm = path.join(work, 'warm.csv');
    await writeCsvFile(warm, [], COLUMNS, 'spreadsheet');
    await convert(warm, EXPORT_CSV, path.join(work, 'warm-out'), importFilter('spreadsheet'));
  } catch (error) {
    setupError = error;
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('CSV profiles read back through LibreOffice', () => {
  it.each(Object.keys(CSV_PROFILES) as CsvProfileId[])('%s', async (profile) => {
    requireSoffice();
    const file = path.join(work, `${profile}.csv`);
    await writeCsvFile(file, SOURCE, COLUMNS, profile, { locale: 'fr' });
    const out = await convert(file, EXPORT_CSV, path.join(work, `out-${profile}`), importFilter(profile));
    const rows = readCsv(out);

    expect(rows[0]).toEqual(COLUMNS.map((c) => c.header.fr));
    expect(rows).toHaveLength(SOURCE.length + 1);
    SOURCE.forEach((source, i) => {
      const cells = rows[i + 1] as string[];
      const at = (key: string) => cells[COLUMNS.findIndex((c) => c.key === key)] as string;
      // Text exactly, with the apostrophe on what would otherwise execute.
      for (const key of TEXT_KEYS)
        expect(at(key), `${profile} line ${i + 2} ${key}`).toBe(neutraliseText(source[key]));
      // Numbers as numbers: "-1234,50" in a de/fr/it file became the number -1234.5.
      expect(readNumber(at('amount'))).toBe(source.amountMinor / 100);
      expect(readNumber(at('vat'))).toBe(source.vatBp / 100);
      expect(readNumber(at('quantity'))).toBe(source.quantity);
      // Dates as dates: ISO in every profile, the one form every reader takes as a date
      // (issue 15; test/integration/spreadsheet-three-readers.test.ts).
      expect(readDate(at('issuedOn'))).toBe(source.issuedOn);
    });
    // The formula stayed text.
    const formulaCell = rows[4]?.[1];
    expect(["'=1+1", '=1+1']).toContain(formulaCell);
    expect(formulaCell).not.toBe('2');
  });

  it.each(Object.keys(CSV_PROFILES) as CsvProfileId[])(
    '%s: LibreOffice types the cells (CSV → XLSX, read with exceljs)',
    async (profile) => {
      requireSoffice();
      const file = path.join(work, `typed-${profile}.csv`);
      await writeCsvFile(file, SOURCE, COLUMNS, profile, { locale: 'en' });
      const out = await convert(file, 'xlsx', path.join(work, `typed-out-${profile}`), importFilter(profile));
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error('no sheet');
      SOURCE.forEach((source, i) => {
        const row = sheet.getRow(i + 2);
        const cell = (key: string) => row.getCell(COLUMNS.findIndex((c) => c.key === key) + 1);
        expect(cell('amount').type, `${profile} amount line ${i + 2}`).toBe(ExcelJS.ValueType.Number);
        expect(cell('amount').value).toBe(source.amountMinor / 100);
        expect(cell('issuedOn').type, `${profile} date line ${i + 2}`).toBe(ExcelJS.ValueType.Date);
        expect((cell('issuedOn').value as Date).toISOString().slice(0, 10)).toBe(source.issuedOn);
        for (const key of TEXT_KEYS) {
          expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText]).toContain(cell(key).type);
          expect(cell(key).text).toBe(neutraliseText(source[key]));
          expect(cell(key).formula).toBeUndefined();
        }
      });
    },
  );
});

describe('XLSX read back through LibreOffice and exceljs', () => {
  const file = path.join(work, 'invoices.xlsx');
  beforeAll(async () => {
    await writeXlsxFile(file, [{ name: 'Rechnungen', columns: COLUMNS, rows: SOURCE, totals: true }], {
      locale: 'de',
      created: new Date('2025-01-01T00:00:00Z'),
    });
  });

  it('LibreOffice reads every value as written, and =1+1 as text', async () => {
    requireSoffice();
    const rows = readCsv(await convert(file, EXPORT_CSV, path.join(work, 'out-xlsx')));
    expect(rows[0]).toEqual(COLUMNS.map((c) => c.header.de));
    SOURCE.forEach((source, i) => {
      const cells = rows[i + 1] as string[];
      const at = (key: string) => cells[COLUMNS.findIndex((c) => c.key === key)] as string;
      // No apostrophes in a typed file: a text cell is text.
      for (const key of TEXT_KEYS) expect(at(key), `xlsx line ${i + 2} ${key}`).toBe(source[key]);
      expect(readNumber(at('amount'))).toBe(source.amountMinor / 100);
      expect(Number(at('vat').replace('%', ''))).toBeCloseTo(source.vatBp / 100, 10);
      expect(readNumber(at('quantity'))).toBe(source.quantity);
      expect(readDate(at('issuedOn'))).toBe(source.issuedOn);
    });
    expect(rows[4]?.[1]).toBe('=1+1');
    // Totals per currency, as values: CHF −1234.50 + 0 − 0.05 + 1234567.89 + 0.10; EUR 19.99 + 1000000 − 1.
    const totals = rows.slice(SOURCE.length + 1).filter((r) => r.some((c) => c !== ''));
    expect(totals).toEqual([
      ['Summe CHF', '', '', '', '', String((-123_450 + 0 - 5 + 123_456_789 + 10) / 100), '', ''],
      ['Summe EUR', '', '', '', '', String((1999 + 100_000_000 - 100) / 100), '', ''],
    ]);
  });

  it('cells are typed: numbers, dates, text — and no formula anywhere', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Rechnungen');
    if (!sheet) throw new Error('no sheet');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:H${SOURCE.length + 1}`);
    expect(sheet.getColumn(2).width).toBeGreaterThan(10);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);

    SOURCE.forEach((source, i) => {
      const row = sheet.getRow(i + 2);
      const cell = (key: string) => row.getCell(COLUMNS.findIndex((c) => c.key === key) + 1);
      for (const key of TEXT_KEYS) {
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText]).toContain(cell(key).type);
        expect(cell(key).text).toBe(source[key]);
      }
      expect(cell('amount').type).toBe(ExcelJS.ValueType.Number);
      expect(cell('amount').value).toBe(source.amountMinor / 100);
      expect(cell('amount').numFmt).toBe(source.currency === 'CHF' ? '#,##0.00 "CHF"' : '#,##0.00 "€"');
      expect(cell('issuedOn').type).toBe(ExcelJS.ValueType.Date);
      expect((cell('issuedOn').value as Date).toISOString()).toBe(`${source.issuedOn}T00:00:00.000Z`);
      expect(cell('issuedOn').numFmt).toBe('dd.mm.yyyy');
      expect(cell('vat').value).toBe(source.vatBp / 10_000);
      expect(cell('quantity').value).toBe(source.quantity);
    });

    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        expect(cell.formula).toBeUndefined();
      });
    });
    const totalsRow = sheet.getRow(SOURCE.length + 3);
    expect(totalsRow.getCell(1).text).toBe('Summe CHF');
    expect(totalsRow.getCell(6).value).toBe((-123_450 - 5 + 123_456_789 + 10) / 100);
    expect(totalsRow.getCell(6).numFmt).toBe('#,##0.00 "CHF"');
  });
});
