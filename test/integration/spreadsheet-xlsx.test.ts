// The XLSX writer's own behaviour, read back with exceljs's reader: several sheets of
// different rows, continuation sheets past the row limit, totals, abort, bounded memory.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '#core/export/csv/columns';
import { safeSheetName, writeXlsx, writeXlsxFile } from '#core/export/xlsx/xlsx-writer';

interface Invoice {
  number: string;
  currency: 'CHF' | 'EUR';
  grossMinor: number;
  issuedOn: string;
}
interface Payment {
  method: string;
  amountMinor: number;
}

const invoiceColumns: Column<Invoice>[] = [
  {
    key: 'number',
    header: { en: 'Number', fr: 'Numéro', de: 'Nummer' },
    type: 'text',
    value: (r) => r.number,
  },
  {
    key: 'issuedOn',
    header: { en: 'Date', fr: 'Date', de: 'Datum' },
    type: 'date',
    value: (r) => r.issuedOn,
  },
  {
    key: 'gross',
    header: { en: 'Total', fr: 'Total TTC', de: 'Brutto' },
    type: 'money',
    value: (r) => r.grossMinor,
    currency: (r) => r.currency,
  },
];
const paymentColumns: Column<Payment>[] = [
  {
    key: 'method',
    header: { en: 'Method', fr: 'Moyen', de: 'Zahlungsart' },
    type: 'text',
    value: (r) => r.method,
  },
  {
    key: 'amount',
    header: { en: 'Amount', fr: 'Montant', de: 'Betrag' },
    type: 'money',
    value: (r) => r.amountMinor,
  },
];

function* invoices(count: number, onDone?: () => void): Generator<Invoice> {
  try {
    for (let i = 1; i <= count; i++) {
      yield {
        number: `F-${String(i).padStart(6, '0')}`,
        currency: i % 3 === 0 ? 'EUR' : 'CHF',
        grossMinor: i % 5 === 0 ? -i * 101 : i * 101,
        issuedOn: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
      };
    }
  } finally {
    onDone?.();
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kontor-xlsx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function read(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

describe('writeXlsx', () => {
  it('writes sheets of different rows, each with its header and exact per-currency totals', async () => {
    const file = path.join(tmp, 'two-sheets.xlsx');
    const result = await writeXlsxFile(
      file,
      [
        { name: 'Invoices', columns: invoiceColumns, rows: invoices(100), totals: true },
        {
          name: 'Payments',
          columns: paymentColumns,
          rows: [{ method: 'card', amountMinor: 1050 }],
          totals: true,
        },
      ],
      { locale: 'fr' },
    );
    expect(result.rows).toBe(101);
    const workbook = await read(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Invoices', 'Payments']);

    const sheet = workbook.getWorksheet('Invoices')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      ...['Numéro', 'Date', 'Total TTC'].map((text) => ({ richText: [{ text }] })),
    ]);
    let chf = 0;
    let eur = 0;
    for (const inv of invoices(100)) {
      if (inv.currency === 'CHF') chf += inv.grossMinor;
      else eur += inv.grossMinor;
    }
    expect(sheet.getRow(103).getCell(1).text).toBe('Total CHF');
    expect(sheet.getRow(103).getCell(3).value).toBe(chf / 100);
    expect(sheet.getRow(104).getCell(1).text).toBe('Total EUR');
    expect(sheet.getRow(104).getCell(3).value).toBe(eur / 100);
    expect(sheet.getRow(104).getCell(3).numFmt).toBe('#,##0.00 "€"');
    expect(sheet.getRow(2).getCell(2).numFmt).toBe('dd.mm.yyyy');

    const payments = workbook.getWorksheet('Payments')!;
    expect(payments.getRow(2).getCell(2).value).toBe(10.5);
    expect(payments.getRow(2).getCell(2).numFmt).toBe('#,##0.00');
    expect(payments.getRow(4).getCell(1).text).toBe('Total');
  });

  it('continues on a new sheet past the row limit, totals on the last one', async () => {
    const file = path.join(tmp, 'rollover.xlsx');
    const result = await writeXlsxFile(
      file,
      [{ name: 'Invoices', columns: invoiceColumns, rows: invoices(25), totals: true }],
      {
        maxRowsPerSheet: 14,
      },
    );
    expect(result.sheets).toEqual([
      // 14 rows a sheet: the header, 9 data rows, and room for a blank row and 3 totals rows.
      { name: 'Invoices', rows: 9 },
      { name: 'Invoices (2)', rows: 9 },
      { name: 'Invoices (3)', rows: 7 },
    ]);
    const workbook = await read(file);
    const numbers = workbook.worksheets.flatMap((sheet) => {
      const values: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1 && row.getCell(1).text.startsWith('F-')) values.push(row.getCell(1).text);
      });
      return values;
    });
    expect(numbers).toEqual([...invoices(25)].map((i) => i.number));
    expect(workbook.worksheets[2]?.getRow(10).getCell(1).text).toBe('Total CHF');
    expect(workbook.worksheets[0]?.getRow(11).getCell(1).text).toBe('');
  });

  it('names sheets as Excel allows', () => {
    const taken = new Set<string>();
    expect(safeSheetName('Factures 2025/03: [payées]?', taken)).toBe('Factures 2025 03   payées');
    expect(safeSheetName('A very long sheet name that Excel would refuse', taken)).toHaveLength(31);
    expect(safeSheetName('factures 2025 03   payées', taken)).toBe('factures 2025 03   payées (2)');
    expect(safeSheetName('', taken)).toBe('Sheet');
  });

  it('stops on abort, closes the source, and leaves no file', async () => {
    const controller = new AbortController();
    let closed = false;
    const file = path.join(tmp, 'aborted.xlsx');
    const promise = writeXlsxFile(
      file,
      [{ name: 'Invoices', columns: invoiceColumns, rows: invoices(1_000_000, () => (closed = true)) }],
      {
        signal: controller.signal,
        onProgress: (n) => {
          if (n >= 5_000) controller.abort();
        },
      },
    );
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(closed).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.part`)).toBe(false);
  });

  it('keeps memory bounded and the event loop responsive while streaming 200,000 rows', async () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        bytes += chunk.length;
        done();
      },
    });
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let longestGap = 0;
    let ticks = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 5);
    const started = performance.now();
    await writeXlsx(
      [{ name: 'Invoices', columns: invoiceColumns, rows: invoices(200_000), totals: true }],
      sink,
    );
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(bytes).toBeGreaterThan(1_000_000);
    // The sheet's XML is deflated as it is produced: the heap never holds the whole sheet
    // (about 25 MB of XML for these rows).
    expect(peakHeap - heapBefore).toBeLessThan(150 * 1024 * 1024);
    // Timers fire all along (10 ms work slices); the gap bound is loose because a loaded,
    // shared machine adds its own scheduling delays.
    expect(ticks).toBeGreaterThan(Math.max(5, elapsed / 100));
    expect(longestGap).toBeLessThan(1000);
  });
});
