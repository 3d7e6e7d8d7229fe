// LibreOffice headless as an accountant's spreadsheet: it opens an export (CSV with the import
// settings of its profile's locale, or XLSX as it is) and writes it back as plain CSV, which
// the tests compare with what they expect. A missing LibreOffice fails: a skipped check is not
// a passed one. (The same conversion as test/integration/spreadsheet-libreoffice.test.ts.)
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { CSV_PROFILES, type CsvProfileId } from '#core/export/csv/csv-writer';

const run = promisify(execFile);

/** LibreOffice's language id per profile: it decides the decimal mark and the date order. */
const LANGUAGE: Record<CsvProfileId, number> = {
  spreadsheet: 1033,
  'excel-fr': 1036,
  'excel-ch': 2055,
  'excel-de': 1031,
  'excel-it': 1040,
};

/** Field separator, text delimiter ("), UTF-8, first line 1, the profile's language, special numbers detected. */
export function csvImportFilter(profile: CsvProfileId): string {
  const separator = CSV_PROFILES[profile].delimiter.charCodeAt(0);
  return `CSV:${separator},34,76,1,,${LANGUAGE[profile]},false,true`;
}

/** Back to plain CSV: comma, UTF-8, raw values rather than as shown. */
const EXPORT_CSV = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false';

export function findSoffice(): string {
  const chosen = process.env.SOFFICE;
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw new Error(`SOFFICE=${chosen} does not exist: point it at LibreOffice's soffice, or unset it`);
  }
  const candidates = [
    '/usr/bin/soffice',
    '/usr/lib/libreoffice/program/soffice',
    '/opt/libreoffice/program/soffice',
  ];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir) candidates.push(path.join(dir, 'soffice'));
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(
      'LibreOffice (soffice) is not installed: apt-get install -y --no-install-recommends libreoffice-calc-nogui',
    );
  return found;
}

/** Opens `input` in LibreOffice and returns its first sheet as rows of cells (strings). */
export async function readWithLibreOffice(input: string, infilter?: string): Promise<string[][]> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kontor-lo-'));
  const outDir = path.join(work, 'out');
  const args = [
    `-env:UserInstallation=${pathToFileURL(path.join(work, 'profile')).href}`,
    '--headless',
    '--norestore',
  ];
  if (infilter) args.push(`--infilter=${infilter}`);
  args.push('--convert-to', EXPORT_CSV, '--outdir', outDir, input);
  const { stdout, stderr } = await run(findSoffice(), args, {
    timeout: 100_000,
    env: { ...process.env, HOME: work },
  });
  const output = path.join(outDir, `${path.basename(input, path.extname(input))}.csv`);
  if (!existsSync(output)) throw new Error(`soffice produced no ${output}\n${stdout}\n${stderr}`);
  const parsed = Papa.parse<string[]>(readFileSync(output, 'utf8'), { delimiter: ',', skipEmptyLines: true });
  if (parsed.errors.length)
    throw new Error(`unreadable CSV from LibreOffice: ${JSON.stringify(parsed.errors)}`);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------
// Three readers, cell types included (issue 15). A CSV is opened the three ways an accountant
// gets it opened: with the project's filter options (csvImportFilter), with the import
// dialog's defaults for the profile's locale (separator and language chosen, nothing else
// ticked: no "detect special numbers", quoted fields not forced to text, formulas
// evaluated), and by a plain `--convert-to` without any filter option (what a double click
// or a script does: comma, the system's charset). Each run converts MANY files at once to
// flat ODS, whose cells say their type (string, float, date…) and whether they hold a formula.

export type CsvReader = 'filter' | 'dialog' | 'plain';

/** The infilter of a reader for a profile; undefined = none (plain). */
export function readerFilter(reader: CsvReader, profile: CsvProfileId): string | undefined {
  const separator = CSV_PROFILES[profile].delimiter.charCodeAt(0);
  if (reader === 'filter') return csvImportFilter(profile);
  if (reader === 'dialog') return `CSV:${separator},34,76,1,,${LANGUAGE[profile]},false,false`;
  return undefined;
}

export interface OdsCell {
  /** office:value-type: string, float, date, percentage, currency, boolean; '' for an empty cell. */
  type: string;
  /** The text for a string cell; the value (office:value / date-value) otherwise. */
  value: string;
  /** The formula, when LibreOffice made the cell a formula. */
  formula: string | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(
          e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        )
      : (ENTITIES[e] ?? `&${e};`),
  );
}

function attr(attrs: string, name: string): string | null {
  const m = new RegExp(`${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1] as string) : null;
}

/** The text of a cell's <text:p> paragraphs, spaces, tabs and line breaks restored. */
function cellText(inner: string): string {
  const paragraphs = [...inner.matchAll(/<text:p\b[^>]*?(?:\/>|>([\s\S]*?)<\/text:p>)/g)].map((m) =>
    unescapeXml(
      (m[1] ?? '')
        .replace(/<text:s(?:\s+text:c="(\d+)")?\s*\/>/g, (_, n: string | undefined) =>
          ' '.repeat(Number(n ?? 1)),
        )
        .replace(/<text:tab\s*\/>/g, '\t')
        .replace(/<text:line-break\s*\/>/g, '\n')
        .replace(/<[^>]+>/g, ''),
    ),
  );
  return paragraphs.join('\n');
}

/** The first sheet of a flat ODS file as rows of typed cells (trailing empty cells dropped). */
export function readFods(file: string): OdsCell[][] {
  const xml = readFileSync(file, 'utf8');
  const table = /<table:table\b[\s\S]*?<\/table:table>/.exec(xml)?.[0] ?? '';
  const rows: OdsCell[][] = [];
  for (const rowMatch of table.matchAll(
    /<table:table-row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g,
  )) {
    const cells: OdsCell[] = [];
    const body = rowMatch[2] ?? '';
    for (const c of body.matchAll(
      /<table:(?:covered-)?table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g,
    )) {
      const attrs = c[1] ?? '';
      const type = attr(attrs, 'office:value-type') ?? '';
      const cell: OdsCell = {
        type,
        value:
          type === 'string' || type === ''
            ? cellText(c[2] ?? '')
            : (attr(attrs, 'office:value') ??
              attr(attrs, 'office:date-value') ??
              attr(attrs, 'office:boolean-value') ??
              ''),
        formula: attr(attrs, 'table:formula'),
      };
      const repeat = Math.min(Number(attr(attrs, 'table:number-columns-repeated') ?? 1), 64);
      for (let i = 0; i < repeat; i++) cells.push(cell);
    }
    while (
      cells.length > 0 &&
      (cells.at(-1) as OdsCell).type === '' &&
      (cells.at(-1) as OdsCell).value === ''
    )
      cells.pop();
    const repeatRows = Math.min(Number(attr(rowMatch[1] ?? '', 'table:number-rows-repeated') ?? 1), 4);
    if (cells.length === 0) continue;
    for (let i = 0; i < repeatRows; i++) rows.push(cells);
  }
  return rows;
}

/**
 * Opens every file with one LibreOffice run (one `infilter` for all; none = plain) and returns
 * each file's first sheet as typed cells, keyed by the input path.
 */
export async function readTypedWithLibreOffice(
  inputs: string[],
  infilter?: string,
): Promise<Map<string, OdsCell[][]>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kontor-lo-'));
  const outDir = path.join(work, 'out');
  const args = [
    `-env:UserInstallation=${pathToFileURL(path.join(work, 'profile')).href}`,
    '--headless',
    '--norestore',
  ];
  if (infilter) args.push(`--infilter=${infilter}`);
  args.push('--convert-to', 'fods', '--outdir', outDir, ...inputs);
  const { stdout, stderr } = await run(findSoffice(), args, {
    timeout: 300_000,
    env: { ...process.env, HOME: work },
  });
  const result = new Map<string, OdsCell[][]>();
  for (const input of inputs) {
    const output = path.join(outDir, `${path.basename(input, path.extname(input))}.fods`);
    if (!existsSync(output)) throw new Error(`soffice produced no ${output}\n${stdout}\n${stderr}`);
    result.set(input, readFods(output));
  }
  return result;
}
