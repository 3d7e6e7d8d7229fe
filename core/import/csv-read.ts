// Reading a CSV file: bytes → text (encoding detected) → rows (delimiter detected), each row
// with its physical line number (the header is line 1; a quoted field spanning lines counts
// every line), so a person finds it in a text editor or in the spreadsheet's row numbers.
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type IconvLite from 'iconv-lite';
import type Papaparse from 'papaparse';

// papaparse and iconv-lite (tens of ms to load) serve only when a file is read: each is
// required on its first use, not when the router (which reaches this module) starts.
// Synchronous, because reading a file here is; both are CommonJS packages.
const requireHere = createRequire(import.meta.url);
let papaparse: typeof Papaparse | undefined;
let iconvLite: typeof IconvLite | undefined;
const papa = (): typeof Papaparse => (papaparse ??= requireHere('papaparse') as typeof Papaparse);
const iconv = (): typeof IconvLite => (iconvLite ??= requireHere('iconv-lite') as typeof IconvLite);

// ---------------------------------------------------------------------------------------
// Encoding

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * Without a BOM, UTF-16 shows itself by its zero bytes: CSV text is mostly ASCII, so one byte
 * of each pair is 0 — the odd ones in little-endian, the even ones in big-endian.
 */
function utf16Without(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.3 && even < pairs * 0.05) return 'utf-16le';
  if (even > pairs * 0.3 && odd < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * A BOM decides (UTF-8, UTF-16LE — Excel's "Unicode text" — or UTF-16BE); then UTF-16 without
 * a BOM by its zero bytes; then bytes that are valid UTF-8 are UTF-8 (Windows-1252 text with
 * any accented letter almost never is), and everything else is Windows-1252 — what Excel
 * writes for "CSV" on a Western European Windows.
 */
export function detectEncoding(bytes: Buffer): TextEncoding {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const wide = utf16Without(bytes);
  if (wide) return wide;
  if (isUtf8(bytes)) return 'utf-8';
  return 'windows-1252';
}

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'ZIP archive (an XLSX or ODS spreadsheet?)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'old Excel/Office file (XLS)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'SQLite database' },
];

/**
 * What a file that is not text is, or null when it is text: a known signature, or control
 * bytes no text file holds (NUL outside UTF-16, or many others). A PNG named .csv is called a
 * PNG image, not "Line 1: Name is required".
 */
export function notText(bytes: Buffer, encoding: TextEncoding = detectEncoding(bytes)): string | null {
  for (const s of SIGNATURES) if (s.bytes.every((b, i) => bytes[i] === b)) return s.what;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return null;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return 'binary file';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > n * 0.05 ? 'binary file' : null;
}

/** The file's text, BOM removed. */
export function decode(bytes: Buffer, encoding: TextEncoding = detectEncoding(bytes)): string {
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return iconv().decode(bytes, 'utf-8', { stripBOM: true });
    case 'utf-16le':
      return iconv().decode(bytes, 'utf-16le', { stripBOM: true });
    case 'utf-16be':
      return iconv().decode(bytes, 'utf-16be', { stripBOM: true });
    case 'windows-1252':
      return iconv().decode(bytes, 'windows-1252');
  }
}

// ---------------------------------------------------------------------------------------
// Parsing

export type ParseErrorCode =
  | 'MissingQuotes'
  | 'InvalidQuotes'
  | 'TooFewFields'
  | 'TooManyFields'
  | 'UndetectableDelimiter';

export interface ParsedCsv {
  delimiter: string;
  headers: string[];
  rows: { line: number; cells: string[] }[];
  errors: { line: number; code: ParseErrorCode; message?: string }[];
}

export const DELIMITERS = [',', ';', '\t', '|'];

export interface CsvWalk {
  delimiter: string;
  headers: string[];
  errors: ParsedCsv['errors'];
}

/**
 * Walks CSV text with papaparse, one row at a time (step): `onRow` receives each data row
 * with its physical line and the parser's first complaint about its shape, if any, and may
 * return false to stop. The delimiter is detected among , ; TAB | unless given. Blank lines
 * are skipped (their line numbers still count). A row whose field count differs from the
 * header's is passed on with TooFewFields / TooManyFields. Nothing but the current row is
 * held: a million-row file streams through in the memory of one row.
 */
export function walkCsv(
  text: string,
  options: { delimiter?: string },
  onRow: (line: number, cells: string[], structural: ParseErrorCode | null) => boolean | undefined,
): CsvWalk {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const errors: ParsedCsv['errors'] = [];
  let headers: string[] | null = null;
  let delimiter = options.delimiter ?? '';
  // Physical line of the current row's first character: count line breaks from the previous
  // row start to this one (CRLF, LF and lone CR each end a line, as editors count them).
  let scanned = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    for (let i = scanned; i < offset; i++) {
      const c = input.charCodeAt(i);
      if (c === 10 || (c === 13 && input.charCodeAt(i + 1) !== 10)) line++;
    }
    scanned = Math.max(scanned, offset);
    return line;
  };
  let rowStart = 0;

  // The delimiter is guessed on the first rows with blank lines ignored (papaparse counts a
  // blank line as a one-field row, which can defeat its guess); the real parse keeps blank
  // lines so that every row's position, hence its line number, is known.
  if (!delimiter) {
    const guess = papa().parse<string[]>(input.slice(0, 64 * 1024), {
      delimitersToGuess: DELIMITERS,
      skipEmptyLines: 'greedy',
      preview: 20,
    });
    delimiter = guess.meta.delimiter;
  }

  papa().parse<string[]>(input, {
    delimiter,
    skipEmptyLines: false,
    step: (result, parser) => {
      const cells = result.data;
      const startLine = lineAt(rowStart);
      rowStart = result.meta.cursor;
      let structural: ParseErrorCode | null = null;
      for (const e of result.errors) {
        if (e.code === 'UndetectableDelimiter') continue;
        errors.push({ line: startLine, code: e.code as ParseErrorCode, message: e.message });
        structural ??= e.code as ParseErrorCode;
      }
      let blank = true;
      for (const c of cells)
        if (c.trim() !== '') {
          blank = false;
          break;
        }
      if (blank) return; // blank line, or only delimiters
      if (headers === null) {
        headers = cells.map((h) => h.trim());
        return;
      }
      // An unterminated quote already explains a short row (it swallowed the rest of the file).
      if (structural === null && cells.length !== headers.length) {
        structural = cells.length < headers.length ? 'TooFewFields' : 'TooManyFields';
        errors.push({
          line: startLine,
          code: structural,
          message: `expected ${headers.length} fields, found ${cells.length}`,
        });
      }
      if (onRow(startLine, cells, structural) === false) parser.abort();
    },
  });
  if (!options.delimiter && (headers ?? []).length <= 1 && input.trim() !== '') {
    // papaparse found nothing better than its default: say so rather than import one column.
    errors.unshift({
      line: 1,
      code: 'UndetectableDelimiter',
      message: 'no , ; TAB or | separates the columns',
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { delimiter: delimiter || ',', headers: headers ?? [], errors };
}

/** The whole file parsed (see walkCsv): for previews and the smaller kinds of import. */
export function parseCsv(text: string, options: { delimiter?: string; limit?: number } = {}): ParsedCsv {
  const rows: ParsedCsv['rows'] = [];
  const walk = walkCsv(text, options, (line, cells) => {
    rows.push({ line, cells });
    return options.limit === undefined || rows.length < options.limit;
  });
  return { ...walk, rows };
}
