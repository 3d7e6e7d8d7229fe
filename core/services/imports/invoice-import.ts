// The invoice import, streamed: the file is walked row by row (papaparse step), each row is
// checked by the column checks compiled for its file and by the book's rules (invoice-import-
// rows.ts), and every 5,000 accepted rows go to the bulk writer as one batch. Nothing but a
// batch is held, so a ten-year history of a million invoices imports in the memory of one
// batch, at close to the rate of a bare insert of the same rows (npm run bench -- import-history).
//
// All or nothing still: the whole import is one transaction. Once a row is refused, later
// batches are checked but no longer written (the file will be refused, and every error is
// reported), and the end rolls back what was written before the refusal.
import type { z } from 'zod';
import { fail } from '#common/errors';
import type { Locale } from '#common/i18n/locale';
import {
  analyseImport,
  type DateFormat,
  type DecimalMark,
  type ImportError,
  type ParsedCsv,
  parseCsv,
  rowChecker,
  type TextEncoding,
  walkCsv,
} from '../../import/csv-import';
import { importErrorMessage } from '../../import/import-messages';
import type { Ctx } from '../context';
import {
  checkFile,
  type ImportReport,
  Rollback,
  type RowError,
  type RunImport,
  rowFailure,
  summaryOf,
} from './report';
import { type BulkInvoice, BulkInvoiceWriter } from '../invoices/bulk';
import { InvoiceRows } from './invoice-import-rows';
import { getSettings } from '../settings.service';

/** Rows read to find the header, the mapping and the formats before the stream starts. */
const SAMPLE_ROWS = 500;
const BATCH = 5_000;

interface Formats {
  mapping: Record<string, number | null>;
  dateFormat: DateFormat;
  decimal: DecimalMark;
}

/**
 * The mapping and formats, from the first rows when they settle them. A format is taken from
 * the sample only when it is the ONE reading of the sample's values (a later value that
 * reads otherwise is then an error on its own line); when the sample leaves a choice ("01/02"
 * only, or amounts that read alike both ways), the whole file decides, as the preview does.
 */
function formatsOf(
  text: string,
  head: ParsedCsv,
  encoding: TextEncoding,
  input: z.infer<typeof RunImport>,
): Formats {
  const options = {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  };
  const complete = head.rows.length < SAMPLE_ROWS;
  const sample = analyseImport(head, encoding, 'invoices', options).preview;
  const dateFormat =
    input.dateFormat ??
    (complete
      ? sample.dateFormat
      : sample.dateFormatCandidates.length === 1
        ? sample.dateFormatCandidates[0]
        : null);
  const decimal =
    input.decimal ??
    (complete ? sample.decimal : sample.decimalCandidates.length === 1 ? sample.decimalCandidates[0] : null);
  const settled =
    (dateFormat && decimal ? { dateFormat, decimal } : null) ??
    wholeFileFormats(text, head, encoding, options);
  if (!settled.dateFormat)
    fail('import_date_format_needed', { candidates: settled.dateCandidates.join(', ') });
  if (!settled.decimal)
    fail('import_decimal_needed', {
      candidates: (settled.decimalCandidates.length ? settled.decimalCandidates : ['.', ',']).join(' '),
    });
  return { mapping: sample.mapping, dateFormat: settled.dateFormat, decimal: settled.decimal };
}

function wholeFileFormats(
  text: string,
  head: ParsedCsv,
  encoding: TextEncoding,
  options: Parameters<typeof analyseImport>[3],
) {
  const whole = analyseImport(
    parseCsv(text, { delimiter: head.delimiter }),
    encoding,
    'invoices',
    options,
  ).preview;
  return {
    dateFormat: whole.dateFormat,
    dateCandidates: whole.dateFormatCandidates,
    decimal: whole.decimal,
    decimalCandidates: whole.decimalCandidates,
  };
}

export function runInvoiceImport(
  ctx: Ctx,
  input: z.infer<typeof RunImport>,
  file: { bytes: Buffer; encoding: TextEncoding; text: string },
  locale: Locale,
): ImportReport {
  const head = parseCsv(file.text, { delimiter: input.delimiter, limit: SAMPLE_ROWS });
  checkFile(file.bytes, file.encoding, head, input.delimiter);
  const { mapping, dateFormat, decimal } = formatsOf(file.text, head, file.encoding, input);

  const cellErrors: ImportError[] = [];
  const errors: RowError[] = [];
  const rowFailed = rowFailure(errors, locale, 'invoices');
  const report: Omit<ImportReport, 'summary'> = {
    kind: 'invoices',
    dryRun: input.dryRun,
    totalRows: 0,
    imported: 0,
    skipped: 0,
    errors,
    refused: false,
  };
  const refusing = () => !input.onlyValid && (errors.length > 0 || cellErrors.length > 0);
  try {
    ctx.raw.transaction(() => {
      const rows = new InvoiceRows(
        ctx,
        input,
        rowFailed,
        input.issuerOrganizationId ?? getSettings(ctx).providerOrganizationId,
      );
      const checker = rowChecker('invoices', head.headers.length, mapping, dateFormat, decimal, cellErrors);
      const writer = new BulkInvoiceWriter(ctx, { action: 'import.invoices' });
      let batch: BulkInvoice[] = [];
      const flush = () => {
        // A file that will be refused is only checked from here on: every error is told.
        if (!refusing()) writer.write(batch);
        rows.written();
        batch = [];
      };
      walkCsv(file.text, { delimiter: head.delimiter }, (line, cells, structural) => {
        report.totalRows++;
        const values = checker.check(line, cells, structural);
        if (!values) return;
        const invoice = rows.accept(line, values);
        if (!invoice) return;
        batch.push(invoice);
        if (batch.length >= BATCH) flush();
        return undefined;
      });
      flush();
      rows.finish();
      report.imported = writer.inserted;
      for (const e of cellErrors)
        errors.push({
          line: e.line,
          field: e.field,
          code: e.code,
          value: e.value,
          message: importErrorMessage(e, 'invoices', locale),
        });
      errors.sort((a, b) => a.line - b.line);
      if (refusing() || input.dryRun) throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (refusing()) {
      report.refused = true;
      report.imported = 0;
    }
  }
  const badLines = new Set(errors.map((e) => e.line));
  report.skipped = input.onlyValid ? badLines.size : report.refused ? report.totalRows : 0;
  return { ...report, summary: summaryOf(report, locale) };
}
