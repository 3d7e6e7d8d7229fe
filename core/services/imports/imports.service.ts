import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { fail } from '#common/errors';
import { resolveLocale } from '#common/i18n/locale';
import { invoices } from '#db/schema/index';
import {
  analyseImport,
  type DateFormat,
  type DecimalMark,
  decode,
  detectEncoding,
  type ImportPreview,
  notText,
  parseCsv,
  previewImport,
  validateRows,
} from '../../import/csv-import';
import { importErrorMessage } from '../../import/import-messages';
import type { Ctx } from '../context';
import {
  checkFile,
  type ImportReport,
  type PreviewImport,
  Rollback,
  type RowError,
  type RunImport,
  rowFailure,
  summaryOf,
} from './report';
import { importRow } from './records';
import { runInvoiceImport } from './invoice-import';

export { PreviewImport, RunImport } from './report';
export type { ImportReport, RowError } from './report';

function bytesOf(input: { contentBase64: string }): Buffer {
  return Buffer.from(input.contentBase64, 'base64');
}

/**
 * A file up to this many rows is checked in full by the preview — the dry run itself, every
 * rule a write applies (VAT numbers, a UID another organization holds, unknown payers,
 * numbers already held). Beyond it (a history of a million invoices) the preview checks the
 * rows alone, says so, and the dry run is a button: one full check per file, not per click.
 * About a second of work for 5,000 invoice rows (the history import bench: ~270 µs a row).
 */
export const PREVIEW_FULL_CHECK_ROWS = 5_000;

export type PreviewErrors = Pick<RowError, 'line' | 'field' | 'code' | 'value'>[];

export interface ImportPreviewAnswer extends Omit<ImportPreview, 'errors'> {
  /** Every problem found, in the order of the file, with its sentence in `messages`. */
  errors: PreviewErrors;
  messages: string[];
  /**
   * 'all': the dry run's own checks (what "Import" would refuse is listed here, and nothing
   * else); 'rows': the rows alone were read (formats still to choose, a required column
   * unmapped, or a file beyond PREVIEW_FULL_CHECK_ROWS), so "no error" is not yet said.
   */
  checked: 'all' | 'rows';
}

/**
 * The preview a mapping screen shows. One rule, one place: when the formats are settled its
 * errors ARE the dry run's (runImport with dryRun, rolled back), so it never says "no error"
 * of a file the dry run then refuses. A mutation by kind, like invoices.checkIssue: the dry
 * run writes inside a transaction it rolls back.
 */
export function previewImportFile(ctx: Ctx, input: z.infer<typeof PreviewImport>): ImportPreviewAnswer {
  const preview = previewImport(bytesOf(input), input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  const locale = resolveLocale(input.locale);
  const rowsOnly: ImportPreviewAnswer = {
    ...preview,
    messages: preview.errors.map((e) => importErrorMessage(e, input.kind, locale)),
    checked: 'rows',
  };
  const { dateFormat, decimal } = preview;
  if (!dateFormat || !decimal || preview.unmappedRequired.length > 0) return rowsOnly;
  if (preview.totalRows === 0 || preview.totalRows > PREVIEW_FULL_CHECK_ROWS) return rowsOnly;
  const report = runImport(ctx, {
    ...input,
    delimiter: preview.delimiter as z.infer<typeof RunImport>['delimiter'],
    mapping: preview.mapping,
    dateFormat,
    decimal,
    dryRun: true,
    onlyValid: false,
  });
  return {
    ...preview,
    errors: report.errors.map(({ line, field, code, value }) => ({ line, field, code, value })),
    messages: report.errors.map((e) => e.message),
    checked: 'all',
  };
}

/**
 * Imports a CSV file: every row is parsed, validated and then written through the same rules
 * as a person typing it (VAT numbers checked, tag names unique…). All or nothing by default:
 * a file with any bad row writes nothing and reports every bad row with its line number.
 * The dates' format is never guessed: an ambiguous file needs `dateFormat`. Invoices stream
 * through the bulk path (invoice-import.ts); organizations and products go row by row.
 */
export function runImport(ctx: Ctx, input: z.infer<typeof RunImport>): ImportReport {
  const locale = resolveLocale(input.locale);
  const bytes = bytesOf(input);
  const encoding = detectEncoding(bytes);
  if (bytes.length === 0) fail('import_empty');
  const early = notText(bytes, encoding);
  if (early) fail('import_not_text', { what: early });
  const text = decode(bytes, encoding);
  if (input.kind === 'invoices') return runInvoiceImport(ctx, input, { bytes, encoding, text }, locale);

  const parsed = parseCsv(text, input.delimiter ? { delimiter: input.delimiter } : {});
  checkFile(bytes, encoding, parsed, input.delimiter);
  // One parse, one check of every row: the preview's validation is the import's when the
  // formats are settled.
  const analysed = analyseImport(parsed, encoding, input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  const preview = analysed.preview;
  if (!preview.dateFormat) {
    fail('import_date_format_needed', { candidates: preview.dateFormatCandidates.join(', ') });
  }
  if (!preview.decimal && !input.decimal) {
    fail('import_decimal_needed', {
      candidates: (preview.decimalCandidates.length ? preview.decimalCandidates : ['.', ',']).join(' '),
    });
  }
  const validation = preview.decimal
    ? analysed.validation
    : validateRows(input.kind, parsed, preview.mapping, {
        dateFormat: preview.dateFormat as DateFormat,
        decimal: input.decimal as DecimalMark,
      });
  const errors: RowError[] = validation.errors.map((e) => ({
    line: e.line,
    field: e.field,
    code: e.code,
    value: e.value,
    message: importErrorMessage(e, input.kind, locale),
  }));
  const report: Omit<ImportReport, 'summary'> = {
    kind: input.kind,
    dryRun: input.dryRun,
    totalRows: parsed.rows.length,
    imported: 0,
    skipped: 0,
    errors,
    refused: false,
  };
  const rowFailed = rowFailure(errors, locale, input.kind);
  try {
    ctx.raw.transaction(() => {
      for (const row of validation.valid) {
        try {
          // Each row is its own savepoint: with onlyValid, a refused row leaves no trace.
          ctx.raw.transaction(() => importRow(ctx, input.kind, row.values, input))();
          report.imported++;
        } catch (error) {
          rowFailed(row.line, null, error);
        }
      }
      errors.sort((a, b) => a.line - b.line);
      if (errors.length > 0 && !input.onlyValid) throw new Rollback();
      if (input.dryRun) throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (errors.length > 0 && !input.onlyValid) {
      report.refused = true;
      report.imported = 0;
    }
  }
  const badLines = new Set(errors.map((e) => e.line));
  report.skipped = input.onlyValid ? badLines.size : report.refused ? report.totalRows : 0;
  return { ...report, summary: summaryOf(report, locale) };
}

export function importedInvoiceCount(ctx: Ctx): number {
  return (
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(invoices)
      .where(sql`${invoices.importRef} is not null`)
      .get()?.n ?? 0
  );
}
