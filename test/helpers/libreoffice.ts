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
