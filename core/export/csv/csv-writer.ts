// Streaming CSV export. Two families of files (CSV_PROFILES):
// - `spreadsheet`: comma, dot decimals, ISO dates, UTF-8 without BOM — what LibreOffice,
//   Numbers, Google Sheets and scripts read without asking;
// - `excel-fr|ch|de|it`: what Excel opens with a double click in that locale: semicolon (the
//   Windows list separator there), the locale's decimal mark, and a UTF-8 BOM (without it
//   Excel reads the file as Windows-1252 and garbles Zoë and Łukasz).
// Dates are ISO (2024-02-29) in every profile: it is the one form every reader takes as a
// date — Excel in any locale, and LibreOffice with the profile's filter options, with its
// import dialog's defaults ("detect special numbers" off: 29.02.2024 stays text) and with a
// plain --convert-to (tested: test/integration/spreadsheet-three-readers.test.ts). The
// reader then shows it in its own locale's format.
// Lines end in CRLF (RFC 4180). No thousands separators: "1 234,50" or "1'234.50" is text to
// some locales, "1234,50" is a number to all that use the comma.
//
// Text cells are neutralised against formula injection (formula-guard.ts); money and integer
// cells are plain numbers and never are — "-1234.50" is a negative amount, not a formula.
//
// Quoting: RFC 4180 as papaparse's `unparse` does it (a field is quoted when it holds the
// delimiter, a quote, CR, LF or a BOM, or starts or ends with a space; quotes are doubled).
// The default engine is a hand-written quoter with exactly those rules — a property test
// checks it byte for byte against Papa.unparse, and every export is read back with
// papaparse's parser in the tests. Why not Papa.unparse itself (still available as
// `engine: 'papaparse'`): measured with test/bench/spreadsheet.bench.ts on 1M invoice rows
// (2 cores shared with other work, load average ~10, so CPU seconds are the steady figure):
// the hand-written quoter used 10.7–14.5 CPU s, Papa.unparse on chunks 13.4–17.9 CPU s
// (20–25% more: it builds an array of arrays per chunk and re-checks every cell's type), the
// bare join-with-';' floor 7.8–9.7 CPU s. Same bytes, less work: the quoter wins.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
// papaparse is only the 'papaparse' engine's (a reference for tests): imported when asked for.
import type Papa from 'papaparse';
import {
  type CellValue,
  type Column,
  checkInteger,
  checkIsoDate,
  type ExportLocale,
  ExportValueError,
  headerText,
  hundredthsToDecimal,
  type RowSource,
} from './columns';
import { exportWords } from '#common/i18n/exports';
import { inEveryLanguage } from '#common/i18n/translate';
import { neutraliseText } from './formula-guard';
import { chunksOf, TimeSlice, throwIfAborted, writeWithBackpressure } from './row-stream';

export type CsvProfileId = 'spreadsheet' | 'excel-fr' | 'excel-ch' | 'excel-de' | 'excel-it';
export type CsvDateStyle = 'yyyy-mm-dd' | 'dd.mm.yyyy' | 'dd/mm/yyyy';

export interface CsvProfile {
  id: CsvProfileId;
  label: Record<ExportLocale, string>;
  delimiter: ',' | ';';
  decimal: '.' | ',';
  date: CsvDateStyle;
  bom: boolean;
  newline: '\r\n';
}

export const CSV_PROFILES: Record<CsvProfileId, CsvProfile> = {
  spreadsheet: {
    id: 'spreadsheet',
    label: inEveryLanguage(exportWords, 'profile.spreadsheet'),
    delimiter: ',',
    decimal: '.',
    date: 'yyyy-mm-dd',
    bom: false,
    newline: '\r\n',
  },
  'excel-fr': {
    id: 'excel-fr',
    label: inEveryLanguage(exportWords, 'profile.excel-fr'),
    delimiter: ';',
    decimal: ',',
    date: 'yyyy-mm-dd',
    bom: true,
    newline: '\r\n',
  },
  'excel-ch': {
    id: 'excel-ch',
    label: inEveryLanguage(exportWords, 'profile.excel-ch'),
    delimiter: ';',
    decimal: '.',
    date: 'yyyy-mm-dd',
    bom: true,
    newline: '\r\n',
  },
  'excel-de': {
    id: 'excel-de',
    label: inEveryLanguage(exportWords, 'profile.excel-de'),
    delimiter: ';',
    decimal: ',',
    date: 'yyyy-mm-dd',
    bom: true,
    newline: '\r\n',
  },
  'excel-it': {
    id: 'excel-it',
    label: inEveryLanguage(exportWords, 'profile.excel-it'),
    delimiter: ';',
    decimal: ',',
    date: 'yyyy-mm-dd',
    bom: true,
    newline: '\r\n',
  },
};

export interface WriteCsvOptions {
  /** Header language. Default 'en'. */
  locale?: ExportLocale;
  signal?: AbortSignal;
  /** Called after each write with the number of data rows written so far. */
  onProgress?: (rows: number) => void;
  /** Rows pulled from the source at a time. Default 256. */
  chunkSize?: number;
  /** Longest stretch of work between yields to the event loop, in ms. Default 10. */
  sliceMs?: number;
  /** 'fast' (default): hand-written quoting with papaparse's rules. 'papaparse': Papa.unparse per chunk. */
  engine?: 'fast' | 'papaparse';
}

export const UTF8_BOM = '\ufeff';

/**
 * Quotes a field by papaparse's unparse rules (see `safe()` in papaparse.js): quoted when it
 * contains the delimiter, '"', CR, LF or U+FEFF, or starts or ends with a space — and, beyond
 * papaparse, whenever it holds any common separator (, ; TAB): a ';' file is also opened with
 * ',' (a double click where the comma is the list separator), and then an unquoted
 * "Acme, Inc" splits in two (formula-guard.ts says why its parts are guarded too).
 */
export function makeQuoter(delimiter: string): (field: string) => string {
  const escaped = delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const needsQuotes = new RegExp(`[\\r\\n"\\ufeff,;\\t]|${escaped}|^ | $`);
  return (field) => (needsQuotes.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
}

/** What makeQuoter adds to papaparse's own rule (the papaparse engine forces quotes on these). */
export const ALWAYS_QUOTED = /[,;\t]/;

/** One cell as CSV text (unquoted): the single place where a column type meets a profile. */
export function formatCsvCell(
  type: Column<unknown>['type'],
  key: string,
  value: CellValue,
  profile: CsvProfile,
): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'text':
      return neutraliseText(typeof value === 'string' ? value : String(value));
    case 'money':
      return hundredthsToDecimal(checkInteger(key, value, 'integer minor units'), profile.decimal);
    case 'percent_bp':
      // Basis points as percent points with two decimals: 770 → "7.70" (a plain number; the
      // header says "%"). "7,70 %" would be a percentage to some locales and text to others.
      return hundredthsToDecimal(checkInteger(key, value, 'integer basis points'), profile.decimal);
    case 'integer':
      return String(checkInteger(key, value));
    case 'date': {
      const iso = checkIsoDate(key, value);
      switch (profile.date) {
        case 'yyyy-mm-dd':
          return iso;
        case 'dd.mm.yyyy':
          return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
        case 'dd/mm/yyyy':
          return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
      }
    }
  }
  throw new ExportValueError(key, value, `a known column type, not ${String(type)}`);
}

/**
 * Streams rows to `out` as CSV. Respects backpressure, yields to the event loop between
 * chunks, and holds one chunk of rows at a time. Does not end `out` (the caller owns it; see
 * writeCsvFile for a file). Rejects with the signal's reason when aborted.
 */
export async function writeCsv<Row>(
  rows: RowSource<Row>,
  columns: Column<Row>[],
  profile: CsvProfile | CsvProfileId,
  out: NodeJS.WritableStream,
  options: WriteCsvOptions = {},
): Promise<{ rows: number }> {
  const p = typeof profile === 'string' ? CSV_PROFILES[profile] : profile;
  if (!p) throw new TypeError(`unknown CSV profile ${String(profile)}`);
  if (p.decimal === p.delimiter)
    throw new TypeError('a CSV profile cannot use its delimiter as the decimal mark');
  const { signal, onProgress } = options;
  const locale = options.locale ?? 'en';
  const chunkSize = options.chunkSize ?? 256;
  const quote = makeQuoter(p.delimiter);
  const usePapa = options.engine === 'papaparse';
  const papa = usePapa ? (await import('papaparse')).default : null;
  const width = columns.length;
  throwIfAborted(signal);
  // One formatter per column, chosen once: the per-cell work is then a call and the format.
  const formatters = columns.map((col) => {
    const { type, key } = col;
    if (type === 'text') return (row: Row) => quote(formatCsvCell('text', key, col.value(row), p));
    // Numbers and dates never hold a delimiter or a quote (the Swiss profile pairs '.'
    // decimals with ';', the others never share a character), so they are never quoted.
    return (row: Row) => formatCsvCell(type, key, col.value(row), p);
  });
  const cellsOf = (row: Row): string[] =>
    columns.map((col) => formatCsvCell(col.type, col.key, col.value(row), p));

  const header = columns.map((c) => neutraliseText(headerText(c, locale)));
  const textColumns = columns.map((c) => c.type === 'text');
  const headerLine = usePapa
    ? unparse(
        papa!,
        [header],
        p,
        columns.map(() => true),
      )
    : header.map(quote).join(p.delimiter);
  await writeWithBackpressure(out, (p.bom ? UTF8_BOM : '') + headerLine + p.newline, signal);

  let written = 0;
  let pending = '';
  const slice = new TimeSlice(options.sliceMs ?? 10);
  const flush = async () => {
    await writeWithBackpressure(out, pending, signal);
    pending = '';
    onProgress?.(written);
    await slice.yield();
  };
  for await (const chunk of chunksOf(rows, chunkSize)) {
    throwIfAborted(signal);
    if (usePapa) {
      const data: string[][] = new Array(chunk.length);
      for (let r = 0; r < chunk.length; r++) data[r] = cellsOf(chunk[r] as Row);
      pending += unparse(papa!, data, p, textColumns) + p.newline;
    } else {
      for (let r = 0; r < chunk.length; r++) {
        const row = chunk[r] as Row;
        let line = '';
        for (let c = 0; c < width; c++)
          line += (c === 0 ? '' : p.delimiter) + (formatters[c] as (row: Row) => string)(row);
        // A lone empty field would be a blank line, which readers skip: quote it to keep the row.
        pending += (line === '' && width === 1 ? '""' : line) + p.newline;
      }
    }
    written += chunk.length;
    if (slice.expired || pending.length > 1 << 20) await flush();
  }
  if (pending || written === 0) await flush();
  return { rows: written };
}

function unparse(papa: typeof Papa, data: string[][], p: CsvProfile, text: boolean[]): string {
  return papa.unparse(data, {
    delimiter: p.delimiter,
    newline: p.newline,
    header: false,
    // Text cells holding a common separator are quoted in every profile (makeQuoter).
    quotes: (value: unknown, column: number) =>
      Boolean(text[column]) && typeof value === 'string' && ALWAYS_QUOTED.test(value),
  });
}

/**
 * Writes a CSV file next to `path` and renames it into place when complete, so a cancelled
 * or failed export never leaves a half file under the name the user chose.
 */
export async function writeCsvFile<Row>(
  path: string,
  rows: RowSource<Row>,
  columns: Column<Row>[],
  profile: CsvProfile | CsvProfileId,
  options: WriteCsvOptions = {},
): Promise<{ rows: number }> {
  const partial = `${path}.part`;
  const out = createWriteStream(partial);
  try {
    const result = await writeCsv(rows, columns, profile, out, options);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    await rename(partial, path);
    return result;
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
