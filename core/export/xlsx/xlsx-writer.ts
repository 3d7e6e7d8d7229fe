// Streaming XLSX export with exceljs's WorkbookWriter: typed cells, so a spreadsheet never
// has to guess (TOOLCHAIN.md: LibreOffice turns "0012" into 12 when it guesses).
// - money: a real number, minor / 100. That is a binary float in the file — it is how every
//   spreadsheet stores numbers; minor / 100 is the double nearest the exact decimal (the same
//   one "1234.50" parses to), and the number format shows two decimals and the currency.
// - dates: a real date cell (a JS Date at UTC midnight → an integer serial day), formatted
//   dd.mm.yyyy (fr, de) or yyyy-mm-dd (en).
// - percent_bp: a number (bp / 10000) with a 0.00% format.
// - text: always a string cell, written as an inline string (t="inlineStr", through a
//   one-run rich text value). Never a formula: a formula needs an <f> element, which only a
//   { formula } value produces, so "=1+1" stays the text "=1+1" (tested with LibreOffice).
//   Not exceljs's plain string (t="str", "the string result of a formula"): LibreOffice trims
//   its leading and trailing spaces. Not shared strings: exceljs keeps every distinct string
//   in memory until the end, which a million distinct names would make large.
// - header row bold and frozen, autofilter over the data, column widths.
// - totals: VALUES summed exactly in minor units while streaming, one labelled row per
//   currency (a SUM over mixed CHF and EUR would be meaningless). No formulas anywhere.
//
// Memory: rows are committed as they are written. exceljs's sheet stream passes data to the
// zip without waiting ("write" always returns true), so a producer faster than deflate and
// the disk piles XML up in memory — that, not exceljs keeping the sheet, is what made 1M rows
// cost 655 MB here (TOOLCHAIN.md: 730–790 MB). This writer waits for the zip entry's input to
// drain (see `zipBacklog`): 1M invoice rows then peak at 158 MB RSS, flat from the first
// 50,000 rows. Sheets are written one after the other, each committed before the next
// starts: the zip takes entries in order, so a second open sheet would buffer whole.
// Speed is exceljs's: ~12,000 rows per CPU second for 13 typed, styled columns.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
// exceljs takes ~0.5 s to load: imported when the first workbook is written, so the commands
// and hosts that never write one do not pay for it at start (the types cost nothing).
import type ExcelJS from 'exceljs';
import {
  type Column,
  checkInteger,
  checkIsoDate,
  type ExportCurrency,
  type ExportLocale,
  ExportValueError,
  headerText,
  type RowSource,
} from '../csv/columns';
import { exportWords } from '#common/i18n/exports';
import { translate } from '#common/i18n/translate';
import { chunksOf, drained, TimeSlice, throwIfAborted } from '../csv/row-stream';

export interface XlsxSheet<Row> {
  name: string;
  columns: Column<Row>[];
  rows: RowSource<Row>;
  /** Append one totals row per currency for the money columns. */
  totals?: boolean;
}

export interface WriteXlsxOptions {
  locale?: ExportLocale;
  signal?: AbortSignal;
  /** Called after each chunk with the number of data rows written so far (all sheets). */
  onProgress?: (rows: number) => void;
  /** Rows pulled from the source at a time. Default 64. */
  chunkSize?: number;
  /** Longest stretch of work between yields to the event loop, in ms. Default 10. */
  sliceMs?: number;
  /** Workbook metadata. */
  creator?: string;
  /** Fixed timestamps make the file reproducible (tests). */
  created?: Date;
  /** Rows per sheet before a continuation sheet "Name (2)" starts. Default: Excel's limit. */
  maxRowsPerSheet?: number;
}

/** Excel's limits: 1,048,576 rows a sheet, 32,767 characters a cell, 31 characters a sheet name. */
export const XLSX_MAX_ROWS = 1_048_576;
const MAX_CELL_CHARS = 32_767;

const CURRENCY_FORMAT: Record<ExportCurrency, string> = {
  CHF: '#,##0.00 "CHF"',
  EUR: '#,##0.00 "€"',
};
const PLAIN_MONEY_FORMAT = '#,##0.00';
const DATE_FORMAT: Record<ExportLocale, string> = { en: 'yyyy-mm-dd', fr: 'dd.mm.yyyy', de: 'dd.mm.yyyy', it: 'dd.mm.yyyy' };

type Style = Partial<ExcelJS.Style>;
type CellData = ExcelJS.CellRichTextValue | number | Date | null;
type SheetWriter = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

/**
 * One style object per (kind, bold): exceljs recognises a style object it has seen (a
 * WeakMap) and skips re-serialising it for every cell, which is most of its per-cell cost.
 */
class Styles {
  private readonly cache = new Map<string, Style>();
  constructor(private readonly locale: ExportLocale) {}

  get(type: Column<unknown>['type'] | 'header', currency: ExportCurrency | undefined, bold: boolean): Style {
    const key = `${type}:${currency ?? ''}:${bold ? 'b' : ''}`;
    let style = this.cache.get(key);
    if (!style) {
      style = {};
      if (type === 'money') style.numFmt = currency ? CURRENCY_FORMAT[currency] : PLAIN_MONEY_FORMAT;
      else if (type === 'date') style.numFmt = DATE_FORMAT[this.locale];
      else if (type === 'percent_bp') style.numFmt = '0.00%';
      else if (type === 'integer') style.numFmt = '0';
      if (bold || type === 'header') style.font = { bold: true };
      this.cache.set(key, style);
    }
    return style;
  }
}

/** Excel forbids []:*?/\ in sheet names, and more than 31 characters; names must be unique. */
export function safeSheetName(name: string, taken: Set<string>): string {
  const base = (name.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Sheet').slice(0, 31);
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = base.slice(0, 31 - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

function defaultWidth(column: Column<unknown>, header: string): number {
  // 9 is exceljs's default width, which it leaves out of the file: 10 keeps the column explicit.
  const byType = { text: 24, money: 16, integer: 10, date: 12, percent_bp: 10 }[column.type];
  return Math.max(byType, Math.min(header.length + 2, 40));
}

/**
 * Text as an inline-string cell value: line ends as Excel stores them (LF; XML would turn a
 * CR into LF anyway), within Excel's 32,767-character limit.
 */
function textCell(value: string): ExcelJS.CellRichTextValue {
  let text = value.indexOf('\r') >= 0 ? value.replace(/\r\n?/g, '\n') : value;
  if (text.length > MAX_CELL_CHARS) text = text.slice(0, MAX_CELL_CHARS);
  return { richText: [{ text }] };
}

/**
 * How much of the sheet's XML waits, unzipped, in front of the zip — and the stream to wait
 * on. exceljs internals: the sheet stream is a StreamBuf whose `pipes[0]` is the PassThrough
 * archiver put in front of the entry (readable-stream 2: no `writableLength`, hence
 * `_writableState.length`); it fills when deflate or the destination is slower than the rows
 * come. If a future exceljs changes this, it degrades to no waiting, never to an error.
 */
type ZipEntryStream = NodeJS.WritableStream & {
  writableLength?: number;
  _writableState?: { length?: number };
};
function zipBacklog(sheet: SheetWriter): { stream: ZipEntryStream; bytes: number } | undefined {
  const source = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream;
  const target = source?.pipes?.[0] as ZipEntryStream | undefined;
  if (!target || typeof target.write !== 'function') return undefined;
  const bytes = target.writableLength ?? target._writableState?.length;
  return typeof bytes === 'number' ? { stream: target, bytes } : undefined;
}
const ZIP_BUFFER_LIMIT = 4 * 1024 * 1024;

/**
 * Writes the sheets as one XLSX to `out` (which exceljs ends when the zip is complete).
 * Resolves with the number of data rows written per sheet.
 */
export async function writeXlsx<Rows extends unknown[]>(
  sheets: { [K in keyof Rows]: XlsxSheet<Rows[K]> },
  out: NodeJS.WritableStream,
  options: WriteXlsxOptions = {},
): Promise<{ rows: number; sheets: { name: string; rows: number }[] }> {
  const { signal, onProgress } = options;
  const locale = options.locale ?? 'en';
  const chunkSize = options.chunkSize ?? 64;
  const slice = new TimeSlice(options.sliceMs ?? 10);
  const maxRows = Math.min(options.maxRowsPerSheet ?? XLSX_MAX_ROWS, XLSX_MAX_ROWS);
  throwIfAborted(signal);

  const { default: exceljs } = await import('exceljs');
  const workbook = new exceljs.stream.xlsx.WorkbookWriter({
    stream: out as unknown as import('node:stream').Stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = options.creator ?? 'Kontor';
  workbook.lastModifiedBy = options.creator ?? 'Kontor';
  if (options.created) {
    workbook.created = options.created;
    workbook.modified = options.created;
  }
  const styles = new Styles(locale);
  const takenNames = new Set<string>();
  const report: { name: string; rows: number }[] = [];
  let total = 0;

  try {
    for (const sheetDef of sheets as XlsxSheet<unknown>[]) {
      const columns = sheetDef.columns as Column<unknown>[];
      const headers = columns.map((c) => headerText(c, locale));
      const textColumn = Math.max(
        0,
        columns.findIndex((c) => c.type === 'text'),
      );
      // Totals per money column and currency, in exact minor units.
      const sums = columns.map(() => new Map<ExportCurrency | '', number>());
      const currenciesSeen = new Set<ExportCurrency | ''>();

      let sheetRows = 0; // rows in the current sheet, header included
      let sheetDataRows = 0;
      const lastCol = columnLetter(columns.length - 1);

      const openSheet = (suffix: string) => {
        const name = safeSheetName(sheetDef.name + suffix, takenNames);
        const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
        ws.columns = columns.map((c, i) => ({
          key: c.key,
          width: c.width ?? defaultWidth(c, headers[i] ?? ''),
        }));
        const header = ws.addRow(headers.map(textCell));
        headers.forEach((_, i) => {
          header.getCell(i + 1).style = styles.get('header', undefined, true);
        });
        header.commit();
        sheetRows = 1;
        sheetDataRows = 0;
        report.push({ name, rows: 0 });
        return ws;
      };
      const closeSheet = async (ws: SheetWriter) => {
        if (sheetDataRows > 0) ws.autoFilter = `A1:${lastCol}${sheetDataRows + 1}`;
        else ws.autoFilter = `A1:${lastCol}1`;
        await new Promise<void>((resolve, reject) => {
          const stream = (ws as unknown as { stream: NodeJS.EventEmitter }).stream;
          stream.once('zipped', () => resolve());
          stream.once('error', reject);
          ws.commit();
        });
      };

      let ws = openSheet('');
      let part = 1;
      for await (const chunk of chunksOf(sheetDef.rows, chunkSize)) {
        throwIfAborted(signal);
        for (const row of chunk) {
          // Room for the totals block (a blank row + one per currency) is kept on the sheet
          // that receives the last rows; continuation sheets take the rest.
          if (sheetRows >= maxRows - 4) {
            await closeSheet(ws);
            ws = openSheet(` (${++part})`);
          }
          const values: CellData[] = new Array(columns.length);
          const cellStyles: Style[] = new Array(columns.length);
          for (let c = 0; c < columns.length; c++) {
            const col = columns[c] as Column<unknown>;
            const raw = col.value(row);
            let value: CellData = null;
            let currency: ExportCurrency | undefined;
            if (raw !== null && raw !== undefined) {
              switch (col.type) {
                case 'text':
                  value = textCell(typeof raw === 'string' ? raw : String(raw));
                  break;
                case 'money': {
                  const minor = checkInteger(col.key, raw, 'integer minor units');
                  currency = col.currency?.(row);
                  if (currency !== undefined && currency !== 'CHF' && currency !== 'EUR') {
                    throw new ExportValueError(col.key, currency, 'a currency CHF or EUR');
                  }
                  const sumKey = currency ?? '';
                  const sum = (sums[c]?.get(sumKey) ?? 0) + minor;
                  if (!Number.isSafeInteger(sum))
                    throw new RangeError(`total of ${col.key} too large for exact arithmetic`);
                  sums[c]?.set(sumKey, sum);
                  currenciesSeen.add(sumKey);
                  value = minor / 100;
                  break;
                }
                case 'integer':
                  value = checkInteger(col.key, raw);
                  break;
                case 'percent_bp':
                  value = checkInteger(col.key, raw, 'integer basis points') / 10_000;
                  break;
                case 'date':
                  value = new Date(`${checkIsoDate(col.key, raw)}T00:00:00Z`);
                  break;
              }
            }
            values[c] = value;
            cellStyles[c] = styles.get(col.type, currency, false);
          }
          const added = ws.addRow(values);
          for (let c = 0; c < columns.length; c++) {
            if (values[c] !== null) added.getCell(c + 1).style = cellStyles[c] as Style;
          }
          added.commit();
          sheetRows++;
          sheetDataRows++;
          const current = report[report.length - 1];
          if (current) current.rows++;
        }
        total += chunk.length;
        if (slice.expired) {
          const backlog = zipBacklog(ws);
          if (backlog && backlog.bytes > ZIP_BUFFER_LIMIT) await drained(backlog.stream, signal);
          onProgress?.(total);
          await slice.yield();
        }
      }

      if (sheetDef.totals && columns.some((c) => c.type === 'money')) {
        ws.addRow([]).commit();
        const order: (ExportCurrency | '')[] = ['', 'CHF', 'EUR'];
        for (const currency of order.filter((c) => currenciesSeen.has(c))) {
          const values: CellData[] = columns.map(() => null);
          values[textColumn] = textCell(
            currency
              ? `${translate(exportWords, locale, 'total')} ${currency}`
              : translate(exportWords, locale, 'total'),
          );
          columns.forEach((col, c) => {
            if (col.type === 'money' && c !== textColumn) values[c] = (sums[c]?.get(currency) ?? 0) / 100;
          });
          const added = ws.addRow(values);
          columns.forEach((col, c) => {
            if (values[c] === null) return;
            added.getCell(c + 1).style =
              c === textColumn
                ? styles.get('header', undefined, true)
                : styles.get(col.type, currency || undefined, true);
          });
          added.commit();
        }
      }
      await closeSheet(ws);
      onProgress?.(total);
    }

    await workbook.commit();
  } catch (error) {
    // Stop the zip too: archiver would otherwise keep the destination open, half written.
    (workbook as unknown as { zip?: { abort?: () => void } }).zip?.abort?.();
    throw error;
  }
  return { rows: total, sheets: report };
}

/** Like writeXlsx, to a file renamed into place only when complete. */
export async function writeXlsxFile<Rows extends unknown[]>(
  path: string,
  sheets: { [K in keyof Rows]: XlsxSheet<Rows[K]> },
  options: WriteXlsxOptions = {},
): Promise<{ rows: number; sheets: { name: string; rows: number }[] }> {
  const partial = `${path}.part`;
  const out = createWriteStream(partial);
  try {
    const result = await writeXlsx<Rows>(sheets, out, options);
    if (!out.closed)
      await new Promise<void>((resolve, reject) => out.once('close', resolve).once('error', reject));
    await rename(partial, path);
    return result;
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
